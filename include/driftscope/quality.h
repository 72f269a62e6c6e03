/* SPDX-License-Identifier: MIT */
/* Data quality beyond missing and out-of-range values, over the compared
 * records (Analysis scope), as Evidently reports it and as boards get it
 * wrong:
 *   - duplicated rows (pandas' df[features].duplicated()) and repeated
 *     frames (a record whose features all equal the previous one's);
 *   - per column: the most common value's share (almost constant at 0.95,
 *     Evidently's), the longest run of one value in record order and
 *     whether it is a stuck sensor: a run of at least
 *     max(DS_STUCK_MIN, 2 x the reference's longest run) records;
 *   - numeric feature pairs whose Pearson correlation moved by more than
 *     0.25 from the reference's (Evidently's TestCorrelationChanges);
 *   - the truth's class balance against the reference's;
 *   - from the class scores, scikit-learn's ROC AUC (binary: the second
 *     class by name; else one-vs-rest, macro) and log loss.
 * Computed once, after the analysis (report, check); the live views do
 * not need it. */
#ifndef DRIFTSCOPE_QUALITY_H
#define DRIFTSCOPE_QUALITY_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/table.h"

#define DS_STUCK_MIN 10
#define DS_ALMOST_CONSTANT 0.95
#define DS_CORR_DIFF 0.25
#define DS_CORR_LISTED 16

typedef struct ColumnQuality {
   double most_common_share; /* of the values present; NaN: none */
   bool almost_constant;     /* most_common_share >= 0.95 (constant ones too) */
   size_t run;               /* the longest run of one value, in records */
   size_t run_start;         /* its first record */
   double run_value;
   size_t ref_run;   /* the reference's longest run */
   size_t stuck_min; /* the run that makes a stuck sensor here */
   bool stuck;
} ColumnQuality;

typedef struct CorrChange {
   int a, b; /* indices in Analysis.cols */
   double reference, current;
} CorrChange;

typedef struct DataQuality {
   ColumnQuality *col; /* by Analysis.cols index */
   int ncols;
   int dup_features; /* the feature columns rows are compared on */
   size_t rows, duplicated, repeated;
   int corr_pairs, corr_changed; /* pairs compared, pairs that moved (the first DS_CORR_LISTED listed) */
   CorrChange changed[DS_CORR_LISTED];
   /* the truth's classes: shares in the reference and the compared records */
   int nbalance;
   int balance_class[DS_MAX_CLASSES];
   double balance_ref[DS_MAX_CLASSES], balance_cur[DS_MAX_CLASSES];
   /* from the champion's class scores */
   double roc_auc, log_loss;
   long scored;        /* records with truth and every score */
   const char *no_auc; /* why there is no ROC AUC (NULL: there is one, or no scores) */
} DataQuality;

void DataQuality_done(DataQuality *q);

#endif
