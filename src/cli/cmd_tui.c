// SPDX-License-Identifier: MIT
/* `driftscope -r REF [SOURCE]`: the dashboard's options (DESIGN §7, §9):
 * a recorded session to replay, or a board to watch live (a serial device,
 * standard input, or the one USB serial port there is) while recording
 * it. dashboard.c runs it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "dashboard.h"
#include "io/source.h"
#include "driftscope/replay.h"

static const struct option tui_options[] = {
   {"reference", required_argument, NULL, 'r'},
   CLI_ANALYSIS_OPTIONS,
   CLI_READ_OPTIONS,
   CLI_ASSESS_OPTIONS,
   {"speed", required_argument, NULL, 'S'},
   {"paused", no_argument, NULL, 'P'},
   {"theme", required_argument, NULL, 'H'},
   {"stats", required_argument, NULL, 'o'},
   CLI_SERIAL_OPTIONS,
   {"record", required_argument, NULL, 'R'},
   {"no-record", no_argument, NULL, 'N'},
   {"raw-log", required_argument, NULL, 'L'},
   {"labels", required_argument, NULL, 'J'},
   {"keep", required_argument, NULL, 'K'},
   {"baseline", required_argument, NULL, 'B'},
   {"metrics", required_argument, NULL, 1204},
   {"metrics-file", required_argument, NULL, 'M'},
   {"board", required_argument, NULL, 'b'},
   {"on-drift", required_argument, NULL, 1201},
   {"on-recover", required_argument, NULL, 1202},
   {"hook-cooldown", required_argument, NULL, 1203},
   CLI_SPECTRUM_OPTIONS,
   {"help", no_argument, NULL, 'h'},
   {NULL, 0, NULL, 0},
};

#define DEFAULT_KEEP 360000 /* an hour at 100 records/s */

static void usage(FILE *f) {
   fprintf(f,
           "usage: driftscope [-r REF] [SOURCE] [options]\n"
           "       driftscope [-r [NAME=]REF]... SOURCE|--board NAME=SOURCE... [options]\n"
           "       driftscope COMMAND [options]   (driftscope --help lists the commands)\n"
           "\n"
           "Watch a board live, or replay a recorded session, in the dashboard.\n"
           "SOURCE: a serial device (/dev/ttyACM0, a pty), - for standard input, or a\n"
           "recorded file (replayed with its original pacing). Without SOURCE: the one\n"
           "USB serial port there is. paced:FILE plays a recording as a live board\n"
           "(at its pace; recorded and labelled as live). A live source is recorded to\n"
           "a session file. Several live sources (or --board NAME=SOURCE): one board each,\n"
           "recorded, labelled and analysed on its own; b shows the next, the board bar\n"
           "under the header shows them all.\n"
           "\n"
           "  -r, --reference FILE     reference (training) data, CSV with a header (-r\n"
           "                           NAME=FILE: board NAME's);\n"
           "                           without it: the stream, labelling and recording,\n"
           "                           no drift until B (or --baseline) takes a reference\n"
           "      --baseline N         the stream's first N records become the reference\n"
           "      --window N           compare the last N records (default 1000)\n"
           "      --stride M           a point of drift history every M records\n"
           "                           (default N/10)\n"
           "      --theme NAME|PATH    default, light, high-contrast, mono, or a file\n"
           "      --format FMT         source format: auto csv numeric ei plotter json\n"
           "      --reference-format FMT\n" CLI_READ_HELP CLI_ASSESS_HELP CLI_STATTEST_HELP
           "      --adwin COL[,COL]    ADWIN on these numeric columns too (the anomaly\n"
           "                           score always; at most 8)\n"
           "      --drift-share X      dataset drift when this share of features drifts\n"
           "      --stats FILE         at exit, write replay and frame-time figures\n"
           "      --metrics ADDR       serve Prometheus metrics at http://ADDR/metrics\n"
           "                           (PORT: 127.0.0.1:PORT; 0.0.0.0:PORT: every address)\n"
           "      --metrics-file PATH  Prometheus metrics, written every second (atomically:\n"
           "                           node_exporter's textfile collector reads PATH)\n"
           "      --board NAME         the board label of the metrics (default: the source)\n"
           "      --board NAME=SOURCE  one of several boards, named\n"
           "      --on-drift CMD       run CMD when dataset drift starts (not waited for;\n"
           "                           no shell unless CMD names one; the facts in\n"
           "                           DRIFTSCOPE_* variables)\n"
           "      --on-recover CMD     run CMD when it ends\n"
           "      --hook-cooldown S    not again within S seconds (default 60)\n"
           "      --labels FILE        the label journal (default SESSION.labels.csv)\n" CLI_SPECTRUM_HELP "Replay:\n"
           "      --speed X            0.25 0.5 1 2 4 8 16 32 64 or max (default 1)\n"
           "      --paused             start paused\n"
           "Live:\n"
           "      --record FILE        the session file (default\n"
           "                           ./driftscope-YYYYmmdd-HHMMSS.csv; never overwritten)\n"
           "      --no-record          do not record\n"
           "      --raw-log FILE       also keep every byte received\n"
           "      --keep N             keep the last N records in memory (default\n"
           "                           360000: an hour at 100/s); the recording has all\n" CLI_SERIAL_HELP
           "  -h, --help\n"
           "\n"
           "Keys: ? shows them all. q quits, Space pauses (live: the display; recording\n"
           "goes on), + - change a replay's speed, 1-7 switch views, s sorts and /\n"
           "filters the features, B takes the window as the reference; labels: v\n"
           "select, Enter label, a note, d delete, u undo, n suggestion, e export.\n"
           "NO_COLOR turns colours off.\n");
}

static bool parse_speed(const char *s, int *out) {
   double v;
   if (!strcmp(s, "max"))
      v = INFINITY;
   else if (!cli_parse_real(s, &v))
      return false;
   for (int i = 0; i < ds_replay_nspeeds; i++)
      if (ds_replay_speeds[i] == v) {
         *out = i;
         return true;
      }
   return false;
}

/* --board NAME=PORT adds a board; --board NAME names the one board. */
static bool board_option(DashboardConfig *ta, const char *arg) {
   if (strchr(arg, '='))
      return BoardArgs_board(&ta->boards, arg);
   ta->board = arg;
   return true;
}

static bool option(DashboardConfig *ta, int c, const char *arg) {
   switch (c) {
   case 'r': return BoardArgs_reference(&ta->boards, arg);
   case 'S':
      return parse_speed(arg, &ta->speed) || cli_bad_value("speed", arg, "0.25, 0.5, 1, 2, 4, 8, 16, 32, 64 or max");
   case 'P': ta->paused = true; return true;
   case 'H': ta->theme = arg; return true;
   case 'o': ta->stats = arg; return true;
   case 'R': ta->record = arg; return true;
   case 'N': ta->no_record = true; return true;
   case 'L': ta->raw_log = arg; return true;
   case 'J': ta->labels = arg; return true;
   case 'K': return cli_parse_size(arg, 1, &ta->keep) || cli_bad_value("keep", arg, "a number of records >= 1");
   case 'B': return cli_parse_size(arg, 2, &ta->baseline) || cli_bad_value("baseline", arg, "a number of records >= 2");
   case 'M': ta->metrics_file = arg; return true;
   case 1204: ta->metrics = arg; return true;
   case 'b': return board_option(ta, arg);
   case 1201: ta->on_drift = arg; return true;
   case 1202: ta->on_recover = arg; return true;
   case 1203:
      return (cli_parse_real(arg, &ta->hook_cooldown) && ta->hook_cooldown >= 0) ||
             cli_bad_value("hook-cooldown", arg, "seconds >= 0");
   }
   int done = cli_serial_option(&ta->serial, c, arg);
   if (done < 0)
      done = cli_spectrum_option(&ta->spec, c, arg);
   if (done < 0)
      done = cli_read_option(&ta->read, c, arg);
   if (done < 0)
      done = cli_assess_option(&ta->limits, c, arg);
   return done >= 0 ? done == 1 : cli_analysis_option(&ta->opt, &ta->format, &ta->ref_format, c, arg) == 1;
}

/* No SOURCE: the board on the one USB serial port there is. */
static bool find_board(DashboardConfig *ta) {
   char ports[8][PATH_MAX];
   int n = ds_usb_ports(ports, 8);
   if (n == 1) {
      snprintf(ta->device, sizeof ta->device, "%s", ports[0]);
      ta->session = ta->device;
      return true;
   }
   if (n == 0) {
      fprintf(stderr, "driftscope: no SOURCE given and no USB serial port found: plug the board in, or give\n"
                      "a device (driftscope -r REF /dev/ttyACM0), - for standard input, or a recorded file\n");
      return false;
   }
   fprintf(stderr, "driftscope: no SOURCE given and %d USB serial ports found; name one:\n", n);
   for (int i = 0; i < n && i < 8; i++)
      fprintf(stderr, "  driftscope -r %s %s\n", ta->boards.reference, ports[i]);
   fprintf(stderr, "('driftscope ports' says which board is which)\n");
   return false;
}

/* Several boards: each a live source (a recorded file is replayed alone),
 * each with a name of its own; --record, --raw-log and --labels name one
 * file, which several boards cannot share; -r NAME=FILE names a board
 * there is. */
static bool several_boards(const DashboardConfig *ta) {
   struct stat st;
   for (int i = 0; i < ta->boards.n; i++) {
      const char *src = ta->boards.sources[i];
      if (ds_source_for(src) == &ds_source_serial && stat(src, &st) == 0 && !S_ISCHR(st.st_mode)) {
         fprintf(stderr,
                 "driftscope: %s is a recorded file: the dashboard replays one at a time (several boards "
                 "are live sources: ports, -, paced:FILE)\n",
                 src);
         return false;
      }
   }
   if (ta->record || ta->raw_log || ta->labels || ta->board) {
      fprintf(stderr,
              "driftscope: %s names one board's file or label; with several boards each is recorded to "
              "driftscope-YYYYmmdd-HHMMSS-NAME.csv, its labels beside it, named by --board NAME=PORT\n",
              ta->record    ? "--record"
              : ta->raw_log ? "--raw-log"
              : ta->labels  ? "--labels"
                            : "--board NAME");
      return false;
   }
   return true;
}

/* Returns 0 to go on, -1 after --help, or an exit status. */
static int parse_args(DashboardConfig *ta, int argc, char **argv) {
   memset(ta, 0, sizeof *ta);
   ta->boards.max = DS_MAX_BOARDS;
   AssessLimits_default(&ta->limits);
   AnalysisOptions_default(&ta->opt);
   ta->opt.window = DEFAULT_WINDOW;
   SpectrumOptions_default(&ta->spec);
   SerialConfig_default(&ta->serial);
   parse_speed("1", &ta->speed);
   ta->keep = DEFAULT_KEEP;
   ta->hook_cooldown = 60;
   ConfigArgs ca;
   if (!config_apply(&ca, argc, argv, tui_options))
      return EXIT_ERROR;
   optind = 1;
   int c, status = 0;
   while (!status && (c = getopt_long(ca.argc, ca.argv, "r:h", tui_options, NULL)) != -1) {
      if (c == 'h') {
         usage(stdout);
         status = -1;
      } else if (c == '?' || !option(ta, c, optarg)) {
         status = EXIT_ERROR;
      }
   }
   while (!status && optind < ca.argc)
      status = BoardArgs_add(&ta->boards, NULL, ca.argv[optind++]) ? 0 : EXIT_ERROR;
   config_free(&ca);
   if (status)
      return status;
   if (ta->boards.n)
      ta->session = ta->boards.sources[0];
   if (ta->boards.reference && ta->baseline) {
      fprintf(stderr, "driftscope: -r and --baseline both give the reference: one of them (driftscope --help)\n");
      return EXIT_ERROR;
   }
   if (!ta->session && !find_board(ta))
      return EXIT_ERROR;
   if (!ta->boards.n)
      BoardArgs_add(&ta->boards, NULL, ta->session);
   struct stat st;
   ta->live = ds_source_for(ta->session) != &ds_source_serial || (stat(ta->session, &st) == 0 && S_ISCHR(st.st_mode));
   if ((ta->boards.n > 1 && !several_boards(ta)) || !BoardArgs_check(&ta->boards, ta->board))
      return EXIT_ERROR;
   if (!ta->live && (ta->record || ta->no_record || ta->raw_log)) {
      fprintf(stderr, "driftscope: %s is a recorded file: --record, --no-record and --raw-log are for live sources\n",
              ta->session);
      return EXIT_ERROR;
   }
   if (!ta->opt.stride)
      ta->opt.stride = ta->opt.window >= 10 ? ta->opt.window / 10 : 1;
   if (ta->live && ta->keep < ta->opt.window + ta->opt.stride) {
      fprintf(stderr, "driftscope: --keep %zu is too few: the window and a stride need %zu records\n", ta->keep,
              ta->opt.window + ta->opt.stride);
      return EXIT_ERROR;
   }
   return 0;
}

int cmd_tui(int argc, char **argv) {
   DashboardConfig ta;
   int st = parse_args(&ta, argc, argv);
   if (!st)
      st = dashboard_run(&ta);
   cli_read_done(&ta.read);
   return st < 0 ? 0 : st;
}
