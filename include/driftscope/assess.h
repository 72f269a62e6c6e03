/* SPDX-License-Identifier: MIT */
/* Assessment: whether a comparison can be trusted, beside its drift
 * verdict. It is what `check` exits on and what every report (text, JSON,
 * Markdown, the dashboard's header) states first:
 *   - errors, nothing to judge: the stream has no records; no feature
 *     could be compared (and why: a headerless stream not matched, no
 *     column in common...);
 *   - failures: reference features the stream lacks or cannot compare
 *     (absent, without values, of another type), unless allowed; a share of
 *     bad lines over the limit (the stream's or the reference's); a column
 *     whose values are mostly not numbers. A data-quality failure means the
 *     dataset verdict is not judged: it is over data that was not read.
 *   - notes a reader needs: columns matched by position, decimal commas,
 *     log prefixes stripped, the label compared in place of a prediction.
 * Computed from the Analysis, the reference table and the Ingest counters;
 * it allocates nothing. */
#ifndef DRIFTSCOPE_ASSESS_H
#define DRIFTSCOPE_ASSESS_H

#include <stdbool.h>

#include "driftscope/analysis.h"
#include "driftscope/ingest.h"

typedef enum AssessStatus {
   ASSESS_PASS,  /* no drift, nothing wrong: check exits 0 */
   ASSESS_DRIFT, /* dataset drift: check exits 1 */
   ASSESS_FAIL,  /* a failure above (with or without drift): check exits 1 */
   ASSESS_ERROR, /* nothing to judge: check exits 2 */
} AssessStatus;

typedef enum ProblemKind {
   PROBLEM_NO_RECORDS,
   PROBLEM_NOTHING_COMPARED,
   PROBLEM_MISSING_FEATURES,
   PROBLEM_BAD_LINES,
   PROBLEM_UNREADABLE_COLUMN,
} ProblemKind;

#define DS_PROBLEMS_MAX 16
#define DS_NOTES_MAX 8
#define DS_ASSESS_TEXT 640 /* one problem or note, names listed in it */

typedef struct Problem {
   ProblemKind kind;
   bool error; /* nothing to judge; else a failure */
   char text[DS_ASSESS_TEXT];
} Problem;

typedef struct AssessLimits {
   double max_bad_share; /* a stream with more bad lines than this share of its lines fails (0.05) */
   bool allow_missing;   /* reference features the stream lacks are a note, not a failure */
} AssessLimits;

void AssessLimits_default(AssessLimits *l);

typedef struct Assessment {
   AssessStatus status;
   bool judged; /* the dataset verdict stands: no error, no data-quality failure */
   Problem problems[DS_PROBLEMS_MAX];
   int nproblems;
   char notes[DS_NOTES_MAX][DS_ASSESS_TEXT];
   int nnotes;
   /* reference features the stream lacks or cannot compare, in the reference's order */
   const char *missing[DS_MAX_COLUMNS];
   int nmissing;
   double bad_share; /* the largest of the streams' (NaN without lines) */
} Assessment;

/* Assess the comparison a of ref (read through ref_in, may be NULL) with
 * the streams read through in[0..n). */
void ds_assess(Assessment *out, const Analysis *a, const Table *ref, const Ingest *ref_in, const Ingest *const *in,
               int n, const AssessLimits *lim);

/* "pass", "drift", "fail", "error". */
const char *ds_assess_status_name(AssessStatus s);
/* "no_records", "nothing_compared", "missing_features", "bad_lines", "unreadable_column". */
const char *ds_problem_name(ProblemKind k);

#endif
