// SPDX-License-Identifier: MIT
#include "driftscope/analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driftscope/bigalloc.h"
#include "driftscope/quality.h"
#include "driftscope/stats.h"

void AnalysisOptions_default(AnalysisOptions *o) {
   memset(o, 0, sizeof *o);
   o->drift.method = DRIFT_AUTO;
   o->drift.threshold = NAN;
   o->drift_share = 0.5;
   o->window_all_stats = true;
   o->change_points = true;
}

DriftOptions AnalysisOptions_drift(const AnalysisOptions *o, const char *name) {
   DriftOptions d = o->drift;
   for (int i = 0; i < o->ncol_drift; i++)
      if (strcmp(o->col_drift[i].name, name) == 0) {
         if (o->col_drift[i].method != DRIFT_AUTO)
            d.method = o->col_drift[i].method;
         if (!isnan(o->col_drift[i].threshold))
            d.threshold = o->col_drift[i].threshold;
      }
   return d;
}

bool AnalysisOptions_set_column(AnalysisOptions *o, const char *name, DriftMethodId m, double threshold) {
   ColumnDriftChoice *c = NULL;
   for (int i = 0; i < o->ncol_drift && !c; i++)
      if (strcmp(o->col_drift[i].name, name) == 0)
         c = &o->col_drift[i];
   if (!c) {
      if (o->ncol_drift == DS_COLUMN_DRIFT_MAX)
         return false;
      c = &o->col_drift[o->ncol_drift++];
      snprintf(c->name, sizeof c->name, "%s", name);
      c->method = DRIFT_AUTO;
      c->threshold = NAN;
   }
   if (m != DRIFT_AUTO)
      c->method = m;
   if (!isnan(threshold))
      c->threshold = threshold;
   return true;
}

size_t AnalysisOptions_stride(const AnalysisOptions *o) {
   return o->stride ? o->stride : o->window;
}

static bool compared_role(ColumnRole r) {
   return r == ROLE_FEATURE || r == ROLE_TELEMETRY || r == ROLE_PRED || r == ROLE_CONFIDENCE;
}

/* Whether column c of cur is compared with the reference: features,
 * telemetry, the prediction and its confidence; the ground truth when
 * there is no prediction (Evidently's target drift). */
static bool compared(const Table *cur, const Column *c) {
   return c->stored && (compared_role(c->role) || (c->role == ROLE_TRUTH && cur->pred_col < 0));
}

/* Return the reference column a current column is compared with, or -1. */
static int match_reference(const Table *ref, const Column *c) {
   if (c->model >= 0) { /* a named model's: its own column in the reference, else the reference's model's */
      int i = Table_find(ref, c->name);
      if (i >= 0 || c->role == ROLE_TELEMETRY)
         return i >= 0 && compared_role(ref->cols[i]->role) ? i : -1;
   }
   if (c->role == ROLE_PRED) {
      if (ref->pred_col >= 0)
         return ref->pred_col;
      return ref->truth_col;
   }
   if (c->role == ROLE_TRUTH)
      return ref->truth_col;
   if (c->role == ROLE_CONFIDENCE)
      return ref->conf_col;
   int i = Table_find(ref, c->name);
   if (i >= 0 && !compared_role(ref->cols[i]->role))
      return -1;
   return i;
}

static double mean_of(const double *v, size_t n) {
   long double s = 0;
   for (size_t i = 0; i < n; i++)
      s += v[i];
   return n ? (double)(s / n) : NAN;
}

bool RefCache_init(RefCache *c, const Table *ref) {
   c->ref = ref;
   c->cols = calloc(DS_MAX_COLUMNS, sizeof *c->cols);
   c->ready = calloc(DS_MAX_COLUMNS, sizeof *c->ready);
   return c->cols && c->ready;
}

void RefCache_done(RefCache *c) {
   for (int i = 0; c->cols && c->ready && i < DS_MAX_COLUMNS; i++)
      if (c->ready[i])
         RefColumn_done(&c->cols[i]);
   free(c->cols);
   free(c->ready);
   memset(c, 0, sizeof *c);
}

/* Set up the column list and prepare the reference columns (or borrow
 * them from the options' cache). */
/* Whether ADWIN follows column cr: the anomaly score, or one asked for. */
static bool adwin_wanted(const AnalysisOptions *o, const ColumnReport *cr) {
   if (cr->role == ROLE_TELEMETRY && !strcasecmp(cr->name, "anomaly"))
      return true;
   for (int i = 0; i < o->nadwin; i++)
      if (!strcasecmp(o->adwin[i], cr->name))
         return true;
   return false;
}

const char *Analysis_adwin_missing(const Analysis *a) {
   for (int i = 0; i < a->opt.nadwin; i++) {
      bool found = false;
      for (int j = 0; j < a->ncols && !found; j++)
         found = a->cols[j].adwin && !strcasecmp(a->cols[j].name, a->opt.adwin[i]);
      if (!found)
         return a->opt.adwin[i];
   }
   return NULL;
}

const char *Analysis_choice_missing(const Analysis *a, const AnalysisOptions *o) {
   for (int i = 0; i < o->ncol_drift; i++) {
      bool found = false;
      for (int j = 0; j < a->ncols && !found; j++)
         found = a->cols[j].ref_index >= 0 && !strcmp(a->cols[j].name, o->col_drift[i].name);
      if (!found)
         return o->col_drift[i].name;
   }
   return NULL;
}

static bool pair_columns(Analysis *a, const Table *ref, const Table *cur) {
   a->cols = calloc(DS_MAX_COLUMNS, sizeof *a->cols);
   a->refs = calloc(DS_MAX_COLUMNS, sizeof *a->refs);
   if (!a->cols || !a->refs)
      return false;
   for (int i = 0; i < cur->ncols; i++) {
      const Column *c = cur->cols[i];
      if (!compared(cur, c))
         continue;
      ColumnReport *cr = &a->cols[a->ncols++];
      ds_copy_name(cr->name, c->name);
      cr->role = c->role;
      cr->kind = c->kind;
      cr->cur_col = i;
      cr->ref_index = -1;
      int r = match_reference(ref, c);
      if (r < 0) {
         cr->not_scored = "not in the reference";
         continue;
      }
      const Column *rc = ref->cols[r];
      ds_copy_name(cr->ref_name, rc->name);
      if (rc->kind != c->kind) {
         cr->not_scored = c->kind == KIND_NUMERIC ? "numbers here, categories in the reference"
                                                  : "categories here, numbers in the reference";
         continue;
      }
      RefColumn *prep = &a->refs[a->nrefs];
      RefCache *cache = a->opt.refs;
      if (cache && cache->ref == ref) {
         if (!cache->ready[r]) {
            if (!RefColumn_init(&cache->cols[r], rc->name, rc->role, rc->kind, rc->v, ref->nrows))
               return false;
            cache->cols[r].classes = ref->classes;
            cache->ready[r] = true;
         }
         RefColumn_lend(prep, &cache->cols[r]);
      } else if (!RefColumn_init(prep, rc->name, rc->role, rc->kind, rc->v, ref->nrows)) {
         return false;
      }
      prep->classes = ref->classes;
      if (prep->n == 0) {
         RefColumn_done(prep);
         cr->not_scored = "no values in the reference";
         continue;
      }
      cr->ref_index = a->nrefs++;
      if (a->opt.change_points && cr->role != ROLE_PRED && cr->kind == KIND_NUMERIC && prep->std > 0) {
         if (!(cr->track = malloc(sizeof *cr->track)))
            return false;
         ChangeTrack_init(cr->track, (double)(prep->prefix[prep->n] / prep->n), prep->std);
      } else if (a->opt.change_points && cr->role == ROLE_PRED && cr->kind == KIND_CATEGORICAL &&
                 prep->n_unique < CHANGE_MAX_CATS) { /* the prediction mix */
         if (!(cr->track = malloc(sizeof *cr->track)))
            return false;
         ChangeTrack_init_categorical(cr->track, prep->keys, prep->key_counts, (int)prep->n_unique, prep->n);
      }
      if (cr->kind == KIND_NUMERIC && adwin_wanted(&a->opt, cr)) {
         if (!(cr->adwin = malloc(sizeof *cr->adwin)))
            return false;
         Adwin_init(cr->adwin);
      }
   }
   return true;
}

/* numpy's default (linear) quantile q of sorted[0..n). */
static double quantile_sorted(const double *sorted, size_t n, double q) {
   double pos = q * (double)(n - 1), lo = floor(pos);
   size_t i = (size_t)lo;
   return i + 1 < n ? sorted[i] + (pos - lo) * (sorted[i + 1] - sorted[i]) : sorted[n - 1];
}

/* How far the compared records (sorted clean[0..n)) moved from the reference. */
static void effect(ColumnReport *cr, const RefColumn *rc, const double *clean, size_t n) {
   cr->cur_std = ds_std(clean, n);
   cr->ref_std = rc->std;
   cr->mean_shift_sigma = rc->std > 0 ? (cr->cur_mean - cr->ref_mean) / rc->std : NAN;
   cr->std_ratio = rc->std > 0 ? cr->cur_std / rc->std : NAN;
   double most = -1;
   for (int d = 1; d <= 9; d++) {
      double q = d / 10.0, r = quantile_sorted(rc->sorted, rc->n, q), c = quantile_sorted(clean, n, q);
      if (fabs(c - r) > most) {
         most = fabs(c - r);
         cr->moved_q = q;
         cr->moved_ref = r;
         cr->moved_cur = c;
      }
   }
}

/* The class of a categorical column whose share grew most, and the one
 * that shrank most, against the reference (sorted clean[0..n)). */
static void mix_change(ColumnReport *cr, const RefColumn *rc, const double *clean, size_t n) {
   double most = 0, least = 0;
   size_t i = 0, j = 0; /* clean and the reference's keys, both ascending */
   while (i < n || j < rc->n_unique) {
      double v = j < rc->n_unique && (i >= n || rc->keys[j] <= clean[i]) ? rc->keys[j] : clean[i];
      double ref = j < rc->n_unique && rc->keys[j] == v ? rc->key_counts[j++] / (double)rc->n : 0;
      size_t k = i;
      while (i < n && clean[i] == v)
         i++;
      double cur = (double)(i - k) / (double)n, d = cur - ref;
      if (ref == 0) { /* a category the reference never had */
         cr->new_share += cur;
         if (cr->n_new < DS_CATEGORIES_LISTED)
            cr->new_ids[cr->n_new] = (int)v;
         cr->n_new++;
      } else if (cur == 0) { /* one it had that the stream lacks */
         if (cr->n_gone < DS_CATEGORIES_LISTED)
            cr->gone_ids[cr->n_gone] = (int)v;
         cr->n_gone++;
      }
      if (d > most) {
         most = d;
         cr->gained = (int)v;
         cr->gained_ref = ref;
         cr->gained_cur = cur;
      }
      if (d < least) {
         least = d;
         cr->lost = (int)v;
         cr->lost_ref = ref;
         cr->lost_cur = cur;
      }
   }
}

static void quality(ColumnReport *cr, const RefColumn *rc, size_t rows, const double *clean, size_t n) {
   cr->missing_share = rows ? (double)(rows - n) / (double)rows : NAN;
   cr->constant = n > 0 && clean[0] == clean[n - 1];
   size_t most = 0; /* the longest run of one value in the sorted values: the most common's count */
   for (size_t i = 0, j; i < n; i = j) {
      for (j = i + 1; j < n && clean[j] == clean[i]; j++)
         ;
      if (j - i > most)
         most = j - i;
   }
   cr->most_common_share = n ? (double)most / (double)n : NAN;
   cr->cur_mean = cr->kind == KIND_NUMERIC ? mean_of(clean, n) : NAN;
   cr->out_of_range_share = NAN;
   cr->ref_mean = NAN;
   cr->cur_std = cr->ref_std = cr->mean_shift_sigma = cr->std_ratio = NAN;
   cr->moved_q = cr->moved_ref = cr->moved_cur = NAN;
   cr->gained = cr->lost = -1;
   cr->n_new = cr->n_gone = 0;
   cr->new_share = rc && cr->kind == KIND_CATEGORICAL && n && rc->n ? 0 : NAN;
   if (rc && cr->kind == KIND_CATEGORICAL && n && rc->n)
      mix_change(cr, rc, clean, n);
   if (!rc || cr->kind != KIND_NUMERIC || n == 0)
      return;
   cr->ref_mean = rc->n ? (double)(rc->prefix[rc->n] / rc->n) : NAN; /* mean_of(sorted), summed once */
   size_t below = ds_lower_bound(clean, n, rc->min), above = n - ds_upper_bound(clean, n, rc->max);
   cr->out_of_range_share = (double)(below + above) / (double)n;
   if (rc->n)
      effect(cr, rc, clean, n);
}

const char *ColumnReport_why_not(const ColumnReport *c) {
   if (c->ref_index < 0)
      return c->not_scored ? c->not_scored : "not compared";
   if (!c->drift.scored)
      return c->drift.why ? c->drift.why : "no values in the stream";
   return NULL;
}

void AnalysisWorker_done(AnalysisWorker *w) {
   free(w->buf);
   DriftScratch_done(&w->scratch);
   memset(w, 0, sizeof *w);
}

static double *worker_buf(AnalysisWorker *w, size_t n) {
   if (n == 0)
      n = 1;
   if (n > w->cap) {
      double *b = ds_big_realloc(w->buf, 0, n * sizeof(double));
      if (!b)
         return NULL;
      w->buf = b;
      w->cap = n;
   }
   return w->buf;
}

/* Compare column i over the scope (all_stats: every statistic, else the
 * verdict's); exact_unique: count
 * its distinct values exactly (a report prints them; a dashboard only needs
 * to know whether there are more than DS_BINNING_UNIQUE, which is cheaper
 * against a large reference). */
static bool scope_column(Analysis *a, const Table *cur, int i, AnalysisWorker *w, bool exact_unique, bool all_stats) {
   DriftOptions dopt = AnalysisOptions_drift(&a->opt, a->cols[i].name);
   dopt.all_stats = all_stats;
   dopt.exact_unique = exact_unique;
   ColumnReport *cr = &a->cols[i];
   const Column *c = cur->cols[cr->cur_col];
   double *buf = worker_buf(w, a->scope_rows);
   if (!buf)
      return false;
   size_t n = ds_clean_sorted_with(c->v + (a->scope_first - cur->base), a->scope_rows, buf, &w->scratch);
   const RefColumn *rc = cr->ref_index >= 0 ? &a->refs[cr->ref_index] : NULL;
   quality(cr, rc, a->scope_rows, buf, n);
   if (!rc) {
      cr->drift.n_cur = n;
      cr->drift.ks_statistic = cr->drift.ks_pvalue = cr->drift.wasserstein_norm = NAN;
      cr->drift.psi = cr->drift.jensenshannon = cr->drift.chisquare_pvalue = cr->drift.z_pvalue = NAN;
      cr->drift.score = cr->drift.threshold = NAN;
      return true;
   }
   return ds_column_drift(rc, buf, n, &dopt, &w->scratch, &cr->drift);
}

bool Analysis_column(Analysis *a, const Table *cur, int i, AnalysisWorker *w) {
   return scope_column(a, cur, i, w, true, true);
}

/* Dataset drift: the share of drifted features against drift_share. */
static void verdict(int features, int drifted, double drift_share, double *share, bool *drift) {
   *share = features ? (double)drifted / features : NAN;
   *drift = features > 0 && *share >= drift_share;
}

static void dataset_verdict(Analysis *a) {
   a->features = a->drifted_features = 0;
   for (int i = 0; i < a->ncols; i++) {
      ColumnReport *cr = &a->cols[i];
      if (cr->ref_index >= 0 && cr->role == ROLE_FEATURE && cr->drift.scored) {
         a->features++;
         a->drifted_features += cr->drift.drifted;
      }
   }
   verdict(a->features, a->drifted_features, a->drift_share, &a->share, &a->dataset_drift);
   a->windows_drifted = a->warmup_windows_drifted = 0;
   a->first_drifted_window = a->nwindows;
   size_t warm = Analysis_warmup_windows(a);
   for (size_t k = a->first_window; k < a->nwindows; k++) /* of the windows held */
      if (Analysis_win(a, k)->dataset_drift) {
         if (k < warm) { /* fewer records than the window: not a verdict */
            a->warmup_windows_drifted++;
            continue;
         }
         if (a->windows_drifted == 0)
            a->first_drifted_window = k;
         a->windows_drifted++;
      }
}

static double time_of(const Table *t, size_t row) {
   return Table_value(t, t->rx_col >= 0 ? t->rx_col : t->time_col, row);
}

/* Window k ends after record (k + 1) * stride and holds the last `window`
 * records before that, fewer at the start of the stream (a warm-up window),
 * as the dashboard's current window is the last `window` records seen. */
size_t Analysis_window_end(const Analysis *a, size_t k) {
   return (k + 1) * a->stride;
}

size_t Analysis_window_first(const Analysis *a, size_t k) {
   size_t end = Analysis_window_end(a, k);
   return end > a->window ? end - a->window : 0;
}

size_t Analysis_warmup_windows(const Analysis *a) {
   size_t warm = a->window ? (a->window - 1) / a->stride : 0;
   return warm < a->nwindows ? warm : a->nwindows;
}

static size_t window_count(const Analysis *a, size_t rows) {
   return a->window ? rows / a->stride : 0;
}

size_t Analysis_keep_from(const Analysis *a, size_t k) {
   return k ? Analysis_window_first(a, k - 1) : 0;
}

bool Analysis_ensure_windows(Analysis *a, size_t count) {
   if (count > a->first_window + (size_t)DS_WINDOW_BLOCK * DS_WINDOW_BLOCKS)
      return false;
   while (a->window_cap < count) {
      WindowReport *b = calloc(DS_WINDOW_BLOCK, sizeof *b);
      if (!b)
         return false;
      a->wblock[a->window_cap / DS_WINDOW_BLOCK % DS_WINDOW_BLOCKS] = b;
      a->window_cap += DS_WINDOW_BLOCK;
   }
   return true;
}

static void free_block(Analysis *a, size_t b) {
   WindowReport *w = a->wblock[b % DS_WINDOW_BLOCKS];
   for (size_t k = 0; w && k < DS_WINDOW_BLOCK; k++)
      free(w[k].cols);
   free(w);
   a->wblock[b % DS_WINDOW_BLOCKS] = NULL;
}

void Analysis_forget_windows(Analysis *a, size_t k) {
   size_t end = k / DS_WINDOW_BLOCK;
   for (size_t b = a->first_window / DS_WINDOW_BLOCK; b < end; b++)
      if (b * DS_WINDOW_BLOCK < a->window_cap)
         free_block(a, b);
   if (end * DS_WINDOW_BLOCK > a->first_window)
      a->first_window = end * DS_WINDOW_BLOCK;
   if (a->window_cap < a->first_window)
      a->window_cap = a->first_window;
}

bool Analysis_window(Analysis *a, const Table *cur, size_t k, AnalysisWorker *wk) {
   DriftOptions dopt = a->opt.drift;
   dopt.all_stats = a->opt.window_all_stats;
   WindowReport *w = Analysis_win(a, k);
   size_t first = Analysis_window_first(a, k);
   size_t rows = Analysis_window_end(a, k) - first;
   double *buf = worker_buf(wk, rows);
   WindowColumn *cols = calloc((size_t)a->ncols + 1, sizeof *cols);
   if (!buf || !cols) {
      free(cols);
      return false;
   }
   w->first = first;
   w->last = first + rows - 1;
   Table_read_lock(cur);
   w->start_ms = time_of(cur, w->first);
   w->end_ms = time_of(cur, w->last);
   Table_read_unlock(cur);
   w->features = w->drifted = 0;
   for (int i = 0; i < a->ncols; i++) {
      ColumnReport *cr = &a->cols[i];
      WindowColumn *wc = &cols[i];
      wc->score = NAN;
      if (cr->ref_index < 0)
         continue;
      Table_read_lock(cur); /* copy under the lock, sort outside it */
      /* a column whose kind settled after prepare held no value before */
      bool same_kind = cur->cols[cr->cur_col]->kind == cr->kind;
      size_t n = same_kind ? ds_clean(cur->cols[cr->cur_col]->v + (first - cur->base), rows, buf) : 0;
      Table_read_unlock(cur);
      if (!same_kind)
         continue;
      ds_sort_doubles_with(buf, n, &wk->scratch.sort);
      ColumnDrift d;
      DriftOptions copt = AnalysisOptions_drift(&a->opt, cr->name);
      copt.all_stats = dopt.all_stats;
      if (!ds_column_drift(&a->refs[cr->ref_index], buf, n, &copt, &wk->scratch, &d)) {
         free(cols);
         return false;
      }
      *wc = (WindowColumn){d.method,           d.score, d.drifted,      d.scored, d.ks_statistic,
                           d.wasserstein_norm, d.psi,   d.jensenshannon};
      if (cr->role == ROLE_FEATURE && d.scored) {
         w->features++;
         w->drifted += d.drifted;
      }
   }
   verdict(w->features, w->drifted, a->drift_share, &w->share, &w->dataset_drift);
   free(w->cols);
   w->cols = cols;
   return true;
}

static void detector_note(DetectorReport *r, bool warning, bool drift, size_t row) {
   r->warnings += warning;
   if (drift) {
      if (r->nat < DS_DETECTIONS_KEEP)
         r->at[r->nat++] = (long)row;
      r->drifts++;
   }
   r->warning = warning;
   r->drift = drift;
}

/* The detectors on the error stream, afresh. */
static void error_detectors_init(SessionDetectors *d) {
   Ddm_init(&d->ddm_state);
   PageHinkley_init(&d->ph_state);
   Eddm_init(&d->eddm_state);
   HddmA_init(&d->hddm_state);
   HddmW_init(&d->hddm_w_state);
   Kswin_init(&d->kswin_state);
}

/* Every detector afresh, nothing said yet. */
static void detectors_init(SessionDetectors *d) {
   error_detectors_init(d);
   Adwin_init(&d->adwin_state);
   memset(&d->ddm, 0, sizeof d->ddm);
   d->ph = d->eddm = d->hddm_a = d->hddm_w = d->kswin = d->adwin = d->ddm;
}

/* Start the model figures once the stream has truth and prediction. */
static bool model_start(Analysis *a, const Table *cur) {
   if (cur->truth_col < 0 || cur->pred_col < 0)
      return true;
   const Column *tc = cur->cols[cur->truth_col], *pc = cur->cols[cur->pred_col];
   if (!tc->stored || !pc->stored)
      return true;
   a->regression = tc->kind == KIND_NUMERIC && pc->kind == KIND_NUMERIC;
   if (!a->regression && tc->kind != pc->kind)
      return true;
   if (!a->confusion && !(a->confusion = calloc(1, sizeof *a->confusion)))
      return false;
   Confusion_clear(a->confusion);
   error_detectors_init(&a->det);
   a->model_on = true;
   return true;
}

/* Confusion matrix, metrics and detectors over records that carry both truth and prediction. */
static void model_consume(Analysis *a, const Table *cur, size_t from, size_t upto) {
   for (size_t r = from; r < upto; r++) {
      double t = Table_at(cur, cur->truth_col, r), p = Table_at(cur, cur->pred_col, r);
      if (isnan(t) || isnan(p))
         continue;
      a->has_truth = true;
      /* DDM reads error bits (River raises on anything else): classification
       * only; Page-Hinkley takes a regression's absolute error too */
      double err;
      if (a->regression) {
         Regression_add(&a->reg, t, p);
         err = fabs(p - t);
      } else {
         Confusion_add(a->confusion, (int)t, (int)p);
         err = t != p;
         Ddm_update(&a->det.ddm_state, err);
         detector_note(&a->det.ddm, a->det.ddm_state.warning, a->det.ddm_state.drift, r);
         Eddm_update(&a->det.eddm_state, err);
         detector_note(&a->det.eddm, a->det.eddm_state.warning, a->det.eddm_state.drift, r);
         HddmA_update(&a->det.hddm_state, err);
         detector_note(&a->det.hddm_a, a->det.hddm_state.warning, a->det.hddm_state.drift, r);
         HddmW_update(&a->det.hddm_w_state, err);
         detector_note(&a->det.hddm_w, a->det.hddm_w_state.warning, a->det.hddm_w_state.drift, r);
      }
      Kswin_update(&a->det.kswin_state, err);
      detector_note(&a->det.kswin, false, a->det.kswin_state.drift, r);
      PageHinkley_update(&a->det.ph_state, err);
      detector_note(&a->det.ph, false, a->det.ph_state.drift, r);
   }
}

/* Missing and out-of-reference-range counts of one column. */
static void quality_consume(const Analysis *a, ColumnReport *cr, const Table *cur, size_t from, size_t upto) {
   const double *v = cur->cols[cr->cur_col]->v - cur->base;
   const RefColumn *rc = cr->ref_index >= 0 && cr->kind == KIND_NUMERIC ? &a->refs[cr->ref_index] : NULL;
   size_t missing = 0, out = 0;
   for (size_t r = from; r < upto; r++) {
      if (isnan(v[r]))
         missing++;
      else if (rc && (v[r] < rc->min || v[r] > rc->max))
         out++;
   }
   cr->s_rows += upto - from;
   cr->s_missing += missing;
   cr->s_out_of_range += out;
}

static void model_metrics(Analysis *a, const Table *cur) {
   if (a->models)
      Models_conclude(a->models, cur->classes->n);
   if (!a->model_on || a->regression)
      return;
   int n = cur->classes->n;
   a->nclasses = Confusion_classes(a->confusion, n, a->classes);
   a->accuracy = Confusion_accuracy(a->confusion);
   a->macro_f1 = Confusion_macro_f1(a->confusion, n);
}

/* ADWIN over the confidence column, records [from, upto): a confidence
 * that collapses or climbs is a change, labels or not. */
static void confidence_consume(Analysis *a, const Table *cur, size_t from, size_t upto) {
   if (cur->conf_col < 0 || !cur->cols[cur->conf_col]->stored)
      return;
   const double *v = cur->cols[cur->conf_col]->v - cur->base;
   for (size_t r = from; r < upto; r++) {
      if (!isfinite(v[r]))
         continue;
      a->has_confidence = true;
      Adwin_update(&a->det.adwin_state, v[r]);
      detector_note(&a->det.adwin, false, a->det.adwin_state.drift, r);
   }
}

/* Since when: each tracked column's records [from, upto), with their times. */
static void change_consume(Analysis *a, const Table *cur, size_t from, size_t upto) {
   int tc = cur->time_col >= 0 ? cur->time_col : cur->rx_col;
   for (int i = 0; i < a->ncols; i++) {
      ColumnReport *cr = &a->cols[i];
      if (!cr->track)
         continue;
      const double *v = cur->cols[cr->cur_col]->v - cur->base;
      const double *t = tc >= 0 && cur->cols[tc]->stored ? cur->cols[tc]->v - cur->base : NULL;
      for (size_t r = from; r < upto; r++)
         ChangeTrack_add(cr->track, v[r], t ? t[r] : NAN);
   }
}

bool Analysis_consume(Analysis *a, const Table *cur, size_t upto) {
   if (upto <= a->consumed)
      return true;
   size_t from = a->consumed;
   if (!a->model_on && !model_start(a, cur))
      return false;
   if (a->model_on)
      model_consume(a, cur, from, upto);
   confidence_consume(a, cur, from, upto);
   change_consume(a, cur, from, upto);
   for (int i = 0; i < a->ncols; i++) { /* ADWIN on the columns it follows */
      ColumnReport *cr = &a->cols[i];
      if (!cr->adwin)
         continue;
      const double *v = cur->cols[cr->cur_col]->v - cur->base;
      for (size_t r = from; r < upto; r++)
         if (isfinite(v[r])) {
            Adwin_update(cr->adwin, v[r]);
            detector_note(&cr->adwin_det, false, cr->adwin->drift, r);
         }
   }
   if (a->models)
      Models_consume(a->models, cur, from, upto);
   for (int i = 0; i < a->ncols; i++)
      if (cur->cols[a->cols[i].cur_col]->kind == a->cols[i].kind)
         quality_consume(a, &a->cols[i], cur, from, upto);
   a->consumed = upto;
   return true;
}

static void session_quality(Analysis *a) {
   for (int i = 0; i < a->ncols; i++) {
      ColumnReport *cr = &a->cols[i];
      size_t present = cr->s_rows - cr->s_missing;
      cr->session_missing_share = cr->s_rows ? (double)cr->s_missing / (double)cr->s_rows : NAN;
      cr->session_out_of_range_share =
         cr->kind == KIND_NUMERIC && cr->ref_index >= 0 && present ? (double)cr->s_out_of_range / (double)present : NAN;
   }
}

struct AnalysisCheckpoint {
   size_t consumed;
   bool has_truth, regression, model_on;
   Confusion confusion;
   Regression reg;
   SessionDetectors det;
   bool has_confidence;
   Models *models; /* NULL: none */
   int ncols;
   struct {
      char name[DS_NAME_MAX];
      size_t s_rows, s_missing, s_out_of_range;
      ChangeTrack *track; /* since when, as it was (NULL: none) */
      Adwin *adwin;       /* ADWIN, as it was (NULL: none) */
      DetectorReport adwin_det;
   } cols[DS_MAX_COLUMNS];
};

bool Analysis_checkpoint(Analysis *a) {
   AnalysisCheckpoint *c = a->checkpoint ? a->checkpoint : calloc(1, sizeof *c);
   if (!c)
      return false;
   a->checkpoint = c;
   c->consumed = a->consumed;
   c->has_truth = a->has_truth;
   c->regression = a->regression;
   c->model_on = a->model_on;
   if (a->confusion)
      c->confusion = *a->confusion;
   c->reg = a->reg;
   c->det = a->det;
   c->has_confidence = a->has_confidence;
   if (a->models && !c->models && !(c->models = Models_clone(a->models)))
      return false;
   if (a->models)
      Models_copy(c->models, a->models);
   c->ncols = a->ncols;
   for (int i = 0; i < a->ncols; i++) {
      memcpy(c->cols[i].name, a->cols[i].name, DS_NAME_MAX);
      c->cols[i].s_rows = a->cols[i].s_rows;
      c->cols[i].s_missing = a->cols[i].s_missing;
      c->cols[i].s_out_of_range = a->cols[i].s_out_of_range;
      if (a->cols[i].adwin) {
         if (!c->cols[i].adwin && !(c->cols[i].adwin = malloc(sizeof *c->cols[i].adwin)))
            return false;
         *c->cols[i].adwin = *a->cols[i].adwin;
         c->cols[i].adwin_det = a->cols[i].adwin_det;
      }
      const ChangeTrack *t = a->cols[i].track;
      if (!t)
         continue;
      if (!c->cols[i].track && !(c->cols[i].track = calloc(1, sizeof *t)))
         return false;
      if (!ChangeTrack_copy(c->cols[i].track, t))
         return false;
   }
   return true;
}

/* The session figures as the checkpoint has them. */
static bool restore(Analysis *a, const AnalysisCheckpoint *c) {
   if (c->model_on && !a->confusion && !(a->confusion = malloc(sizeof *a->confusion)))
      return false;
   a->consumed = c->consumed;
   a->has_truth = c->has_truth;
   a->regression = c->regression;
   a->model_on = c->model_on;
   if (c->model_on)
      *a->confusion = c->confusion;
   a->reg = c->reg;
   a->det = c->det;
   a->has_confidence = c->has_confidence;
   if (a->models && c->models && Models_same(a->models, c->models))
      Models_copy(a->models, c->models);
   else if (a->models) /* a model the checkpoint did not know: its figures start here */
      Models_clear(a->models);
   for (int i = 0; i < a->ncols; i++) {
      ColumnReport *cr = &a->cols[i];
      bool tracked = false, adwin_kept = false; /* the track as it was at the checkpoint, else no onset to say */
      cr->s_rows = cr->s_missing = cr->s_out_of_range = 0;
      for (int j = 0; j < c->ncols; j++)
         if (!strcmp(c->cols[j].name, cr->name)) {
            cr->s_rows = c->cols[j].s_rows;
            cr->s_missing = c->cols[j].s_missing;
            cr->s_out_of_range = c->cols[j].s_out_of_range;
            tracked = cr->track && c->cols[j].track && ChangeTrack_copy(cr->track, c->cols[j].track);
            if (cr->adwin && c->cols[j].adwin) {
               *cr->adwin = *c->cols[j].adwin;
               cr->adwin_det = c->cols[j].adwin_det;
               adwin_kept = true;
            }
         }
      if (cr->track && !tracked) /* its records before the checkpoint are gone */
         cr->track->failed = true;
      if (cr->adwin && !adwin_kept) { /* a column the checkpoint did not follow: from it on */
         Adwin_init(cr->adwin);
         memset(&cr->adwin_det, 0, sizeof cr->adwin_det);
      }
   }
   return true;
}

bool Analysis_adopt_checkpoint(Analysis *a, const Analysis *old) {
   if (!old->checkpoint)
      return true;
   a->checkpoint = calloc(1, sizeof *a->checkpoint);
   if (!a->checkpoint || !restore(a, old->checkpoint))
      return false;
   return Analysis_checkpoint(a);
}

bool Analysis_rewind(Analysis *a) {
   if (a->checkpoint)
      return restore(a, a->checkpoint);
   a->consumed = 0;
   if (a->confusion)
      Confusion_clear(a->confusion);
   if (a->models)
      Models_clear(a->models);
   memset(&a->reg, 0, sizeof a->reg);
   detectors_init(&a->det);
   a->has_confidence = false;
   a->has_truth = false;
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].track) { /* counted again from record 0 */
         ChangeTrack *t = a->cols[i].track;
         ChangeTrack_rewind(t);
      }
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].adwin) {
         Adwin_init(a->cols[i].adwin);
         memset(&a->cols[i].adwin_det, 0, sizeof a->cols[i].adwin_det);
      }
   for (int i = 0; i < a->ncols; i++)
      a->cols[i].s_rows = a->cols[i].s_missing = a->cols[i].s_out_of_range = 0;
   return true;
}

/* All features at once: k-means over the reference's scored numeric features with a spread. */
static bool multivariate_fit(Analysis *a, const Table *ref) {
   int cols[DS_MAX_COLUMNS], d = 0;
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *cr = &a->cols[i];
      if (cr->role != ROLE_FEATURE || cr->kind != KIND_NUMERIC || cr->ref_index < 0 ||
          !(a->refs[cr->ref_index].std > 0))
         continue;
      a->mv_cols[d] = i;
      cols[d++] = Table_find(ref, cr->ref_name);
   }
   if (!(a->mv = calloc(1, sizeof *a->mv)))
      return false;
   return Multivariate_fit(a->mv, ref, cols, d);
}

/* The compared records' clusters against the reference's. */
static bool multivariate_compare(Analysis *a, const Table *cur, AnalysisWorker *w) {
   if (!a->mv)
      return true;
   int cols[DS_MAX_COLUMNS];
   for (int j = 0; j < a->mv->d; j++)
      cols[j] = a->cols[a->mv_cols[j]].cur_col;
   return Multivariate_compare(a->mv, cur, cols, a->scope_first, a->scope_rows, &w->scratch);
}

bool Analysis_scope(Analysis *a, const Table *cur, size_t first, size_t rows, AnalysisWorker *w, bool all_stats) {
   a->scope_first = first;
   a->scope_rows = rows;
   a->scope_window = false;
   for (int i = 0; i < a->ncols; i++)
      if (!scope_column(a, cur, i, w, false, all_stats))
         return false;
   dataset_verdict(a);
   model_metrics(a, cur);
   session_quality(a);
   return multivariate_compare(a, cur, w);
}

/* Return whether the compared columns are still those paired at prepare:
 * none appeared, and none changed kind (a parser settles a column's kind
 * at its first value, which can come after the first window). */
bool Analysis_pairing_current(const Analysis *a, const Table *cur) {
   int n = 0;
   for (int i = 0; i < cur->ncols; i++)
      n += compared(cur, cur->cols[i]);
   for (int i = 0; i < a->ncols; i++)
      if (cur->cols[a->cols[i].cur_col]->kind != a->cols[i].kind)
         return false;
   return n == a->ncols;
}

bool Analysis_prepare(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e) {
   memset(a, 0, sizeof *a);
   detectors_init(&a->det);
   a->opt = *opt;
   a->drift_share = opt->drift_share;
   a->accuracy = a->macro_f1 = NAN;
   a->window = opt->window;
   a->stride = AnalysisOptions_stride(opt);
   Table_read_lock(cur);
   bool ok = pair_columns(a, ref, cur), oom = false;
   if (ok && !(a->models = Models_new(cur, &oom)) && oom)
      ok = false;
   if (ok)
      ok = multivariate_fit(a, ref);
   Table_read_unlock(cur);
   if (!ok)
      DsError_set(e, NULL, 0, 0, "out of memory preparing the reference");
   return ok;
}

/* Columns paired at prepare whose kind changed, and columns that appeared
 * since, once records are gone: they cannot be compared again. */
static void leave_out_changed(Analysis *a, const Table *cur) {
   for (int i = 0; i < a->ncols; i++)
      if (cur->cols[a->cols[i].cur_col]->kind != a->cols[i].kind) {
         a->cols[i].ref_index = -1;
         a->cols[i].not_scored = "its type changed after windowing began";
      }
   a->warning = "some columns appeared or changed type after windowing began and are not compared; "
                "run without --window to compare them";
   a->columns_changed = false;
}

void Analysis_seal(Analysis *a, const Table *cur) {
   a->rows = cur->nrows;
   a->nwindows = window_count(a, cur->nrows);
   /* the stream as it is now: its last `window` records, the newest
    * included, though they may end between two windows' strides */
   a->scope_window = a->nwindows > 0;
   a->scope_first = a->scope_window && cur->nrows > a->window ? cur->nrows - a->window : 0;
   a->scope_rows = cur->nrows - a->scope_first;
   a->columns_changed = !Analysis_pairing_current(a, cur);
   if (a->columns_changed && cur->base > 0)
      leave_out_changed(a, cur);
}

bool Analysis_conclude(Analysis *a, const Table *cur, AnalysisWorker *w, DsError *e) {
   bool ok = Analysis_ensure_windows(a, a->nwindows);
   for (size_t k = 0; ok && k < a->nwindows; k++)
      if (!Analysis_win(a, k)->done) {
         ok = Analysis_window(a, cur, k, w);
         Analysis_win(a, k)->done = ok;
      }
   dataset_verdict(a);
   ok = ok && Analysis_consume(a, cur, cur->nrows) && multivariate_compare(a, cur, w);
   model_metrics(a, cur);
   session_quality(a);
   for (int i = 0; i < a->ncols; i++) /* since when, over the whole session */
      if (a->cols[i].track)
         ChangeTrack_onset(a->cols[i].track, &a->cols[i].change);
   if (!ok)
      DsError_set(e, NULL, 0, 0, "out of memory while comparing %zu rows", cur->nrows);
   return ok;
}

bool Analysis_run(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e) {
   AnalysisWorker w = {0};
   bool ok = Analysis_prepare(a, ref, cur, opt, e);
   if (ok)
      Analysis_seal(a, cur);
   for (int i = 0; ok && i < a->ncols; i++)
      ok = Analysis_column(a, cur, i, &w);
   ok = ok && Analysis_conclude(a, cur, &w, e);
   AnalysisWorker_done(&w);
   return ok;
}

void Analysis_done(Analysis *a) {
   for (int i = 0; i < a->nrefs; i++)
      RefColumn_done(&a->refs[i]);
   for (int i = 0; a->cols && i < a->ncols; i++)
      if (a->cols[i].track) {
         ChangeTrack_done(a->cols[i].track);
         free(a->cols[i].track);
      }
   for (int i = 0; a->cols && i < a->ncols; i++)
      free(a->cols[i].adwin);
   for (size_t b = a->first_window / DS_WINDOW_BLOCK; b * DS_WINDOW_BLOCK < a->window_cap; b++)
      free_block(a, b);
   if (a->checkpoint) {
      Models_free(a->checkpoint->models);
      for (int i = 0; i < DS_MAX_COLUMNS; i++)
         if (a->checkpoint->cols[i].track) {
            ChangeTrack_done(a->checkpoint->cols[i].track);
            free(a->checkpoint->cols[i].track);
         }
      for (int i = 0; i < DS_MAX_COLUMNS; i++)
         free(a->checkpoint->cols[i].adwin);
   }
   free(a->checkpoint);
   Models_free(a->models);
   if (a->mv)
      Multivariate_done(a->mv);
   free(a->mv);
   DataQuality_done(a->dq);
   free(a->dq);
   free(a->refs);
   free(a->cols);
   free(a->confusion);
   memset(a, 0, sizeof *a);
}

/* How far past its threshold a verdict is: log10 of threshold over p, or
 * score over threshold less 1; -inf when not scored. */
static double severity(const ColumnDrift *d) {
   if (!d->scored || isnan(d->score))
      return -INFINITY;
   if (ds_drift_methods[d->method].p_value)
      return log10(d->threshold) - log10(fmax(d->score, 1e-300));
   return d->score / d->threshold - 1.0;
}

int Analysis_top_feature(const Analysis *a) {
   int best = -1;
   double top = -INFINITY;
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      if (c->role != ROLE_FEATURE || c->ref_index < 0 || !c->drift.scored)
         continue;
      double s = severity(&c->drift);
      if (best < 0 || s > top) {
         best = i;
         top = s;
      }
   }
   return best;
}
