// SPDX-License-Identifier: MIT
/* Monitor (the dashboard's view of a stream at a position) and Replay
 * (its pacing), against hand-worked cases. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/exposition.h"
#include "driftscope/monitor.h"
#include "driftscope/replay.h"
#include "testutil.h"

typedef struct Streams {
   Classes cl;
   Table ref, cur;
   int A, B;
} Streams;

/* Append records [from, to) of the current stream (see streams), creating
 * its columns at the first. */
static void add_rows(Streams *s, int from, int to) {
   Table *t = &s->cur;
   if (t->ncols == 0) {
      Table_add_column(t, "time_ms", ROLE_TIME, KIND_NUMERIC, -1);
      Table_add_column(t, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
      Table_add_column(t, "y", ROLE_FEATURE, KIND_NUMERIC, -1);
      Table_add_column(t, "pred", ROLE_PRED, KIND_CATEGORICAL, -1);
      Table_add_column(t, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   }
   for (int i = from; i < to; i++) {
      Table_row_begin(t);
      Table_row_set(t, Table_find(t, "time_ms"), 1000.0 * i);
      Table_row_set(t, Table_find(t, "x"), i < 10 ? i : 100 + i - 10);
      Table_row_set(t, Table_find(t, "y"), i % 10);
      Table_row_set(t, Table_find(t, "pred"), s->A);
      Table_row_set(t, Table_find(t, "label"), i < 10 ? s->A : s->B);
      assert_true(Table_row_commit(t, NULL));
   }
}

/* Reference: x = 0..9, y = 0..9, label A. Current: `rows` records (20 in
 * all); x is 0..9 then 100..109 (disjoint from the reference), y is 0..9
 * twice; prediction A throughout, truth A for the first 10 and B after.
 * With rows = 0 the current stream has no columns yet (a live source
 * before its first record). */
static Streams *streams_n(int rows) {
   Streams *s = calloc(1, sizeof *s);
   Classes_init(&s->cl);
   assert_true(Table_init(&s->ref, &s->cl, false));
   assert_true(Table_init(&s->cur, &s->cl, false));
   s->A = Classes_intern(&s->cl, "A", 1);
   s->B = Classes_intern(&s->cl, "B", 1);
   int rx = Table_add_column(&s->ref, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   int ry = Table_add_column(&s->ref, "y", ROLE_FEATURE, KIND_NUMERIC, -1);
   int rl = Table_add_column(&s->ref, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   for (int i = 0; i < 10; i++) {
      Table_row_begin(&s->ref);
      Table_row_set(&s->ref, rx, i);
      Table_row_set(&s->ref, ry, i);
      Table_row_set(&s->ref, rl, s->A);
      assert_true(Table_row_commit(&s->ref, NULL));
   }
   if (rows)
      add_rows(s, 0, rows);
   return s;
}

static Streams *streams(void) {
   return streams_n(20);
}

static void streams_free(Streams *s) {
   Table_done(&s->ref);
   Table_done(&s->cur);
   Classes_done(&s->cl);
   free(s);
}

static int col_named(const Monitor *m, const char *name) {
   for (int i = 0; i < m->a.ncols; i++)
      if (!strcmp(m->a.cols[i].name, name))
         return i;
   fail_msg("no column %s", name);
   return -1;
}

/* A Monitor of s's streams, windows of `window` records every `stride`. */
static void monitor_on(Streams *s, Monitor *m, AnalysisOptions *opt, size_t window, size_t stride) {
   AnalysisOptions_default(opt);
   opt->window = window;
   opt->stride = stride;
   assert_true(Monitor_init(m, &s->ref, &s->cur, opt, NULL));
}

static void test_monitor_window_and_history(void **state) {
   (void)state;
   Streams *s = streams();
   AnalysisOptions opt;
   Monitor m;
   monitor_on(s, &m, &opt, 10, 5);
   int x = col_named(&m, "x"), y = col_named(&m, "y");
   assert_int_equal(m.cursor, 0);
   assert_int_equal(m.a.nwindows, 0);

   /* after 10 records the window is records 0..9, equal to the reference */
   assert_true(Monitor_seek(&m, 10));
   assert_int_equal(m.first, 0);
   assert_int_equal(m.rows, 10);
   assert_rel(m.a.cols[x].drift.ks_statistic, 0, 0);
   assert_false(m.a.cols[x].drift.drifted);
   assert_false(m.a.dataset_drift);
   assert_int_equal(m.a.nwindows, 2); /* windows end every 5 records: 5 and 10 */
   assert_rel(m.win_accuracy, 1.0, 0);

   /* after 20: records 10..19; x is disjoint from the reference: D = 1, and the
    * exact two-sided p for n = m = 10 is 2 / C(20, 10) = 2 / 184756 (scipy ks_2samp) */
   assert_true(Monitor_seek(&m, 20));
   assert_int_equal(m.first, 10);
   assert_rel(m.a.cols[x].drift.ks_statistic, 1, 0);
   assert_rel(m.a.cols[x].drift.ks_pvalue, 2.0 / 184756.0, 1e-9);
   assert_true(m.a.cols[x].drift.drifted);
   assert_false(m.a.cols[y].drift.drifted);
   assert_rel(m.a.share, 0.5, 0); /* 1 of 2 features: dataset drift at >= 0.5 */
   assert_true(m.a.dataset_drift);
   assert_int_equal(Monitor_top_feature(&m), x);
   /* the window's truth is all B, predicted A: accuracy 0; the session so far 10/20 */
   assert_rel(m.win_accuracy, 0, 0);
   assert_rel(m.a.accuracy, 0.5, 0);
   assert_int_equal(m.mix_cur[s->A], 10);
   assert_int_equal(m.mix_ref[s->A], 10); /* the reference's labels */

   /* the history: windows ending at 5 (warm-up: x = 0..4), 10 (0..9), 15
    * (5..9, 100..104) and 20 (100..109); KS p-values from scipy 1.10
    * ks_2samp(window, range(10)) */
   double h[8];
   assert_int_equal(Monitor_history(&m, x, h, 8), 4);
   assert_rel(h[0], 0.3506493506493507, 1e-9);
   assert_rel(h[1], 1, 0);
   assert_rel(h[2], 0.16782134274394334, 1e-9);
   assert_rel(h[3], 1.0825088224469026e-05, 1e-9);
   assert_int_equal(Monitor_history(&m, x, h, 2), 2); /* the newest */
   assert_rel(h[1], 2.0 / 184756.0, 1e-9);
   assert_int_equal(Monitor_share_history(&m, h, 8), 4);
   assert_rel(h[3], 0.5, 0);

   /* back to 10: the session figures count again from the start */
   assert_true(Monitor_seek(&m, 10));
   assert_rel(m.a.accuracy, 1.0, 0);
   assert_int_equal(m.a.nwindows, 2);
   assert_int_equal(m.a.cols[x].s_rows, 10);
   assert_true(Monitor_seek(&m, 1000)); /* clamped to the stream */
   assert_int_equal(m.cursor, 20);
   Monitor_done(&m);
   streams_free(s);
}

/* A far seek in slices: no budget computes nothing and says how many
 * windows are left; a budget computes them; the same history as a seek. */
static void test_monitor_work(void **state) {
   (void)state;
   Streams *s = streams();
   AnalysisOptions opt;
   Monitor m;
   monitor_on(s, &m, &opt, 10, 5);
   int x = col_named(&m, "x");
   size_t left, of = 0;
   assert_true(Monitor_work(&m, 20, -1, &left, &of)); /* the deadline passed: nothing computed */
   assert_int_equal(left, 4);                         /* windows ending at 5, 10, 15, 20 */
   assert_int_equal(of, 4);
   assert_true(Monitor_work(&m, 20, 1e9, &left, &of));
   assert_int_equal(left, 0);
   assert_int_equal(of, 4);
   assert_true(Monitor_seek(&m, 20));
   double h[8];
   assert_int_equal(Monitor_history(&m, x, h, 8), 4); /* as test_monitor_window_and_history's */
   assert_rel(h[0], 0.3506493506493507, 1e-9);
   assert_rel(h[2], 0.16782134274394334, 1e-9);
   assert_rel(h[3], 1.0825088224469026e-05, 1e-9);
   Monitor_done(&m);
   streams_free(s);

   /* a jump over 5000 windows computes the DS_MONITOR_HISTORY the history
    * shows, not those before; they are computed when the cursor comes back */
   s = streams_n(5000);
   monitor_on(s, &m, &opt, 2, 1);
   x = col_named(&m, "x");
   of = 0;
   assert_true(Monitor_work(&m, 5000, -1, &left, &of));
   assert_int_equal(left, DS_MONITOR_HISTORY);
   assert_true(Monitor_seek(&m, 5000));
   double *v = malloc(5000 * sizeof *v);
   assert_int_equal(Monitor_history(&m, x, v, 5000), 5000);
   assert_true(isnan(v[5000 - DS_MONITOR_HISTORY - 1]));
   assert_false(isnan(v[5000 - DS_MONITOR_HISTORY]));
   assert_true(Monitor_seek(&m, 100)); /* back: those windows now */
   assert_int_equal(Monitor_history(&m, x, v, 100), 100);
   assert_false(isnan(v[0]));
   free(v);
   Monitor_done(&m);
   streams_free(s);
}

/* Boards sharing a reference (`watch`) borrow its prepared columns from
 * one RefCache: the same arrays, the same figures as a Monitor that
 * prepares its own, and each freed once (ASan: no double free, no leak). */
static void test_refcache_shared(void **state) {
   (void)state;
   Streams *s = streams();
   AnalysisOptions own, shared;
   Monitor alone, a, b;
   monitor_on(s, &alone, &own, 10, 5);
   RefCache cache;
   assert_true(RefCache_init(&cache, &s->ref));
   AnalysisOptions_default(&shared);
   shared.window = 10;
   shared.stride = 5;
   shared.refs = &cache;
   assert_true(Monitor_init(&a, &s->ref, &s->cur, &shared, NULL));
   assert_true(Monitor_init(&b, &s->ref, &s->cur, &shared, NULL));
   assert_true(Monitor_seek(&alone, 20) && Monitor_seek(&a, 20) && Monitor_seek(&b, 20));
   assert_true(a.a.nrefs > 0);
   assert_int_equal(a.a.nrefs, alone.a.nrefs);
   for (int i = 0; i < a.a.nrefs; i++) {
      assert_ptr_equal(a.a.refs[i].sorted, b.a.refs[i].sorted); /* one copy */
      assert_ptr_not_equal(a.a.refs[i].sorted, alone.a.refs[i].sorted);
   }
   for (int i = 0; i < a.a.ncols; i++) {
      assert_int_equal(a.a.cols[i].drift.drifted, alone.a.cols[i].drift.drifted);
      assert_true(a.a.cols[i].drift.score == alone.a.cols[i].drift.score ||
                  (isnan(a.a.cols[i].drift.score) && isnan(alone.a.cols[i].drift.score)));
   }
   assert_true(a.a.dataset_drift && alone.a.dataset_drift); /* x drifted: half the features */
   Monitor_done(&a);
   assert_true(Monitor_seek(&b, 15)); /* b's columns outlive a */
   Monitor_done(&b);
   RefCache_done(&cache);
   Monitor_done(&alone);
   streams_free(s);
}

/* Whether text holds line (a whole line). */
static bool has_line(const char *text, const char *line) {
   size_t n = strlen(line);
   for (const char *p = strstr(text, line); p; p = strstr(p + 1, line))
      if ((p == text || p[-1] == '\n') && p[n] == '\n')
         return true;
   return false;
}

/* The Prometheus exposition of the hand-worked case above at record 20:
 * x disjoint (KS p = 2 / C(20, 10)), y the same (p 1), half the features
 * drifted; truth B predicted A: accuracy 0. The board's name escaped. */
static void test_exposition(void **state) {
   (void)state;
   Streams *s = streams();
   AnalysisOptions opt;
   Monitor m;
   monitor_on(s, &m, &opt, 10, 5);
   assert_true(Monitor_seek(&m, 20));
   MetricsBoard b = {.name = "bench \"1\"\\",
                     .m = &m,
                     .reference = true,
                     .records = 20,
                     .bad_lines = 2,
                     .connected = true,
                     .last_record_s = 1764583200.5,
                     .recording_bytes = NAN};
   StrBuf out;
   StrBuf_init(&out);
   ds_metrics_render(&out, &b, 1, false);
   const char *want[] = {
      "# TYPE driftscope_records_total counter",
      "driftscope_records_total{board=\"bench \\\"1\\\"\\\\\"} 20",
      "driftscope_bad_lines_total{board=\"bench \\\"1\\\"\\\\\"} 2",
      "driftscope_connected{board=\"bench \\\"1\\\"\\\\\"} 1",
      "driftscope_last_record_timestamp_seconds{board=\"bench \\\"1\\\"\\\\\"} 1764583200.5",
      "driftscope_window_records{board=\"bench \\\"1\\\"\\\\\"} 10",
      "driftscope_feature_drift_score{board=\"bench \\\"1\\\"\\\\\",feature=\"x\",method=\"ks\"} "
      "1.0825088224469026e-05",
      "driftscope_feature_drift_score{board=\"bench \\\"1\\\"\\\\\",feature=\"y\",method=\"ks\"} 1",
      "driftscope_feature_drift_threshold{board=\"bench \\\"1\\\"\\\\\",feature=\"x\",method=\"ks\"} 0.05",
      "driftscope_feature_drifted{board=\"bench \\\"1\\\"\\\\\",feature=\"x\"} 1",
      "driftscope_feature_drifted{board=\"bench \\\"1\\\"\\\\\",feature=\"y\"} 0",
      "driftscope_drifted_features_ratio{board=\"bench \\\"1\\\"\\\\\"} 0.5",
      "driftscope_dataset_drifted{board=\"bench \\\"1\\\"\\\\\"} 1",
      "driftscope_window_accuracy_ratio{board=\"bench \\\"1\\\"\\\\\"} 0",
      "driftscope_detector_drifts_total{board=\"bench \\\"1\\\"\\\\\",detector=\"page_hinkley\"} 0",
   };
   for (size_t i = 0; i < sizeof want / sizeof *want; i++)
      if (!has_line(out.data, want[i]))
         fail_msg("no line %s in\n%s", want[i], out.data);
   assert_null(strstr(out.data, "recording_bytes{")); /* not recording: no sample */
   assert_null(strstr(out.data, "# EOF"));
   StrBuf_clear(&out);
   ds_metrics_render(&out, &b, 1, true); /* OpenMetrics: counter families without _total, # EOF last */
   assert_true(has_line(out.data, "# TYPE driftscope_records counter"));
   assert_true(has_line(out.data, "driftscope_records_total{board=\"bench \\\"1\\\"\\\\\"} 20"));
   assert_int_equal(strcmp(out.data + out.len - 6, "# EOF\n"), 0);
   StrBuf_done(&out);
   Monitor_done(&m);
   streams_free(s);
}

static void test_replay_pacing(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table t;
   assert_true(Table_init(&t, &cl, false));
   int c = Table_add_column(&t, "time_ms", ROLE_TIME, KIND_NUMERIC, -1);
   double times[] = {1000, 1100, 1100, 1050, 1300}; /* the fourth goes back: no time passes */
   for (int i = 0; i < 5; i++) {
      Table_row_begin(&t);
      Table_row_set(&t, c, times[i]);
      assert_true(Table_row_commit(&t, NULL));
   }
   Replay r;
   assert_true(Replay_init(&r, &t));
   /* paced times: 0, 100, 100, 100, 350 */
   assert_rel(Replay_duration(&r), 350, 0);
   assert_rel(Replay_speed(&r), 1, 0);
   assert_true(Replay_advance(&r, 50));
   assert_int_equal(r.cursor, 1);
   assert_rel(Replay_next_due(&r), 50, 1e-12);
   assert_true(Replay_advance(&r, 50));
   assert_int_equal(r.cursor, 4);
   assert_rel(Replay_next_due(&r), 250, 1e-12);
   Replay_faster(&r);
   assert_rel(Replay_next_due(&r), 125, 1e-12);
   r.paused = true;
   assert_false(Replay_advance(&r, 1000));
   assert_rel(Replay_next_due(&r), -1, 0);
   Replay_step(&r); /* one more record, at its time */
   assert_int_equal(r.cursor, 5);
   Replay_seek(&r, -1000);
   assert_int_equal(r.cursor, 1);
   Replay_end(&r);
   assert_int_equal(r.cursor, 5);
   Replay_home(&r);
   r.paused = false;
   for (int i = 0; i < 20; i++)
      Replay_faster(&r);
   assert_true(Replay_at_max(&r));
   assert_rel(Replay_next_due(&r), 0, 0);
   assert_true(Replay_advance(&r, 0));
   assert_int_equal(r.cursor, 5); /* a max-speed step moves up to DS_REPLAY_MAX_STEP records */
   for (int i = 0; i < 20; i++)
      Replay_slower(&r);
   assert_rel(Replay_speed(&r), 0.25, 0);
   Replay_done(&r);
   Table_done(&t);
   Classes_done(&cl);
}

/* A live stream: the Monitor prepared before the first record, prepared
 * again when the columns arrive, then following the stream as it grows;
 * the figures are the hand-worked ones of the whole stream above. */
static void test_monitor_growing_stream(void **state) {
   (void)state;
   Streams *s = streams_n(0);
   AnalysisOptions opt;
   Monitor m;
   monitor_on(s, &m, &opt, 10, 5);
   assert_int_equal(m.a.ncols, 0);
   assert_false(Monitor_stale(&m));
   assert_int_equal(Monitor_top_feature(&m), -1);
   assert_true(Monitor_seek(&m, 0));

   add_rows(s, 0, 7); /* the first records bring the columns */
   assert_true(Monitor_stale(&m));
   Monitor_done(&m);
   assert_true(Monitor_init(&m, &s->ref, &s->cur, &opt, NULL));
   assert_false(Monitor_stale(&m));
   assert_true(Monitor_seek(&m, 7));
   int x = col_named(&m, "x"), y = col_named(&m, "y");
   assert_int_equal(m.rows, 7);
   assert_int_equal(m.a.nwindows, 1); /* the warm-up window ending at 5 */

   add_rows(s, 7, 20); /* more records: the same Monitor follows */
   assert_false(Monitor_stale(&m));
   assert_true(Monitor_seek(&m, 20));
   assert_int_equal(m.first, 10);
   assert_rel(m.a.cols[x].drift.ks_pvalue, 2.0 / 184756.0, 1e-9);
   assert_false(m.a.cols[y].drift.drifted);
   assert_true(m.a.dataset_drift);
   assert_rel(m.a.accuracy, 0.5, 0);
   double h[8];
   assert_int_equal(Monitor_history(&m, x, h, 8), 4);
   assert_rel(h[0], 0.3506493506493507, 1e-9); /* scipy ks_2samp(range(5), range(10)) */
   assert_rel(h[2], 0.16782134274394334, 1e-9);

   /* a column that appears mid-stream makes the Monitor stale */
   int z = Table_add_column(&s->cur, "z", ROLE_FEATURE, KIND_NUMERIC, -1);
   Table_row_begin(&s->cur);
   Table_row_set(&s->cur, z, 1);
   assert_true(Table_row_commit(&s->cur, NULL));
   assert_true(Monitor_stale(&m));
   Monitor_done(&m);
   streams_free(s);
}

/* The current window's verdict statistic always; every statistic only when
 * a view asks (Monitor_set_detail). Reference x = 0..1999 (over 1000 rows:
 * Wasserstein decides); window x = 0.5, 10.5, ... 90.5. scipy 1.10:
 * wasserstein_distance / std = 1.6523775429933185, ks_2samp: D = 0.9545,
 * p = 1.3248162082908463e-13. */
static void test_monitor_detail(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table ref, cur;
   assert_true(Table_init(&ref, &cl, false));
   assert_true(Table_init(&cur, &cl, false));
   int rx = Table_add_column(&ref, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   int cx = Table_add_column(&cur, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   for (int i = 0; i < 2000; i++) {
      Table_row_begin(&ref);
      Table_row_set(&ref, rx, i);
      assert_true(Table_row_commit(&ref, NULL));
   }
   for (int i = 0; i < 10; i++) {
      Table_row_begin(&cur);
      Table_row_set(&cur, cx, 10.0 * i + 0.5);
      assert_true(Table_row_commit(&cur, NULL));
   }
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   opt.window = 10;
   Monitor m;
   assert_true(Monitor_init(&m, &ref, &cur, &opt, NULL));
   assert_true(Monitor_seek(&m, 10));
   const ColumnDrift *d = &m.a.cols[0].drift;
   assert_int_equal(d->method, DRIFT_WASSERSTEIN);
   assert_rel(d->wasserstein_norm, 1.6523775429933185, 1e-12);
   assert_true(isnan(d->ks_pvalue)); /* not asked for */
   unsigned long v = m.version;
   assert_true(Monitor_set_detail(&m, true));
   assert_true(m.version != v);
   assert_rel(d->ks_statistic, 0.9545, 1e-12);
   assert_rel(d->ks_pvalue, 1.3248162082908463e-13, 1e-9);
   assert_true(Monitor_seek(&m, 9)); /* stays on while the window moves */
   assert_false(isnan(d->ks_pvalue));
   assert_true(Monitor_set_detail(&m, false));
   assert_true(Monitor_seek(&m, 10));
   assert_true(isnan(d->ks_pvalue));
   Monitor_done(&m);
   Table_done(&ref);
   Table_done(&cur);
   Classes_done(&cl);
}

/* Commit count records to a live table (x, rx_ms) received at rx. */
static void live_rows(Table *t, size_t count, double rx) {
   for (size_t i = 0; i < count; i++) {
      Table_row_begin(t);
      Table_row_set(t, 0, (double)t->nrows);
      assert_true(Table_row_commit(t, NULL));
      Table_set(t, t->rx_col, t->nrows - 1, rx);
   }
}

/* A table of n records with one column, record i holding i * step. */
static void one_column(Table *t, Classes *cl, const char *name, ColumnRole role, int n, double step) {
   assert_true(Table_init(t, cl, false));
   int c = Table_add_column(t, name, role, KIND_NUMERIC, -1);
   for (int i = 0; i < n; i++) {
      Table_row_begin(t);
      Table_row_set(t, c, step * i);
      assert_true(Table_row_commit(t, NULL));
   }
}

/* --rate paces a stream without times: 200 records a second, 5 ms apart;
 * a stream with times keeps them. */
static void test_replay_rate(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table t;
   one_column(&t, &cl, "x", ROLE_FEATURE, 400, 1);
   Replay r;
   assert_true(Replay_init(&r, &t));
   assert_rel(Replay_duration(&r), 399 * DS_REPLAY_DEFAULT_MS, 1e-12);
   Replay_pace(&r, &t, 1000.0 / 200);
   assert_rel(Replay_duration(&r), 399 * 5.0, 1e-12);
   assert_true(Replay_advance(&r, 1000));
   assert_int_equal(r.cursor, 201); /* records at 0, 5, ... 1000 ms */
   Replay_done(&r);
   int tc = Table_add_column(&t, "time_ms", ROLE_TIME, KIND_NUMERIC, -1);
   for (size_t i = 0; i < t.nrows; i++)
      Table_set(&t, tc, i, 1000.0 * (double)i);
   assert_true(Replay_init(&r, &t));
   Replay_pace(&r, &t, 5);
   assert_rel(Replay_duration(&r), 399000, 1e-12); /* its own times */
   Replay_done(&r);
   Table_done(&t);
   Classes_done(&cl);
}

/* Pause and resume keep the position: the wall time spent paused does not
 * move the replay (records one a second; paused at 2 s for 30 s). */
static void test_replay_resume(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table t;
   one_column(&t, &cl, "time_ms", ROLE_TIME, 10, 1000);
   Replay r;
   assert_true(Replay_init(&r, &t));
   assert_true(Replay_advance(&r, 2000));
   assert_int_equal(r.cursor, 3); /* records at 0, 1 and 2 s */
   r.paused = true;
   assert_false(Replay_advance(&r, 10)); /* the turn the pause key was read in */
   r.paused = false;
   assert_false(Replay_advance(&r, 30000)); /* the turn of the resume key: 30 s later */
   assert_int_equal(r.cursor, 3);
   assert_rel(r.pos, 2000, 0);
   assert_true(Replay_advance(&r, 1000)); /* and on from there */
   assert_int_equal(r.cursor, 4);
   Replay_done(&r);
   Table_done(&t);
   Classes_done(&cl);
}

/* A live stream's pacing: records at their receive times (the Table's rx
 * column), from the first record's; unpaused it shows every record;
 * paused or moved back it holds while records arrive; forward to the
 * newest record follows again; records discarded bound every move. */
static void test_replay_live(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table t;
   assert_true(Table_init(&t, &cl, false));
   Table_add_column(&t, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   Replay r;
   assert_false(Replay_init_live(&r, &t)); /* no receive times */
   Table_add_column(&t, "rx_ms", ROLE_RX, KIND_NUMERIC, -1);
   assert_true(Replay_init_live(&r, &t));
   assert_true(Replay_following(&r));
   Replay_sync(&r, 50);
   assert_int_equal(r.n, 0);
   assert_rel(Replay_duration(&r), 0, 0); /* no record: no stream time yet */
   live_rows(&t, 3, 100);
   Replay_sync(&r, 100);
   assert_int_equal(r.cursor, 3);
   assert_rel(Replay_time(&r, 0), 0, 0); /* stream time runs from the first record */
   Replay_sync(&r, 350);
   assert_rel(Replay_duration(&r), 250, 0);
   assert_rel(r.pos, 250, 0);
   live_rows(&t, 2, 100);
   Replay_sync(&r, 360);
   assert_int_equal(r.cursor, 5);
   assert_rel(Replay_next_due(&r), -1, 0); /* the source says when, not a clock */

   r.paused = true;
   live_rows(&t, 1, 300);
   Replay_sync(&r, 400);
   assert_int_equal(r.n, 6);
   assert_int_equal(r.cursor, 5); /* held */
   assert_false(Replay_advance(&r, 1000));
   assert_int_equal(r.cursor, 5);

   live_rows(&t, 4000, 400);
   Replay_sync(&r, 400);
   assert_int_equal(r.n, 4006);
   Replay_go_live(&r);
   assert_int_equal(r.cursor, 4006);

   Replay_seek(&r, -1000); /* back: holds */
   assert_true(r.paused);
   assert_false(r.before_kept);
   assert_int_equal(r.cursor, 5); /* the five records at stream time 0 */
   Replay_step(&r);
   assert_int_equal(r.cursor, 6); /* the one at 200 */
   size_t first;
   assert_int_equal(Replay_segment(&r, 0, 0, &first), 5);
   assert_int_equal(first, 0);
   assert_int_equal(Replay_segment(&r, 1, 250, &first), 1); /* the record at 200 */
   assert_int_equal(first, 5);
   assert_int_equal(Replay_segment(&r, 1, 150, &first), 0); /* between two records */
   assert_int_equal(first, 5);
   assert_int_equal(Replay_lower(&r, 200), 5);
   assert_int_equal(Replay_upper(&r, 200), 6);
   Replay_seek(&r, 1e6); /* forward to the newest: follows again */
   assert_false(r.paused);
   assert_int_equal(r.cursor, 4006);
   live_rows(&t, 1, 500);
   Replay_sync(&r, 500);
   assert_int_equal(r.cursor, 4007); /* following: shown at once */
   assert_false(Replay_advance(&r, 100));
   Replay_home(&r);
   assert_true(r.paused);
   assert_int_equal(r.cursor, 0);

   /* the first 4000 records go: every move stops at the first held */
   Table_discard(&t, 4000);
   Replay_sync(&r, 500);
   assert_int_equal(Replay_first(&r), 4000);
   assert_int_equal(r.cursor, 4006); /* the records at stream time 300: 4000-4005 */
   assert_rel(Replay_time(&r, 4000), 300, 0);
   Replay_home(&r);
   assert_true(r.before_kept);
   assert_int_equal(r.cursor, 4006);
   Replay_seek(&r, -1e6);
   assert_true(r.before_kept);
   assert_rel(r.pos, 300, 0);
   Replay_seek(&r, 100);
   assert_false(r.before_kept);
   assert_int_equal(r.cursor, 4007);
   Replay_done(&r);
   Table_done(&t);
   Classes_done(&cl);
}

/* A long live stream keeps its last records only (Monitor_release, then
 * Table_discard): what it shows equals what a Monitor over the whole
 * stream shows — the session figures (confusion, accuracy, detectors,
 * missing values), the current window and the score history held. */
static void test_monitor_bounded(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table ref, all, part;
   assert_true(Table_init(&ref, &cl, false));
   int A = Classes_intern(&cl, "A", 1), B = Classes_intern(&cl, "B", 1);
   Table_add_column(&ref, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   Table_add_column(&ref, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   for (int i = 0; i < 200; i++) {
      Table_row_begin(&ref);
      Table_row_set(&ref, 0, i % 50);
      Table_row_set(&ref, 1, i % 3 ? A : B);
      assert_true(Table_row_commit(&ref, NULL));
   }
   Table *cur[2] = {&all, &part};
   for (int k = 0; k < 2; k++) {
      assert_true(Table_init(cur[k], &cl, false));
      Table_add_column(cur[k], "x", ROLE_FEATURE, KIND_NUMERIC, -1);
      Table_add_column(cur[k], "pred", ROLE_PRED, KIND_CATEGORICAL, -1);
      Table_add_column(cur[k], "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   }
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   opt.window = 40;
   opt.stride = 10;
   Monitor ma, mp;
   assert_true(Monitor_init(&ma, &ref, &all, &opt, NULL));
   assert_true(Monitor_init(&mp, &ref, &part, &opt, NULL));
   const size_t keep = 100;
   unsigned seed = 7;
   for (int step = 0; step < 60; step++) {
      for (int i = 0; i < 37; i++) { /* the stream drifts from record 1000 on; errors come and go */
         seed = seed * 1103515245u + 12345u;
         size_t n = all.nrows;
         double x = (double)(seed >> 16 & 63) + (n >= 1000 ? 30 : 0);
         double truth = (seed >> 8 & 3) ? A : B, pred = (seed >> 4 & 7) < (n < 1200 ? 6 : 3) ? truth : A + B - truth;
         for (int k = 0; k < 2; k++) {
            Table_row_begin(cur[k]);
            Table_row_set(cur[k], 0, n % 97 == 5 ? NAN : x);
            Table_row_set(cur[k], 1, pred);
            Table_row_set(cur[k], 2, truth);
            assert_true(Table_row_commit(cur[k], NULL));
         }
      }
      assert_true(Monitor_seek(&ma, all.nrows));
      assert_true(Monitor_seek(&mp, part.nrows));
      if (part.nrows - part.base > keep + keep / 8) {
         size_t upto = part.nrows - keep;
         assert_true(Monitor_release(&mp, upto));
         Table_discard(&part, upto);
         assert_true(Monitor_seek(&mp, mp.cursor));
      }
      if (step == 40) { /* a truth change (labels) counts the session again: from the checkpoint */
         assert_true(Monitor_recount(&mp));
         assert_int_equal(mp.a.confusion->total, ma.a.confusion->total);
         assert_int_equal(mp.a.cols[0].s_rows, ma.a.cols[0].s_rows);
         assert_true(Monitor_seek(&mp, part.base)); /* back as far as it goes: the records held */
         assert_int_equal(mp.cursor, part.base);
         assert_true(Monitor_seek(&mp, part.nrows));
      }
   }
   assert_int_equal(all.nrows, 2220);
   assert_true(part.base >= 2220 - keep - keep / 8);
   assert_true(part.base > 0);
   assert_int_equal(mp.cursor, ma.cursor);
   assert_int_equal(mp.first, ma.first);
   assert_int_equal(mp.a.confusion->total, ma.a.confusion->total);
   assert_int_equal(mp.a.confusion->m[A][B], ma.a.confusion->m[A][B]);
   assert_int_equal(mp.a.confusion->m[B][A], ma.a.confusion->m[B][A]);
   assert_rel(mp.a.accuracy, ma.a.accuracy, 0);
   assert_rel(mp.a.macro_f1, ma.a.macro_f1, 0);
   assert_true(ma.a.det.ddm.drifts + ma.a.det.ph.drifts >
               0); /* the detectors did fire: the comparison means something */
   assert_int_equal(mp.a.det.ddm.drifts, ma.a.det.ddm.drifts);
   assert_int_equal(mp.a.det.ddm.warnings, ma.a.det.ddm.warnings);
   assert_int_equal(mp.a.det.ph.drifts, ma.a.det.ph.drifts);
   assert_memory_equal(mp.a.det.ddm.at, ma.a.det.ddm.at, sizeof ma.a.det.ddm.at);
   int x = col_named(&ma, "x");
   assert_int_equal(mp.a.cols[x].s_rows, 2220);
   assert_int_equal(mp.a.cols[x].s_missing, ma.a.cols[x].s_missing);
   assert_true(ma.a.cols[x].s_missing > 0);
   assert_rel(mp.a.cols[x].drift.score, ma.a.cols[x].drift.score, 0);
   /* since when: the onset (record 1000, where x moved by 30) survives the
    * trims and the recount, as the whole stream's Monitor finds it */
   ChangePoint oa, op;
   ChangeTrack_onset(ma.a.cols[x].track, &oa);
   ChangeTrack_onset(mp.a.cols[x].track, &op);
   assert_true(oa.found);
   assert_true(oa.record_lo <= 1000 && 1000 <= oa.record_hi);
   assert_false(mp.a.cols[x].track->failed);
   assert_true(op.found);
   assert_int_equal(op.record, oa.record);
   assert_int_equal(op.record_lo, oa.record_lo);
   assert_int_equal(op.record_hi, oa.record_hi);
   assert_rel(op.lr, oa.lr, 0);
   assert_true(ma.a.dataset_drift);
   assert_int_equal(mp.a.dataset_drift, ma.a.dataset_drift);
   double ha[300], hp[300];
   size_t na = Monitor_history(&ma, x, ha, 300), np = Monitor_history(&mp, x, hp, 300);
   assert_int_equal(na, 222);
   assert_int_equal(np, 222); /* DS_MONITOR_HISTORY windows are kept before the records held */
   for (size_t k = 0; k < np; k++)
      assert_true(isnan(ha[k]) ? isnan(hp[k]) : ha[k] == hp[k]);
   Monitor_done(&ma);
   Monitor_done(&mp);
   Table_done(&ref);
   Table_done(&all);
   Table_done(&part);
   Classes_done(&cl);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_monitor_window_and_history),
      cmocka_unit_test(test_monitor_work),
      cmocka_unit_test(test_exposition),
      cmocka_unit_test(test_refcache_shared),
      cmocka_unit_test(test_replay_pacing),
      cmocka_unit_test(test_replay_resume),
      cmocka_unit_test(test_replay_rate),
      cmocka_unit_test(test_monitor_growing_stream),
      cmocka_unit_test(test_replay_live),
      cmocka_unit_test(test_monitor_bounded),
      cmocka_unit_test(test_monitor_detail),
   };
   return cmocka_run_group_tests_name("monitor", tests, NULL, NULL);
}
