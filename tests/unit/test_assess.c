// SPDX-License-Identifier: MIT
/* The assessment: what `check` exits on besides drift, and what every
 * report states first. Inputs are small CSV texts read through the real
 * parsers; the expected statuses and texts are written by hand. */
#include <stdlib.h>
#include <string.h>

#include "driftscope/analysis.h"
#include "driftscope/assess.h"
#include "driftscope/ingest.h"
#include "driftscope/report.h"
#include "testutil.h"

typedef struct Case {
   Classes cl;
   Table ref, cur;
   Ingest rin, in;
   Analysis a;
   Assessment as;
   AssessLimits lim;
} Case;

static void read_into(Ingest *in, Table *t, Classes *cl, const char *name, const char *text, const char *const *names,
                      int nnames) {
   assert_true(Table_init(t, cl, false));
   assert_true(Ingest_init(in, t, DS_FORMAT_AUTO, name));
   in->names = names;
   in->nnames = nnames;
   Ingest_feed(in, text, strlen(text));
   Ingest_finish(in);
}

/* Compare cur_text with ref_text (whole session) and assess it. ref_names:
 * the reference's features, given to the stream to match by position. */
static Case *run(const char *ref_text, const char *cur_text, const char *const *ref_names, int nnames,
                 bool allow_missing) {
   Case *c = calloc(1, sizeof *c);
   Classes_init(&c->cl);
   read_into(&c->rin, &c->ref, &c->cl, "ref.csv", ref_text, NULL, 0);
   read_into(&c->in, &c->cur, &c->cl, "cur.csv", cur_text, ref_names, nnames);
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   assert_true(Analysis_run(&c->a, &c->ref, &c->cur, &opt, NULL));
   AssessLimits_default(&c->lim);
   c->lim.allow_missing = allow_missing;
   const Ingest *streams[] = {&c->in};
   ds_assess(&c->as, &c->a, &c->ref, &c->rin, streams, 1, &c->lim);
   return c;
}

static void done(Case *c) {
   Analysis_done(&c->a);
   Ingest_done(&c->in);
   Ingest_done(&c->rin);
   Table_done(&c->cur);
   Table_done(&c->ref);
   Classes_done(&c->cl);
   free(c);
}

static const char REF[] = "x,y,z\n1,10,100\n2,20,200\n3,30,300\n4,40,400\n5,50,500\n6,60,600\n";

static void test_pass_and_drift(void **state) {
   (void)state;
   Case *c = run(REF, REF, NULL, 0, false);
   assert_int_equal(c->as.status, ASSESS_PASS);
   assert_int_equal(c->as.nproblems, 0);
   assert_true(c->as.judged);
   assert_rel(c->as.bad_share, 0, 0);
   done(c);
   c =
      run(REF, "x,y,z\n91,910,9100\n92,920,9200\n93,930,9300\n94,940,9400\n95,950,9500\n96,960,9600\n", NULL, 0, false);
   assert_int_equal(c->as.status, ASSESS_DRIFT);
   assert_true(c->as.judged);
   done(c);
}

/* A header alone: no records, never "ok"; nothing to judge. */
static void test_no_records(void **state) {
   (void)state;
   Case *c = run(REF, "x,y,z\n", NULL, 0, false);
   assert_int_equal(c->as.status, ASSESS_ERROR);
   assert_false(c->as.judged);
   assert_int_equal(c->as.nproblems, 1);
   assert_int_equal(c->as.problems[0].kind, PROBLEM_NO_RECORDS);
   assert_true(c->as.problems[0].error);
   assert_string_equal(c->as.problems[0].text, "no records in cur.csv (1 line read)");
   assert_string_equal(ColumnReport_why_not(&c->a.cols[0]), "no values in the stream");
   done(c);
}

/* A reference column the stream lacks (a dead sensor's, dropped), and one
 * that is there without a single value: both missing, check fails; with
 * --allow-missing it is a note. */
static void test_missing_features(void **state) {
   (void)state;
   const char *cur = "x,z\n1,\n2,\n3,\n4,\n5,\n6,\n";
   Case *c = run(REF, cur, NULL, 0, false);
   assert_int_equal(c->as.status, ASSESS_FAIL);
   assert_true(c->as.judged); /* x was compared: its verdict stands */
   assert_int_equal(c->as.nproblems, 1);
   assert_int_equal(c->as.problems[0].kind, PROBLEM_MISSING_FEATURES);
   assert_string_equal(c->as.problems[0].text, "missing in stream: y; not compared: z (no values in the stream)");
   assert_int_equal(c->as.nmissing, 2);
   assert_string_equal(c->as.missing[0], "y");
   assert_string_equal(c->as.missing[1], "z");
   done(c);
   c = run(REF, cur, NULL, 0, true);
   assert_int_equal(c->as.status, ASSESS_PASS);
   assert_int_equal(c->as.nproblems, 0);
   assert_int_equal(c->as.nnotes, 1);
   assert_non_null(strstr(c->as.notes[0], "missing in stream: y; not compared: z"));
   assert_non_null(strstr(c->as.notes[0], "allowed by --allow-missing"));
   done(c);
}

/* No feature in common: nothing to judge, and why. */
static void test_nothing_compared(void **state) {
   (void)state;
   Case *c = run(REF, "a,b\n1,2\n3,4\n", NULL, 0, false);
   assert_int_equal(c->as.status, ASSESS_ERROR);
   assert_int_equal(c->as.problems[0].kind, PROBLEM_NOTHING_COMPARED);
   assert_string_equal(c->as.problems[0].text, "no feature compared: no column of the stream is in the reference "
                                               "(stream: a, b; reference: x, y, z)");
   done(c);
   /* headerless numbers, matched by position when the count agrees ... */
   static const char *const names[] = {"x", "y", "z"};
   c = run(REF, "1,10,100\n2,20,200\n3,30,300\n4,40,400\n5,50,500\n6,60,600\n", names, 3, false);
   assert_int_equal(c->as.status, ASSESS_PASS);
   assert_int_equal(c->in.by_position, 1);
   assert_int_equal(Table_find(&c->cur, "f0"), -1);
   assert_int_equal(c->as.nnotes, 1);
   assert_string_equal(c->as.notes[0], "cur.csv has no header: its columns are the reference's features, matched by "
                                       "position (f0→x, f1→y, f2→z)");
   done(c);
   /* ... and said so when it does not */
   c = run(REF, "1,10\n2,20\n", names, 3, false);
   assert_int_equal(c->as.status, ASSESS_ERROR);
   assert_int_equal(c->in.by_position, -1);
   assert_string_equal(c->as.problems[0].text,
                       "no feature compared: the stream has no header and its 2 columns are not matched to the "
                       "reference's 3 features (x, y, z) by position, as their numbers differ; name them with --names");
   done(c);
}

/* Bad lines: 1 of 20 lines (5%) passes, 2 of 20 (10%) fails, and the
 * dataset verdict is then not judged. A column mostly not numbers fails. */
static void test_data_quality(void **state) {
   (void)state;
   char cur[1024] = "x,y,z\n";
   for (int i = 0; i < 18; i++)
      strcat(cur, "1,10,100\n");
   strcat(cur, "oops\n");
   Case *c = run(REF, cur, NULL, 0, false);
   assert_int_equal(c->in.bad_lines, 1);
   assert_rel(c->as.bad_share, 1.0 / 20.0, 1e-15);
   assert_int_equal(c->as.nproblems, 0);
   done(c);
   strcat(cur, "oops again\n");
   c = run(REF, cur, NULL, 0, false);
   assert_int_equal(c->as.status, ASSESS_FAIL);
   assert_false(c->as.judged);
   assert_int_equal(c->as.problems[0].kind, PROBLEM_BAD_LINES);
   assert_non_null(
      strstr(c->as.problems[0].text, "stream cur.csv: 2 of 21 lines (9.5%) could not be read, more than 5%"));
   done(c);
   c = run(REF, "x,y,z\n1,10,100\n2,b2,200\n3,c3,300\n", NULL, 0, false);
   assert_int_equal(c->as.status, ASSESS_FAIL);
   assert_false(c->as.judged);
   int k = -1;
   for (int i = 0; i < c->as.nproblems; i++)
      if (c->as.problems[i].kind == PROBLEM_UNREADABLE_COLUMN)
         k = i;
   assert_true(k >= 0);
   assert_string_equal(c->as.problems[k].text, "column y: 2 of 3 values could not be read (numbers expected)");
   done(c);
}

/* Truth without a prediction: the label mix is compared (target drift),
 * and that is said; it is not a feature, so not in the share. */
static void test_target_drift(void **state) {
   (void)state;
   const char *ref = "x,label\n1,a\n2,a\n3,b\n4,b\n5,a\n6,b\n";
   Case *c = run(ref, "x,label\n1,b\n2,b\n3,b\n4,b\n5,b\n6,b\n", NULL, 0, false);
   int t = -1;
   for (int i = 0; i < c->a.ncols; i++)
      if (c->a.cols[i].role == ROLE_TRUTH)
         t = i;
   assert_true(t >= 0);
   assert_string_equal(c->a.cols[t].ref_name, "label");
   assert_int_equal(c->a.cols[t].drift.method, DRIFT_Z);
   /* 3 of 6 vs 0 of 6 not "a": z = 0.5 / sqrt(0.25 * 2/6) → p = 0.0455003 (scipy) */
   assert_rel(c->a.cols[t].drift.score, 0.045500263896358417, 1e-12);
   assert_int_equal(c->a.features, 1);
   assert_non_null(strstr(c->as.notes[0], "ground truth (label) but no prediction"));
   done(c);
}

/* The text report states problems first and withholds a verdict it
 * cannot stand behind. */
static void test_text_report(void **state) {
   (void)state;
   char cur[1024] = "x,y,z\n";
   for (int i = 0; i < 6; i++)
      strcat(cur, "91,910,9100\nbad line\n");
   Case *c = run(REF, cur, NULL, 0, false);
   ReportSource src = {"cur.csv", &c->in};
   ReportContext ctx = {&c->a, &c->cur, &c->cl, "ref.csv", &c->rin, &src, 1, "test", &c->as};
   StrBuf b;
   StrBuf_init(&b);
   ds_report_text(&b, &ctx, &ds_marks_plain);
   const char *problem = strstr(b.data, "PROBLEM  stream cur.csv: 6 of 13 lines");
   const char *table = strstr(b.data, "column ");
   assert_non_null(problem);
   assert_non_null(table);
   assert_true(problem < table);
   assert_non_null(strstr(b.data, "dataset drift: not judged: the data quality failed"));
   assert_null(strstr(b.data, "dataset drift: YES"));
   StrBuf_clear(&b);
   ds_report_json(&b, &ctx);
   assert_non_null(strstr(b.data, "\"status\":\"fail\",\"problems\":[{\"kind\":\"bad_lines\",\"error\":false,"));
   assert_non_null(strstr(b.data, "\"judged\":false"));
   assert_non_null(strstr(b.data, "\"data_quality\":{\"passed\":false,"));
   StrBuf_clear(&b);
   ds_report_markdown(&b, &ctx);
   assert_non_null(strstr(b.data, "## Problems (check fails: exit 1)"));
   assert_non_null(strstr(b.data, "## Dataset drift: not judged"));
   StrBuf_done(&b);
   done(c);
   /* model outputs only: the Markdown says the dataset verdict was not measured, and gives the prediction's */
   c = run("x,pred\n1,a\n2,a\n3,b\n4,b\n", "pred\nb\nb\nb\nb\nb\nb\nb\nb\n", NULL, 0, false);
   ReportSource src2 = {"cur.csv", &c->in};
   ReportContext ctx2 = {&c->a, &c->cur, &c->cl, "ref.csv", &c->rin, &src2, 1, "test", &c->as};
   StrBuf_init(&b);
   ds_report_markdown(&b, &ctx2);
   assert_non_null(
      strstr(b.data, "## Dataset drift: not measured\n\nThe stream has no features, only the model's outputs."));
   assert_non_null(strstr(b.data, "Prediction drift: **YES** (z "));
   StrBuf_done(&b);
   done(c);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pass_and_drift),   cmocka_unit_test(test_no_records),
      cmocka_unit_test(test_missing_features), cmocka_unit_test(test_nothing_compared),
      cmocka_unit_test(test_data_quality),     cmocka_unit_test(test_target_drift),
      cmocka_unit_test(test_text_report),
   };
   return cmocka_run_group_tests_name("assess", tests, NULL, NULL);
}
