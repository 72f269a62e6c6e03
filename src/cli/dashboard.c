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

typedef struct Session Session;

/* One board the dashboard watches (or the one session it replays): its
 * stream, recording, Monitor, replay, labels and hooks. The views show one
 * of them (Session.f); the others go on reading, recording, analysing at
 * their stream's edge and running their hooks. */
typedef struct Feed {
   Session *s;
   int index;
   char name[64];
   const char *source; /* as given: a device, -, paced:FILE, a file */
   Table cur;
   Ingest cur_in;
   Monitor m;
   Replay r;
   /* live */
   LiveSource ls;
   bool ls_open;
   char record_path[PATH_MAX];
   double rate_at; /* when the rate was last measured */
   size_t rate_n;  /* records then */
   double rate;
   double synced_at; /* a board not shown: when its Monitor last caught up */
   size_t synced_n;
   double journal_retry; /* when a label row the disk refused is tried again */
   bool halted;          /* live: memory ran out; the display stopped, the recording goes on */
   size_t halted_at;     /* records then */
   char halted_msg[320];
   LiveInfo live;
   /* labels */
   LabelHooks lh; /* what the App is given when it shows this board */
   LabelStore labels;
   Journal journal;
   LabelTruth lt;
   const char *session; /* the session file, for export */
   /* the reference the Monitor compares with: the file (ref), or records
    * of the stream taken as a baseline (B, --baseline N; heap) */
   const Table *refp;
   const Ingest *ref_in; /* the reference file's read counters; NULL: none, or a baseline */
   bool no_reference;
   char reference[160];
   Table *baseline;
   bool baseline_due; /* --baseline N: take it once N records are there */
   /* --on-drift, --on-recover */
   DriftHooks hooks;
} Feed;

struct Session {
   Classes classes;
   Table none;    /* the empty reference of a board without one */
   RefFiles refs; /* each read once, its prepared columns shared by its boards */
   Feed feeds[DS_MAX_BOARDS];
   int nfeeds;
   Feed *f; /* the one the views show */
   App app;
   EventLoop loop;
   bool loop_on;
   /* the loop */
   double last_tick, last_draw; /* when the replay moved, when a frame was drawn */
   double end_ms;               /* when the replay showed its last record (NaN: not yet) */
   AnalysisOptions opt;
   DsError e;
   size_t keep;    /* live: records kept in memory */
   long label_ops; /* for --stats: operations, and the longest (write + fsync + truth) */
   double label_max_ms;
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
};

/* The shown board's state, as the App shows it. */
static void publish(Session *s) {
   Feed *f = s->f;
   App *app = &s->app;
   app->live = f->live;
   app->bad_lines = f->ls_open ? f->ls.in.bad_lines : f->cur_in.bad_lines;
   app->no_reference = f->no_reference;
   app->ref_in = f->ref_in;
   snprintf(app->reference, sizeof app->reference, "%s", f->reference);
   snprintf(app->halted, sizeof app->halted, "%s", f->halted_msg);
   app->labels.stream_truth = f->lt.stream_truth;
   app->labels.labelled = f->lt.labelled;
}

/* Something a board says: in the status line, with its name when there
 * are several. */
static void feed_say(Feed *f, const char *msg) {
   Session *s = f->s;
   int room = (int)sizeof s->app.status - 1;
   if (s->nfeeds > 1)
      snprintf(s->app.status, sizeof s->app.status, "%s: %.*s", f->name, room - 66, msg);
   else
      snprintf(s->app.status, sizeof s->app.status, "%.*s", room, msg);
   s->app.dirty = true;
}

static void feed_note(void *ctx, const char *msg) {
   feed_say(ctx, msg);
}

/* Labels as ground truth, for records [from, n) (Replay_first: all). */
static bool update_truth(Feed *f, size_t from) {
   Session *s = f->s;
   bool ok = LabelTruth_apply(&f->lt, &f->labels, &f->cur, &f->r, &f->m, &s->opt, from, &s->e);
   if (f == s->f) {
      s->app.labels.stream_truth = f->lt.stream_truth;
      s->app.labels.labelled = f->lt.labelled;
   }
   return ok;
}

static double cpu_ms(void) {
   struct rusage ru;
   getrusage(RUSAGE_SELF, &ru);
   return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
          (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-3;
}

/* Memory ran out. A replay ends; a live board stops its display and goes
 * on recording, with nothing kept in memory (the recording is what must
 * not be lost). */
static int oom(Feed *f) {
   Session *s = f->s;
   if (!f->ls_open) {
      App_stop(&s->app);
      fprintf(stderr, "driftscope: out of memory at record %zu\n", f->r.cursor);
      return EXIT_ERROR;
   }
   if (!f->halted) {
      f->halted = true;
      f->halted_at = f->r.n;
      f->ls.keep_rows = false; /* records are dropped once recorded */
      snprintf(f->halted_msg, sizeof f->halted_msg,
               "OUT OF MEMORY at record %zu: the display stopped there; the recording goes on%s%s", f->halted_at,
               f->live.recording ? " in " : " (but this session is not recorded)",
               f->live.recording ? f->live.recording : "");
      if (f == s->f)
         publish(s);
      s->app.dirty = true;
   }
   return LOOP_GO;
}

/* --- live ---------------------------------------------------------------- */

/* New columns (the first records, a class or series appearing): compare
 * them too, from the first record. */
static bool refresh_monitor(Feed *f) {
   Session *s = f->s;
   if (!Monitor_stale(&f->m))
      return true;
   if (!Monitor_renew(&f->m, &s->opt, &s->e))
      return false;
   if (f == s->f)
      App_monitor_reset(&s->app);
   return true;
}

/* Keep the last `keep` records in memory (the recording has them all):
 * once a sixteenth more have come, the oldest go. */
static bool trim(Feed *f) {
   Session *s = f->s;
   Table *t = &f->cur;
   if (t->nrows - t->base <= s->keep + s->keep / 16)
      return true;
   size_t upto = t->nrows - s->keep;
   if (!Monitor_release(&f->m, upto))
      return false;
   LabelTruth_release(&f->lt, &f->labels, &f->r, upto);
   Table_discard(t, upto);
   if (f == s->f)
      s->app.labels.labelled = f->lt.labelled;
   Replay_sync(&f->r, f->ls.last_rx);
   return Monitor_seek(&f->m, f->m.cursor);
}

/* What the source did since the last call, as the replay and the header
 * see it. */
static bool live_sync(Feed *f, double now) {
   Session *s = f->s;
   LiveSource *ls = &f->ls;
   size_t before = f->r.n;
   if (!f->halted) { /* halted, records are not kept: nothing follows them */
      Replay_sync(&f->r, now - ls->start);
      if (f->labels.n && f->r.n > before && !update_truth(f, before))
         return false;
      if (!trim(f))
         return false;
   }
   LiveInfo *l = &f->live;
   double down = ls->connected ? 0 : now - ls->down_since;
   bool changed = l->connected != ls->connected || l->ended != ls->ended ||
                  (long)(down / 1000) != (long)(l->down_ms / 1000) || l->write_failed != ls->write_failed;
   l->connected = ls->connected;
   l->ended = ls->ended;
   l->down_ms = down;
   l->write_failed = ls->write_failed;
   if (f == s->f) {
      s->app.dirty |= changed;
      s->app.live = *l;
      s->app.bad_lines = ls->in.bad_lines;
   } else if (changed && s->nfeeds > 1) {
      s->app.dirty = true; /* the board bar */
   }
   char said[400];
   if (LiveSource_failure(ls, said, sizeof said)) /* the stream cannot be read on (its header needs too many columns) */
      feed_say(f, said);
   return true;
}

/* --- the loop ------------------------------------------------------------- */

/* The Monitor's one owner: it follows the replay's cursor, and computes
 * every statistic when the App wants them; the App's cursor stays where it
 * must. False on memory exhaustion. */
#define SEEK_SLICE_MS 40.0 /* a seek's windows computed per loop turn */
#define SEEK_SAY_MS 100.0  /* a seek longer than this says it is working */
static bool sync_monitor(Session *s) {
   Feed *f = s->f;
   if (f->halted)
      return true;
   if (f->m.cursor != f->r.cursor) { /* the windows up to it first, a slice a turn: keys stay live */
      if (!s->seeking) {
         s->seek_of = 0;
         s->seek_began = ds_now_ms();
         s->seek_said = false;
      }
      if (!Monitor_work(&f->m, f->r.cursor, SEEK_SLICE_MS, &s->seek_left, &s->seek_of))
         return false;
      s->seeking = s->seek_left > 0;
      if (s->seeking) {
         if (ds_now_ms() - s->seek_began >= SEEK_SAY_MS) {
            snprintf(s->app.working, sizeof s->app.working,
                     "working: to record %zu, %zu of %zu windows computed (%.0f%%); keys work", f->r.cursor,
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
   if (f->m.cursor != f->r.cursor && !Monitor_seek(&f->m, f->r.cursor))
      return false;
   if (!Monitor_set_detail(&f->m, App_wants_detail(&s->app))) {
      snprintf(s->app.status, sizeof s->app.status, "out of memory computing every statistic");
      s->app.zoom = false;
   }
   App_repin(&s->app, pin);
   return true;
}

/* A board not shown: its Monitor catches up with its replay (the stream's
 * edge, unless it was paused) once a stride of records has come or a
 * second has passed: its verdict for the board bar, the metrics and the
 * hooks. False on memory exhaustion. */
#define FEED_SYNC_MS 1000.0
static bool feed_follow(Feed *f, double now) {
   size_t stride = AnalysisOptions_stride(&f->s->opt);
   if (f->halted || (f->r.n - f->synced_n < stride && now - f->synced_at < FEED_SYNC_MS))
      return true;
   f->synced_n = f->r.n;
   f->synced_at = now;
   return refresh_monitor(f) && (f->m.cursor == f->r.cursor || Monitor_seek(&f->m, f->r.cursor));
}

static int keys_fd(void *ctx) {
   Session *s = ctx;
   return App_key_fd(&s->app);
}

static void show(Session *s, Feed *f);

static int keys_ready(void *ctx, double now, int ev) {
   (void)now;
   (void)ev;
   Session *s = ctx;
   App_input(&s->app);
   if (s->app.switch_board && s->nfeeds > 1) { /* b: the next board */
      int k = s->app.switch_board;
      s->app.switch_board = 0;
      show(s, &s->feeds[(s->f->index + k) % s->nfeeds]);
   }
   return s->loading || sync_monitor(s) ? LOOP_GO : oom(s->f);
}

static int source_fd(void *ctx) {
   Feed *f = ctx;
   return f->ls_open ? LiveSource_fd(&f->ls) : -1;
}

static int source_ready(void *ctx, double now, int ev) {
   Feed *f = ctx;
   LiveSource_read(&f->ls, now, ev & EV_HANGUP);
   return LOOP_GO;
}

/* A frame: when one is wanted (something changed), at most every DS_FRAME_MS
 * (20 a second) for keys, every LIVE_FRAME_MS for a live stream's records. */
#define LIVE_FRAME_MS 100
static double frame_due(void *ctx, double now) {
   (void)now;
   Session *s = ctx;
   Feed *f = s->f;
   if (s->app.dirty || s->app.drawn != f->m.version) /* a key, a resize, a message */
      return s->last_draw + DS_FRAME_MS;
   if (f->m.cursor != f->r.cursor && !f->halted) /* records came: a live stream moves the display less often */
      return s->last_draw + (f->ls_open ? LIVE_FRAME_MS : DS_FRAME_MS);
   if (s->nfeeds > 1) /* the board bar's rates and verdicts */
      return s->last_draw + 1000;
   return -1;
}

/* Each board's state for the board bar. */
static void board_bar(Session *s) {
   App *app = &s->app;
   app->nboards = s->nfeeds > 1 ? s->nfeeds : 0;
   app->shown_board = s->f->index;
   for (int i = 0; i < app->nboards; i++) {
      const Feed *f = &s->feeds[i];
      const Analysis *a = &f->m.a;
      BoardInfo *b = &app->boards[i];
      snprintf(b->name, sizeof b->name, "%s", f->name);
      b->connected = f->ls.connected;
      b->ended = f->ls.ended;
      b->rate = f->rate;
      b->compared = !f->no_reference && a->features > 0 && !f->halted;
      b->warming = f->m.rows < s->opt.window;
      b->drift = a->dataset_drift;
      b->share = a->share;
   }
}

/* Live, the Monitor catches up with the stream once a frame. */
static int frame(void *ctx, double now) {
   Session *s = ctx;
   Feed *f = s->f;
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
   if (f->ls_open && !f->halted) {
      App_tick(&s->app, now - s->last_tick);
      if (!refresh_monitor(f) || !sync_monitor(s))
         oom(f);
      s->last_tick = now;
   }
   board_bar(s);
   App_draw(&s->app);
   s->last_draw = now;
   return LOOP_GO;
}

/* A replay's next record (or its clock's next second): a turn then moves it. */
static double step_due(void *ctx, double now) {
   Session *s = ctx;
   double due = s->f->ls_open ? -1 : App_next_due(&s->app);
   return due < 0 ? -1 : now + due;
}

static bool session_loaded(Session *s);

/* Records [first, first + n) of the stream become board f's reference (B,
 * or --baseline N): a copy, so they stay while the stream moves on; the
 * Monitor is prepared again with it. False on memory exhaustion. */
static bool take_baseline(Feed *f, size_t first, size_t n) {
   Session *s = f->s;
   Table *t = malloc(sizeof *t);
   if (!t)
      return false;
   const Table *cur = &f->cur;
   bool ok = Table_init(t, &s->classes, false) && Table_clone_schema(t, cur) && Table_reserve(t, n);
   for (size_t r = first; ok && r < first + n; r++) {
      Table_row_begin(t);
      for (int c = 0; c < cur->ncols; c++)
         if (cur->cols[c]->stored && c < t->ncols && t->cols[c]->stored)
            Table_row_set(t, c, Table_at(cur, c, r));
      ok = Table_row_commit(t, &s->e);
   }
   if (ok) {
      Monitor_done(&f->m);
      ok = Monitor_init(&f->m, t, cur, &s->opt, &s->e);
   }
   if (!ok) { /* the Monitor goes on with what it had */
      Table_done(t);
      free(t);
      return Monitor_init(&f->m, f->refp, cur, &s->opt, &s->e) && false;
   }
   if (f->baseline) { /* the Monitor's new reference is in place: the old one can go */
      Table_done(f->baseline);
      free(f->baseline);
   }
   f->baseline = t;
   f->refp = t;
   f->no_reference = false;
   f->ref_in = NULL; /* the reference's own read counters are the stream's */
   double t0 = Replay_time(&f->r, first), t1 = Replay_time(&f->r, first + n - 1);
   char a[32], b[32], said[400];
   ui_fmt_time(a, sizeof a, t0);
   ui_fmt_time(b, sizeof b, t1);
   snprintf(f->reference, sizeof f->reference, "records %zu-%zu of the stream", first, first + n - 1);
   snprintf(said, sizeof said, "reference: %s (%s-%s)", f->reference, a, b);
   feed_say(f, said);
   if (f == s->f) {
      publish(s);
      App_monitor_reset(&s->app);
   }
   return update_truth(f, Replay_first(&f->r)) && Monitor_seek(&f->m, f->r.cursor);
}

/* B asked for the shown board's current window; --baseline N, each
 * board's first N records, once they are there. */
static bool baseline_wanted(Feed *f) {
   Session *s = f->s;
   if (f == s->f && s->app.want_baseline) {
      s->app.want_baseline = false;
      if (f->m.rows < 2) {
         snprintf(s->app.status, sizeof s->app.status, "B: the window holds %zu records; a reference needs 2 at least",
                  f->m.rows);
         return true;
      }
      return take_baseline(f, f->m.first, f->m.rows);
   }
   size_t want = s->ta->baseline, have = f->cur.nrows - f->cur.base;
   if (f->baseline_due && (have >= want || (!f->ls_open && !s->loading))) {
      f->baseline_due = false;
      if (have < 2) {
         char said[120];
         snprintf(said, sizeof said, "--baseline %zu: the stream has %zu records", want, have);
         feed_say(f, said);
         return true;
      }
      return take_baseline(f, f->cur.base, have < want ? have : want);
   }
   return true;
}

/* The session file, a slice a turn (keys and frames in between). */
#define LOAD_SLICE_MS 30.0

static int load_step(void *ctx, double now) {
   (void)now;
   Session *s = ctx;
   Feed *f = s->f;
   bool done;
   if (!FileLoad_step(&s->load, LOAD_SLICE_MS, &done, &s->e)) {
      s->load_failed = true;
      return EXIT_ERROR;
   }
   if (done)
      return session_loaded(s) ? LOOP_GO : oom(f);
   s->app.load_share = FileLoad_progress(&s->load);
   s->app.load_records = f->cur.nrows;
   snprintf(s->app.working, sizeof s->app.working, "reading %s: %zu records, %.1f s", f->source, f->cur.nrows,
            (ds_now_ms() - s->load0) / 1000);
   s->app.dirty = true;
   return LOOP_GO;
}

/* --metrics, --metrics-file: every board's figures in the Prometheus text
 * format (or OpenMetrics). */
static void render_metrics(void *ctx, StrBuf *out, bool openmetrics) {
   Session *s = ctx;
   MetricsBoard b[DS_MAX_BOARDS];
   for (int i = 0; i < s->nfeeds; i++) {
      const Feed *f = &s->feeds[i];
      b[i] = (MetricsBoard){.records = (double)f->m.cursor,
                            .bad_lines = (double)f->cur_in.bad_lines,
                            .connected = true,
                            .last_record_s = NAN,
                            .recording_bytes = NAN};
      if (f->ls_open)
         LiveSource_metrics(&f->ls, &b[i]);
      b[i].name = f->name;
      b[i].m = s->loading || f->halted ? NULL : &f->m;
      b[i].reference = !f->no_reference;
   }
   ds_metrics_render(out, b, s->nfeeds, openmetrics);
}

/* Board f's dataset drift starting or ending, window by window: the hooks. */
static void watch_verdict(Feed *f, double now) {
   if (f->s->loading || f->no_reference)
      return;
   DriftFacts facts = {
      .board = f->name, .session = f->ls_open ? f->live.recording : f->source, .reference = f->reference};
   DriftHooks_follow(&f->hooks, &f->m.a, &f->r, &facts, now);
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
   Feed *f = ctx;
   return f->ls_open ? f->rate_at + 1000 : -1;
}

static int status_tick(void *ctx, double now) {
   Feed *f = ctx;
   f->rate = f->live.rate = (double)(f->r.n - f->rate_n) * 1000 / (now - f->rate_at);
   f->rate_at = now;
   f->rate_n = f->r.n;
   if (f == f->s->f) {
      f->s->app.live.rate = f->rate;
      f->s->app.dirty = true;
   }
   return LOOP_GO;
}

/* Live: a lost source to reopen, a recording write to retry. */
static double source_due(void *ctx, double now) {
   (void)now;
   Feed *f = ctx;
   return f->ls_open ? LiveSource_next_due(&f->ls) : -1;
}

static int source_tick(void *ctx, double now) {
   Feed *f = ctx;
   LiveSource_tick(&f->ls, now);
   return LOOP_GO;
}

/* A label row the disk refused: tried again each second. */
static double journal_due(void *ctx, double now) {
   (void)now;
   Feed *f = ctx;
   return Journal_pending(&f->journal) ? f->journal_retry : -1;
}

static int journal_retry(void *ctx, double now) {
   Feed *f = ctx;
   Journal_flush(&f->journal, NULL, 0);
   f->journal_retry = now + 1000;
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

/* After every turn: live, what each source did (a board not shown is
 * analysed at its edge); a replay moves on. */
static int after(void *ctx, double now) {
   Session *s = ctx;
   if (s->loading)
      return s->app.quit ? 0 : LOOP_GO;
   for (int i = 0; i < s->nfeeds; i++) {
      Feed *f = &s->feeds[i];
      if (!f->halted && !baseline_wanted(f))
         return oom(f);
      if (f != s->f && f->ls_open && !feed_follow(f, now))
         return oom(f);
      watch_verdict(f, now);
      if (f->ls_open && !live_sync(f, now))
         return oom(f);
   }
   Feed *f = s->f;
   if (!f->ls_open) {
      App_tick(&s->app, now - s->last_tick);
      if (!sync_monitor(s))
         return oom(f);
      s->last_tick = now;
      if (isnan(s->end_ms) && f->r.cursor >= f->r.n)
         s->end_ms = now;
   }
   return s->app.quit ? 0 : LOOP_GO;
}

static int loop(Session *s) {
   static LoopSpec spec; /* up to 128 watches and timers: not on the stack */
   memset(&spec, 0, sizeof spec);
   spec.watch[spec.nwatch++] = (LoopWatch){keys_fd, keys_ready, NULL};
   spec.watch[spec.nwatch++] = MetricsExport_watch(&s->mx);
   spec.timer[spec.ntimer++] = (LoopTimer){frame_due, frame, NULL};
   spec.timer[spec.ntimer++] = (LoopTimer){step_due, step, NULL};
   spec.timer[spec.ntimer++] = (LoopTimer){work_due, work_step, NULL};
   spec.timer[spec.ntimer++] = MetricsExport_timer(&s->mx);
   double now = ds_now_ms();
   for (int i = 0; i < s->nfeeds; i++) {
      Feed *f = &s->feeds[i];
      spec.watch[spec.nwatch++] = DriftHooks_watch(&f->hooks);
      spec.watch[spec.nwatch++] = (LoopWatch){source_fd, source_ready, f};
      spec.timer[spec.ntimer++] = (LoopTimer){status_due, status_tick, f};
      spec.timer[spec.ntimer++] = (LoopTimer){source_due, source_tick, f};
      spec.timer[spec.ntimer++] = (LoopTimer){journal_due, journal_retry, f};
      spec.timer[spec.ntimer++] = DriftHooks_timer(&f->hooks);
      f->rate_at = f->synced_at = now;
   }
   spec.after = after;
   spec.signal = on_signal;
   spec.ctx = s;
   s->last_tick = now;
   s->last_draw = s->last_tick - DS_FRAME_MS; /* a frame is due now (a due time < 0 is none) */
   s->end_ms = NAN;
   s->app.dirty = true; /* the first frame */
   return EventLoop_run(&s->loop, &spec);
}

/* The default session file: ./driftscope-YYYYmmdd-HHMMSS.csv (with
 * several boards, -NAME before .csv). */
static void default_record_path(char *buf, size_t n, const char *board) {
   time_t now = ds_wall_time();
   char stamp[32];
   struct tm tm;
   strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
   snprintf(buf, n, "driftscope-%s%s%s.csv", stamp, board ? "-" : "", board ? board : "");
}

/* Open board f's source and its recording. A recording that cannot start
 * is said on screen and monitoring goes on; a file that exists is refused
 * (recordings are never overwritten). */
static bool open_live(Feed *f, const DashboardConfig *ta) {
   Session *s = f->s;
   char err[PATH_MAX + 256];
   /* the columns hold the records kept and those that come before the next trim */
   if (!Table_init(&f->cur, &s->classes, false) || !Table_reserve(&f->cur, ta->keep + ta->keep / 16 + 1)) {
      fprintf(stderr, "driftscope: out of memory\n");
      return false;
   }
   bool several = s->nfeeds > 1;
   if (!LiveSource_open(&f->ls, f->source, &ta->serial, ta->format, &f->cur, several, err, sizeof err)) {
      LiveSource_close(&f->ls);
      fprintf(stderr, "driftscope: %s%s%s\n", several ? f->name : "", several ? ": " : "", err);
      return false;
   }
   if (err[0]) { /* several boards: one not there yet is waited for, as a pulled one is */
      char said[700];
      snprintf(said, sizeof said, "%.500s; waiting for it", err);
      feed_say(f, said);
   }
   cli_read_apply((ReadOptions *)&ta->read, &f->ls.in, f->refp);
   f->ls_open = true;
   f->ls.keep_rows = true;
   f->ls.note = feed_note;
   f->ls.note_ctx = f;
   f->live.on = true;
   f->live.connected = f->ls.connected;
   if (ta->no_record)
      return true;
   if (ta->record)
      snprintf(f->record_path, sizeof f->record_path, "%s", ta->record);
   else
      default_record_path(f->record_path, sizeof f->record_path, several ? f->name : NULL);
   if (LiveSource_record(&f->ls, f->record_path, ta->raw_log, err, sizeof err)) {
      f->live.recording = f->record_path;
      return true;
   }
   if (errno == EEXIST) {
      fprintf(stderr, "driftscope: %s\n", err);
      return false;
   }
   char said[400];
   snprintf(said, sizeof said, "NOT RECORDING: %.290s", err);
   feed_say(f, said);
   return true;
}

/* --- labels ---------------------------------------------------------------- */

static bool label_commit(void *ctx, const StrBuf *row, char *msg, size_t n) {
   Feed *f = ctx;
   Session *s = f->s;
   double t0 = ds_now_ms();
   bool ok = Journal_append(&f->journal, row, msg, n);
   if (!update_truth(f, Replay_first(&f->r))) {
      snprintf(msg, n, "out of memory applying the labels");
      return false;
   }
   s->label_ops++;
   s->label_max_ms = fmax(s->label_max_ms, ds_now_ms() - t0);
   return ok;
}

static bool label_export(void *ctx, int format, bool unlabelled, char *msg, size_t n) {
   Feed *f = ctx;
   static const char *const suffix[EXPORT_FORMAT_COUNT] = {"dataset", "ei", "labelstudio"};
   char out[PATH_MAX];
   Journal_flush(&f->journal, NULL, 0);
   const char *dot = strrchr(f->session, '.'), *slash = strrchr(f->session, '/');
   int len = dot && (!slash || dot > slash) ? (int)(dot - f->session) : (int)strlen(f->session);
   snprintf(out, sizeof out, "%.*s-%s", len, f->session, suffix[format]);
   if (access(out, F_OK) == 0) {
      snprintf(msg, n, "export: %.200s exists; nothing written (driftscope export --force replaces)", out);
      return false;
   }
   return cli_export(f->session, f->journal.path, out, format, unlabelled, msg, n);
}

/* Open board f's journal and say what it held. */
static void open_journal(Feed *f, const char *path) {
   Session *s = f->s;
   LabelHooks *h = &f->lh;
   Journal *j = &f->journal;
   Journal_open(j, path, &f->labels);
   h->store = &f->labels;
   h->journal = j->path;
   h->commit = label_commit;
   h->ctx = f;
   h->readonly = j->readonly;
   char said[400];
   if (j->load.torn) {
      snprintf(said, sizeof said,
               "labels: the journal's last line was cut off (%zu bytes, a crash?); kept, skipped; %zu segments loaded",
               j->load.torn_bytes, f->labels.n);
      feed_say(f, said);
   } else if (f->labels.n && !h->readonly && !s->app.status[0]) { /* a problem said first (a theme) stays */
      snprintf(said, sizeof said, "labels: %zu segment%s from %.200s", f->labels.n, f->labels.n == 1 ? "" : "s", path);
      feed_say(f, said);
   } else if (h->readonly) {
      feed_say(f, h->readonly);
   }
}

/* Board f's journal: --labels, else next to the session (a recording, live). */
static void setup_labels(Feed *f, const DashboardConfig *ta) {
   char path[PATH_MAX];
   f->session = ta->live ? (f->live.recording ? f->record_path : NULL) : f->source;
   if (ta->labels)
      snprintf(path, sizeof path, "%s", ta->labels);
   else if (f->session)
      ds_labels_path(path, sizeof path, f->session);
   else {
      f->lh.store = &f->labels;
      f->lh.readonly = "labels need a file to be kept in: this session is not recorded; give --labels FILE";
      return;
   }
   open_journal(f, path);
   if (f->session)
      f->lh.export = label_export;
}

/* The header's name of board f: its name among several, else the source
 * as given (a file's path, stdin). */
static const char *shown_name(const Feed *f) {
   return f->s->nfeeds > 1 ? f->name : !strcmp(f->source, "-") ? "stdin" : f->source;
}

/* The views show board f: the App reads its Monitor, replay, labels and
 * state from now on. */
static void show(Session *s, Feed *f) {
   App *app = &s->app;
   s->f = f;
   s->seeking = false;
   app->working[0] = '\0';
   App_show(app, &f->m, &f->r, shown_name(f));
   app->in = f->ls_open ? &f->ls.in : &f->cur_in;
   app->labels = f->lh;
   publish(s);
   App_monitor_reset(app);
   board_bar(s);
   if (s->nfeeds > 1) {
      char said[160];
      snprintf(said, sizeof said, "showing %s (%d of %d; b: the next board)", f->name, f->index + 1, s->nfeeds);
      snprintf(app->status, sizeof app->status, "%s", said);
   }
   app->dirty = true;
}

/* --- both ---------------------------------------------------------------- */

/* Figures for benchmarks: records/s counts loading and replay, from the
 * start of loading to the last record shown. Live: rx_start_ms is the
 * monotonic clock's ms at rx_ms 0, so a writer stamping records with the
 * same clock can measure latency from the session file. */
static void write_stats(const Session *s, const char *path, double load_ms, double start_ms, double end_ms,
                        double cpu0) {
   const Feed *fd = &s->feeds[0];
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
           fd->r.cursor, load_ms, isnan(replay) ? -1 : replay,
           isnan(replay) ? -1 : 1e3 * (double)fd->r.cursor / (load_ms + replay), s->app.frames, mean, p99, wall,
           cpu_ms() - cpu0, ru.ru_maxrss);
   if (fd->ls_open)
      fprintf(f, ",\"live_records\":%zu,\"bad_lines\":%ld,\"rx_start_ms\":%.3f", fd->r.n, fd->ls.in.bad_lines,
              fd->ls.start);
   fprintf(f, ",\"label_ops\":%ld,\"label_op_max_ms\":%.3f", s->label_ops, s->label_max_ms);
   fprintf(f, ",\"first_frame_ms\":%.3f,\"busy_frame_gap_ms\":%.3f,\"long_seeks\":%ld,\"seek_said_ms\":%.3f",
           s->first_frame_ms, s->busy_gap_ms, s->long_seeks, s->seek_said_ms);
   fprintf(f, "}\n");
   fclose(f);
}

/* Start reading the session file; the loop reads it on (load_step). */
static bool open_session(Feed *f, const DashboardConfig *ta) {
   Session *s = f->s;
   DsError e;
   memset(&f->cur_in, 0, sizeof f->cur_in);
   if (!Table_init(&f->cur, &s->classes, false) || !Ingest_init(&f->cur_in, &f->cur, ta->format, f->source)) {
      fprintf(stderr, "driftscope: out of memory\n");
      return false;
   }
   cli_read_apply((ReadOptions *)&ta->read, &f->cur_in, f->refp);
   if (!FileLoad_open(&s->load, f->source, &f->cur_in, true, &e)) {
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
   Feed *f = s->f;
   FileLoad_close(&s->load);
   s->loading = false;
   s->load_ms = ds_now_ms() - s->load0;
   if (!Replay_init(&f->r, &f->cur))
      return false;
   if (!isnan(ta->spec.rate_hz)) /* a stream without times: --rate paces it too */
      Replay_pace(&f->r, &f->cur, 1000.0 / ta->spec.rate_hz);
   f->r.speed = ta->speed;
   f->r.paused = ta->paused;
   setup_labels(f, ta);
   if (!Monitor_init(&f->m, f->refp, &f->cur, &s->opt, &s->e) || !update_truth(f, 0))
      return false;
   show(s, f);
   s->last_tick = ds_now_ms(); /* the replay's clock starts now */
   App_loaded(&s->app);        /* the views open; keys pressed while loading act now */
   return sync_monitor(s);
}

/* Board i: its name, source and reference (-r NAME=FILE, else -r FILE). */
static bool setup_feed(Session *s, int i) {
   const DashboardConfig *ta = s->ta;
   Feed *f = &s->feeds[i];
   f->s = s;
   f->index = i;
   f->source = ta->boards.sources[i];
   snprintf(f->name, sizeof f->name, "%s", ta->boards.names[i]);
   const char *rp = BoardArgs_reference_of(&ta->boards, f->name);
   f->refp = &s->none;
   f->no_reference = !rp;
   if (rp) {
      const Table *ref = RefFiles_load(&s->refs, rp, &s->classes, ta->ref_format, (ReadOptions *)&ta->read);
      if (!ref)
         return false;
      f->refp = ref;
      f->ref_in = RefFiles_ingest(&s->refs, ref);
      snprintf(f->reference, sizeof f->reference, "%s", rp);
   }
   f->baseline_due = ta->baseline > 0;
   f->hooks.note = feed_note; /* what the hooks did, in the status line */
   f->hooks.note_ctx = f;
   return true;
}

/* A live board's source, recording, replay, labels and Monitor. */
static bool start_live(Feed *f, const DashboardConfig *ta) {
   Session *s = f->s;
   if (!open_live(f, ta) || !Replay_init_live(&f->r, &f->cur))
      return false;
   setup_labels(f, ta);
   AnalysisOptions opt = s->opt;
   opt.refs = RefFiles_cache(&s->refs, f->refp);
   if (!Monitor_init(&f->m, f->refp, &f->cur, &opt, &s->e) || !update_truth(f, 0)) {
      fprintf(stderr, "driftscope: out of memory preparing the dashboard\n");
      return false;
   }
   return true;
}

static int run(Session *s, const DashboardConfig *ta) {
   double load0 = ds_now_ms();
   s->opt = ta->opt;
   s->ta = ta;
   if (!Table_init(&s->none, &s->classes, false))
      return EXIT_ERROR;
   for (int i = 0; i < ta->boards.n; i++) {
      s->nfeeds = i + 1; /* the feeds set up so far are undone at the end */
      if (!setup_feed(s, i))
         return EXIT_ERROR;
   }
   s->f = &s->feeds[0];
   bool keys_from_tty = false; /* standard input carries a board's data: keys come from the terminal */
   for (int i = 0; i < ta->boards.n; i++)
      keys_from_tty |= ta->live && !strcmp(ta->boards.sources[i], "-");
   if (!isatty(STDOUT_FILENO) || (!keys_from_tty && !isatty(STDIN_FILENO))) {
      fprintf(stderr, "driftscope: the dashboard needs a terminal; 'driftscope %s' works without one\n",
              ta->live ? (ta->boards.n > 1 ? "watch" : "record") : "report");
      return EXIT_ERROR;
   }
   char err[400];
   ui_set_file_reader(ds_read_file);
   App_init(&s->app, &s->f->m, &s->f->r, shown_name(s->f), 0, ta->theme, err, sizeof err);
   s->app.spec = ta->spec;
   s->app.limits = ta->limits;
   s->load0 = load0;
   publish(s);
   if (ta->live) {
      for (int i = 0; i < s->nfeeds; i++)
         if (!start_live(&s->feeds[i], ta))
            return EXIT_ERROR;
      show(s, s->f);
   } else if (!open_session(s->f, ta)) { /* read in the loop: the first frame comes at once */
      return EXIT_ERROR;
   }
   if (!MetricsExport_open(&s->mx, ta->metrics, ta->metrics_file, render_metrics, s, err, sizeof err)) {
      fprintf(stderr, "driftscope: %s\n", err);
      return EXIT_ERROR;
   }
   s->mx.note = feed_note;
   s->mx.note_ctx = s->f;
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
   int status = loop(s);
   App_stop(&s->app);
   MetricsExport_close(&s->mx); /* the file gets the figures at the end */
   for (int i = 0; i < s->nfeeds; i++) {
      Feed *f = &s->feeds[i];
      char said[400];
      if (DriftHooks_finish(&f->hooks, said, sizeof said)) /* what the hooks did, for the log */
         fprintf(stderr, "driftscope: %s%s%s\n", s->nfeeds > 1 ? f->name : "", s->nfeeds > 1 ? ": " : "", said);
   }
   if (s->load_failed) /* what the file's read ran into, after the terminal is back */
      cli_print_error(&s->e);
   if (err[0])
      fprintf(stderr, "driftscope: %s\n", err);
   if (ta->stats)
      write_stats(s, ta->stats, ta->live ? start - load0 : s->load_ms, start, s->end_ms, cpu0);
   return status;
}

/* The command that replays board f's file with the options this session was given. */
static void replay_command(char *buf, size_t n, const DashboardConfig *ta, const Feed *f, const char *file) {
   const AnalysisOptions *o = &ta->opt;
   const char *ref = f->ref_in ? f->reference : NULL;
   size_t k = ref ? (size_t)snprintf(buf, n, "driftscope -r %s %s", ref, file)
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

/* Board f's last records, flushed; where the recording is and how to replay it. */
static int finish_live(Feed *f, const DashboardConfig *ta, int status) {
   LiveSource *ls = &f->ls;
   bool several = f->s->nfeeds > 1;
   const char *name = several ? f->name : "", *sep = several ? ": " : "";
   LiveSource_finish(ls, ds_now_ms());
   if (!f->live.recording) {
      fprintf(stderr, "driftscope: %s%s%zu records received, not recorded\n", name, sep, f->cur.nrows);
      return f->halted && !status ? EXIT_ERROR : status;
   }
   bool lost = ls->rec.out.len > 0;
   if (f->halted)
      fprintf(stderr, "driftscope: %s%sout of memory at record %zu: the display stopped there, the recording went on\n",
              name, sep, f->halted_at);
   fprintf(stderr, "driftscope: %s: %ld records recorded%s\n", f->record_path, ls->rec.records,
           lost ? "; the last ones could not be written (see above)" : "");
   if (ls->rec.records) {
      char cmd[PATH_MAX * 2 + 256];
      replay_command(cmd, sizeof cmd, ta, f, f->record_path);
      fprintf(stderr, "replay it: %s\n", cmd);
   }
   return (lost || f->halted) && !status ? EXIT_ERROR : status;
}

static void feed_done(Feed *f) {
   if (f->ls_open)
      LiveSource_close(&f->ls);
   if (Journal_pending(&f->journal) && !Journal_flush(&f->journal, NULL, 0))
      fprintf(stderr, "driftscope: %s: %zu bytes of label operations could not be written: %s\n", f->journal.path,
              f->journal.pending.len, strerror(errno));
   Journal_close(&f->journal);
   LabelStore_done(&f->labels);
   DriftHooks_done(&f->hooks);
   Replay_done(&f->r);
   Monitor_done(&f->m);
   Ingest_done(&f->cur_in);
   Table_done(&f->cur);
   if (f->baseline) {
      Table_done(f->baseline);
      free(f->baseline);
   }
}

int dashboard_run(const DashboardConfig *ta) {
   Session *s = calloc(1, sizeof *s);
   if (!s) {
      fprintf(stderr, "driftscope: out of memory\n");
      return EXIT_ERROR;
   }
   Classes_init(&s->classes);
   for (int i = 0; i < ta->boards.n; i++) {
      Feed *f = &s->feeds[i];
      LabelTruth_init(&f->lt);
      DriftHooks_init(&f->hooks, ta->on_drift, ta->on_recover, ta->hook_cooldown);
      LabelStore_init(&f->labels);
      Journal_init(&f->journal);
      f->ls.out = f->ls.raw = -1;
   }
   s->nfeeds = ta->boards.n;
   s->keep = ta->keep;
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
   for (int i = 0; i < s->nfeeds; i++)
      if (s->feeds[i].ls_open)
         status = finish_live(&s->feeds[i], ta, status);
   if (s->loop_on)
      EventLoop_done(&s->loop);
   App_done(&s->app);
   for (int i = 0; i < s->nfeeds; i++)
      feed_done(&s->feeds[i]);
   RefFiles_done(&s->refs); /* after the boards: they borrow its columns */
   Table_done(&s->none);
   Classes_done(&s->classes);
   free(s);
   return status;
}
