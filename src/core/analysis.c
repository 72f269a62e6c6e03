// SPDX-License-Identifier: MIT
#include "driftscope/analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/bigalloc.h"
#include "driftscope/stats.h"

void AnalysisOptions_default(AnalysisOptions *o) {
   memset(o, 0, sizeof *o);
   o->drift.method = DRIFT_AUTO;
   o->drift.threshold = NAN;
   o->drift_share = 0.5;
   o->window_all_stats = true;
}

static bool compared_role(ColumnRole r) {
   return r == ROLE_FEATURE || r == ROLE_TELEMETRY || r == ROLE_PRED || r == ROLE_CONFIDENCE;
}

/* Return the reference column a current column is compared with, or -1. */
static int match_reference(const Table *ref, const Column *c) {
   if (c->role == ROLE_PRED) {
      if (ref->pred_col >= 0)
         return ref->pred_col;
      return ref->truth_col;
   }
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

/* Set up the column list and prepare the reference columns. */
static bool pair_columns(Analysis *a, const Table *ref, const Table *cur) {
   a->cols = calloc((size_t)cur->ncols + 1, sizeof *a->cols);
   a->refs = calloc((size_t)cur->ncols + 1, sizeof *a->refs);
   if (!a->cols || !a->refs)
      return false;
   for (int i = 0; i < cur->ncols; i++) {
      const Column *c = cur->cols[i];
      if (!compared_role(c->role) || !c->stored)
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
      if (!RefColumn_init(prep, rc->name, rc->role, rc->kind, rc->v, ref->nrows))
         return false;
      if (prep->n == 0) {
         RefColumn_done(prep);
         cr->not_scored = "no values in the reference";
         continue;
      }
      cr->ref_index = a->nrefs++;
   }
   return true;
}

static void quality(ColumnReport *cr, const RefColumn *rc, size_t rows, const double *clean, size_t n) {
   cr->missing_share = rows ? (double)(rows - n) / (double)rows : NAN;
   cr->constant = n > 0 && clean[0] == clean[n - 1];
   cr->cur_mean = cr->kind == KIND_NUMERIC ? mean_of(clean, n) : NAN;
   cr->out_of_range_share = NAN;
   cr->ref_mean = NAN;
   if (!rc || cr->kind != KIND_NUMERIC || n == 0)
      return;
   cr->ref_mean = mean_of(rc->sorted, rc->n);
   size_t below = ds_lower_bound(clean, n, rc->min), above = n - ds_upper_bound(clean, n, rc->max);
   cr->out_of_range_share = (double)(below + above) / (double)n;
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

bool Analysis_column(Analysis *a, const Table *cur, int i, AnalysisWorker *w) {
   DriftOptions dopt = a->opt.drift;
   dopt.all_stats = true;
   dopt.exact_unique = true;
   ColumnReport *cr = &a->cols[i];
   const Column *c = cur->cols[cr->cur_col];
   double *buf = worker_buf(w, cur->nrows);
   if (!buf)
      return false;
   size_t n = ds_clean_sorted_with(c->v, cur->nrows, buf, &w->scratch);
   const RefColumn *rc = cr->ref_index >= 0 ? &a->refs[cr->ref_index] : NULL;
   quality(cr, rc, cur->nrows, buf, n);
   if (!rc) {
      cr->drift.n_cur = n;
      cr->drift.ks_statistic = cr->drift.ks_pvalue = cr->drift.wasserstein_norm = NAN;
      cr->drift.psi = cr->drift.jensenshannon = cr->drift.chisquare_pvalue = cr->drift.z_pvalue = NAN;
      cr->drift.score = cr->drift.threshold = NAN;
      return true;
   }
   return ds_column_drift(rc, buf, n, &dopt, &w->scratch, &cr->drift);
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
   a->share = a->features ? (double)a->drifted_features / a->features : NAN;
   a->dataset_drift = a->features > 0 && a->share >= a->drift_share;
}

static double time_of(const Table *t, size_t row) {
   int c = t->rx_col >= 0 ? t->rx_col : t->time_col;
   return c >= 0 && t->cols[c]->stored ? t->cols[c]->v[row] : NAN;
}

size_t Analysis_window_end(const Analysis *a, size_t k) {
   return k * a->stride + a->window;
}

static size_t window_count(const Analysis *a, size_t rows) {
   if (!a->window || rows < a->window)
      return 0;
   return (rows - a->window) / a->stride + 1;
}

static bool ensure_windows(Analysis *a, size_t count) {
   if (count <= a->window_cap)
      return true;
   WindowReport *w = realloc(a->windows, count * sizeof *w);
   if (!w)
      return false;
   memset(w + a->window_cap, 0, (count - a->window_cap) * sizeof *w);
   a->windows = w;
   a->window_cap = count;
   return true;
}

bool Analysis_window(Analysis *a, const Table *cur, size_t k, AnalysisWorker *wk) {
   DriftOptions dopt = a->opt.drift;
   dopt.all_stats = a->opt.window_all_stats;
   WindowReport *w = &a->windows[k];
   size_t first = k * a->stride;
   double *buf = worker_buf(wk, a->window);
   WindowColumn *cols = calloc((size_t)a->ncols + 1, sizeof *cols);
   if (!buf || !cols) {
      free(cols);
      return false;
   }
   w->first = first;
   w->last = first + a->window - 1;
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
      size_t n = ds_clean(cur->cols[cr->cur_col]->v + first, a->window, buf);
      Table_read_unlock(cur);
      ds_sort_doubles_with(buf, n, &wk->scratch.sort);
      ColumnDrift d;
      if (!ds_column_drift(&a->refs[cr->ref_index], buf, n, &dopt, &wk->scratch, &d)) {
         free(cols);
         return false;
      }
      *wc = (WindowColumn){d.method, d.score, d.drifted, d.scored, d.ks_statistic, d.wasserstein_norm, d.psi,
                           d.jensenshannon};
      if (cr->role == ROLE_FEATURE && d.scored) {
         w->features++;
         w->drifted += d.drifted;
      }
   }
   w->share = w->features ? (double)w->drifted / w->features : NAN;
   w->dataset_drift = w->features > 0 && w->share >= a->drift_share;
   free(w->cols);
   w->cols = cols;
   w->done = true;
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

/* Confusion matrix, metrics and detectors over rows that carry both truth and prediction. */
static bool model_quality(Analysis *a, const Table *cur) {
   if (cur->truth_col < 0 || cur->pred_col < 0)
      return true;
   const Column *tc = cur->cols[cur->truth_col], *pc = cur->cols[cur->pred_col];
   if (!tc->stored || !pc->stored)
      return true;
   a->regression = tc->kind == KIND_NUMERIC && pc->kind == KIND_NUMERIC;
   if (!a->regression && tc->kind != pc->kind)
      return true;
   a->confusion = calloc(1, sizeof *a->confusion);
   if (!a->confusion)
      return false;
   Ddm ddm;
   PageHinkley ph;
   Ddm_init(&ddm);
   PageHinkley_init(&ph);
   for (size_t r = 0; r < cur->nrows; r++) {
      double t = tc->v[r], p = pc->v[r];
      if (isnan(t) || isnan(p))
         continue;
      a->has_truth = true;
      double err;
      if (a->regression) {
         Regression_add(&a->reg, t, p);
         err = fabs(p - t);
      } else {
         Confusion_add(a->confusion, (int)t, (int)p);
         err = t != p;
      }
      Ddm_update(&ddm, err);
      PageHinkley_update(&ph, err);
      detector_note(&a->ddm, ddm.warning, ddm.drift, r);
      detector_note(&a->ph, false, ph.drift, r);
   }
   if (!a->regression) {
      int n = cur->classes->n;
      a->nclasses = Confusion_classes(a->confusion, n, a->classes);
      a->accuracy = Confusion_accuracy(a->confusion);
      a->macro_f1 = Confusion_macro_f1(a->confusion, n);
   }
   return true;
}

/* Return whether the compared columns are still those paired at prepare:
 * none appeared, and none changed kind (a parser settles a column's kind
 * at its first value, which can come after the first window). */
static bool pairing_current(const Analysis *a, const Table *cur) {
   int n = 0;
   for (int i = 0; i < cur->ncols; i++)
      n += compared_role(cur->cols[i]->role) && cur->cols[i]->stored;
   for (int i = 0; i < a->ncols; i++)
      if (cur->cols[a->cols[i].cur_col]->kind != a->cols[i].kind)
         return false;
   return n == a->ncols;
}

bool Analysis_prepare(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt,
                      size_t expected_rows, DsError *e) {
   memset(a, 0, sizeof *a);
   a->opt = *opt;
   a->drift_share = opt->drift_share;
   a->accuracy = a->macro_f1 = NAN;
   a->window = opt->window;
   a->stride = opt->stride ? opt->stride : opt->window;
   Table_read_lock(cur);
   bool ok = pair_columns(a, ref, cur);
   Table_read_unlock(cur);
   ok = ok && ensure_windows(a, window_count(a, expected_rows));
   if (!ok)
      DsError_set(e, NULL, 0, 0, "out of memory preparing the reference");
   return ok;
}

bool Analysis_conclude(Analysis *a, const Table *cur, AnalysisWorker *w, DsError *e) {
   a->rows = cur->nrows;
   a->columns_changed = !pairing_current(a, cur);
   size_t count = window_count(a, cur->nrows);
   bool ok = ensure_windows(a, count);
   for (size_t k = 0; ok && k < count; k++)
      if (!a->windows[k].done)
         ok = Analysis_window(a, cur, k, w);
   a->nwindows = count;
   dataset_verdict(a);
   ok = ok && model_quality(a, cur);
   if (!ok)
      DsError_set(e, NULL, 0, 0, "out of memory while comparing %zu rows", cur->nrows);
   return ok;
}

bool Analysis_run(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e) {
   AnalysisWorker w = {0};
   bool ok = Analysis_prepare(a, ref, cur, opt, cur->nrows, e);
   for (int i = 0; ok && i < a->ncols; i++)
      ok = Analysis_column(a, cur, i, &w);
   ok = ok && Analysis_conclude(a, cur, &w, e);
   AnalysisWorker_done(&w);
   return ok;
}

void Analysis_done(Analysis *a) {
   for (int i = 0; i < a->nrefs; i++)
      RefColumn_done(&a->refs[i]);
   for (size_t k = 0; k < a->window_cap; k++)
      free(a->windows[k].cols);
   free(a->windows);
   free(a->refs);
   free(a->cols);
   free(a->confusion);
   memset(a, 0, sizeof *a);
}
