// SPDX-License-Identifier: MIT
/* Test suites: a suite file's conditions on a report written by hand, each
 * outcome worked by hand; the derived tests' shape; bad files refused. */
#include <string.h>

#include "driftscope/suite.h"
#include "testutil.h"

static const char report[] = "{\"status\": \"drift\", \"n\": 10, \"flag\": false, \"list\": [1, 2, 3],"
                             " \"cols\": {\"p\": {\"m\": 0.1}, \"q\": {\"m\": null}, \"r\": {\"m\": 0.3}}}";
static const char reference[] = "{\"status\": \"pass\", \"n\": 8, \"list\": [], \"cols\": {\"p\": {\"m\": 0.2}}}";

static TestStatus status_of(const SuiteResults *r, const char *name) {
   for (int i = 0; i < r->n; i++)
      if (strcmp(r->r[i].name, name) == 0)
         return r->r[i].status;
   fail_msg("no test named %s", name);
   return TEST_ERROR;
}

static void test_conditions(void **state) {
   (void)state;
   const char *file =
      "{\"tests\": ["
      "{\"name\": \"n in 9..11\", \"figure\": \"n\", \"gt\": 9, \"lt\": 11},"
      "{\"name\": \"n lte 9\", \"figure\": \"n\", \"lte\": 9},"
      "{\"name\": \"n +25% of ref\", \"figure\": \"n\", \"lte\": {\"reference\": true, \"relative\": 0.25}},"
      "{\"name\": \"n +24% of ref\", \"figure\": \"n\", \"lte\": {\"reference\": true, \"relative\": 0.24}},"
      "{\"name\": \"status\", \"figure\": \"status\", \"not_in\": [\"fail\", \"error\"]},"
      "{\"name\": \"flag\", \"figure\": \"flag\", \"eq\": false},"
      "{\"name\": \"length\", \"figure\": \"list.length\", \"eq\": 3},"
      "{\"name\": \"m\", \"figure\": \"cols.*.m\", \"lt\": 0.2},"
      "{\"name\": \"m of p near ref\", \"figure\": \"cols.p.m\", \"eq\": {\"reference\": true, "
      "\"absolute\": 0.1}},"
      "{\"name\": \"missing\", \"figure\": \"nope.x\", \"eq\": 1}]}";
   Suite s;
   Suite_init(&s);
   char err[400];
   assert_true(Suite_parse(&s, file, err, sizeof err));
   assert_true(Suite_needs_reference(&s));
   SuiteResults r;
   assert_true(Suite_run(&s, report, reference, &r));
   assert_int_equal(status_of(&r, "The data can be judged"), TEST_PASS); /* no problems listed */
   assert_int_equal(status_of(&r, "n in 9..11"), TEST_PASS);
   assert_int_equal(status_of(&r, "n lte 9"), TEST_FAIL);
   assert_int_equal(status_of(&r, "n +25% of ref"), TEST_PASS); /* 10 <= 8 + 2 */
   assert_int_equal(status_of(&r, "n +24% of ref"), TEST_FAIL); /* 10 > 8 + 1.92 */
   assert_int_equal(status_of(&r, "status"), TEST_PASS);
   assert_int_equal(status_of(&r, "flag"), TEST_PASS);
   assert_int_equal(status_of(&r, "length"), TEST_PASS);
   assert_int_equal(status_of(&r, "m: p"), TEST_PASS); /* q's null is skipped under "*" */
   assert_int_equal(status_of(&r, "m: r"), TEST_FAIL);
   assert_int_equal(status_of(&r, "m of p near ref"), TEST_PASS); /* |0.1 - 0.2| <= 0.1 */
   assert_int_equal(status_of(&r, "missing"), TEST_ERROR);
   for (int i = 0; i < r.n; i++) /* an absolute tolerance is said as one, a relative one in % */
      if (!strcmp(r.r[i].name, "m of p near ref"))
         assert_string_equal(r.r[i].detail, "cols.p.m = 0.1, expected = the reference's 0.2 ± 0.1");
      else if (!strcmp(r.r[i].name, "n +25% of ref"))
         assert_string_equal(r.r[i].detail, "n = 10, expected ≤ the reference's 8 ± 25%");
   assert_int_equal(r.n, 12);
   assert_int_equal(r.passed, 8);
   assert_int_equal(r.failed, 3);
   assert_int_equal(r.errors, 1);
   StrBuf b;
   StrBuf_init(&b);
   ds_junit(&b, &r, "s<&>", "2026-12-02T10:00:00", 0.5);
   assert_non_null(strstr(b.data, "<testsuite name=\"s&lt;&amp;&gt;\" tests=\"12\" failures=\"3\" errors=\"1\""));
   assert_non_null(strstr(b.data, "<testcase name=\"n lte 9\" classname=\"driftscope.file\" time=\"0\">\n"
                                  "      <failure message=\"n = 10, expected ≤ 9\""));
   StrBuf_done(&b);
   SuiteResults_done(&r);
   Suite_done(&s);
}

static void test_bad_files(void **state) {
   (void)state;
   static const char *const bad[][2] = {
      {"[1]", "a suite is a JSON object"},
      {"{\"tests\": [{\"figure\": \"n\", \"gt\": \"x\"}]}", "\"gt\" compares numbers"},
      {"{\"tests\": [{\"figure\": \"n\", \"about\": 1}]}", "unknown key \"about\""},
      {"{\"tests\": [{\"figure\": \"n\"}]}", "no condition"},
      {"{\"tests\": [{\"gt\": 1}]}", "no \"figure\""},
      {"{\"tests\": []}", "no tests"},
      {"{\"columns\": {\"x\": {\"stattest\": \"nope\"}}, \"derived\": true}", "unknown stattest"},
      {"{\"tests\": [{\"figure\": \"n\", \"lte\": {\"reference\": true, \"relative\": -1}}]}", "numbers >= 0"},
   };
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      Suite s;
      Suite_init(&s);
      char err[400];
      assert_false(Suite_parse(&s, bad[i][0], err, sizeof err));
      if (!strstr(err, bad[i][1]))
         fail_msg("%s: said \"%s\", wanted \"%s\"", bad[i][0], err, bad[i][1]);
      Suite_done(&s);
   }
}

static void test_derived(void **state) {
   (void)state;
   /* a numeric and a categorical column compared, one not compared, a
    * prediction, an error problem */
   const char *cur = "{\"problems\": [{\"kind\": \"bad_lines\", \"error\": false, \"message\": \"12% bad lines\"}],"
                     " \"columns\": {\"x\": {\"kind\": \"numeric\", \"role\": \"feature\", \"reference_column\": \"x\","
                     " \"scored\": true, \"drifted\": false, \"quality\": {\"missing_share\": 0.1, "
                     "\"out_of_range_share\": 0, \"mean\": 5.4}}, \"c\": {\"kind\": \"categorical\", \"role\": "
                     "\"prediction\", \"reference_column\": \"c\", \"scored\": true, \"drifted\": true, \"quality\": "
                     "{\"missing_share\": 0, \"new_categories\": [\"Z\"]}}, \"t\": {\"kind\": \"numeric\", "
                     "\"reference_column\": null}}, \"dataset\": {\"share\": 0, \"drift_share_threshold\": 0.5}}";
   const char *ref = "{\"columns\": {\"x\": {\"quality\": {\"missing_share\": 0.1, \"mean\": 5}},"
                     " \"c\": {\"quality\": {\"missing_share\": 0}}}}";
   Suite s;
   Suite_init(&s);
   s.derived = true;
   SuiteResults r;
   assert_true(Suite_run(&s, cur, ref, &r));
   assert_int_equal(status_of(&r, "The data can be judged: bad_lines"), TEST_FAIL);
   assert_int_equal(status_of(&r, "Share of missing values within +10% of the reference's: x"), TEST_PASS);
   assert_int_equal(status_of(&r, "Values within the reference's range: x"), TEST_PASS);
   assert_int_equal(status_of(&r, "Mean within ±10% of the reference's: x"), TEST_PASS); /* 5.4 in 5 ± 0.5 */
   assert_int_equal(status_of(&r, "No new categories: c"), TEST_FAIL);
   assert_int_equal(status_of(&r, "Share of drifted features below 0.5"), TEST_PASS);
   assert_int_equal(status_of(&r, "No drift in the prediction: c"), TEST_FAIL);
   assert_int_equal(r.n, 8); /* t is not compared: nothing derived from it */
   SuiteResults_done(&r);
   Suite_done(&s);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_conditions),
      cmocka_unit_test(test_bad_files),
      cmocka_unit_test(test_derived),
   };
   return cmocka_run_group_tests_name("suite", tests, NULL, NULL);
}
