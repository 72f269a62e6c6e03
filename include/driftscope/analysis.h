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

#include "driftscope/changepoint.h"
#include "driftscope/detectors.h"
#include "driftscope/drift.h"
#include "driftscope/metrics.h"
#include "driftscope/models.h"
#include "driftscope/multivariate.h"
#include "driftscope/spectrum.h"
#include "driftscope/table.h"

#define DS_DETECTIONS_KEEP 16 /* detector firings remembered, in record order */
#define DS_ADWIN_COLUMNS 8    /* columns ADWIN follows besides the confidence (--adwin) */

typedef struct RefCache RefCache;

/* A column's own drift test and threshold (--stattest COL=NAME, --threshold
 * COL=X, a suite's "columns"). */
#define DS_COLUMN_DRIFT_MAX 64
typedef struct ColumnDriftChoice {
   char name[DS_NAME_MAX];
   DriftMethodId method; /* DRIFT_AUTO: the one for every column */
   double threshold;     /* NaN: the one for every column */
} ColumnDriftChoice;

typedef struct AnalysisOptions {
   RefCache *refs;     /* the reference's columns prepared once for several analyses; NULL: each its own */
   DriftOptions drift; /* method and threshold overrides */
   ColumnDriftChoice col_drift[DS_COLUMN_DRIFT_MAX];
   int ncol_drift;
   double drift_share;    /* dataset drift when the drifted share >= this (0.5) */
   size_t window;         /* 0: no windows */
   size_t stride;         /* 0: = window */
   bool window_all_stats; /* every statistic per window, not only the verdict's */
   bool change_points;    /* since when each numeric column left the reference (default on) */
   /* ADWIN over these numeric columns too (the anomaly score always) */
   char adwin[DS_ADWIN_COLUMNS][DS_NAME_MAX];
   int nadwin;
} AnalysisOptions;

void AnalysisOptions_default(AnalysisOptions *o);
/* The drift options for the column named name: o->drift, with the column's
 * own choices over it. */
DriftOptions AnalysisOptions_drift(const AnalysisOptions *o, const char *name);
/* Set a column's own method (DRIFT_AUTO: leave) or threshold (NaN: leave);
 * false when DS_COLUMN_DRIFT_MAX columns already have one. */
bool AnalysisOptions_set_column(AnalysisOptions *o, const char *name, DriftMethodId m, double threshold);

/* Reference columns prepared once and lent to every Analysis compared with
 * the same reference (`watch`: sixteen boards against one file keep one
 * copy, not sixteen). A column is prepared when first asked for; the cache
 * (and ref) outlive the analyses that use it. */
struct RefCache {
   const Table *ref;
   RefColumn *cols; /* DS_MAX_COLUMNS, by the reference's column index */
   bool *ready;
};
bool RefCache_init(RefCache *c, const Table *ref);
void RefCache_done(RefCache *c);
/* The stride windows start at (the window when none is given). */
size_t AnalysisOptions_stride(const AnalysisOptions *o);

/* The spectrum of a numeric feature against the reference's (--spectrum). */
typedef struct SpectrumReport {
   bool done;
   const char *why; /* not computed: why (too few samples, no rate) */
   double sample_rate_hz, dominant_hz, reference_dominant_hz, js_distance;
   double js_calibrated; /* ds_spectrum_calibrate: the reference against itself (NaN: too short) */
   double js_threshold;  /* ds_spectrum_threshold of it */
   bool drifted;         /* js_distance >= js_threshold */
   size_t nfft;
   double band_lo_hz, band_hi_hz;               /* where the dominant frequencies were looked for */
   double band_edges_hz[DS_SPECTRUM_BANDS + 1]; /* the octave bands (ds_spectrum_bands) */
   double band_power[DS_SPECTRUM_BANDS], reference_band_power[DS_SPECTRUM_BANDS];
} SpectrumReport;

/* What Analysis_spectra needs beyond the tables. */
typedef struct SpectrumOptions {
   double rate_hz;          /* when the stream has no times; NaN: unknown */
   double band_lo, band_hi; /* the dominant frequency's band (Hz): 0, INFINITY */
} SpectrumOptions;

void SpectrumOptions_default(SpectrumOptions *o);

typedef struct DetectorReport {
   bool warning, drift; /* state after the last record */
   long warnings, drifts;
   long at[DS_DETECTIONS_KEEP]; /* record index of each drift, first ones */
   int nat;
} DetectorReport;

#define DS_CATEGORIES_LISTED 8

typedef struct ColumnReport {
   char name[DS_NAME_MAX];
   char ref_name[DS_NAME_MAX];
   ColumnRole role; /* FEATURE, TELEMETRY, PRED or CONFIDENCE */
   ColumnKind kind;
   int cur_col;            /* index in the current table */
   int ref_index;          /* index into Analysis.refs, -1 when not scored */
   const char *not_scored; /* why, when ref_index < 0 */
   /* over the compared records (Analysis.scope_first, scope_rows) */
   ColumnDrift drift;
   double missing_share, out_of_range_share;
   double most_common_share; /* of the values present (NaN: none) */
   bool constant;
   double cur_mean, ref_mean;
   /* how far a numeric column moved (NaN where it cannot be said): the
    * mean's shift, in the reference's standard deviations too, the ratio
    * of the standard deviations (both ddof 0, as numpy's std), and the
    * decile (0.1 ... 0.9, numpy's linear quantiles) that moved most */
   double cur_std, ref_std, mean_shift_sigma, std_ratio;
   double moved_q, moved_ref, moved_cur;
   /* a categorical column (the prediction mix): the class whose share
    * grew most and the one that shrank most (-1: none), with their shares
    * in the reference and the compared records */
   int gained, lost;
   double gained_ref, gained_cur, lost_ref, lost_cur;
   /* a categorical column: the share of values in categories the reference
    * never had (NaN: not compared), how many such categories there are and
    * how many of the reference's the records lack, the first of each listed */
   double new_share;
   int n_new, n_gone;
   int new_ids[DS_CATEGORIES_LISTED], gone_ids[DS_CATEGORIES_LISTED];
   /* since when (AnalysisOptions.change_points; numeric columns with a
    * spread in the reference: features, telemetry, the confidence): the
    * session's values followed, and (Analysis_conclude) where the column
    * left the reference to stay away (changepoint.h); a rewind past
    * records no checkpoint kept leaves no onset (track->failed) */
   ChangeTrack *track;
   ChangePoint change;
   /* ADWIN over the session's values (the anomaly score, and the columns
    * AnalysisOptions.adwin names; NULL: not followed) and what it said */
   Adwin *adwin;
   DetectorReport adwin_det;
   /* over every record of the session */
   size_t s_rows, s_missing, s_out_of_range;
   double session_missing_share, session_out_of_range_share;
   SpectrumReport spectrum;
} ColumnReport;

typedef struct WindowColumn {
   DriftMethodId method;
   double score;
   bool drifted, scored;
   double ks_statistic, wasserstein_norm, psi, jensenshannon;
} WindowColumn;

typedef struct WindowReport {
   bool done;
   size_t first, last; /* record indices, inclusive */
   double start_ms, end_ms;
   int features, drifted;
   double share;
   bool dataset_drift;
   WindowColumn *cols; /* one per ColumnReport */
} WindowReport;

/* The session's streaming detectors (detectors.h), River's defaults: on
 * the classification error stream (1: the prediction is not the truth)
 * DDM, EDDM, HDDM_A, HDDM_W and KSWIN (seed 42), and Page-Hinkley (on a
 * regression's absolute error too, as KSWIN); ADWIN on the model's
 * confidence (the top class score), no truth needed. Their states, and
 * what each said. */
typedef struct SessionDetectors {
   Ddm ddm_state;
   PageHinkley ph_state;
   Eddm eddm_state;
   HddmA hddm_state;
   HddmW hddm_w_state;
   Kswin kswin_state;
   Adwin adwin_state;
   DetectorReport ddm, ph, eddm, hddm_a, hddm_w, kswin, adwin;
} SessionDetectors;

/* Windows live in blocks that never move, so threads computing windows
 * keep their pointers while more blocks are added. */
#define DS_WINDOW_BLOCK 4096
#define DS_WINDOW_BLOCKS 4096 /* at most 16,777,216 windows held at once */

/* The session figures (Analysis_consume) after `consumed` records, kept so
 * that a stream whose first records are gone (Table_discard) can count
 * them again from there (Analysis_checkpoint, Analysis_rewind). */
typedef struct AnalysisCheckpoint AnalysisCheckpoint;

typedef struct Analysis {
   ColumnReport *cols;     /* room for DS_MAX_COLUMNS */
   struct DataQuality *dq; /* Analysis_data_quality's (NULL until asked) */
   int ncols;
   RefColumn *refs;
   int nrefs;
   /* What the top-level verdicts compare: the whole session, or with
    * windows the last `window` records, the newest included (the stream
    * as it is now, what a dashboard shows; it may end between two of the
    * list's windows); the windows' list has every window. */
   size_t scope_first, scope_rows;
   bool scope_window;
   int features, drifted_features;
   double share, drift_share;
   bool dataset_drift;
   /* classification quality (has_truth), or regression: whole session */
   bool has_truth, regression, model_on;
   Confusion *confusion;
   int classes[DS_MAX_CLASSES];
   int nclasses;
   double accuracy, macro_f1;
   Regression reg;
   SessionDetectors det;
   bool has_confidence;
   /* champion vs challenger (models.h), session-wide; NULL: one model */
   Models *models;
   /* all features at once (multivariate.h), over the compared records;
    * mv_cols: the features' indices in cols */
   Multivariate *mv;
   int mv_cols[DS_MAX_COLUMNS];
   size_t consumed;                /* records counted into the session figures */
   AnalysisCheckpoint *checkpoint; /* NULL: Analysis_rewind counts from record 0 */
   /* windows */
   WindowReport *wblock[DS_WINDOW_BLOCKS]; /* window k is in block (k / DS_WINDOW_BLOCK) % DS_WINDOW_BLOCKS */
   size_t first_window;                    /* windows before it are not held (Analysis_forget_windows) */
   size_t nwindows;                        /* after Analysis_seal: the windows that fit the rows */
   size_t windows_drifted;                 /* after Analysis_conclude: full windows with dataset drift */
   size_t first_drifted_window;            /* the first of them, nwindows when none */
   size_t warmup_windows_drifted;          /* warm-up windows (not judged: too few records) over the share */
   size_t window_cap;                      /* allocated */
   size_t window, stride;
   size_t rows;
   bool columns_changed; /* compared columns appeared or changed kind after Analysis_prepare */
   const char *warning;  /* something the report must say (columns left out) */
   AnalysisOptions opt;
} Analysis;

/* Window k (first_window <= k < window_cap). */
static inline WindowReport *Analysis_win(const Analysis *a, size_t k) {
   return &a->wblock[k / DS_WINDOW_BLOCK % DS_WINDOW_BLOCKS][k % DS_WINDOW_BLOCK];
}

/* Scratch memory of one thread doing analysis steps. */
typedef struct AnalysisWorker {
   double *buf;
   size_t cap;
   DriftScratch scratch;
} AnalysisWorker;

void AnalysisWorker_done(AnalysisWorker *w);

/* Why column c has no verdict over the compared records (not in the
 * reference, no values, a forced test that does not apply...), or NULL
 * when it has one. */
const char *ColumnReport_why_not(const ColumnReport *c);

/* Compare cur with ref on the calling thread: prepare, every window, every
 * column, conclude. Returns false (and sets e) on memory exhaustion. */
bool Analysis_run(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e);
void Analysis_done(Analysis *a);

/* The same work in steps, for callers that spread it over threads and
 * keep only the records still to compare (Table_discard):
 *  1. Analysis_prepare: pairs the current columns that exist now with the
 *     reference and prepares the reference columns.
 *  2. Analysis_window(k) for each window whose rows are published
 *     (Analysis_window_end(k) <= Table_rows_published), after
 *     Analysis_ensure_windows(k + 1): independent of each other, safe while
 *     rows are appended (it reads under Table_read_lock). The caller marks
 *     the window done. Analysis_keep_from(k) tells which records windows k
 *     and later (and the last window done before them) still need.
 *  3. Analysis_consume(upto), in order on one thread, before records are
 *     discarded: the session figures (model quality, detectors, quality).
 *  4. After the last row: Analysis_seal, then Analysis_column(i) for
 *     i < ncols, independent.
 *  5. Analysis_conclude: the windows not done yet, the rest of the session
 *     figures, dataset verdicts. If columns_changed is set afterwards (and
 *     no record was discarded), redo with Analysis_run. */
bool Analysis_prepare(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e);
/* Window k covers records [Analysis_window_first(k), Analysis_window_end(k)):
 * it ends every `stride` records and holds the last `window` of them, fewer
 * in the warm-up windows at the stream's start (those ending before
 * `window` records), as a live dashboard's current window does. */
size_t Analysis_window_first(const Analysis *a, size_t k);
size_t Analysis_window_end(const Analysis *a, size_t k);
/* How many of the windows are warm-up windows (after Analysis_seal). */
size_t Analysis_warmup_windows(const Analysis *a);
size_t Analysis_keep_from(const Analysis *a, size_t k);
bool Analysis_ensure_windows(Analysis *a, size_t count);
bool Analysis_window(Analysis *a, const Table *cur, size_t k, AnalysisWorker *w);
bool Analysis_consume(Analysis *a, const Table *cur, size_t upto);
void Analysis_seal(Analysis *a, const Table *cur);
bool Analysis_column(Analysis *a, const Table *cur, int i, AnalysisWorker *w);
bool Analysis_conclude(Analysis *a, const Table *cur, AnalysisWorker *w, DsError *e);

/* For a dashboard moving over a loaded stream (Monitor):
 * Analysis_rewind forgets the session figures (Analysis_consume starts
 * again from the checkpoint, else from record 0; prepared columns and
 * windows stay).
 * Analysis_scope compares records [first, first + rows) column by column
 * (all_stats: every statistic, else the verdict's; n_unique counted only
 * up to DS_BINNING_UNIQUE + 1) and sets the dataset verdict, the model metrics and the session quality
 * of what was consumed. Returns false on memory exhaustion. */
bool Analysis_rewind(Analysis *a); /* false: no memory */
/* Remember the session figures as they are now (after a->consumed
 * records): Analysis_rewind goes back to them instead of record 0, and the
 * records before may be discarded. Returns false on no memory. */
bool Analysis_checkpoint(Analysis *a);
/* Give a (just prepared) the checkpoint of old (its session figures,
 * matched by column name; a column old lacks counts from the checkpoint
 * on) and rewind a to it: a stream re-prepared after records were
 * discarded keeps its session. Returns false on no memory. */
bool Analysis_adopt_checkpoint(Analysis *a, const Analysis *old);
/* Free the windows before window k (whole blocks of them; the rest stay):
 * a long live stream keeps the score history of its recent records. */
void Analysis_forget_windows(Analysis *a, size_t k);
/* The spectrum of every numeric feature over the compared records against
 * the reference's (spectrum.h). The sample rate comes from the time column
 * (ms), else rx_ms, else o->rate_hz (NaN: unknown); the reference's from its
 * own time column, else the same. The JS distance and the octave bands are
 * over the whole spectra, the dominant frequencies within o's band.
 * Returns false on no memory. */
bool Analysis_spectra(Analysis *a, const Table *ref, const Table *cur, const SpectrumOptions *o);
/* Data quality over the compared records (quality.h) into a->dq: duplicated
 * rows, runs and stuck sensors (a run of stuck_min records or more; 0: of
 * max(DS_STUCK_MIN, twice the reference's longest run)), almost-constant
 * columns, correlation changes, class balance, ROC AUC and log loss. False
 * on no memory. */
bool Analysis_data_quality(Analysis *a, const Table *ref, const Table *cur, size_t stuck_min);
/* Whether cur is raw samples rather than a model's output: no prediction,
 * score or truth column (report then adds the spectra unasked). */
bool ds_raw_samples(const Table *cur);
/* Whether the columns paired at prepare are still cur's compared columns:
 * none appeared since, none changed kind. */
bool Analysis_pairing_current(const Analysis *a, const Table *cur);
bool Analysis_scope(Analysis *a, const Table *cur, size_t first, size_t rows, AnalysisWorker *w, bool all_stats);

/* The feature that drifted most: the lowest p-value or highest distance
 * relative to its threshold among drifted features, else the closest to
 * drifting; -1 when no feature is scored. */
int Analysis_top_feature(const Analysis *a);

/* The first column AnalysisOptions.adwin names that ADWIN does not follow
 * (no such numeric column compared), or NULL. */
const char *Analysis_adwin_missing(const Analysis *a);
/* The first column o gives its own drift test or threshold that is not
 * compared with the reference (NULL: none). */
const char *Analysis_choice_missing(const Analysis *a, const AnalysisOptions *o);

/* Drift in one line (DESIGN §4): which feature moved most, since when (the
 * onset of its present state, ± its interval, in session time and
 * records), by how much in its own units and the reference's standard
 * deviations, the share outside the reference's range, and its test's
 * score: "ax_mean drifted since 0:00:41.0 (record 4,100 ± 16): mean
 * +1.52 (+3.1σ), 38% outside the reference range; Wasserstein 0.83".
 * When no feature drifted but the prediction mix did, the mix: "the
 * prediction mix drifted: SEATED 8% -> 88%, TURNING 30% -> 5%; chi-square
 * p 1.8e-71" (classes names the ids). False (buf empty) when neither
 * drifted. ascii: "sd" for σ, "->" for the arrow. */
bool ds_explain(char *buf, size_t n, const Analysis *a, const Classes *classes, bool ascii);

#endif
