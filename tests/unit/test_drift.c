// SPDX-License-Identifier: MIT
/* Evidently's method selection at its boundaries, binning at 20/21
 * distinct reference values, verdict semantics, detectors and metrics. */
#include <stdlib.h>
#include <string.h>

#include "driftscope/analysis.h"
#include "driftscope/assess.h"
#include "driftscope/detectors.h"
#include "driftscope/drift.h"
#include "driftscope/metrics.h"
#include "driftscope/report.h"
#include "driftscope/stats.h"
#include "testutil.h"

/* Reference of n values cycling through `distinct` values; current of m values. */
static DriftMethodId method_for(size_t n_ref, int distinct, ColumnKind kind, int cur_distinct) {
   double *v = malloc(n_ref * sizeof(double));
   for (size_t i = 0; i < n_ref; i++)
      v[i] = (double)(i % (size_t)distinct);
   RefColumn rc;
   assert_true(RefColumn_init(&rc, "x", ROLE_FEATURE, kind, v, n_ref));
   double cur[50];
   for (int i = 0; i < 50; i++)
      cur[i] = (double)(i % cur_distinct);
   ds_sort_doubles(cur, 50);
   DriftOptions opt = {.method = DRIFT_AUTO, .threshold = NAN};
   DriftScratch s = {0};
   ColumnDrift d;
   assert_true(ds_column_drift(&rc, cur, 50, &opt, &s, &d));
   DriftScratch_done(&s);
   RefColumn_done(&rc);
   free(v);
   return d.method;
}

static void test_method_selection(void **state) {
   (void)state;
   /* numeric, many values: KS up to n_ref = 1000, Wasserstein above */
   assert_int_equal(method_for(1000, 50, KIND_NUMERIC, 7), DRIFT_KS);
   assert_int_equal(method_for(1001, 50, KIND_NUMERIC, 7), DRIFT_WASSERSTEIN);
   /* n_unique over reference ∪ current: 6 → KS, 5 → chi-square, 3 → chi-square, 2 → z */
   assert_int_equal(method_for(100, 6, KIND_NUMERIC, 1), DRIFT_KS);
   assert_int_equal(method_for(100, 5, KIND_NUMERIC, 1), DRIFT_CHISQUARE);
   assert_int_equal(method_for(100, 3, KIND_NUMERIC, 1), DRIFT_CHISQUARE);
   assert_int_equal(method_for(100, 2, KIND_NUMERIC, 1), DRIFT_Z);
   assert_int_equal(method_for(100, 5, KIND_NUMERIC, 6), DRIFT_KS); /* the current's 6th value counts */
   /* large reference: Jensen-Shannon for few values */
   assert_int_equal(method_for(2000, 5, KIND_NUMERIC, 1), DRIFT_JS);
   assert_int_equal(method_for(2000, 2, KIND_NUMERIC, 1), DRIFT_JS);
   /* categorical never uses KS/Wasserstein */
   assert_int_equal(method_for(100, 10, KIND_CATEGORICAL, 1), DRIFT_CHISQUARE);
   assert_int_equal(method_for(2000, 10, KIND_CATEGORICAL, 1), DRIFT_JS);
   assert_int_equal(method_for(100, 2, KIND_CATEGORICAL, 1), DRIFT_Z);
}

static double js_of(const double *ref, size_t n, const double *cur, size_t m) {
   RefColumn rc;
   assert_true(RefColumn_init(&rc, "x", ROLE_FEATURE, KIND_NUMERIC, ref, n));
   DriftOptions opt = {.method = DRIFT_AUTO, .threshold = NAN, .all_stats = true};
   DriftScratch s = {0};
   ColumnDrift d;
   assert_true(ds_column_drift(&rc, cur, m, &opt, &s, &d));
   DriftScratch_done(&s);
   RefColumn_done(&rc);
   return d.jensenshannon;
}

/* KS p-values are remembered per scratch (a sliding window's D repeats):
 * alternating windows on one scratch still get each its own exact value
 * (scipy 1.10 ks_2samp(range(100), window)). */
static void test_ks_memo(void **state) {
   (void)state;
   double ref[100], a[50], b[50];
   for (int i = 0; i < 100; i++)
      ref[i] = i;
   for (int i = 0; i < 50; i++) {
      a[i] = i + 0.5;      /* the lower half: D = 0.5 */
      b[i] = 2 * i + 0.25; /* spread like the reference: D = 0.01 */
   }
   RefColumn rc;
   assert_true(RefColumn_init(&rc, "x", ROLE_FEATURE, KIND_NUMERIC, ref, 100));
   DriftOptions opt = {.method = DRIFT_KS, .threshold = NAN};
   DriftScratch s = {0};
   ColumnDrift d;
   for (int round = 0; round < 3; round++) {
      assert_true(ds_column_drift(&rc, a, 50, &opt, &s, &d));
      assert_rel(d.ks_statistic, 0.5, 1e-15);
      assert_rel(d.ks_pvalue, 5.2852820637809495e-08, 1e-9);
      assert_true(ds_column_drift(&rc, b, 50, &opt, &s, &d));
      assert_rel(d.ks_statistic, 0.01, 1e-12);
      assert_rel(d.ks_pvalue, 1.0, 1e-12);
   }
   assert_non_null(s.ks_memo);
   DriftScratch_done(&s);
   RefColumn_done(&rc);
}

/* 20 distinct reference values: one bin per value (0.5 is a new key, disjoint:
 * JS = sqrt(ln 2)); 21: Sturges bins over reference ∪ current (numpy/scipy:
 * 0.65684010155556649). */
static void test_binning_boundary(void **state) {
   (void)state;
   double ref[21], cur[10];
   for (int i = 0; i < 21; i++)
      ref[i] = i;
   for (int i = 0; i < 10; i++)
      cur[i] = 0.5;
   assert_rel(js_of(ref, 20, cur, 10), sqrt(log(2.0)), 1e-15);
   assert_rel(js_of(ref, 21, cur, 10), 0.65684010155556649, 1e-14);
}

static void test_verdicts(void **state) {
   (void)state;
   assert_true(ds_drift_is_drift(DRIFT_KS, 0.05, 0.05));         /* p <= threshold */
   assert_false(ds_drift_is_drift(DRIFT_CHISQUARE, 0.05, 0.05)); /* p < threshold */
   assert_false(ds_drift_is_drift(DRIFT_Z, 0.05, 0.05));
   assert_true(ds_drift_is_drift(DRIFT_WASSERSTEIN, 0.1, 0.1)); /* distance >= threshold */
   assert_true(ds_drift_is_drift(DRIFT_JS, 0.1, 0.1));
   assert_false(ds_drift_is_drift(DRIFT_PSI, 0.0999, 0.1));
   assert_int_equal(ds_drift_method_parse("psi"), DRIFT_PSI);
   assert_int_equal(ds_drift_method_parse("nope"), DRIFT_AUTO);
}

static ColumnDrift drift_of(const RefColumn *rc, double *cur, size_t m, DriftMethodId method, bool all) {
   ds_sort_doubles(cur, m);
   DriftOptions opt = {.method = method, .threshold = NAN, .all_stats = all};
   DriftScratch s = {0};
   ColumnDrift d;
   assert_true(ds_column_drift(rc, cur, m, &opt, &s, &d));
   DriftScratch_done(&s);
   return d;
}

/* A forced test applies to the kinds Evidently allows it (ks, wasserstein:
 * numbers; chisquare, z: categories; jensenshannon, psi: both); elsewhere
 * the column is not scored, with the reason. */
static void test_forced_applicability(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   double ref[40], cur[30];
   for (int i = 0; i < 40; i++)
      ref[i] = i % 3;
   RefColumn cat, num;
   assert_true(RefColumn_init(&cat, "c", ROLE_FEATURE, KIND_CATEGORICAL, ref, 40));
   assert_true(RefColumn_init(&num, "n", ROLE_FEATURE, KIND_NUMERIC, ref, 40));
   for (int i = 0; i < 30; i++)
      cur[i] = i % 2;
   ColumnDrift d = drift_of(&cat, cur, 30, DRIFT_KS, false);
   assert_false(d.scored);
   assert_false(d.drifted);
   assert_true(isnan(d.score));
   assert_string_equal(d.why, "ks needs numbers; this column holds categories");
   d = drift_of(&cat, cur, 30, DRIFT_WASSERSTEIN, true);
   assert_false(d.scored);
   assert_non_null(strstr(d.why, "wasserstein needs numbers"));
   d = drift_of(&num, cur, 30, DRIFT_CHISQUARE, false);
   assert_false(d.scored);
   assert_non_null(strstr(d.why, "chisquare applies to categorical columns"));
   d = drift_of(&num, cur, 30, DRIFT_Z, false);
   assert_false(d.scored);
   d = drift_of(&cat, cur, 30, DRIFT_JS, false);
   assert_true(d.scored);
   d = drift_of(&num, cur, 30, DRIFT_PSI, false);
   assert_true(d.scored);
   d = drift_of(&cat, cur, 30, DRIFT_CHISQUARE, false);
   assert_true(d.scored);
   /* Evidently's own choice for a numeric column of few values is a count test: scored */
   d = drift_of(&num, cur, 30, DRIFT_AUTO, false);
   assert_int_equal(d.method, DRIFT_CHISQUARE);
   assert_true(d.scored);
   RefColumn_done(&cat);
   RefColumn_done(&num);
   Classes_done(&cl);
}

/* Forced z on a categorical column of three classes: Evidently sets the
 * smallest class *name* against the others. Interned walk, idle, run:
 * "idle" (id 1) is the first by name; walk 30 / idle 50 / run 20 against
 * 20 / 30 / 50 is 50% vs 70% not-idle: p = 0.0038924171227785465 (numpy
 * and scipy on Evidently's _z_stat_test). */
static void test_z_categorical_order(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   int walk = Classes_intern(&cl, "walk", 4), idle = Classes_intern(&cl, "idle", 4),
       run = Classes_intern(&cl, "run", 3);
   double ref[100], cur[100];
   for (int i = 0; i < 100; i++) {
      ref[i] = i < 30 ? walk : i < 80 ? idle : run;
      cur[i] = i < 20 ? walk : i < 50 ? idle : run;
   }
   RefColumn rc;
   assert_true(RefColumn_init(&rc, "pred", ROLE_PRED, KIND_CATEGORICAL, ref, 100));
   rc.classes = &cl;
   ColumnDrift d = drift_of(&rc, cur, 100, DRIFT_Z, false);
   assert_true(d.scored);
   assert_rel(d.z_pvalue, 0.0038924171227785465, 1e-12);
   assert_true(d.drifted);
   RefColumn_done(&rc);
   Classes_done(&cl);
}

/* Finite values near ±1e308: no crash; the range overflows a double, so
 * the binned tests (numpy refuses the bins) and the normalised Wasserstein
 * (numpy's std overflows) are not scored, with the reason; KS still is
 * (scipy: ks_2samp gives D = 0.2, p = 0.99445755482907168 below). */
static void test_extreme_values(void **state) {
   (void)state;
   double ref[1200], cur[10] = {0, 1, 2, 3.5, 4, 5, 6, 7, 8, 9};
   for (int i = 0; i < 1200; i++)
      ref[i] = i % 30 == 0 ? 1e308 : i % 30 == 1 ? -1e308 : i % 30; /* 30 values: Sturges bins */
   RefColumn rc;
   assert_true(RefColumn_init(&rc, "x", ROLE_FEATURE, KIND_NUMERIC, ref, 1200));
   ColumnDrift d = drift_of(&rc, cur, 10, DRIFT_AUTO, true);
   assert_int_equal(d.method, DRIFT_WASSERSTEIN); /* n_ref > 1000, many values */
   assert_false(d.scored);
   assert_non_null(strstr(d.why, "standard deviation overflows"));
   assert_true(isnan(d.jensenshannon) && isnan(d.psi));
   assert_false(isnan(d.ks_pvalue));
   d = drift_of(&rc, cur, 10, DRIFT_JS, false);
   assert_false(d.scored);
   assert_non_null(strstr(d.why, "too wide to bin"));
   RefColumn_done(&rc);
   double small[10] = {1e308, -1e308, 0, 1, 2, 3, 4, 5, 6, 7};
   assert_true(RefColumn_init(&rc, "x", ROLE_FEATURE, KIND_NUMERIC, small, 10));
   double cur2[10] = {0, 1, 2, 3.5, 4, 5, 6, 7, 8, 9};
   d = drift_of(&rc, cur2, 10, DRIFT_AUTO, true);
   assert_int_equal(d.method, DRIFT_KS);
   assert_true(d.scored);
   assert_rel(d.ks_statistic, 0.2, 1e-15);
   assert_rel(d.ks_pvalue, 0.99445755482907168, 1e-12);
   RefColumn_done(&rc);
}

/* DDM, hand-worked: after 31 correct predictions p_min = s_min = 0, so the
 * first error drifts; after only 30 the first error sets the minimum. */
static void test_ddm(void **state) {
   (void)state;
   Ddm d;
   Ddm_init(&d);
   for (int i = 0; i < 31; i++) {
      Ddm_update(&d, 0);
      assert_false(d.drift);
   }
   Ddm_update(&d, 1);
   assert_true(d.drift);
   Ddm_init(&d);
   for (int i = 0; i < 30; i++)
      Ddm_update(&d, 0);
   Ddm_update(&d, 1);
   assert_false(d.drift);
   assert_false(d.warning);
}

/* Page-Hinkley: detection indices from River's algorithm run in Python on the
 * same streams (100 zeros then ones: 166; 50 zeros then threes: 70). */
static void test_page_hinkley(void **state) {
   (void)state;
   struct {
      int zeros;
      double then;
      int total, at;
   } cases[] = {{100, 1.0, 300, 166}, {50, 3.0, 150, 70}};
   for (size_t k = 0; k < 2; k++) {
      PageHinkley p;
      PageHinkley_init(&p);
      int first = -1;
      for (int i = 0; i < cases[k].total; i++) {
         PageHinkley_update(&p, i < cases[k].zeros ? 0.0 : cases[k].then);
         if (p.drift && first < 0)
            first = i;
      }
      assert_int_equal(first, cases[k].at);
   }
}

/* Confusion metrics, hand-worked (sklearn definitions):
 * truth a a a b b c, pred a a b b c c → acc 4/6;
 * a: P 1, R 2/3, F1 0.8; b: P 1/2, R 1/2, F1 1/2; c: P 1/2, R 1, F1 2/3. */
static void test_confusion(void **state) {
   (void)state;
   static Confusion c;
   Confusion_clear(&c);
   int t[] = {0, 0, 0, 1, 1, 2}, p[] = {0, 0, 1, 1, 2, 2};
   for (int i = 0; i < 6; i++)
      Confusion_add(&c, t[i], p[i]);
   assert_rel(Confusion_accuracy(&c), 4.0 / 6.0, 1e-15);
   ClassMetrics a = Confusion_class(&c, 3, 0), b = Confusion_class(&c, 3, 1), cc = Confusion_class(&c, 3, 2);
   assert_rel(a.precision, 1.0, 1e-15);
   assert_rel(a.recall, 2.0 / 3.0, 1e-15);
   assert_rel(a.f1, 0.8, 1e-15);
   assert_rel(b.f1, 0.5, 1e-15);
   assert_rel(cc.f1, 2.0 / 3.0, 1e-15);
   assert_int_equal(cc.support, 1);
   assert_rel(Confusion_macro_f1(&c, 3), (0.8 + 0.5 + 2.0 / 3.0) / 3.0, 1e-15);
   Regression r = {0};
   Regression_add(&r, 1.0, 2.0);
   Regression_add(&r, 3.0, 0.0);
   assert_rel(Regression_mae(&r), 2.0, 0);
   assert_rel(Regression_rmse(&r), sqrt(5.0), 1e-15);
}

/* A whole Analysis on tiny tables: column pairing, the prediction compared
 * with the reference's label when it has no prediction, a feature missing
 * from the reference reported and not scored, and the JSON contract keys. */
static void test_analysis_contract(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table ref, cur;
   assert_true(Table_init(&ref, &cl, false));
   assert_true(Table_init(&cur, &cl, false));
   int rx = Table_add_column(&ref, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   int rl = Table_add_column(&ref, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   int cx = Table_add_column(&cur, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   int cy = Table_add_column(&cur, "y", ROLE_FEATURE, KIND_NUMERIC, -1);
   int cp = Table_add_column(&cur, "pred", ROLE_PRED, KIND_CATEGORICAL, -1);
   int ct = Table_add_column(&cur, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   int A = Classes_intern(&cl, "A", 1), B = Classes_intern(&cl, "B", 1);
   for (int i = 0; i < 40; i++) {
      Table_row_begin(&ref);
      Table_row_set(&ref, rx, i);
      Table_row_set(&ref, rl, i % 2 ? A : B);
      assert_true(Table_row_commit(&ref, NULL));
      Table_row_begin(&cur);
      Table_row_set(&cur, cx, i + 100);
      Table_row_set(&cur, cy, i);
      Table_row_set(&cur, cp, A);
      Table_row_set(&cur, ct, i % 4 ? A : B);
      assert_true(Table_row_commit(&cur, NULL));
   }
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   opt.window = 20;
   opt.stride = 10;
   Analysis a;
   assert_true(Analysis_run(&a, &ref, &cur, &opt, NULL));
   assert_int_equal(a.ncols, 3); /* x, y, pred */
   assert_int_equal(a.cols[0].drift.method, DRIFT_KS);
   assert_true(a.cols[0].drift.drifted); /* disjoint ranges */
   assert_rel(a.cols[0].drift.ks_statistic, 1.0, 0);
   assert_rel(a.cols[0].out_of_range_share, 1.0, 0);
   assert_int_equal(a.cols[1].ref_index, -1);        /* y is not in the reference */
   assert_string_equal(a.cols[2].ref_name, "label"); /* pred against the label */
   assert_int_equal(a.cols[2].drift.method, DRIFT_Z);
   assert_int_equal(a.features, 1);
   assert_true(a.dataset_drift);
   /* windows end every 10 records and hold the last 20: window 0 is a
    * warm-up of records 0..9, window 3 holds 20..39 */
   assert_int_equal(a.nwindows, 4);
   assert_int_equal(Analysis_warmup_windows(&a), 1);
   assert_int_equal(Analysis_win(&a, 0)->first, 0);
   assert_int_equal(Analysis_win(&a, 0)->last, 9);
   assert_int_equal(Analysis_win(&a, 1)->last, 19);
   assert_int_equal(Analysis_win(&a, 3)->first, 20);
   /* with windows the columns compare the last window; quality over the session too */
   assert_true(a.scope_window);
   assert_int_equal(a.scope_first, 20);
   assert_int_equal(a.scope_rows, 20);
   assert_int_equal(a.cols[0].drift.n_cur, 20);
   assert_int_equal(a.cols[0].s_rows, 40);
   assert_rel(a.cols[0].session_out_of_range_share, 1.0, 0);
   assert_true(a.has_truth);
   assert_rel(a.accuracy, 30.0 / 40.0, 1e-15);

   Ingest in;
   memset(&in, 0, sizeof in);
   ReportSource src = {"cur.csv", &in};
   in.table = &cur;
   in.source = "cur.csv";
   const Ingest *streams[] = {&in};
   AssessLimits lim;
   AssessLimits_default(&lim);
   Assessment as;
   ds_assess(&as, &a, &ref, NULL, streams, 1, &lim);
   assert_int_equal(as.status, ASSESS_DRIFT);
   assert_int_equal(as.nproblems, 0);
   assert_true(as.judged);
   ReportContext ctx = {&a, &cur, &cl, "ref.csv", &in, &src, 1, "test", &as};
   StrBuf b;
   StrBuf_init(&b);
   ds_report_json(&b, &ctx);
   const char *keys[] = {
      "\"columns\":{\"x\":{\"role\":\"feature\",\"kind\":\"numeric\",\"n_reference\":40,\"n_current\":20",
      "\"scope\":{\"records\":\"last_window\",\"first_record\":20,\"last_record\":39,\"rows\":20}",
      "\"session_quality\":{\"rows\":40,\"missing_share\":0,\"out_of_range_share\":1}",
      "\"windows_drifted\":3,\"first_drifted_window\":1,\"warmup_windows\":1,\"warmup_windows_drifted\":1,",
      "\"method\":\"ks\"",
      "\"stats\":{\"ks_statistic\":1,",
      "\"wasserstein_norm\":",
      "\"quality\":{\"missing_share\":0,\"out_of_range_share\":1",
      "\"z_pvalue\":",
      "\"dataset\":{\"columns\":1,\"drifted_columns\":1,\"share\":1,\"drift_share_threshold\":0.5,\"dataset_drift\":"
      "true,\"judged\":true}",
      "{\"driftscope\":\"test\",\"status\":\"drift\",\"problems\":[],\"notes\":[],\"missing_features\":[],"
      "\"data_quality\":{\"passed\":true,",
      "\"classification\":{\"classes\":[\"A\",\"B\"],\"confusion\":[[30,0],[10,0]]",
      "\"accuracy\":0.75",
      "\"per_class\":{\"A\":{\"precision\":0.75,\"recall\":1,",
      "\"windows\":[{\"first_record\":0,\"last_record\":9,\"records\":10,",
      "{\"first_record\":0,\"last_record\":19,\"records\":20,",
      "\"input\":{\"rows\":40,",
      "\"y\":{\"role\":\"feature\"",
      "\"not_scored\":\"not in the reference\""};
   for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
      if (!strstr(b.data, keys[i]))
         fail_msg("JSON lacks %s in %s", keys[i], b.data);
   StrBuf_done(&b);
   Analysis_done(&a);
   Table_done(&ref);
   Table_done(&cur);
   Classes_done(&cl);
}

/* Appends row i of the streaming test: x = i % 17 (the reference holds
 * 0..9, so 10..16 are out of its range), truth A, prediction B every
 * fourth record. */
static void stream_row(Table *t, int i, int A, int B) {
   Table_row_begin(t);
   Table_row_set(t, 0, i % 17);
   Table_row_set(t, 1, A);
   Table_row_set(t, 2, i % 4 ? A : B);
   assert_true(Table_row_commit(t, NULL));
}

/* Comparing window by window while records arrive, and dropping the
 * records no window needs any more (Table_discard after Analysis_consume),
 * gives what the whole table compared at once gives. */
static void test_analysis_streaming(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table ref, all, live;
   assert_true(Table_init(&ref, &cl, false));
   assert_true(Table_init(&all, &cl, false));
   assert_true(Table_init(&live, &cl, false));
   Table_add_column(&ref, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   Table_add_column(&ref, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   for (Table *t = &all; t; t = t == &all ? &live : NULL) {
      Table_add_column(t, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
      Table_add_column(t, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
      Table_add_column(t, "pred", ROLE_PRED, KIND_CATEGORICAL, -1);
   }
   int A = Classes_intern(&cl, "A", 1), B = Classes_intern(&cl, "B", 1);
   for (int i = 0; i < 50; i++) {
      Table_row_begin(&ref);
      Table_row_set(&ref, 0, i % 10);
      Table_row_set(&ref, 1, i % 4 ? A : B);
      assert_true(Table_row_commit(&ref, NULL));
   }
   const int rows = 1000;
   for (int i = 0; i < rows; i++)
      stream_row(&all, i, A, B);
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   opt.window = 60;
   opt.stride = 25;
   Analysis whole, s;
   assert_true(Analysis_run(&whole, &ref, &all, &opt, NULL));

   AnalysisWorker w = {0};
   int i = 0;
   for (; i < 60; i++)
      stream_row(&live, i, A, B);
   assert_true(Analysis_prepare(&s, &ref, &live, &opt, NULL));
   size_t k = 0;
   for (; i < rows; i++) {
      stream_row(&live, i, A, B);
      for (; Analysis_window_end(&s, k) <= live.nrows; k++) {
         assert_true(Analysis_ensure_windows(&s, k + 1));
         assert_true(Analysis_window(&s, &live, k, &w));
         Analysis_win(&s, k)->done = true;
         size_t keep = Analysis_keep_from(&s, k + 1);
         assert_true(Analysis_consume(&s, &live, keep));
         Table_discard(&live, keep);
      }
      assert_true(live.nrows - live.base <= 60 + 25 + 1); /* never more than the windows in hand need */
   }
   assert_true(live.base > 0);
   Analysis_seal(&s, &live);
   for (int c = 0; c < s.ncols; c++)
      assert_true(Analysis_column(&s, &live, c, &w));
   assert_true(Analysis_conclude(&s, &live, &w, NULL));

   /* 1000 / 25 = 40 windows; 0 and 1 are warm-ups (records 0..24, 0..49),
    * the last covers records 940..999 */
   assert_int_equal(s.nwindows, 40);
   assert_int_equal(whole.nwindows, 40);
   assert_int_equal(Analysis_warmup_windows(&s), 2);
   assert_int_equal(Analysis_win(&s, 1)->last, 49);
   assert_int_equal(Analysis_win(&s, 2)->first, 15);
   assert_true(s.scope_window);
   assert_int_equal(s.scope_first, 940);
   assert_int_equal(s.scope_rows, 60);
   for (size_t j = 0; j < s.nwindows; j++) {
      const WindowReport *a = Analysis_win(&s, j), *b = Analysis_win(&whole, j);
      assert_int_equal(a->first, b->first);
      assert_int_equal(a->dataset_drift, b->dataset_drift);
      for (int c = 0; c < s.ncols; c++)
         assert_memory_equal(&a->cols[c].score, &b->cols[c].score, sizeof(double));
   }
   for (int c = 0; c < s.ncols; c++)
      assert_memory_equal(&s.cols[c].drift.score, &whole.cols[c].drift.score, sizeof(double));
   /* session figures over all 1000 records: x is 10..16 for 7 of every 17 values
    * (1000 = 58 * 17 + 14: 58 * 7 + 4 = 410 outside), prediction wrong every fourth */
   assert_int_equal(s.cols[0].s_rows, 1000);
   assert_rel(s.cols[0].session_out_of_range_share, 410.0 / 1000.0, 1e-15);
   assert_rel(whole.cols[0].session_out_of_range_share, 410.0 / 1000.0, 1e-15);
   assert_rel(s.accuracy, 750.0 / 1000.0, 1e-15);
   assert_rel(whole.accuracy, 750.0 / 1000.0, 1e-15);
   assert_int_equal(s.det.ddm.drifts, whole.det.ddm.drifts);
   assert_int_equal(s.det.ph.drifts, whole.det.ph.drifts);

   AnalysisWorker_done(&w);
   Analysis_done(&s);
   Analysis_done(&whole);
   Table_done(&ref);
   Table_done(&all);
   Table_done(&live);
   Classes_done(&cl);
}

/* A regression stream (numeric truth and prediction): DDM reads error bits
 * and is not run on |error| (River raises on such input); Page-Hinkley
 * takes every absolute error. */
static void test_regression_detectors(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table ref, cur;
   assert_true(Table_init(&ref, &cl, false));
   assert_true(Table_init(&cur, &cl, false));
   Table_add_column(&ref, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   Table_add_column(&cur, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   Table_add_column(&cur, "target", ROLE_TRUTH, KIND_NUMERIC, -1);
   Table_add_column(&cur, "pred", ROLE_PRED, KIND_NUMERIC, -1);
   for (int i = 0; i < 200; i++) {
      Table_row_begin(&ref);
      Table_row_set(&ref, 0, i % 7);
      assert_true(Table_row_commit(&ref, NULL));
      Table_row_begin(&cur);
      Table_row_set(&cur, 0, i % 7);
      Table_row_set(&cur, 1, 10.5);
      Table_row_set(&cur, 2, i < 100 ? 10.5 : 15.5); /* |error| 0, then 5 */
      assert_true(Table_row_commit(&cur, NULL));
   }
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   Analysis a;
   assert_true(Analysis_run(&a, &ref, &cur, &opt, NULL));
   assert_true(a.has_truth && a.regression);
   assert_int_equal(a.det.ddm_state.n, 0);
   assert_int_equal(a.det.ddm.drifts, 0);
   /* River's PageHinkley (mode "both", run in Python on the same errors:
    * 100 zeros, then fives) fires at index 110 only */
   assert_int_equal(a.det.ph.drifts, 1);
   assert_int_equal(a.det.ph.at[0], 110);
   assert_rel(Regression_mae(&a.reg), 2.5, 1e-15);
   Analysis_done(&a);
   Table_done(&ref);
   Table_done(&cur);
   Classes_done(&cl);
}

/* With windows, the top-level comparison is the last `window` records,
 * the newest included, even when they end between two strides: 45
 * records, windows of 20 every 10 end at 10, 20, 30, 40; the scope is
 * records 25..44. */
static void test_scope_newest(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table ref, cur;
   assert_true(Table_init(&ref, &cl, false));
   assert_true(Table_init(&cur, &cl, false));
   Table_add_column(&ref, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   Table_add_column(&cur, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   for (int i = 0; i < 45; i++) {
      Table_row_begin(&ref);
      Table_row_set(&ref, 0, i);
      assert_true(Table_row_commit(&ref, NULL));
      Table_row_begin(&cur);
      Table_row_set(&cur, 0, i * i);
      assert_true(Table_row_commit(&cur, NULL));
   }
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   opt.window = 20;
   opt.stride = 10;
   Analysis a;
   assert_true(Analysis_run(&a, &ref, &cur, &opt, NULL));
   assert_int_equal(a.nwindows, 4);
   assert_int_equal(Analysis_win(&a, 3)->last, 39);
   assert_true(a.scope_window);
   assert_int_equal(a.scope_first, 25);
   assert_int_equal(a.scope_rows, 20);
   assert_int_equal(a.cols[0].drift.n_cur, 20);
   /* mean of i² for i = 25..44: (Σ_0^44 i² − Σ_0^24 i²) / 20 = (29370 − 4900) / 20 */
   assert_rel(a.cols[0].cur_mean, 1223.5, 1e-15);
   Analysis_done(&a);
   Table_done(&ref);
   Table_done(&cur);
   Classes_done(&cl);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_method_selection),
      cmocka_unit_test(test_ks_memo),
      cmocka_unit_test(test_binning_boundary),
      cmocka_unit_test(test_verdicts),
      cmocka_unit_test(test_ddm),
      cmocka_unit_test(test_forced_applicability),
      cmocka_unit_test(test_z_categorical_order),
      cmocka_unit_test(test_extreme_values),
      cmocka_unit_test(test_regression_detectors),
      cmocka_unit_test(test_scope_newest),
      cmocka_unit_test(test_page_hinkley),
      cmocka_unit_test(test_confusion),
      cmocka_unit_test(test_analysis_contract),
      cmocka_unit_test(test_analysis_streaming),
   };
   return cmocka_run_group_tests_name("drift", tests, NULL, NULL);
}
