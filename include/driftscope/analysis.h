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
   bool done;
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
   size_t nwindows;      /* after Analysis_conclude: the windows that fit the rows */
   size_t window_cap;    /* allocated */
   size_t window, stride;
   size_t rows;
   bool columns_changed; /* compared columns appeared or changed kind after Analysis_prepare */
   AnalysisOptions opt;
} Analysis;

/* Scratch memory of one thread doing analysis steps. */
typedef struct AnalysisWorker {
   double *buf;
   size_t cap;
   DriftScratch scratch;
} AnalysisWorker;

void AnalysisWorker_done(AnalysisWorker *w);

/* Compare cur with ref on the calling thread: prepare, every window, every
 * column, conclude. Returns false (and sets e) on memory exhaustion. */
bool Analysis_run(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e);
void Analysis_done(Analysis *a);

/* The same work in steps, for callers that spread it over threads:
 *  1. Analysis_prepare: pairs the current columns that exist now with the
 *     reference and prepares the reference columns; room for the windows of
 *     expected_rows records.
 *  2. Analysis_window(k) for each window whose rows are published
 *     (Analysis_window_end(k) <= Table_rows_published): independent of each
 *     other, safe while rows are appended (it reads under Table_read_lock).
 *  3. After the last row: Analysis_column(i) for i < ncols, independent.
 *  4. Analysis_conclude: the windows not done yet, dataset verdicts, model
 *     quality. If columns_changed is set afterwards, redo with Analysis_run. */
bool Analysis_prepare(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt,
                      size_t expected_rows, DsError *e);
size_t Analysis_window_end(const Analysis *a, size_t k);
bool Analysis_window(Analysis *a, const Table *cur, size_t k, AnalysisWorker *w);
bool Analysis_column(Analysis *a, const Table *cur, int i, AnalysisWorker *w);
bool Analysis_conclude(Analysis *a, const Table *cur, AnalysisWorker *w, DsError *e);

#endif
