// SPDX-License-Identifier: MIT
/* `driftscope watch`: several boards without a screen, for a test rack or
 * a Raspberry Pi under systemd (DESIGN §9). Each board is a Board (io):
 * its stream recorded, compared with its reference, its verdict followed
 * (hooks); one event loop serves them all, the metrics (HTTP, file) and
 * the status lines. SIGHUP reopens --log; SIGINT and SIGTERM stop cleanly
 * (every recording flushed, the metrics file written a last time). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "io/board.h"
#include "io/eventloop.h"
#include "io/metrics_export.h"

#define WATCH_MAX_BOARDS CLI_MAX_BOARDS
#define DEFAULT_WINDOW 1000

typedef struct WatchArgs {
   BoardArgs boards;
   const char *record_dir, *metrics, *metrics_file, *log;
   const char *on_drift, *on_recover;
   double hook_cooldown, status_s;
   bool no_record;
   size_t keep;
   AnalysisOptions opt;
   DsFormat format, ref_format;
   SerialConfig serial;
   ReadOptions read;
} WatchArgs;

static void usage(FILE *f) {
   fprintf(f, "usage: driftscope watch [-r [NAME=]REF]... [--board NAME=PORT]... [PORT]...\n"
              "                        [options]\n"
              "\n"
              "Watch several boards without a screen (a test rack, a Raspberry Pi). Each\n"
              "board's stream is recorded to a session file of its own and compared with its\n"
              "reference. A status line per board every --status seconds; a line at once for\n"
              "each disconnect, reconnect, drift onset and recovery, and hook. A board that is\n"
              "not there or pulled is retried every 0.1 s; the others go on. Runs until\n"
              "Ctrl-C or SIGTERM (a clean stop: every recording flushed), or until every\n"
              "source has ended (standard input, paced:FILE). SIGHUP reopens --log.\n"
              "\n"
              "  PORT                     a serial device, - (standard input) or paced:FILE;\n"
              "                           the board is named after it (ttyACM0)\n"
              "      --board NAME=PORT    a board with a name of its own\n"
              "  -r, --reference FILE     every board's reference (training) data\n"
              "  -r, --reference NAME=FILE  board NAME's; a board without one is recorded\n"
              "                           and counted, its drift not measured\n"
              "      --record-dir DIR     session files NAME-YYYYmmdd-HHMMSS.csv go here (.)\n"
              "      --no-record          do not record\n"
              "      --keep N             records kept in memory per board (default: twice\n"
              "                           the window); the recordings have them all\n"
              "      --metrics ADDR       serve Prometheus metrics at http://ADDR/metrics\n"
              "                           (PORT: 127.0.0.1:PORT; 0.0.0.0:PORT: every address)\n"
              "      --metrics-file PATH  the same, written every second (atomically), for\n"
              "                           node_exporter's textfile collector\n"
              "      --on-drift CMD       run CMD when a board's dataset drift starts (not\n"
              "                           waited for; no shell unless CMD names one; the facts\n"
              "                           in DRIFTSCOPE_* variables, DRIFTSCOPE_BOARD its name)\n"
              "      --on-recover CMD     run CMD when it ends\n"
              "      --hook-cooldown S    not again for the same board within S seconds (60)\n"
              "      --status S           a status line per board every S seconds (default 10;\n"
              "                           0: only events)\n"
              "      --log FILE           lines go to FILE (appended), not standard error\n"
              "      --window N           compare the last N records (default 1000)\n"
              "      --stride M           a verdict every M records (default N/10)\n" CLI_STATTEST_HELP
              "      --adwin COL[,COL]    ADWIN on these numeric columns too (the anomaly\n"
              "                           score always; at most 8)\n"
              "      --drift-share X      dataset drift when this share of features drifts\n"
              "      --format FMT         the boards' format: auto csv numeric ei plotter json\n"
              "      --reference-format FMT\n" CLI_READ_HELP CLI_SERIAL_HELP "  -h, --help\n");
}

static const struct option watch_options[] = {
   {"reference", required_argument, NULL, 'r'},
   {"board", required_argument, NULL, 'b'},
   {"record-dir", required_argument, NULL, 'd'},
   {"no-record", no_argument, NULL, 'N'},
   {"keep", required_argument, NULL, 'K'},
   {"metrics", required_argument, NULL, 1204},
   {"metrics-file", required_argument, NULL, 'M'},
   {"on-drift", required_argument, NULL, 1201},
   {"on-recover", required_argument, NULL, 1202},
   {"hook-cooldown", required_argument, NULL, 1203},
   {"status", required_argument, NULL, 1205},
   {"log", required_argument, NULL, 1206},
   CLI_ANALYSIS_OPTIONS,
   CLI_READ_OPTIONS,
   CLI_SERIAL_OPTIONS,
   {"help", no_argument, NULL, 'h'},
   {NULL, 0, NULL, 0},
};

static bool option(WatchArgs *wa, int c, const char *arg) {
   switch (c) {
   case 'r': return BoardArgs_reference(&wa->boards, arg);
   case 'b': return BoardArgs_board(&wa->boards, arg);
   case 'd': wa->record_dir = arg; return true;
   case 'N': wa->no_record = true; return true;
   case 'K': return cli_parse_size(arg, 2, &wa->keep) || cli_bad_value("keep", arg, "a number of records >= 2");
   case 1204: wa->metrics = arg; return true;
   case 'M': wa->metrics_file = arg; return true;
   case 1201: wa->on_drift = arg; return true;
   case 1202: wa->on_recover = arg; return true;
   case 1203:
      return (cli_parse_real(arg, &wa->hook_cooldown) && wa->hook_cooldown >= 0) ||
             cli_bad_value("hook-cooldown", arg, "seconds >= 0");
   case 1205:
      return (cli_parse_real(arg, &wa->status_s) && wa->status_s >= 0) || cli_bad_value("status", arg, "seconds >= 0");
   case 1206: wa->log = arg; return true;
   case 1021:
   case 1022: return cli_read_option(&wa->read, c, arg) == 1;
   default: {
      int k = cli_analysis_option(&wa->opt, &wa->format, &wa->ref_format, c, arg);
      return k >= 0 ? k == 1 : cli_serial_option(&wa->serial, c, arg) == 1;
   }
   }
}

/* Returns 0 to go on, -1 after --help, or an exit status. */
static int parse(WatchArgs *wa, int argc, char **argv) {
   memset(wa, 0, sizeof *wa);
   wa->boards.max = WATCH_MAX_BOARDS;
   AnalysisOptions_default(&wa->opt);
   wa->opt.window = DEFAULT_WINDOW;
   SerialConfig_default(&wa->serial);
   wa->hook_cooldown = 60;
   wa->status_s = 10;
   wa->record_dir = ".";
   optind = 1;
   int c;
   while ((c = getopt_long(argc, argv, "r:h", watch_options, NULL)) != -1) {
      if (c == 'h') {
         usage(stdout);
         return -1;
      }
      if (c == '?' || !option(wa, c, optarg))
         return EXIT_ERROR;
   }
   for (; optind < argc; optind++)
      if (!BoardArgs_add(&wa->boards, NULL, argv[optind]))
         return EXIT_ERROR;
   if (!wa->boards.n) {
      fprintf(stderr, "driftscope watch: give the boards: PORT... or --board NAME=PORT (driftscope watch --help)\n");
      return EXIT_ERROR;
   }
   if (!BoardArgs_check(&wa->boards, NULL))
      return EXIT_ERROR;
   if (!wa->opt.stride)
      wa->opt.stride = wa->opt.window >= 10 ? wa->opt.window / 10 : 1;
   if (!wa->keep)
      wa->keep = 2 * wa->opt.window > 1000 ? 2 * wa->opt.window : 1000;
   if (wa->keep < wa->opt.window + wa->opt.stride) {
      fprintf(stderr, "driftscope watch: --keep %zu is too few: the window and a stride need %zu records\n", wa->keep,
              wa->opt.window + wa->opt.stride);
      return EXIT_ERROR;
   }
   return 0;
}

/* --- the run ---------------------------------------------------------------- */

typedef struct Watch {
   WatchArgs *wa;
   Classes classes;
   RefFiles refs; /* each read once, its prepared columns shared by its boards */
   Board boards[WATCH_MAX_BOARDS];
   int nboards, nopen;
   MetricsExport mx;
   FILE *log; /* --log, else stderr */
   EventLoop loop;
   double status_at;
   bool reopen_log;
} Watch;

/* A line of the log: the time, then what. */
static void say(Watch *w, const char *fmt, ...) {
   char when[40];
   ds_wall_iso(when, sizeof when);
   fprintf(w->log, "%s ", when);
   va_list ap;
   va_start(ap, fmt);
   vfprintf(w->log, fmt, ap);
   va_end(ap);
   fputc('\n', w->log);
   fflush(w->log);
}

static void board_note(void *ctx, const Board *b, const char *msg) {
   say(ctx, "%s: %s", b->name, msg);
}

static void mx_note(void *ctx, const char *msg) {
   say(ctx, "%s", msg);
}

static bool open_boards(Watch *w) {
   WatchArgs *wa = w->wa;
   time_t now = ds_wall_time();
   char stamp[32], path[PATH_MAX], err[PATH_MAX + 256];
   struct tm tm;
   strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
   const BoardArgs *ba = &wa->boards;
   for (int i = 0; i < ba->n; i++) {
      const char *rp = BoardArgs_reference_of(ba, ba->names[i]);
      const Table *ref = rp ? RefFiles_load(&w->refs, rp, &w->classes, wa->ref_format, &wa->read) : NULL;
      if (rp && !ref)
         return false;
      if (!wa->no_record)
         snprintf(path, sizeof path, "%s/%s-%s.csv", wa->record_dir, ba->names[i], stamp);
      BoardConfig c = {.name = ba->names[i],
                       .device = ba->sources[i],
                       .ref = ref,
                       .ref_cache = ref ? RefFiles_cache(&w->refs, ref) : NULL,
                       .ref_name = rp,
                       .serial = &wa->serial,
                       .format = wa->format,
                       .opt = &wa->opt,
                       .keep = wa->keep,
                       .record = wa->no_record ? NULL : path,
                       .on_drift = wa->on_drift,
                       .on_recover = wa->on_recover,
                       .hook_cooldown_s = wa->hook_cooldown};
      Board *b = &w->boards[i];
      w->nboards = i + 1;
      bool ok = Board_open(b, &c, &w->classes, err, sizeof err);
      b->note = board_note;
      b->note_ctx = w;
      if (!ok) {
         fprintf(stderr, "driftscope: %s: %s\n", ba->names[i], err);
         return false;
      }
      cli_read_apply(&wa->read, &b->ls.in, ref);
      if (!b->ls.connected)
         say(w, "%s: %s; waiting for it (tried every 0.1 s)", b->name, err);
      say(w, "%s: %s %s%s%s; %s%s", b->name, b->ls.connected ? "watching from" : "waiting for", ba->sources[i],
          rp ? " against " : "", rp ? rp : "", b->ls.out >= 0 ? "recording " : "not recorded",
          b->ls.out >= 0 ? b->record : "");
      if (!rp)
         say(w, "%s: no reference: records counted and recorded, drift not measured (-r %s=REF.csv)", b->name, b->name);
   }
   return true;
}

/* One line per board: live or not, records a second, the verdict, the
 * recording. */
static void status_lines(Watch *w, double now) {
   for (int i = 0; i < w->nboards; i++) {
      Board *b = &w->boards[i];
      const LiveSource *ls = &b->ls;
      const Analysis *a = &b->m.a;
      Board_rate(b, now);
      char state[64], verdict[200], rec[PATH_MAX + 64] = "not recorded";
      if (ls->ended)
         snprintf(state, sizeof state, "ENDED");
      else if (!ls->connected)
         snprintf(state, sizeof state, "DISCONNECTED %.0f s", (now - ls->down_since) / 1000);
      else
         snprintf(state, sizeof state, "LIVE");
      if (b->halted)
         snprintf(verdict, sizeof verdict, "OUT OF MEMORY: not measured");
      else if (b->ref == &b->none)
         snprintf(verdict, sizeof verdict, "no reference");
      else if (!a->features)
         snprintf(verdict, sizeof verdict, "no feature compared yet");
      else if (b->m.rows < b->opt.window)
         snprintf(verdict, sizeof verdict, "warming up %zu/%zu", b->m.rows, b->opt.window);
      else
         snprintf(verdict, sizeof verdict, "%s: %d of %d features drifted (%.2f)",
                  a->dataset_drift ? "DATASET DRIFT" : "no drift", a->drifted_features, a->features, a->share);
      if (ls->out >= 0)
         snprintf(rec, sizeof rec, "recording %s%s", b->record, ls->write_failed ? " (NOT WRITING)" : "");
      say(w, "%s: %s, %.1f records/s, %ld records, %ld bad lines; %s; %s", b->name, state, b->rate, ls->in.records,
          ls->in.bad_lines, verdict, rec);
   }
}

static void render(void *ctx, StrBuf *out, bool openmetrics) {
   Watch *w = ctx;
   MetricsBoard mb[WATCH_MAX_BOARDS];
   for (int i = 0; i < w->nboards; i++) {
      memset(&mb[i], 0, sizeof mb[i]);
      Board_metrics(&w->boards[i], &mb[i]);
   }
   ds_metrics_render(out, mb, w->nboards, openmetrics);
}

/* --- the loop's callbacks: per board, then the watch's own ------------------ */

static int board_fd(void *ctx) {
   return Board_fd(ctx);
}

static int board_ready(void *ctx, double now, int ev) {
   Board_read(ctx, now, ev & EV_HANGUP);
   return LOOP_GO;
}

static double board_due(void *ctx, double now) {
   (void)now;
   return Board_due(ctx);
}

static int board_tick(void *ctx, double now) {
   Board_tick(ctx, now);
   return LOOP_GO;
}

/* The boards' analysis catches up with their streams once a stride of
 * records has come (or a second has passed): one board a turn, the most
 * overdue, so that a scrape or a read never waits for sixteen. */
static Board *next_sync(Watch *w, double *due) {
   Board *next = NULL;
   for (int i = 0; i < w->nboards; i++) {
      double d = Board_sync_due(&w->boards[i]);
      if (!next || d < *due) {
         next = &w->boards[i];
         *due = d;
      }
   }
   return next;
}

static double sync_due(void *ctx, double now) {
   (void)now;
   double due = -1;
   next_sync(ctx, &due);
   return due;
}

static int sync_board(void *ctx, double now) {
   Watch *w = ctx;
   double due;
   Board_sync(next_sync(w, &due), now);
   int ended = 0;
   for (int i = 0; i < w->nboards; i++)
      ended += w->boards[i].ls.ended || w->boards[i].ls.in.failed;
   return ended == w->nboards ? 0 : LOOP_GO; /* every source ended: done */
}

static double status_due(void *ctx, double now) {
   (void)now;
   Watch *w = ctx;
   return w->wa->status_s > 0 ? w->status_at : -1;
}

static int status_tick(void *ctx, double now) {
   Watch *w = ctx;
   status_lines(w, now);
   w->status_at = now + w->wa->status_s * 1000;
   return LOOP_GO;
}

/* SIGHUP: --log again (logrotate moved it); SIGINT, SIGTERM: stop. */
static int on_signal(void *ctx, int sig) {
   Watch *w = ctx;
   if (sig == SIGWINCH)
      return LOOP_GO;
   if (sig != SIGHUP)
      return 128 + sig;
   if (w->wa->log) {
      FILE *f = fopen(w->wa->log, "a");
      if (!f) {
         say(w, "SIGHUP: %s: cannot reopen: %s; writing on to the old file", w->wa->log, strerror(errno));
         return LOOP_GO;
      }
      fclose(w->log);
      w->log = f;
      say(w, "SIGHUP: %s reopened", w->wa->log);
   } else {
      say(w, "SIGHUP: no --log to reopen");
   }
   return LOOP_GO;
}

static int loop(Watch *w) {
   static LoopSpec spec; /* 128 watches and timers: not on the stack */
   memset(&spec, 0, sizeof spec);
   spec.watch[spec.nwatch++] = MetricsExport_watch(&w->mx);
   spec.timer[spec.ntimer++] = MetricsExport_timer(&w->mx);
   spec.timer[spec.ntimer++] = (LoopTimer){sync_due, sync_board, NULL};
   spec.timer[spec.ntimer++] = (LoopTimer){status_due, status_tick, NULL};
   for (int i = 0; i < w->nboards; i++) {
      Board *b = &w->boards[i];
      spec.watch[spec.nwatch++] = (LoopWatch){board_fd, board_ready, b};
      spec.watch[spec.nwatch++] = DriftHooks_watch(&b->hooks);
      spec.timer[spec.ntimer++] = (LoopTimer){board_due, board_tick, b};
      spec.timer[spec.ntimer++] = DriftHooks_timer(&b->hooks);
   }
   spec.signal = on_signal;
   spec.ctx = w;
   double now = ds_now_ms();
   w->status_at = now + w->wa->status_s * 1000;
   return EventLoop_run(&w->loop, &spec);
}

/* The end: the last records, the figures, what each board did. */
static int finish(Watch *w, int status) {
   double now = ds_now_ms();
   bool lost = false;
   status_lines(w, now); /* as they were */
   for (int i = 0; i < w->nboards; i++) {
      Board_finish(&w->boards[i], now);
      Board_sync(&w->boards[i], now);
   }
   MetricsExport_close(&w->mx);
   for (int i = 0; i < w->nboards; i++) {
      Board *b = &w->boards[i];
      char said[400];
      if (DriftHooks_finish(&b->hooks, said, sizeof said))
         say(w, "%s: %s", b->name, said);
      if (b->ls.out >= 0) {
         bool gone = b->ls.rec.out.len > 0;
         lost |= gone;
         say(w, "%s: %s: %ld records recorded%s; dataset drift began %ld time%s, ended %ld time%s", b->name, b->record,
             b->ls.rec.records, gone ? "; the last ones could not be written" : "", b->onsets,
             b->onsets == 1 ? "" : "s", b->recoveries, b->recoveries == 1 ? "" : "s");
      }
   }
   if (w->wa->metrics)
      say(w, "metrics: %ld scrapes answered (the longest took %.2f ms), %ld other requests answered 404", w->mx.scrapes,
          w->mx.scrape_max_ms, w->mx.not_found);
   say(w, "stopped%s", status > 128 ? " by a signal" : "");
   return lost ? EXIT_ERROR : 0;
}

int cmd_watch(int argc, char **argv) {
   WatchArgs wa;
   int st = parse(&wa, argc, argv);
   if (st) {
      cli_read_done(&wa.read);
      return st < 0 ? 0 : st;
   }
   Watch *w = calloc(1, sizeof *w);
   if (!w) {
      fprintf(stderr, "driftscope: out of memory\n");
      return EXIT_ERROR;
   }
   w->wa = &wa;
   w->log = stderr;
   Classes_init(&w->classes);
   char err[400];
   int status = EXIT_ERROR;
   if (wa.log && !(w->log = fopen(wa.log, "a"))) {
      fprintf(stderr, "driftscope: --log %s: cannot open: %s\n", wa.log, strerror(errno));
      w->log = stderr;
   } else if (!MetricsExport_open(&w->mx, wa.metrics, wa.metrics_file, render, w, err, sizeof err)) {
      fprintf(stderr, "driftscope: %s\n", err);
   } else if (!EventLoop_init(&w->loop)) {
      fprintf(stderr, "driftscope: cannot set up signals: %s\n", strerror(errno));
   } else {
      EventLoop_hup_reopens(&w->loop);
      w->mx.note = mx_note;
      w->mx.note_ctx = w;
      if (open_boards(w)) {
         if (w->mx.d)
            say(w, "metrics at %s", w->mx.where);
         status = finish(w, loop(w));
      }
      EventLoop_done(&w->loop);
   }
   MetricsExport_close(&w->mx);
   for (int i = 0; i < w->nboards; i++)
      Board_close(&w->boards[i]);
   RefFiles_done(&w->refs); /* after the boards: they borrow its columns */
   Classes_done(&w->classes);
   if (w->log != stderr)
      fclose(w->log);
   free(w);
   cli_read_done(&wa.read);
   return status;
}
