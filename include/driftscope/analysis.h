/* SPDX-License-Identifier: MIT */
/* Analysis: the headless comparison of a current stream with a reference
 * (what `driftscope report` and `check` print). Built from two Tables that
 * share one Classes interner; owns everything it computes.
 *
 * Columns compared: features, telemetry, the prediction and the derived
 * confidence. A current column is matched to the reference column of the
 * same name (case-insensitive); the prediction is matched to the
 * reference's prediction column if it has one, else to its label column.
 * A column the reference lacks is reported and not scored. Dataset drift
 * is the share of drifted feature columns against drift_share (0.5). */
#ifndef DRIFTSCOPE_ANALYSIS_H
#define DRIFTSCOPE_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/detectors.h"
#include "driftscope/drift.h"
#include "driftscope/metrics.h"
#include "driftscope/table.h"

#define DS_DETECTIONS_KEEP 16 /* detector firings remembered, in record order */

typedef struct AnalysisOptions {
   DriftOptions drift;  /* method and threshold overrides */
   double drift_share;  /* dataset drift when the drifted share >= this (0.5) */
   size_t window;       /* 0: no windows */
   size_t stride;       /* 0: = window */
   bool window_all_stats; /* every statistic per window, not only the verdict's */
} AnalysisOptions;

void AnalysisOptions_default(AnalysisOptions *o);

typedef struct ColumnReport {
   char name[DS_NAME_MAX];
   char ref_name[DS_NAME_MAX];
   ColumnRole role;      /* FEATURE, TELEMETRY, PRED or CONFIDENCE */
   ColumnKind kind;
   int cur_col;          /* index in the current table */
   int ref_index;        /* index into Analysis.refs, -1 when not scored */
   const char *not_scored; /* why, when ref_index < 0 */
   ColumnDrift drift;
   double missing_share, out_of_range_share;
   bool constant;
   double cur_mean, ref_mean;
} ColumnReport;

typedef struct WindowColumn {
   DriftMethodId method;
   double score;
   bool drifted, scored;
   double ks_statistic, wasserstein_norm, psi, jensenshannon;
} WindowColumn;

typedef struct WindowReport {
   size_t first, last;   /* record indices, inclusive */
   double start_ms, end_ms;
   int features, drifted;
   double share;
   bool dataset_drift;
   WindowColumn *cols;   /* one per ColumnReport */
} WindowReport;

typedef struct DetectorReport {
   bool warning, drift;  /* state after the last record */
   long warnings, drifts;
   long at[DS_DETECTIONS_KEEP]; /* record index of each drift, first ones */
   int nat;
} DetectorReport;

typedef struct Analysis {
   ColumnReport *cols;
   int ncols;
   RefColumn *refs;
   int nrefs;
   int features, drifted_features;
   double share, drift_share;
   bool dataset_drift;
   /* classification quality (has_truth), or regression */
   bool has_truth, regression;
   Confusion *confusion;
   int classes[DS_MAX_CLASSES];
   int nclasses;
   double accuracy, macro_f1;
   Regression reg;
   DetectorReport ddm, ph;
   /* windows */
   WindowReport *windows;
   size_t nwindows;
   size_t window, stride;
   size_t rows;
} Analysis;

/* Compare cur with ref. Returns false (and sets e) on memory exhaustion. */
bool Analysis_run(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e);
void Analysis_done(Analysis *a);

#endif
