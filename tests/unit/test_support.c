// SPDX-License-Identifier: MIT
/* The support modules: StrBuf (JSON escaping and numbers), DsError, column
 * roles by name, the classes interner, text trimming, big allocations, and
 * the Markdown and text reports. */
#include <stdlib.h>
#include <string.h>

#include "driftscope/analysis.h"
#include "driftscope/bigalloc.h"
#include "driftscope/error.h"
#include "driftscope/numparse.h"
#include "driftscope/report.h"
#include "driftscope/strbuf.h"
#include "testutil.h"

static void test_strbuf_json(void **state) {
   (void)state;
   StrBuf b;
   StrBuf_init(&b);
   assert_string_equal(b.data, "");
   StrBuf_json_string(&b, "a\"b\\c\nd\te\x01");
   assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
   StrBuf_clear(&b);
   StrBuf_json_number(&b, 0.1);
   StrBuf_putc(&b, ' ');
   StrBuf_json_number(&b, 42);
   StrBuf_putc(&b, ' ');
   StrBuf_json_number(&b, NAN);
   StrBuf_putc(&b, ' ');
   StrBuf_json_number(&b, -INFINITY);
   assert_string_equal(b.data, "0.10000000000000001 42 null null"); /* round-trips; JSON has no NaN */
   StrBuf_clear(&b);
   for (int i = 0; i < 1000; i++)
      StrBuf_printf(&b, "%d,", i);
   assert_int_equal(b.len, strlen(b.data));
   assert_false(b.oom);
   StrBuf_done(&b);
}

static void test_error_format(void **state) {
   (void)state;
   DsError e;
   char out[600];
   DsError_set(&e, "s.csv", 12, 3, "bad %s", "thing");
   DsError_format(&e, out, sizeof out);
   assert_string_equal(out, "s.csv:12:3: bad thing");
   DsError_set(&e, "s.csv", 12, 0, "bad");
   DsError_format(&e, out, sizeof out);
   assert_string_equal(out, "s.csv:12: bad");
   DsError_set(&e, NULL, 0, 0, "plain");
   DsError_format(&e, out, sizeof out);
   assert_string_equal(out, "plain");
   DsError_set(NULL, "x", 1, 1, "ignored"); /* NULL is allowed */
}

static void test_roles(void **state) {
   (void)state;
   char cls[DS_NAME_MAX];
   assert_int_equal(ds_role_for_name("TimeStamp", cls), ROLE_TIME);
   assert_int_equal(ds_role_for_name("rx_ms", cls), ROLE_RX);
   assert_int_equal(ds_role_for_name("y_true", cls), ROLE_TRUTH);
   assert_int_equal(ds_role_for_name("Predicted", cls), ROLE_PRED);
   assert_int_equal(ds_role_for_name("latency_ms", cls), ROLE_TELEMETRY);
   assert_int_equal(ds_role_for_name("prob_wave", cls), ROLE_SCORE);
   assert_string_equal(cls, "wave");
   assert_int_equal(ds_role_for_name("p_", cls), ROLE_FEATURE); /* a prefix alone names no class */
   assert_int_equal(ds_role_for_name("accel_x", cls), ROLE_FEATURE);
}

static void test_classes(void **state) {
   (void)state;
   Classes c;
   Classes_init(&c);
   assert_int_equal(Classes_intern(&c, "idle", 4), 0);
   assert_int_equal(Classes_intern(&c, "wave!", 4), 1); /* "wave" */
   assert_int_equal(Classes_intern(&c, "idle", 4), 0);
   assert_int_equal(Classes_find(&c, "wave"), 1);
   assert_int_equal(Classes_find(&c, "nope"), -1);
   Classes_done(&c);
}

static void test_trim_and_missing(void **state) {
   (void)state;
   const char *s = " \t x y \r\n";
   size_t n = strlen(s);
   ds_trim(&s, &n);
   assert_int_equal(n, 3);
   assert_memory_equal(s, "x y", 3);
   assert_true(ds_is_missing_text("  ", 2));
   assert_true(ds_is_missing_text("NaN", 3));
   assert_true(ds_is_missing_text("-Infinity", 9));
   assert_false(ds_is_missing_text("idle", 4));
   assert_false(ds_is_missing_text("nano", 4));
}

static void test_bigalloc(void **state) {
   (void)state;
   char *p = ds_big_alloc(DS_BIG_ALLOC * 2 + 5);
   assert_non_null(p);
   assert_int_equal((uintptr_t)p % DS_BIG_ALLOC, 0);
   memset(p, 7, 100);
   p = ds_big_realloc(p, 100, DS_BIG_ALLOC * 4);
   assert_non_null(p);
   assert_int_equal(p[99], 7);
   free(p);
   p = ds_big_realloc(NULL, 0, 16); /* small: plain realloc */
   assert_non_null(p);
   free(p);
}

/* The Markdown and text reports say what the analysis found. */
static void test_text_reports(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table ref, cur;
   assert_true(Table_init(&ref, &cl, false));
   assert_true(Table_init(&cur, &cl, false));
   int rx = Table_add_column(&ref, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   int cx = Table_add_column(&cur, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   for (int i = 0; i < 30; i++) {
      Table_row_begin(&ref);
      Table_row_set(&ref, rx, i);
      assert_true(Table_row_commit(&ref, NULL));
      Table_row_begin(&cur);
      Table_row_set(&cur, cx, i);
      assert_true(Table_row_commit(&cur, NULL));
   }
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   Analysis a;
   assert_true(Analysis_run(&a, &ref, &cur, &opt, NULL));
   Ingest in;
   memset(&in, 0, sizeof in);
   in.records = 30;
   ReportSource src = {"cur.csv", &in};
   ReportContext ctx = {&a, &cur, &cl, "ref.csv", &in, &src, 1, "test"};
   StrBuf b;
   StrBuf_init(&b);
   ds_report_markdown(&b, &ctx);
   assert_non_null(strstr(b.data, "## Dataset drift: not detected"));
   assert_non_null(strstr(b.data, "| x | feature | ks | 1.0000 | 0.0500 | no |")); /* identical: p = 1 */
   StrBuf_clear(&b);
   ds_report_text(&b, &ctx, &ds_marks_plain);
   assert_non_null(strstr(b.data, "dataset drift: no (0 of 1 features drifted"));
   assert_null(strstr(b.data, "\033[")); /* no colour when asked for none */
   StrBuf_done(&b);
   Analysis_done(&a);
   Table_done(&ref);
   Table_done(&cur);
   Classes_done(&cl);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strbuf_json),  cmocka_unit_test(test_error_format),     cmocka_unit_test(test_roles),
      cmocka_unit_test(test_classes),      cmocka_unit_test(test_trim_and_missing), cmocka_unit_test(test_bigalloc),
      cmocka_unit_test(test_text_reports),
   };
   return cmocka_run_group_tests_name("support", tests, NULL, NULL);
}
