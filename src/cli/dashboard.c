// SPDX-License-Identifier: MIT
/* The dashboard's runtime: see dashboard.h. */
#include "dashboard.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driftscope/export.h"
#include "driftscope/exposition.h"
#include "driftscope/labels.h"
#include "driftscope/monitor.h"
#include "driftscope/replay.h"
#include "io/eventloop.h"
#include "io/filesource.h"
#include "io/drifthooks.h"
#include "io/journal.h"
#include "io/metrics_export.h"
#include "io/live.h"
#include "ui/ui.h"

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
   /* the loop */
   double last_tick, last_draw; /* when the replay moved, when a frame was drawn */
   double end_ms;               /* when the replay showed its last record (NaN: not yet) */
   double journal_retry;        /* when a label row the disk refused is tried again */
   bool halted;                 /* live: memory ran out; the display stopped, the recording goes on */
   size_t halted_at;            /* records then */
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
   /* the reference the Monitor compares with: the file (ref), or records
    * of the stream taken as a baseline (B, --baseline N; heap) */
   const Table *refp;
   Table *baseline;
   bool baseline_due; /* --baseline N: take it once N records are there */
   /* --on-drift, --on-recover */
   DriftHooks hooks;
   /* --metrics ADDR, --metrics-file PATH */
   MetricsExport mx;
   /* a session file read in slices between keys and frames */
   FileLoad load;
   bool loading, load_failed;
   double load0, load_ms;
   const DashboardConfig *ta;
   /* a seek that computes many windows, in slices between keys and frames */
   bool seeking;
   size_t seek_left, seek_of;
   double seek_began;
   /* for --stats: the first frame (ms from the start), the longest time
    * between frames while loading or seeking, the longest a seek took to
    * say it is working, and the seeks that took longer than SEEK_SAY_MS */
   double first_frame_ms, busy_gap_ms, seek_said_ms;
   long long_seeks;
   bool seek_said;
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

/* Memory ran out. A replay ends; a live session stops its display and
 * goes on recording, with nothing kept in memory (the recording is what
 * must not be lost). */
static int oom(Session *s) {
   if (!s->ls_open) {
      App_stop(&s->app);
      fprintf(stderr, "driftscope: out of memory at record %zu\n", s->r.cursor);
      return EXIT_ERROR;
   }
   if (!s->halted) {
      s->halted = true;
      s->halted_at = s->r.n;
      s->ls.keep_rows = false; /* records are dropped once recorded */
      snprintf(s->app.halted, sizeof s->app.halted,
               "OUT OF MEMORY at record %zu: the display stopped there; the recording goes on%s%s", s->halted_at,
               s->app.live.recording ? " in " : " (but this session is not recorded)",
               s->app.live.recording ? s->app.live.recording : "");
      s->app.dirty = true;
   }
   return LOOP_GO;
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
   if (!s->halted) { /* halted, records are not kept: nothing follows them */
      Replay_sync(&s->r, now - ls->start);
      if (s->labels.n && s->r.n > before && !update_truth(s, before))
         return false;
      if (!trim(s))
         return false;
   }
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
   return true;
}

/* --- the loop ------------------------------------------------------------- */

/* The Monitor's one owner: it follows the replay's cursor, and computes
 * every statistic when the App wants them; the App's cursor stays where it
 * must. False on memory exhaustion. */
#define SEEK_SLICE_MS 40.0 /* a seek's windows computed per loop turn */
#define SEEK_SAY_MS 100.0  /* a seek longer than this says it is working */
static bool sync_monitor(Session *s) {
   if (s->halted)
      return true;
   if (s->m.cursor != s->r.cursor) { /* the windows up to it first, a slice a turn: keys stay live */
      if (!s->seeking) {
         s->seek_of = 0;
         s->seek_began = ds_now_ms();
         s->seek_said = false;
      }
      if (!Monitor_work(&s->m, s->r.cursor, SEEK_SLICE_MS, &s->seek_left, &s->seek_of))
         return false;
      s->seeking = s->seek_left > 0;
      if (s->seeking) {
         if (ds_now_ms() - s->seek_began >= SEEK_SAY_MS) {
            snprintf(s->app.working, sizeof s->app.working,
                     "working: to record %zu, %zu of %zu windows computed (%.0f%%); keys work", s->r.cursor,
                     s->seek_of - s->seek_left, s->seek_of,
                     100.0 * (double)(s->seek_of - s->seek_left) / (double)s->seek_of);
            s->app.dirty = true;
         }
         return true;
      }
      if (s->app.working[0])
         s->app.dirty = true;
      s->app.working[0] = '\0';
   }
   s->seeking = false;
   size_t pin = App_pin(&s->app);
   if (s->m.cursor != s->r.cursor && !Monitor_seek(&s->m, s->r.cursor))
      return false;
   if (!Monitor_set_detail(&s->m, App_wants_detail(&s->app))) {
      snprintf(s->app.status, sizeof s->app.status, "out of memory computing every statistic");
      s->app.zoom = false;
   }
   App_repin(&s->app, pin);
   return true;
}

static int keys_fd(void *ctx) {
   Session *s = ctx;
   return App_key_fd(&s->app);
}

static int keys_ready(void *ctx, double now, int ev) {
   (void)now;
   (void)ev;
   Session *s = ctx;
   App_input(&s->app);
   return s->loading || sync_monitor(s) ? LOOP_GO : oom(s);
}

static int source_fd(void *ctx) {
   Session *s = ctx;
   return LiveSource_fd(&s->ls);
}

static int source_ready(void *ctx, double now, int ev) {
   Session *s = ctx;
   LiveSource_read(&s->ls, now, ev & EV_HANGUP);
   return LOOP_GO;
}

/* A frame: when one is wanted (something changed), at most every DS_FRAME_MS
 * (20 a second) for keys, every LIVE_FRAME_MS for a live stream's records. */
#define LIVE_FRAME_MS 100
static double frame_due(void *ctx, double now) {
   (void)now;
   Session *s = ctx;
   if (s->app.dirty || s->app.drawn != s->m.version) /* a key, a resize, a message */
      return s->last_draw + DS_FRAME_MS;
   if (s->m.cursor != s->r.cursor && !s->halted) /* records came: a live stream moves the display less often */
      return s->last_draw + (s->ls_open ? LIVE_FRAME_MS : DS_FRAME_MS);
   return -1;
}

/* Live, the Monitor catches up with the stream once a frame. */
static int frame(void *ctx, double now) {
   Session *s = ctx;
   if (!s->app.frames)
      s->first_frame_ms = now - s->load0;
   if ((s->loading || s->seeking) && now - s->last_draw > s->busy_gap_ms && s->app.frames)
      s->busy_gap_ms = now - s->last_draw;
   if (s->seeking && s->app.working[0] && !s->seek_said) { /* this frame says it */
      s->seek_said = true;
      s->long_seeks++;
      if (now - s->seek_began > s->seek_said_ms)
         s->seek_said_ms = now - s->seek_began;
   }
   if (s->loading) {
      App_draw(&s->app);
      s->last_draw = now;
      return LOOP_GO;
   }
   if (s->ls_open && !s->halted) {
      App_tick(&s->app, now - s->last_tick);
      if (!refresh_monitor(s) || !sync_monitor(s))
         oom(s);
      s->last_tick = now;
   }
   App_draw(&s->app);
   s->last_draw = now;
   return LOOP_GO;
}

/* A replay's next record (or its clock's next second): a turn then moves it. */
static double step_due(void *ctx, double now) {
   Session *s = ctx;
   double due = s->ls_open ? -1 : App_next_due(&s->app);
   return due < 0 ? -1 : now + due;
}

static bool session_loaded(Session *s);

/* Records [first, first + n) of the stream become the reference (B, or
 * --baseline N): a copy, so they stay while the stream moves on; the
 * Monitor is prepared again with it. False on memory exhaustion. */
static bool take_baseline(Session *s, size_t first, size_t n) {
   Table *t = malloc(sizeof *t);
   if (!t)
      return false;
   const Table *cur = &s->cur;
   bool ok = Table_init(t, &s->classes, false) && Table_clone_schema(t, cur) && Table_reserve(t, n);
   for (size_t r = first; ok && r < first + n; r++) {
      Table_row_begin(t);
      for (int c = 0; c < cur->ncols; c++)
         if (cur->cols[c]->stored && c < t->ncols && t->cols[c]->stored)
            Table_row_set(t, c, Table_at(cur, c, r));
      ok = Table_row_commit(t, &s->e);
   }
   if (ok) {
      Monitor_done(&s->m);
      ok = Monitor_init(&s->m, t, cur, &s->opt, &s->e);
   }
   if (!ok) { /* the Monitor goes on with what it had */
      Table_done(t);
      free(t);
      return Monitor_init(&s->m, s->refp, cur, &s->opt, &s->e) && false;
   }
   if (s->baseline) { /* the Monitor's new reference is in place: the old one can go */
      Table_done(s->baseline);
      free(s->baseline);
   }
   s->baseline = t;
   s->refp = t;
   s->app.no_reference = false;
   s->app.ref_in = NULL; /* the reference's own read counters are the stream's */
   double t0 = Replay_time(&s->r, first), t1 = Replay_time(&s->r, first + n - 1);
   char a[32], b[32];
   ui_fmt_time(a, sizeof a, t0);
   ui_fmt_time(b, sizeof b, t1);
   snprintf(s->app.reference, sizeof s->app.reference, "records %zu-%zu of the stream", first, first + n - 1);
   snprintf(s->app.status, sizeof s->app.status, "reference: %s (%s-%s)", s->app.reference, a, b);
   App_monitor_reset(&s->app);
   s->app.dirty = true;
   return update_truth(s, Replay_first(&s->r)) && Monitor_seek(&s->m, s->r.cursor);
}

/* B asked for the current window; --baseline N, the first N records, once
 * they are there. */
static bool baseline_wanted(Session *s) {
   if (s->app.want_baseline) {
      s->app.want_baseline = false;
      if (s->m.rows < 2) {
         snprintf(s->app.status, sizeof s->app.status, "B: the window holds %zu records; a reference needs 2 at least",
                  s->m.rows);
         return true;
      }
      return take_baseline(s, s->m.first, s->m.rows);
   }
   size_t want = s->ta->baseline, have = s->cur.nrows - s->cur.base;
   if (s->baseline_due && (have >= want || (!s->ls_open && !s->loading))) {
      s->baseline_due = false;
      if (have < 2) {
         snprintf(s->app.status, sizeof s->app.status, "--baseline %zu: the stream has %zu records", want, have);
         return true;
      }
      return take_baseline(s, s->cur.base, have < want ? have : want);
   }
   return true;
}

/* The session file, a slice a turn (keys and frames in between). */
#define LOAD_SLICE_MS 30.0

static int load_step(void *ctx, double now) {
   (void)now;
   Session *s = ctx;
   bool done;
   if (!FileLoad_step(&s->load, LOAD_SLICE_MS, &done, &s->e)) {
      s->load_failed = true;
      return EXIT_ERROR;
   }
   if (done)
      return session_loaded(s) ? LOOP_GO : oom(s);
   s->app.load_share = FileLoad_progress(&s->load);
   s->app.load_records = s->cur.nrows;
   snprintf(s->app.working, sizeof s->app.working, "reading %s: %zu records, %.1f s", s->ta->session, s->cur.nrows,
            (ds_now_ms() - s->load0) / 1000);
   s->app.dirty = true;
   return LOOP_GO;
}

/* The board's name, for the metrics' label and the hooks: --board, else
 * the source's (ttyACM0, the file's name, stdin). */
static const char *board_name(const Session *s) {
   return cli_board_name(s->ta->board, s->ta->session);
}

/* --metrics, --metrics-file: this board's figures in the Prometheus text
 * format (or OpenMetrics). */
static void render_metrics(void *ctx, StrBuf *out, bool openmetrics) {
   Session *s = ctx;
   MetricsBoard b = {.records = (double)s->m.cursor,
                     .bad_lines = (double)s->app.bad_lines,
                     .connected = true,
                     .last_record_s = NAN,
                     .recording_bytes = NAN};
   if (s->ls_open)
      LiveSource_metrics(&s->ls, &b);
   b.name = board_name(s);
   b.m = s->loading ? NULL : &s->m;
   b.reference = !s->app.no_reference;
   ds_metrics_render(out, &b, 1, openmetrics);
}

static int metrics_fd(void *ctx) {
   Session *s = ctx;
   return MetricsExport_fd(&s->mx);
}

static int metrics_ready(void *ctx, double now, int ev) {
   (void)now;
   (void)ev;
   Session *s = ctx;
   MetricsExport_ready(&s->mx);
   return LOOP_GO;
}

static double metrics_due(void *ctx, double now) {
   Session *s = ctx;
   return MetricsExport_due(&s->mx, now);
}

static int metrics_tick(void *ctx, double now) {
   Session *s = ctx;
   MetricsExport_tick(&s->mx, now);
   return LOOP_GO;
}

/* Dataset drift starting or ending, window by window: the hooks. */
static void watch_verdict(Session *s, double now) {
   if (s->loading || s->app.no_reference)
      return;
   DriftFacts f = {.board = board_name(s),
                   .session = s->ls_open ? s->app.live.recording : s->ta->session,
                   .reference = s->app.reference};
   DriftHooks_follow(&s->hooks, &s->m.a, &s->r, &f, now);
}

static int hook_fd(void *ctx) {
   Session *s = ctx;
   return DriftHooks_fd(&s->hooks);
}

static int hook_ready(void *ctx, double now, int ev) {
   (void)now;
   (void)ev;
   Session *s = ctx;
   DriftHooks_ready(&s->hooks);
   return LOOP_GO;
}

/* A hook whose output closed but which runs on. */
static double reap_due(void *ctx, double now) {
   Session *s = ctx;
   return DriftHooks_due(&s->hooks, now);
}

static int reap_tick(void *ctx, double now) {
   (void)now;
   Session *s = ctx;
   DriftHooks_tick(&s->hooks);
   return LOOP_GO;
}

/* Work in slices (the file's load, a long seek): the next one at once,
 * after keys and a frame. */
static double work_due(void *ctx, double now) {
   Session *s = ctx;
   return s->loading || s->seeking ? now : -1;
}

static int work_step(void *ctx, double now) {
   Session *s = ctx;
   return s->loading ? load_step(ctx, now) : LOOP_GO; /* a seek's slice is the turn's (after) */
}

static int step(void *ctx, double now) {
   (void)ctx;
   (void)now;
   return LOOP_GO;
}

/* Live: records a second over the last second, and the header's clock. */
static double status_due(void *ctx, double now) {
   (void)now;
   Session *s = ctx;
   return s->ls_open ? s->rate_at + 1000 : -1;
}

static int status_tick(void *ctx, double now) {
   Session *s = ctx;
   s->app.live.rate = (double)(s->r.n - s->rate_n) * 1000 / (now - s->rate_at);
   s->rate_at = now;
   s->rate_n = s->r.n;
   s->app.dirty = true;
   return LOOP_GO;
}

/* Live: a lost source to reopen, a recording write to retry. */
static double source_due(void *ctx, double now) {
   (void)now;
   Session *s = ctx;
   return s->ls_open ? LiveSource_next_due(&s->ls) : -1;
}

static int source_tick(void *ctx, double now) {
   Session *s = ctx;
   LiveSource_tick(&s->ls, now);
   return LOOP_GO;
}

/* A label row the disk refused: tried again each second. */
static double journal_due(void *ctx, double now) {
   (void)now;
   Session *s = ctx;
   return Journal_pending(&s->journal) ? s->journal_retry : -1;
}

static int journal_retry(void *ctx, double now) {
   Session *s = ctx;
   Journal_flush(&s->journal, NULL, 0);
   s->journal_retry = now + 1000;
   return LOOP_GO;
}

static int on_signal(void *ctx, int sig) {
   Session *s = ctx;
   int rows, cols;
   if (sig != SIGWINCH)
      return 128 + sig;
   if (ds_term_size(STDOUT_FILENO, &rows, &cols))
      App_resize_to(&s->app, rows, cols);
   return LOOP_GO;
}

/* After every turn: live, what the source did; a replay moves on. */
static int after(void *ctx, double now) {
   Session *s = ctx;
   if (s->loading)
      return s->app.quit ? 0 : LOOP_GO;
   if (!s->halted && !baseline_wanted(s))
      return oom(s);
   watch_verdict(s, now);
   if (s->ls_open && !live_sync(s, now))
      return oom(s);
   if (!s->ls_open) {
      App_tick(&s->app, now - s->last_tick);
      if (!sync_monitor(s))
         return oom(s);
      s->last_tick = now;
      if (isnan(s->end_ms) && s->r.cursor >= s->r.n)
         s->end_ms = now;
   }
   return s->app.quit ? 0 : LOOP_GO;
}

static int loop(Session *s) {
   LoopSpec spec = {
      .watch = {{keys_fd, keys_ready}, {hook_fd, hook_ready}, {metrics_fd, metrics_ready}, {source_fd, source_ready}},
      .nwatch = s->ls_open ? 4 : 3,
      .timer = {{frame_due, frame},
                {step_due, step},
                {status_due, status_tick},
                {source_due, source_tick},
                {journal_due, journal_retry},
                {work_due, work_step},
                {metrics_due, metrics_tick},
                {reap_due, reap_tick}},
      .ntimer = 8,
      .after = after,
      .signal = on_signal,
      .ctx = s,
   };
   s->last_tick = s->rate_at = ds_now_ms();
   s->last_draw = s->last_tick - DS_FRAME_MS; /* a frame is due now (a due time < 0 is none) */
   s->end_ms = NAN;
   s->app.dirty = true; /* the first frame */
   return EventLoop_run(&s->loop, &spec);
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
static bool open_live(Session *s, const DashboardConfig *ta) {
   char err[PATH_MAX + 256];
   /* the columns hold the records kept and those that come before the next trim */
   if (!Table_init(&s->cur, &s->classes, false) || !Table_reserve(&s->cur, ta->keep + ta->keep / 16 + 1)) {
      fprintf(stderr, "driftscope: out of memory\n");
      return false;
   }
   if (!LiveSource_open(&s->ls, ta->session, &ta->serial, ta->format, &s->cur, false, err, sizeof err)) {
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
   else if (s->labels.n && !h->readonly && !s->app.status[0]) /* a problem said first (a theme) stays */
      snprintf(s->app.status, sizeof s->app.status, "labels: %zu segment%s from %.200s", s->labels.n,
               s->labels.n == 1 ? "" : "s", path);
   else if (h->readonly)
      snprintf(s->app.status, sizeof s->app.status, "%s", h->readonly);
}

/* The journal: --labels, else next to the session (a recording, live). */
static void setup_labels(Session *s, const DashboardConfig *ta) {
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
   fprintf(f, ",\"first_frame_ms\":%.3f,\"busy_frame_gap_ms\":%.3f,\"long_seeks\":%ld,\"seek_said_ms\":%.3f",
           s->first_frame_ms, s->busy_gap_ms, s->long_seeks, s->seek_said_ms);
   fprintf(f, "}\n");
   fclose(f);
}

/* Start reading the session file; the loop reads it on (load_step). */
static bool open_session(Session *s, const DashboardConfig *ta) {
   DsError e;
   memset(&s->cur_in, 0, sizeof s->cur_in);
   if (!Table_init(&s->cur, &s->classes, false) || !Ingest_init(&s->cur_in, &s->cur, ta->format, ta->session)) {
      fprintf(stderr, "driftscope: out of memory\n");
      return false;
   }
   cli_read_apply((ReadOptions *)&ta->read, &s->cur_in, &s->ref);
   if (!FileLoad_open(&s->load, ta->session, &s->cur_in, true, &e)) {
      cli_print_error(&e);
      return false;
   }
   s->loading = s->app.loading = true;
   s->app.load_share = 0;
   return true;
}

/* The session is read: its replay, labels, Monitor; the views open. */
static bool session_loaded(Session *s) {
   const DashboardConfig *ta = s->ta;
   FileLoad_close(&s->load);
   s->loading = false;
   s->load_ms = ds_now_ms() - s->load0;
   if (!Replay_init(&s->r, &s->cur))
      return false;
   if (!isnan(ta->spec.rate_hz)) /* a stream without times: --rate paces it too */
      Replay_pace(&s->r, &s->cur, 1000.0 / ta->spec.rate_hz);
   s->r.speed = ta->speed;
   s->r.paused = ta->paused;
   s->app.bad_lines = s->cur_in.bad_lines;
   s->app.in = &s->cur_in;
   setup_labels(s, ta);
   if (!Monitor_init(&s->m, s->refp, &s->cur, &ta->opt, &s->e) || !update_truth(s, 0))
      return false;
   App_monitor_reset(&s->app);
   s->last_tick = ds_now_ms(); /* the replay's clock starts now */
   App_loaded(&s->app);        /* the views open; keys pressed while loading act now */
   return sync_monitor(s);
}

static int run(Session *s, const DashboardConfig *ta) {
   double load0 = ds_now_ms();
   Classes_init(&s->classes);
   s->opt = ta->opt;
   s->refp = &s->ref;
   s->baseline_due = ta->baseline > 0;
   if (!Table_init(&s->ref, &s->classes, false))
      return EXIT_ERROR;
   if (ta->reference && !cli_load(ta->reference, &s->ref_in, &s->ref, ta->ref_format, (ReadOptions *)&ta->read, NULL))
      return EXIT_ERROR;
   if (ta->reference && s->ref.nrows == 0) {
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
   s->ta = ta;
   s->load0 = load0;
   s->hooks.note = live_note; /* what the hooks did, in the status line */
   s->hooks.note_ctx = &s->app;
   s->app.ref_in = ta->reference ? &s->ref_in : NULL;
   s->app.no_reference = !ta->reference;
   if (ta->reference)
      snprintf(s->app.reference, sizeof s->app.reference, "%s", ta->reference);
   if (ta->live) {
      if (!open_live(s, ta) || !Replay_init_live(&s->r, &s->cur))
         return EXIT_ERROR;
      s->app.in = &s->ls.in;
      setup_labels(s, ta);
      if (!Monitor_init(&s->m, s->refp, &s->cur, &ta->opt, &s->e) || !update_truth(s, 0)) {
         fprintf(stderr, "driftscope: out of memory preparing the dashboard\n");
         return EXIT_ERROR;
      }
      App_monitor_reset(&s->app);
   } else if (!open_session(s, ta)) { /* read in the loop: the first frame comes at once */
      return EXIT_ERROR;
   }
   if (!MetricsExport_open(&s->mx, ta->metrics, ta->metrics_file, render_metrics, s, err, sizeof err)) {
      fprintf(stderr, "driftscope: %s\n", err);
      return EXIT_ERROR;
   }
   s->mx.note = live_note;
   s->mx.note_ctx = &s->app;
   if (!EventLoop_init(&s->loop)) {
      fprintf(stderr, "driftscope: cannot set up signals: %s\n", strerror(errno));
      return EXIT_ERROR;
   }
   s->loop_on = true;
   if (!App_start(&s->app, keys_from_tty)) {
      fprintf(stderr, "driftscope: cannot start the terminal UI (TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
      return EXIT_ERROR;
   }
   double start = ds_now_ms(), cpu0 = cpu_ms();
   if (ta->live) {
      s->app.live.on = true;
      s->ls.note = live_note;
      s->ls.note_ctx = &s->app;
   }
   int status = loop(s);
   App_stop(&s->app);
   MetricsExport_close(&s->mx); /* the file gets the figures at the end */
   char said[400];
   if (DriftHooks_finish(&s->hooks, said, sizeof said)) /* what the hooks did, for the log */
      fprintf(stderr, "driftscope: %s\n", said);
   DriftHooks_done(&s->hooks);
   if (s->load_failed) /* what the file's read ran into, after the terminal is back */
      cli_print_error(&s->e);
   if (err[0])
      fprintf(stderr, "driftscope: %s\n", err);
   if (ta->stats)
      write_stats(s, ta->stats, ta->live ? start - load0 : s->load_ms, start, s->end_ms, cpu0);
   return status;
}

/* The command that replays file with the options this session was given. */
static void replay_command(char *buf, size_t n, const DashboardConfig *ta, const char *file) {
   const AnalysisOptions *o = &ta->opt;
   size_t k = ta->reference ? (size_t)snprintf(buf, n, "driftscope -r %s %s", ta->reference, file)
                            : (size_t)snprintf(buf, n, "driftscope %s", file);
#define ADD(...) (k < n ? k += (size_t)snprintf(buf + k, n - k, __VA_ARGS__) : k)
   if (ta->ref_format != DS_FORMAT_AUTO)
      ADD(" --reference-format %s", ds_format_name(ta->ref_format));
   if (o->window != DEFAULT_WINDOW || o->stride != (o->window >= 10 ? o->window / 10 : 1))
      ADD(" --window %zu --stride %zu", o->window, o->stride);
   if (o->drift.method != DRIFT_AUTO)
      ADD(" --stattest %s", ds_drift_methods[o->drift.method].name);
   if (!isnan(o->drift.threshold))
      ADD(" --threshold %g", o->drift.threshold);
   if (o->drift_share != 0.5)
      ADD(" --drift-share %g", o->drift_share);
   if (!isnan(ta->spec.rate_hz))
      ADD(" --rate %g", ta->spec.rate_hz);
   if (ta->spec.band_lo > 0 || !isinf(ta->spec.band_hi))
      ADD(" --band %g-%g", ta->spec.band_lo, ta->spec.band_hi);
   if (ta->theme)
      ADD(" --theme %s", ta->theme);
   if (ta->baseline)
      ADD(" --baseline %zu", ta->baseline);
#undef ADD
}

/* The last records, flushed; where the recording is and how to replay it. */
static int finish_live(Session *s, const DashboardConfig *ta, int status) {
   LiveSource *ls = &s->ls;
   LiveSource_finish(ls, ds_now_ms());
   if (!s->app.live.recording) {
      fprintf(stderr, "driftscope: %zu records received, not recorded\n", s->cur.nrows);
      return s->halted && !status ? EXIT_ERROR : status;
   }
   bool lost = ls->rec.out.len > 0;
   if (s->halted)
      fprintf(stderr, "driftscope: out of memory at record %zu: the display stopped there, the recording went on\n",
              s->halted_at);
   fprintf(stderr, "driftscope: %s: %ld records recorded%s\n", s->record_path, ls->rec.records,
           lost ? "; the last ones could not be written (see above)" : "");
   if (ls->rec.records) {
      char cmd[PATH_MAX * 2 + 256];
      replay_command(cmd, sizeof cmd, ta, s->record_path);
      fprintf(stderr, "replay it: %s\n", cmd);
   }
   return (lost || s->halted) && !status ? EXIT_ERROR : status;
}

int dashboard_run(const DashboardConfig *ta) {
   Session *s = calloc(1, sizeof *s);
   if (!s) {
      fprintf(stderr, "driftscope: out of memory\n");
      return EXIT_ERROR;
   }
   LabelTruth_init(&s->lt);
   DriftHooks_init(&s->hooks, ta->on_drift, ta->on_recover, ta->hook_cooldown);
   s->keep = ta->keep;
   LabelStore_init(&s->labels);
   Journal_init(&s->journal);
   int status = run(s, ta);
   App_stop(&s->app);
   if (s->app.layout.on) { /* DRIFTSCOPE_CHECK_LAYOUT: what the tests read */
      fprintf(stderr, "driftscope: layout check: %ld overlaps, %ld cut texts\n", s->app.layout.overlaps,
              s->app.layout.cuts);
      for (int i = 0; i < s->app.layout.noverlap; i++)
         fprintf(stderr, "  overlap: %s\n", s->app.layout.overlap[i]);
      for (int i = 0; i < s->app.layout.ncut; i++)
         fprintf(stderr, "  cut: %s\n", s->app.layout.cut[i]);
   }
   if (s->ls_open) {
      status = finish_live(s, ta, status);
      LiveSource_close(&s->ls);
   }
   if (Journal_pending(&s->journal) && !Journal_flush(&s->journal, NULL, 0))
      fprintf(stderr, "driftscope: %s: %zu bytes of label operations could not be written: %s\n", s->journal.path,
              s->journal.pending.len, strerror(errno));
   Journal_close(&s->journal);
   LabelStore_done(&s->labels);
   if (s->loop_on)
      EventLoop_done(&s->loop);
   App_done(&s->app);
   Replay_done(&s->r);
   Monitor_done(&s->m);
   Ingest_done(&s->cur_in);
   Ingest_done(&s->ref_in);
   Table_done(&s->cur);
   Table_done(&s->ref);
   if (s->baseline) {
      Table_done(s->baseline);
      free(s->baseline);
   }
   Classes_done(&s->classes);
   free(s);
   return status;
}
