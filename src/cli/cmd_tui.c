// SPDX-License-Identifier: MIT
/* `driftscope -r REF SESSION`: the dashboard replaying a recorded session
 * (DESIGN §7, §9). Loads the reference and the session, then runs the one
 * event loop: keys, signals, replay pacing, redraws. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "driftscope/eventloop.h"
#include "driftscope/filesource.h"
#include "driftscope/monitor.h"
#include "driftscope/replay.h"
#include "../ui/ui.h"

typedef struct TuiArgs {
   const char *reference, *session, *theme, *stats;
   DsFormat format, ref_format;
   AnalysisOptions opt;
   int speed; /* index into ds_replay_speeds */
   bool paused;
} TuiArgs;

static const struct option tui_options[] = {
   {"reference", required_argument, NULL, 'r'},
   CLI_ANALYSIS_OPTIONS,
   {"speed", required_argument, NULL, 'S'},
   {"paused", no_argument, NULL, 'P'},
   {"theme", required_argument, NULL, 'H'},
   {"stats", required_argument, NULL, 'o'},
   {"help", no_argument, NULL, 'h'},
   {NULL, 0, NULL, 0},
};

#define DEFAULT_WINDOW 1000

static void usage(FILE *f) {
   fprintf(f, "usage: driftscope -r REF SESSION [options]\n"
              "       driftscope COMMAND [options]   (driftscope --help lists the commands)\n"
              "\n"
              "Replay a recorded session in the dashboard, with its original pacing.\n"
              "\n"
              "  -r, --reference FILE     reference (training) data, CSV with a header\n"
              "      --window N           compare the last N records (default 1000)\n"
              "      --stride M           a point of drift history every M records\n"
              "                           (default N/10)\n"
              "      --speed X            replay speed: 0.25 0.5 1 2 4 8 16 32 64 or max\n"
              "                           (default 1)\n"
              "      --paused             start paused\n"
              "      --theme NAME|PATH    default, light, high-contrast, mono, or a file\n"
              "      --format FMT         session format: auto csv numeric ei plotter\n"
              "      --reference-format FMT\n"
              "      --stattest NAME      force a test: ks wasserstein chisquare z\n"
              "                           jensenshannon psi\n"
              "      --threshold X        force the drift threshold of the test\n"
              "      --drift-share X      dataset drift when this share of features drifts\n"
              "      --stats FILE         at exit, write replay and frame-time figures\n"
              "  -h, --help\n"
              "\n"
              "Keys: ? shows them all. q quits, Space pauses, + - change speed, 1-4 and 6\n"
              "switch views. NO_COLOR turns colours off.\n");
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

static bool option(TuiArgs *ta, int c, const char *arg) {
   switch (c) {
   case 'r': ta->reference = arg; return true;
   case 'S': return parse_speed(arg, &ta->speed) || cli_bad_value("speed", arg, "0.25, 0.5, 1, 2, 4, 8, 16, 32, 64 or max");
   case 'P': ta->paused = true; return true;
   case 'H': ta->theme = arg; return true;
   case 'o': ta->stats = arg; return true;
   }
   return cli_analysis_option(&ta->opt, &ta->format, &ta->ref_format, c, arg) == 1;
}

/* Returns 0 to go on, -1 after --help, or an exit status. */
static int parse_args(TuiArgs *ta, int argc, char **argv) {
   memset(ta, 0, sizeof *ta);
   AnalysisOptions_default(&ta->opt);
   ta->opt.window = DEFAULT_WINDOW;
   parse_speed("1", &ta->speed);
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
   if (!status && optind < ca.argc)
      ta->session = ca.argv[optind++];
   if (!status && optind < ca.argc) {
      fprintf(stderr, "driftscope: one session at a time in the dashboard ('%s' is one too many)\n", ca.argv[optind]);
      status = EXIT_ERROR;
   }
   config_free(&ca);
   if (status)
      return status;
   if (!ta->reference || !ta->session) {
      fprintf(stderr, "driftscope: %s\n", !ta->reference ? "missing -r REF" : "missing SESSION (a recorded file)");
      usage(stderr);
      return EXIT_ERROR;
   }
   if (!ta->opt.stride)
      ta->opt.stride = ta->opt.window >= 10 ? ta->opt.window / 10 : 1;
   return 0;
}

typedef struct Session {
   Classes classes;
   Table ref, cur;
   Ingest ref_in, cur_in;
   Monitor m;
   Replay r;
   App app;
   EventLoop loop;
   bool loop_on;
} Session;

static double cpu_ms(void) {
   struct rusage ru;
   getrusage(RUSAGE_SELF, &ru);
   return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
          (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-3;
}

/* The dashboard's loop: one wait, then keys, signals, replay, redraw. */
static int run_loop(Session *s, double *end_ms) {
   App *app = &s->app;
   double last = ds_now_ms(), last_draw = -1e9;
   *end_ms = NAN;
   while (!app->quit) {
      double now = ds_now_ms(), due = App_next_due(app);
      double until_frame = last_draw + DS_FRAME_MS - now;
      bool want_draw = app->dirty || app->drawn != s->m.version;
      double timeout = due;
      if (want_draw && (timeout < 0 || until_frame < timeout))
         timeout = until_frame > 0 ? until_frame : 0;
      int sig = 0, ev = EventLoop_wait(&s->loop, STDIN_FILENO, timeout < 0 ? -1 : (int)ceil(timeout), &sig);
      if (ev & EV_SIGNAL) {
         int rows, cols;
         if (sig != SIGWINCH)
            return 128 + sig;
         if (ds_term_size(STDOUT_FILENO, &rows, &cols))
            App_resize_to(app, rows, cols);
      }
      if (ev & EV_INPUT)
         App_input(app);
      now = ds_now_ms();
      if (!App_tick(app, now - last)) {
         App_stop(app);
         fprintf(stderr, "driftscope: out of memory at record %zu\n", s->r.cursor);
         return EXIT_ERROR;
      }
      last = now;
      if (isnan(*end_ms) && s->r.cursor >= s->r.n)
         *end_ms = now;
      if (now - last_draw >= DS_FRAME_MS) {
         App_draw(app);
         last_draw = now;
      }
   }
   return 0;
}

/* Figures for benchmarks: records/s counts loading and replay, from the
 * start of loading to the last record shown. */
static void write_stats(const Session *s, const char *path, double load_ms, double start_ms, double end_ms,
                        double cpu0) {
   FILE *f = fopen(path, "w");
   if (!f) {
      fprintf(stderr, "driftscope: %s: cannot write: %s\n", path, strerror(errno));
      return;
   }
   double mean, p99, wall = ds_now_ms() - start_ms, replay = end_ms - start_ms;
   App_frame_stats(&s->app, &mean, &p99);
   fprintf(f, "{\"records\":%zu,\"load_ms\":%.3f,\"replay_ms\":%.3f,\"records_per_s\":%.1f,\"frames\":%ld,"
              "\"frame_mean_ms\":%.4f,\"frame_p99_ms\":%.4f,\"wall_ms\":%.1f,\"cpu_ms\":%.1f}\n",
           s->r.cursor, load_ms, isnan(replay) ? -1 : replay,
           isnan(replay) ? -1 : 1e3 * (double)s->r.cursor / (load_ms + replay), s->app.frames, mean, p99, wall,
           cpu_ms() - cpu0);
   fclose(f);
}

static int run(Session *s, const TuiArgs *ta) {
   double load0 = ds_now_ms();
   Classes_init(&s->classes);
   if (!Table_init(&s->ref, &s->classes, false) || !Table_init(&s->cur, &s->classes, false))
      return EXIT_ERROR;
   if (!cli_load(ta->reference, &s->ref_in, &s->ref, ta->ref_format) ||
       !cli_load(ta->session, &s->cur_in, &s->cur, ta->format))
      return EXIT_ERROR;
   if (s->ref.nrows == 0) {
      fprintf(stderr, "driftscope: %s: no records in the reference\n", ta->reference);
      return EXIT_ERROR;
   }
   DsError e;
   if (!Monitor_init(&s->m, &s->ref, &s->cur, &ta->opt, &e) || !Replay_init(&s->r, &s->cur)) {
      fprintf(stderr, "driftscope: out of memory preparing the dashboard\n");
      return EXIT_ERROR;
   }
   s->r.speed = ta->speed;
   s->r.paused = ta->paused;
   if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
      fprintf(stderr, "driftscope: the dashboard needs a terminal; 'driftscope report' works without one\n");
      return EXIT_ERROR;
   }
   char err[400];
   App_init(&s->app, &s->m, &s->r, ta->session, s->cur_in.bad_lines, ta->theme, err, sizeof err);
   if (!EventLoop_init(&s->loop)) {
      fprintf(stderr, "driftscope: cannot set up signals: %s\n", strerror(errno));
      return EXIT_ERROR;
   }
   s->loop_on = true;
   if (!App_start(&s->app)) {
      fprintf(stderr, "driftscope: cannot start the terminal UI (TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
      return EXIT_ERROR;
   }
   double start = ds_now_ms(), load_ms = start - load0, cpu0 = cpu_ms(), end_ms;
   int status = run_loop(s, &end_ms);
   App_stop(&s->app);
   if (err[0])
      fprintf(stderr, "driftscope: %s\n", err);
   if (ta->stats)
      write_stats(s, ta->stats, load_ms, start, end_ms, cpu0);
   return status;
}

int cmd_tui(int argc, char **argv) {
   TuiArgs ta;
   int st = parse_args(&ta, argc, argv);
   if (st)
      return st < 0 ? 0 : st;
   Session *s = calloc(1, sizeof *s);
   if (!s) {
      fprintf(stderr, "driftscope: out of memory\n");
      return EXIT_ERROR;
   }
   int status = run(s, &ta);
   App_stop(&s->app);
   if (s->loop_on)
      EventLoop_done(&s->loop);
   Replay_done(&s->r);
   Monitor_done(&s->m);
   Ingest_done(&s->cur_in);
   Ingest_done(&s->ref_in);
   Table_done(&s->cur);
   Table_done(&s->ref);
   Classes_done(&s->classes);
   free(s);
   return status;
}
