// SPDX-License-Identifier: MIT
/* `driftscope -r REF [SOURCE]`: the dashboard (DESIGN §7, §9), replaying a
 * recorded session, or watching a board live (a serial device, standard
 * input, or the one USB serial port there is) while recording it. Loads
 * the reference, then runs the one event loop: keys, signals, the source
 * or the replay's pacing, redraws. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "io/eventloop.h"
#include "driftscope/export.h"
#include "io/filesource.h"
#include "driftscope/labels.h"
#include "driftscope/monitor.h"
#include "driftscope/replay.h"
#include "ui/ui.h"
#include "io/journal.h"
#include "io/live.h"

typedef struct TuiArgs {
   const char *reference, *session, *theme, *stats;
   DsFormat format, ref_format;
   ReadOptions read;    /* --names, --classes */
   AssessLimits limits; /* --allow-missing, --max-bad-lines */
   AnalysisOptions opt;
   int speed; /* index into ds_replay_speeds */
   bool paused;
   SpectrumOptions spec; /* --rate HZ (NaN), --band LO-HI */
   /* live sources */
   bool live; /* session is a device or "-" */
   SerialConfig serial;
   const char *record, *raw_log, *labels;
   bool no_record;
   size_t keep;           /* live: records kept in memory */
   char device[PATH_MAX]; /* the USB port found when no SOURCE was given */
} TuiArgs;

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
   CLI_SPECTRUM_OPTIONS,
   {"help", no_argument, NULL, 'h'},
   {NULL, 0, NULL, 0},
};

#define DEFAULT_WINDOW 1000
#define DEFAULT_KEEP 360000 /* an hour at 100 records/s */

static void usage(FILE *f) {
   fprintf(f,
           "usage: driftscope -r REF [SOURCE] [options]\n"
           "       driftscope COMMAND [options]   (driftscope --help lists the commands)\n"
           "\n"
           "Watch a board live, or replay a recorded session, in the dashboard.\n"
           "SOURCE: a serial device (/dev/ttyACM0, a pty), - for standard input, or a\n"
           "recorded file (replayed with its original pacing). Without SOURCE: the one\n"
           "USB serial port there is. A live source is recorded to a session file.\n"
           "\n"
           "  -r, --reference FILE     reference (training) data, CSV with a header\n"
           "      --window N           compare the last N records (default 1000)\n"
           "      --stride M           a point of drift history every M records\n"
           "                           (default N/10)\n"
           "      --theme NAME|PATH    default, light, high-contrast, mono, or a file\n"
           "      --format FMT         source format: auto csv numeric ei plotter json\n"
           "      --reference-format FMT\n" CLI_READ_HELP CLI_ASSESS_HELP
           "      --stattest NAME      force a test: ks wasserstein chisquare z\n"
           "                           jensenshannon psi\n"
           "      --threshold X        force the drift threshold of the test\n"
           "      --drift-share X      dataset drift when this share of features drifts\n"
           "      --stats FILE         at exit, write replay and frame-time figures\n"
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
           "goes on), + - change a replay's speed, 1-6 switch views; labels: v\n"
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

static bool option(TuiArgs *ta, int c, const char *arg) {
   switch (c) {
   case 'r': ta->reference = arg; return true;
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
static bool find_board(TuiArgs *ta) {
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
      fprintf(stderr, "  driftscope -r %s %s\n", ta->reference, ports[i]);
   fprintf(stderr, "('driftscope ports' says which board is which)\n");
   return false;
}

/* Returns 0 to go on, -1 after --help, or an exit status. */
static int parse_args(TuiArgs *ta, int argc, char **argv) {
   memset(ta, 0, sizeof *ta);
   AssessLimits_default(&ta->limits);
   AnalysisOptions_default(&ta->opt);
   ta->opt.window = DEFAULT_WINDOW;
   SpectrumOptions_default(&ta->spec);
   SerialConfig_default(&ta->serial);
   parse_speed("1", &ta->speed);
   ta->keep = DEFAULT_KEEP;
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
   if (!ta->reference) {
      fprintf(stderr, "driftscope: missing -r REF\n");
      usage(stderr);
      return EXIT_ERROR;
   }
   if (!ta->session && !find_board(ta))
      return EXIT_ERROR;
   struct stat st;
   ta->live = !strcmp(ta->session, "-") || (stat(ta->session, &st) == 0 && S_ISCHR(st.st_mode));
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

typedef struct Session {
   Classes classes;
   Table ref, cur;
   Ingest ref_in, cur_in;
   Monitor m;
   Replay r;
   App app;
   EventLoop loop;
   bool loop_on;
   /* live */
   LiveSource ls;
   bool ls_open;
   char record_path[PATH_MAX];
   bool failed_said; /* the stream's ingestion failed, and the status line said so */
   double rate_at;   /* when the rate was last measured */
   size_t rate_n;    /* records then */
   AnalysisOptions opt;
   DsError e;
   /* labels */
   LabelStore labels;
   Journal journal;
   LabelTruth lt;
   size_t keep;    /* live: records kept in memory */
   long label_ops; /* for --stats: operations, and the longest (write + fsync + truth) */
   double label_max_ms;
   const char *session; /* the session file, for export */
} Session;

/* Labels as ground truth, for records [from, n) (Replay_first: all). */
static bool update_truth(Session *s, size_t from) {
   bool ok = LabelTruth_apply(&s->lt, &s->labels, &s->cur, &s->r, &s->m, &s->opt, from, &s->e);
   s->app.labels.stream_truth = s->lt.stream_truth;
   s->app.labels.labelled = s->lt.labelled;
   return ok;
}

static double cpu_ms(void) {
   struct rusage ru;
   getrusage(RUSAGE_SELF, &ru);
   return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
          (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-3;
}

/* A signal: SIGWINCH resizes (0), the others end the loop (128 + n). */
static int on_signal(App *app, int sig) {
   int rows, cols;
   if (sig != SIGWINCH)
      return 128 + sig;
   if (ds_term_size(STDOUT_FILENO, &rows, &cols))
      App_resize_to(app, rows, cols);
   return 0;
}

/* Milliseconds until the next frame may be drawn, when one is wanted. */
static double frame_due(const Session *s, double now, double last_draw) {
   bool want = s->app.dirty || s->app.drawn != s->m.version || s->m.cursor != s->r.cursor;
   double until = last_draw + DS_FRAME_MS - now;
   return want ? (until > 0 ? until : 0) : -1;
}

static double earliest(double a, double b) {
   return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

static int oom(Session *s) {
   App_stop(&s->app);
   fprintf(stderr, "driftscope: out of memory at record %zu\n", s->r.cursor);
   return EXIT_ERROR;
}

/* The replay's loop: one wait, then keys, signals, replay, redraw. */
static int run_loop(Session *s, double *end_ms) {
   App *app = &s->app;
   double last = ds_now_ms(), last_draw = -1e9;
   *end_ms = NAN;
   while (!app->quit) {
      double now = ds_now_ms();
      double timeout = earliest(App_next_due(app), frame_due(s, now, last_draw));
      if (Journal_pending(&s->journal)) { /* a label row the disk refused: try again each second */
         timeout = earliest(timeout, 1000);
         Journal_flush(&s->journal, NULL, 0);
      }
      int sig = 0, ev = EventLoop_wait(&s->loop, STDIN_FILENO, timeout < 0 ? -1 : (int)ceil(timeout), &sig);
      int st = ev & EV_SIGNAL ? on_signal(app, sig) : 0;
      if (st)
         return st;
      if (ev & EV_INPUT)
         App_input(app);
      now = ds_now_ms();
      if (!App_tick(app, now - last))
         return oom(s);
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

/* --- live ---------------------------------------------------------------- */

static void live_note(void *ctx, const char *msg) {
   App *app = ctx;
   snprintf(app->status, sizeof app->status, "%s", msg);
   app->dirty = true;
}

/* New columns (the first records, a class or series appearing): compare
 * them too, from the first record. */
static bool refresh_monitor(Session *s) {
   if (!Monitor_stale(&s->m))
      return true;
   if (!Monitor_renew(&s->m, &s->opt, &s->e))
      return false;
   App_monitor_reset(&s->app);
   return true;
}

/* Keep the last `keep` records in memory (the recording has them all):
 * once a sixteenth more have come, the oldest go. */
static bool trim(Session *s) {
   Table *t = &s->cur;
   if (t->nrows - t->base <= s->keep + s->keep / 16)
      return true;
   size_t upto = t->nrows - s->keep;
   if (!Monitor_release(&s->m, upto))
      return false;
   LabelTruth_release(&s->lt, &s->labels, &s->r, upto);
   Table_discard(t, upto);
   s->app.labels.labelled = s->lt.labelled;
   Replay_sync(&s->r, s->ls.last_rx);
   return Monitor_seek(&s->m, s->m.cursor);
}

/* What the source did since the last call, as the replay and the header
 * see it. */
static bool live_sync(Session *s, double now) {
   LiveSource *ls = &s->ls;
   size_t before = s->r.n;
   Replay_sync(&s->r, now - ls->start);
   if (s->labels.n && s->r.n > before && !update_truth(s, before))
      return false;
   if (!trim(s))
      return false;
   if (Journal_pending(&s->journal) && now - s->rate_at >= 1000)
      Journal_flush(&s->journal, NULL, 0);
   LiveInfo *l = &s->app.live;
   double down = ls->connected ? 0 : now - ls->down_since;
   if (l->connected != ls->connected || l->ended != ls->ended || (long)(down / 1000) != (long)(l->down_ms / 1000) ||
       l->write_failed != ls->write_failed)
      s->app.dirty = true;
   l->connected = ls->connected;
   l->ended = ls->ended;
   l->down_ms = down;
   l->write_failed = ls->write_failed;
   s->app.bad_lines = ls->in.bad_lines;
   if (ls->in.failed && !s->failed_said) { /* the stream cannot be read on (its header needs too many columns) */
      char msg[600];
      DsError_format(&ls->in.error, msg, sizeof msg);
      snprintf(s->app.status, sizeof s->app.status, "NOT READING: %.300s", msg);
      s->failed_said = true;
      s->app.dirty = true;
   }
   if (now - s->rate_at >= 1000) { /* records a second over the last second */
      l->rate = (double)(s->r.n - s->rate_n) * 1000 / (now - s->rate_at);
      s->rate_at = now;
      s->rate_n = s->r.n;
      s->app.dirty = true; /* and the header's clock */
   }
   return true;
}

/* The live loop: keys, the source, reconnects, redraws at most every
 * frame; the Monitor catches up with the stream when a frame is drawn. */
static int live_loop(Session *s) {
   App *app = &s->app;
   LiveSource *ls = &s->ls;
   double last = ds_now_ms(), last_draw = -1e9;
   while (!app->quit) {
      double now = ds_now_ms();
      double timeout = earliest(frame_due(s, now, last_draw), s->rate_at + 1000 - now);
      if (LiveSource_next_due(ls) >= 0)
         timeout = earliest(timeout, fmax(LiveSource_next_due(ls) - now, 0));
      int fds[2] = {App_key_fd(app), LiveSource_fd(ls)}, ev[2], sig = 0;
      int any = EventLoop_poll(&s->loop, fds, ev, 2, timeout < 0 ? 0 : (int)ceil(timeout), &sig);
      int st = any & EV_SIGNAL ? on_signal(app, sig) : 0;
      if (st)
         return st;
      now = ds_now_ms();
      if (ev[1] & EV_INPUT)
         LiveSource_read(ls, now, ev[1] & EV_HANGUP);
      LiveSource_tick(ls, now);
      if (ev[0] & EV_INPUT)
         App_input(app);
      if (!live_sync(s, now))
         return oom(s);
      if (now - last_draw >= DS_FRAME_MS) {
         if (!refresh_monitor(s) || !App_tick(app, now - last))
            return oom(s);
         last = now;
         App_draw(app);
         last_draw = now;
      }
   }
   return 0;
}

/* The default session file: ./driftscope-YYYYmmdd-HHMMSS.csv. */
static void default_record_path(char *buf, size_t n) {
   time_t now = ds_wall_time();
   char stamp[32];
   struct tm tm;
   strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
   snprintf(buf, n, "driftscope-%s.csv", stamp);
}

/* Open the source and its recording. A recording that cannot start is
 * said on screen and monitoring goes on; a file that exists is refused
 * (recordings are never overwritten). */
static bool open_live(Session *s, const TuiArgs *ta) {
   char err[PATH_MAX + 256];
   /* the columns hold the records kept and those that come before the next trim */
   if (!Table_init(&s->cur, &s->classes, false) || !Table_reserve(&s->cur, ta->keep + ta->keep / 16 + 1)) {
      fprintf(stderr, "driftscope: out of memory\n");
      return false;
   }
   if (!LiveSource_open(&s->ls, ta->session, &ta->serial, ta->format, &s->cur, err, sizeof err)) {
      LiveSource_close(&s->ls);
      fprintf(stderr, "driftscope: %s\n", err);
      return false;
   }
   cli_read_apply((ReadOptions *)&ta->read, &s->ls.in, &s->ref);
   s->ls_open = true;
   s->ls.keep_rows = true;
   if (ta->no_record)
      return true;
   if (ta->record)
      snprintf(s->record_path, sizeof s->record_path, "%s", ta->record);
   else
      default_record_path(s->record_path, sizeof s->record_path);
   if (LiveSource_record(&s->ls, s->record_path, ta->raw_log, err, sizeof err)) {
      s->app.live.recording = s->record_path;
      return true;
   }
   if (errno == EEXIST) {
      fprintf(stderr, "driftscope: %s\n", err);
      return false;
   }
   snprintf(s->app.status, sizeof s->app.status, "NOT RECORDING: %.290s", err);
   return true;
}

/* --- labels ---------------------------------------------------------------- */

static bool label_commit(void *ctx, const StrBuf *row, char *msg, size_t n) {
   Session *s = ctx;
   double t0 = ds_now_ms();
   bool ok = Journal_append(&s->journal, row, msg, n);
   if (!update_truth(s, Replay_first(&s->r))) {
      snprintf(msg, n, "out of memory applying the labels");
      return false;
   }
   s->label_ops++;
   s->label_max_ms = fmax(s->label_max_ms, ds_now_ms() - t0);
   return ok;
}

static bool label_export(void *ctx, int format, bool unlabelled, char *msg, size_t n) {
   Session *s = ctx;
   static const char *const suffix[EXPORT_FORMAT_COUNT] = {"dataset", "ei", "labelstudio"};
   char out[PATH_MAX];
   Journal_flush(&s->journal, NULL, 0);
   const char *dot = strrchr(s->session, '.'), *slash = strrchr(s->session, '/');
   int len = dot && (!slash || dot > slash) ? (int)(dot - s->session) : (int)strlen(s->session);
   snprintf(out, sizeof out, "%.*s-%s", len, s->session, suffix[format]);
   if (access(out, F_OK) == 0) {
      snprintf(msg, n, "export: %.200s exists; nothing written (driftscope export --force replaces)", out);
      return false;
   }
   return cli_export(s->session, s->journal.path, out, format, unlabelled, msg, n);
}

/* Open the journal and say what it held. */
static void open_journal(Session *s, const char *path) {
   LabelHooks *h = &s->app.labels;
   Journal *j = &s->journal;
   Journal_open(j, path, &s->labels);
   h->store = &s->labels;
   h->journal = j->path;
   h->commit = label_commit;
   h->ctx = s;
   h->readonly = j->readonly;
   if (j->load.torn)
      snprintf(s->app.status, sizeof s->app.status,
               "labels: the journal's last line was cut off (%zu bytes, a crash?); kept, skipped; %zu segments loaded",
               j->load.torn_bytes, s->labels.n);
   else if (s->labels.n && !h->readonly)
      snprintf(s->app.status, sizeof s->app.status, "labels: %zu segment%s from %.200s", s->labels.n,
               s->labels.n == 1 ? "" : "s", path);
   else if (h->readonly)
      snprintf(s->app.status, sizeof s->app.status, "%s", h->readonly);
}

/* The journal: --labels, else next to the session (a recording, live). */
static void setup_labels(Session *s, const TuiArgs *ta) {
   char path[PATH_MAX];
   s->session = ta->live ? (s->app.live.recording ? s->record_path : NULL) : ta->session;
   if (ta->labels)
      snprintf(path, sizeof path, "%s", ta->labels);
   else if (s->session)
      ds_labels_path(path, sizeof path, s->session);
   else {
      s->app.labels.store = &s->labels;
      s->app.labels.readonly = "labels need a file to be kept in: this session is not recorded; give --labels FILE";
      return;
   }
   open_journal(s, path);
   if (s->session)
      s->app.labels.export = label_export;
}

/* --- both ---------------------------------------------------------------- */

/* Figures for benchmarks: records/s counts loading and replay, from the
 * start of loading to the last record shown. Live: rx_start_ms is the
 * monotonic clock's ms at rx_ms 0, so a writer stamping records with the
 * same clock can measure latency from the session file. */
static void write_stats(const Session *s, const char *path, double load_ms, double start_ms, double end_ms,
                        double cpu0) {
   FILE *f = fopen(path, "w");
   if (!f) {
      fprintf(stderr, "driftscope: %s: cannot write: %s\n", path, strerror(errno));
      return;
   }
   double mean, p99, wall = ds_now_ms() - start_ms, replay = end_ms - start_ms;
   struct rusage ru;
   getrusage(RUSAGE_SELF, &ru);
   App_frame_stats(&s->app, &mean, &p99);
   fprintf(f,
           "{\"records\":%zu,\"load_ms\":%.3f,\"replay_ms\":%.3f,\"records_per_s\":%.1f,\"frames\":%ld,"
           "\"frame_mean_ms\":%.4f,\"frame_p99_ms\":%.4f,\"wall_ms\":%.1f,\"cpu_ms\":%.1f,\"max_rss_kb\":%ld",
           s->r.cursor, load_ms, isnan(replay) ? -1 : replay,
           isnan(replay) ? -1 : 1e3 * (double)s->r.cursor / (load_ms + replay), s->app.frames, mean, p99, wall,
           cpu_ms() - cpu0, ru.ru_maxrss);
   if (s->ls_open)
      fprintf(f, ",\"live_records\":%zu,\"bad_lines\":%ld,\"rx_start_ms\":%.3f", s->r.n, s->ls.in.bad_lines,
              s->ls.start);
   fprintf(f, ",\"label_ops\":%ld,\"label_op_max_ms\":%.3f", s->label_ops, s->label_max_ms);
   fprintf(f, "}\n");
   fclose(f);
}

static bool load_session(Session *s, const TuiArgs *ta) {
   if (!Table_init(&s->cur, &s->classes, false) ||
       !cli_load(ta->session, &s->cur_in, &s->cur, ta->format, (ReadOptions *)&ta->read, &s->ref) ||
       !Replay_init(&s->r, &s->cur))
      return false;
   s->r.speed = ta->speed;
   s->r.paused = ta->paused;
   s->app.bad_lines = s->cur_in.bad_lines;
   return true;
}

static int run(Session *s, const TuiArgs *ta) {
   double load0 = ds_now_ms();
   Classes_init(&s->classes);
   s->opt = ta->opt;
   if (!Table_init(&s->ref, &s->classes, false) ||
       !cli_load(ta->reference, &s->ref_in, &s->ref, ta->ref_format, (ReadOptions *)&ta->read, NULL))
      return EXIT_ERROR;
   if (s->ref.nrows == 0) {
      fprintf(stderr, "driftscope: %s: no records in the reference\n", ta->reference);
      return EXIT_ERROR;
   }
   bool keys_from_tty = ta->live && !strcmp(ta->session, "-");
   if (!isatty(STDOUT_FILENO) || (!keys_from_tty && !isatty(STDIN_FILENO))) {
      fprintf(stderr, "driftscope: the dashboard needs a terminal; 'driftscope %s' works without one\n",
              ta->live ? "record" : "report");
      return EXIT_ERROR;
   }
   char err[400];
   ui_set_file_reader(ds_read_file);
   App_init(&s->app, &s->m, &s->r, !strcmp(ta->session, "-") ? "stdin" : ta->session, 0, ta->theme, err, sizeof err);
   s->app.spec = ta->spec;
   s->app.limits = ta->limits;
   if (!(ta->live ? open_live(s, ta) && Replay_init_live(&s->r, &s->cur) : load_session(s, ta)))
      return EXIT_ERROR;
   s->app.in = ta->live ? &s->ls.in : &s->cur_in;
   s->app.ref_in = &s->ref_in;
   setup_labels(s, ta);
   if (!Monitor_init(&s->m, &s->ref, &s->cur, &ta->opt, &s->e) || !update_truth(s, 0)) {
      fprintf(stderr, "driftscope: out of memory preparing the dashboard\n");
      return EXIT_ERROR;
   }
   App_monitor_reset(&s->app);
   if (!EventLoop_init(&s->loop)) {
      fprintf(stderr, "driftscope: cannot set up signals: %s\n", strerror(errno));
      return EXIT_ERROR;
   }
   s->loop_on = true;
   if (!App_start(&s->app, keys_from_tty)) {
      fprintf(stderr, "driftscope: cannot start the terminal UI (TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
      return EXIT_ERROR;
   }
   double start = ds_now_ms(), load_ms = start - load0, cpu0 = cpu_ms(), end_ms = NAN;
   int status;
   if (ta->live) {
      s->app.live.on = true;
      s->ls.note = live_note;
      s->ls.note_ctx = &s->app;
      s->rate_at = start;
      status = live_loop(s);
   } else {
      status = run_loop(s, &end_ms);
   }
   App_stop(&s->app);
   if (err[0])
      fprintf(stderr, "driftscope: %s\n", err);
   if (ta->stats)
      write_stats(s, ta->stats, load_ms, start, end_ms, cpu0);
   return status;
}

/* The last records, flushed; where the recording is and how to replay it. */
static int finish_live(Session *s, const TuiArgs *ta, int status) {
   LiveSource *ls = &s->ls;
   LiveSource_finish(ls, ds_now_ms());
   if (!s->app.live.recording) {
      fprintf(stderr, "driftscope: %zu records received, not recorded\n", s->cur.nrows);
      return status;
   }
   bool lost = ls->rec.out.len > 0;
   fprintf(stderr, "driftscope: %s: %ld records recorded%s\n", s->record_path, ls->rec.records,
           lost ? "; the last ones could not be written (see above)" : "");
   if (ls->rec.records)
      fprintf(stderr, "replay it: driftscope -r %s %s\n", ta->reference, s->record_path);
   return lost && !status ? EXIT_ERROR : status;
}

int cmd_tui(int argc, char **argv) {
   TuiArgs ta;
   int st = parse_args(&ta, argc, argv);
   if (st) {
      cli_read_done(&ta.read);
      return st < 0 ? 0 : st;
   }
   Session *s = calloc(1, sizeof *s);
   if (!s) {
      fprintf(stderr, "driftscope: out of memory\n");
      return EXIT_ERROR;
   }
   LabelTruth_init(&s->lt);
   s->keep = ta.keep;
   LabelStore_init(&s->labels);
   Journal_init(&s->journal);
   int status = run(s, &ta);
   App_stop(&s->app);
   if (s->ls_open) {
      status = finish_live(s, &ta, status);
      LiveSource_close(&s->ls);
   }
   if (Journal_pending(&s->journal) && !Journal_flush(&s->journal, NULL, 0))
      fprintf(stderr, "driftscope: %s: %zu bytes of label operations could not be written: %s\n", s->journal.path,
              s->journal.pending.len, strerror(errno));
   Journal_close(&s->journal);
   LabelStore_done(&s->labels);
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
   cli_read_done(&ta.read);
   return status;
}
