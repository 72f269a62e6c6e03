/* SPDX-License-Identifier: MIT */
/* Test suites, as Evidently's: conditions on the figures of the JSON
 * report, each a test that passes, fails, or cannot be computed (an
 * error). `check` runs the tests a file gives (--tests) or those derived
 * from the reference as Evidently derives them.
 *
 * A suite file is JSON:
 *   {"tests": [{"name": "...", "figure": "columns.*.quality.missing_share",
 *               "lte": 0.05}, ...],
 *    "derived": true,                       also the derived tests
 *    "columns": {"ax_mean": {"stattest": "t_test", "threshold": 0.01}}}
 * A figure is a path of keys into the report; "*" stands for every key of
 * an object (one test each), "length" is an array's length. A condition
 * (eq not_eq gt gte lt lte is_in not_in) compares it with a number, a
 * string, a boolean (is_in, not_in: a list of them), or with
 * {"reference": true, "relative": r, "absolute": a}: the same figure in
 * the reference's own report, within ±max(r·|x|, a) (Evidently's approx);
 * {"value": x, "relative": r, "absolute": a} is the same around x.
 * Tests are evaluated on parsed reports (yajl trees); nothing is printed. */
#ifndef DRIFTSCOPE_SUITE_H
#define DRIFTSCOPE_SUITE_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/analysis.h"
#include "driftscope/strbuf.h"

typedef enum CondOp {
   COND_EQ,
   COND_NOT_EQ,
   COND_GT,
   COND_GTE,
   COND_LT,
   COND_LTE,
   COND_IS_IN,
   COND_NOT_IN,
   COND_OP_COUNT,
} CondOp;

typedef enum OperandKind {
   OPERAND_NUMBER,
   OPERAND_STRING,
   OPERAND_BOOL,
   OPERAND_REFERENCE, /* the same figure in the reference's report */
} OperandKind;

#define DS_SUITE_TEXT 160
#define DS_SUITE_LIST 16 /* is_in / not_in: values at most */

typedef struct Operand {
   OperandKind kind;
   double number; /* NUMBER; also the centre of an approx */
   char string[64];
   bool boolean;
   double relative, absolute; /* tolerance: max(relative·|centre|, absolute) */
} Operand;

typedef struct Condition {
   CondOp op;
   Operand list[DS_SUITE_LIST]; /* one, or is_in / not_in's */
   int n;
} Condition;

#define DS_SUITE_CONDITIONS 4

typedef struct SuiteTest {
   char name[DS_SUITE_TEXT];
   char group[32]; /* where it came from: "file", "derived", "assessment" */
   char figure[DS_SUITE_TEXT];
   Condition cond[DS_SUITE_CONDITIONS];
   int ncond;
   /* a test decided before any figure is read (the assessment's problems) */
   bool fixed;
   int fixed_status;
   char fixed_detail[640];
} SuiteTest;

/* Per-column drift test and threshold. */
typedef struct SuiteColumn {
   char name[DS_NAME_MAX];
   DriftMethodId method; /* DRIFT_AUTO: not set */
   double threshold;     /* NaN: not set */
} SuiteColumn;

typedef struct Suite {
   SuiteTest *tests;
   int n, cap;
   bool derived; /* also derive the tests from the reference */
   SuiteColumn *columns;
   int ncolumns;
} Suite;

typedef enum TestStatus { TEST_PASS, TEST_FAIL, TEST_ERROR } TestStatus;

typedef struct TestResult {
   char name[DS_SUITE_TEXT + DS_NAME_MAX + 4];
   char group[32];
   char figure[DS_SUITE_TEXT + DS_NAME_MAX];
   TestStatus status;
   char detail[640]; /* the value, the condition, and why it failed or erred */
} TestResult;

typedef struct SuiteResults {
   TestResult *r;
   int n, cap;
   int passed, failed, errors;
   bool oom;
} SuiteResults;

void Suite_init(Suite *s);
void Suite_done(Suite *s);
/* Parse a suite file's text (NUL-terminated). False with err set on a bad file. */
bool Suite_parse(Suite *s, const char *text, char *err, size_t errlen);
/* Whether any test compares with the reference's report (derived ones do). */
bool Suite_needs_reference(const Suite *s);
/* Apply the suite's per-column drift tests and thresholds to o (false with
 * err set when there are more than DS_COLUMN_DRIFT_MAX). */
bool Suite_apply(const Suite *s, AnalysisOptions *o, char *err, size_t errlen);

/* Run the suite on the report's JSON text (and the reference's own report,
 * NULL when none was made); the derived tests are added first when asked.
 * False only on memory exhaustion or a report that does not parse. */
bool Suite_run(const Suite *s, const char *report, const char *reference_report, SuiteResults *out);
void SuiteResults_done(SuiteResults *r);

const char *ds_test_status_name(TestStatus s); /* "pass", "fail", "error" */
const char *ds_cond_op_name(CondOp op);

/* JUnit XML of the results: one testsuite named suite_name, a testcase per
 * test (classname driftscope.<group>), failures and errors with their detail. */
void ds_junit(StrBuf *out, const SuiteResults *r, const char *suite_name, const char *timestamp, double seconds);
/* The results as the JSON report's "tests" object. */
void ds_suite_json(StrBuf *out, const SuiteResults *r, const char *source);

#endif
