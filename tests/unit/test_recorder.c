// SPDX-License-Identifier: MIT
/* Recorder: a session file reads back as the same records (numbers to the
 * last bit, classes by name, missing values), with its metadata comments. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/ingest.h"
#include "driftscope/recorder.h"
#include "testutil.h"

static double rx_now;

/* The table's on_commit: record the row at rx_now. */
static void record_at(void *ctx, Table *t, double *row) {
   (void)t;
   Recorder_row(ctx, row, rx_now);
}

static void test_round_trip(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table t, back;
   assert_true(Table_init(&t, &cl, false)); /* scores are recorded as they come, not kept */
   assert_true(Table_init(&back, &cl, true));
   int x = Table_add_column(&t, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   int a = Classes_intern(&cl, "A", 1), b = Classes_intern(&cl, "B, the other", 12);
   int sa = Table_add_column(&t, "score_A", ROLE_SCORE, KIND_NUMERIC, a);
   int sb = Table_add_column(&t, "score_B, the other", ROLE_SCORE, KIND_NUMERIC, b);
   int lab = Table_add_column(&t, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   double xs[] = {0.1, 1.0 / 3.0, 1e-300, -2.5e17, NAN};
   Recorder r;
   Recorder_init(&r, &t);
   Recorder_meta(&r, "source", "/dev/ttyACM0\nsecond line");
   t.on_commit = record_at;
   t.commit_ctx = &r;
   rx_now = 12.5;
   for (int i = 0; i < 5; i++) {
      Table_row_begin(&t);
      Table_row_set(&t, x, xs[i]);
      Table_row_set(&t, sa, i % 2 ? 0.25 : 0.75);
      Table_row_set(&t, sb, i % 2 ? 0.75 : 0.25);
      Table_row_set(&t, lab, i % 2 ? b : a);
      assert_true(Table_row_commit(&t, NULL));
   }
   assert_int_equal(r.records, 5);
   Recorder_comment(&r, "gap: disconnected for 1.5 s");
   /* the header: rx_ms first, the derived confidence left out, names quoted where they need it */
   assert_non_null(strstr(r.out.data, "# source: /dev/ttyACM0 second line\n"
                                      "rx_ms,x,score_A,\"score_B, the other\",label,pred\n"
                                      "12.5,0.1,0.75,0.25,A,A\n"));
   assert_non_null(strstr(r.out.data, "\n12.5,,0.75,0.25,A,A\n# gap: disconnected for 1.5 s\n"));

   Ingest in;
   assert_true(Ingest_init(&in, &back, DS_FORMAT_AUTO, "recording"));
   Ingest_feed(&in, r.out.data, r.out.len);
   Ingest_finish(&in);
   assert_int_equal(in.bad_lines, 0);
   assert_int_equal(back.nrows, 5);
   assert_true(back.rx_col >= 0);
   const char *names[] = {"x", "score_A", "score_B, the other", "label", "pred", "confidence"};
   for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
      int c1 = Table_find(&t, names[k]), c2 = Table_find(&back, names[k]);
      assert_true(c1 >= 0 && c2 >= 0);
      const double scores[2][5] = {{0.75, 0.25, 0.75, 0.25, 0.75}, {0.25, 0.75, 0.25, 0.75, 0.25}};
      for (size_t i = 0; i < 5; i++) {
         double v1 = k == 1 || k == 2 ? scores[k - 1][i] : Table_at(&t, c1, i), v2 = Table_at(&back, c2, i);
         if (isnan(v1))
            assert_true(isnan(v2));
         else
            assert_memory_equal(&v1, &v2, sizeof v1); /* bit for bit */
      }
   }
   Ingest_done(&in);
   Recorder_done(&r);
   Table_done(&t);
   Table_done(&back);
   Classes_done(&cl);
}

static void test_late_column_and_shortest_form(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table t;
   assert_true(Table_init(&t, &cl, true));
   int x = Table_add_column(&t, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   Table_row_begin(&t);
   Table_row_set(&t, x, 2);
   assert_true(Table_row_commit(&t, NULL));
   Recorder r;
   Recorder_init(&r, &t); /* the row before it began is not its own */
   t.on_commit = record_at;
   t.commit_ctx = &r;
   assert_int_equal(r.records, 0);
   int y = Table_add_column(&t, "x2", ROLE_FEATURE, KIND_NUMERIC, -1);
   Table_row_begin(&t);
   Table_row_set(&t, x, 0.1 + 0.2); /* 0.30000000000000004: needs 17 digits */
   Table_row_set(&t, y, 1);
   rx_now = 1000;
   assert_true(Table_row_commit(&t, NULL));
   assert_int_equal(r.records, 1);
   assert_string_equal(r.out.data, "rx_ms,x,x2\n1000,0.30000000000000004,1\n");
   int z = Table_add_column(&t, "z", ROLE_FEATURE, KIND_NUMERIC, -1);
   Table_row_begin(&t);
   Table_row_set(&t, z, 5);
   StrBuf_clear(&r.out);
   rx_now = 2000;
   assert_true(Table_row_commit(&t, NULL));
   assert_int_equal(r.records, 2);
   assert_string_equal(r.out.data,
                       "2000,,\n# note: column z appeared after the header; its values are not recorded here\n");
   assert_int_equal(r.late_columns, 1);
   Recorder_done(&r);
   Table_done(&t);
   Classes_done(&cl);
}

/* ds_put_double's fast path (m / 10^6) prints what printf's %.15g (or
 * %.17g when that does not read back) prints, at its edges and for 200,000
 * values of the kinds sensors print. */
static void test_double_text(void **state) {
   (void)state;
   StrBuf b;
   StrBuf_init(&b);
   const double edge[] = {0.25,
                          -1,
                          1100,
                          0.1,
                          0.3,
                          1e-4,
                          9.99999e-5,
                          -0.000123,
                          123456789.123456,
                          999999999.999999,
                          1e9,
                          0.30000000000000004,
                          -3.75,
                          1.000001,
                          0,
                          -0.0,
                          5e-324,
                          1e300};
   srand(7);
   for (int i = 0; i < 200000; i++) {
      double v = i < (int)(sizeof edge / sizeof edge[0]) ? edge[i]
                 : i % 3 == 0                            ? round(((double)rand() / RAND_MAX - 0.5) * 2e9) / 1e6
                 : i % 3 == 1                            ? (rand() % 100000) / 1e4
                                                         : (double)rand() / RAND_MAX * 1e3;
      char want[32];
      snprintf(want, sizeof want, "%.15g", v);
      if (strtod(want, NULL) != v)
         snprintf(want, sizeof want, "%.17g", v);
      StrBuf_clear(&b);
      ds_put_double(&b, v);
      assert_string_equal(b.data, want);
   }
   StrBuf_done(&b);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_late_column_and_shortest_form),
      cmocka_unit_test(test_double_text),
   };
   return cmocka_run_group_tests_name("recorder", tests, NULL, NULL);
}
