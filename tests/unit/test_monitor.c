// SPDX-License-Identifier: MIT
/* Monitor (the dashboard's view of a stream at a position) and Replay
 * (its pacing), against hand-worked cases. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static void test_monitor_window_and_history(void **state) {
   (void)state;
   Streams *s = streams();
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   opt.window = 10;
   opt.stride = 5;
   Monitor m;
   assert_true(Monitor_init(&m, &s->ref, &s->cur, &opt, NULL));
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
   AnalysisOptions_default(&opt);
   opt.window = 10;
   opt.stride = 5;
   Monitor m;
   assert_true(Monitor_init(&m, &s->ref, &s->cur, &opt, NULL));
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

/* A live stream's pacing: records at their receive times; unpaused it
 * shows every record; paused or moved back it holds while records arrive;
 * forward to the newest record follows again. */
static void test_replay_live(void **state) {
   (void)state;
   Replay r;
   assert_true(Replay_init_live(&r));
   assert_true(Replay_following(&r));
   assert_int_equal(r.n, 0);
   assert_true(Replay_append(&r, 3, 100));
   assert_int_equal(r.cursor, 3);
   Replay_set_clock(&r, 250);
   assert_rel(Replay_duration(&r), 250, 0);
   assert_rel(r.pos, 250, 0);
   assert_true(Replay_append(&r, 2, 90)); /* earlier than the last: the same time */
   assert_rel(r.t[4], 100, 0);
   assert_int_equal(r.cursor, 5);
   assert_rel(Replay_next_due(&r), -1, 0); /* the source says when, not a clock */

   r.paused = true;
   assert_true(Replay_append(&r, 1, 300));
   assert_int_equal(r.n, 6);
   assert_int_equal(r.cursor, 5); /* held */
   assert_false(Replay_advance(&r, 1000));
   assert_int_equal(r.cursor, 5);

   assert_true(Replay_append(&r, 4000, 400)); /* grows past its first allocation */
   assert_int_equal(r.n, 4006);
   Replay_go_live(&r);
   assert_int_equal(r.cursor, 4006);

   Replay_seek(&r, -1000); /* back: holds */
   assert_true(r.paused);
   assert_int_equal(r.cursor, 0);
   Replay_step(&r);
   assert_int_equal(r.cursor, 5); /* the five records at 100 ms (two clamped to it) */
   Replay_seek(&r, 1e6);          /* forward to the newest: follows again */
   assert_false(r.paused);
   assert_int_equal(r.cursor, 4006);
   assert_true(Replay_append(&r, 1, 500)); /* following: shown at once */
   assert_int_equal(r.cursor, 4007);
   assert_false(Replay_advance(&r, 100));
   Replay_home(&r);
   assert_true(r.paused);
   assert_int_equal(r.cursor, 0);
   Replay_done(&r);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_monitor_window_and_history),
      cmocka_unit_test(test_replay_pacing),
      cmocka_unit_test(test_monitor_growing_stream),
      cmocka_unit_test(test_replay_live),
      cmocka_unit_test(test_monitor_detail),
   };
   return cmocka_run_group_tests_name("monitor", tests, NULL, NULL);
}
