// SPDX-License-Identifier: MIT
#include "driftscope/analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static void quality(ColumnReport *cr, const RefColumn *rc, const Column *c, size_t rows, const double *clean,
                    size_t n) {
   cr->missing_share = rows ? (double)(rows - n) / (double)rows : NAN;
   cr->constant = n > 0 && clean[0] == clean[n - 1];
   cr->cur_mean = cr->kind == KIND_NUMERIC ? mean_of(clean, n) : NAN;
   cr->out_of_range_share = NAN;
   cr->ref_mean = NAN;
   (void)c;
   if (!rc || cr->kind != KIND_NUMERIC || n == 0)
      return;
   cr->ref_mean = mean_of(rc->sorted, rc->n);
   size_t below = ds_lower_bound(clean, n, rc->min), above = n - ds_upper_bound(clean, n, rc->max);
   cr->out_of_range_share = (double)(below + above) / (double)n;
}

static bool whole_session(Analysis *a, const Table *cur, const AnalysisOptions *opt, double *buf,
                          DriftScratch *scratch) {
   DriftOptions dopt = opt->drift;
   dopt.all_stats = true;
   dopt.exact_unique = true;
   for (int i = 0; i < a->ncols; i++) {
      ColumnReport *cr = &a->cols[i];
      const Column *c = cur->cols[cr->cur_col];
      size_t n = ds_clean_sorted(c->v, cur->nrows, buf);
      const RefColumn *rc = cr->ref_index >= 0 ? &a->refs[cr->ref_index] : NULL;
      quality(cr, rc, c, cur->nrows, buf, n);
      if (!rc) {
         cr->drift.n_cur = n;
         cr->drift.ks_statistic = cr->drift.ks_pvalue = cr->drift.wasserstein_norm = NAN;
         cr->drift.psi = cr->drift.jensenshannon = cr->drift.chisquare_pvalue = cr->drift.z_pvalue = NAN;
         cr->drift.score = cr->drift.threshold = NAN;
         continue;
      }
      if (!ds_column_drift(rc, buf, n, &dopt, scratch, &cr->drift))
         return false;
      if (cr->role == ROLE_FEATURE && cr->drift.scored) {
         a->features++;
         a->drifted_features += cr->drift.drifted;
      }
   }
   a->share = a->features ? (double)a->drifted_features / a->features : NAN;
   a->dataset_drift = a->features > 0 && a->share >= a->drift_share;
   return true;
}

static double time_of(const Table *t, size_t row) {
   int c = t->rx_col >= 0 ? t->rx_col : t->time_col;
   return c >= 0 ? t->cols[c]->v[row] : NAN;
}

static bool one_window(Analysis *a, const Table *cur, const AnalysisOptions *opt, size_t first, WindowReport *w,
                       double *buf, DriftScratch *scratch) {
   DriftOptions dopt = opt->drift;
   dopt.all_stats = opt->window_all_stats;
   w->first = first;
   w->last = first + a->window - 1;
   w->start_ms = time_of(cur, w->first);
   w->end_ms = time_of(cur, w->last);
   w->cols = calloc((size_t)a->ncols + 1, sizeof *w->cols);
   if (!w->cols)
      return false;
   for (int i = 0; i < a->ncols; i++) {
      ColumnReport *cr = &a->cols[i];
      WindowColumn *wc = &w->cols[i];
      wc->score = NAN;
      if (cr->ref_index < 0)
         continue;
      size_t n = ds_clean_sorted(cur->cols[cr->cur_col]->v + first, a->window, buf);
      ColumnDrift d;
      if (!ds_column_drift(&a->refs[cr->ref_index], buf, n, &dopt, scratch, &d))
         return false;
      *wc = (WindowColumn){d.method, d.score, d.drifted, d.scored, d.ks_statistic, d.wasserstein_norm, d.psi,
                           d.jensenshannon};
      if (cr->role == ROLE_FEATURE && d.scored) {
         w->features++;
         w->drifted += d.drifted;
      }
   }
   w->share = w->features ? (double)w->drifted / w->features : NAN;
   w->dataset_drift = w->features > 0 && w->share >= a->drift_share;
   return true;
}

static bool windows(Analysis *a, const Table *cur, const AnalysisOptions *opt, double *buf, DriftScratch *scratch) {
   a->window = opt->window;
   a->stride = opt->stride ? opt->stride : opt->window;
   if (!a->window || cur->nrows < a->window)
      return true;
   size_t count = (cur->nrows - a->window) / a->stride + 1;
   a->windows = calloc(count, sizeof *a->windows);
   if (!a->windows)
      return false;
   for (size_t k = 0; k < count; k++) {
      if (!one_window(a, cur, opt, k * a->stride, &a->windows[k], buf, scratch))
         return false;
      a->nwindows++;
   }
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

bool Analysis_run(Analysis *a, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e) {
   memset(a, 0, sizeof *a);
   a->drift_share = opt->drift_share;
   a->rows = cur->nrows;
   a->accuracy = a->macro_f1 = NAN;
   DriftScratch scratch = {0};
   double *buf = malloc((cur->nrows ? cur->nrows : 1) * sizeof(double));
   bool ok = buf && pair_columns(a, ref, cur) && whole_session(a, cur, opt, buf, &scratch) &&
             windows(a, cur, opt, buf, &scratch) && model_quality(a, cur);
   free(buf);
   DriftScratch_done(&scratch);
   if (!ok)
      DsError_set(e, NULL, 0, 0, "out of memory while comparing %zu rows", cur->nrows);
   return ok;
}

void Analysis_done(Analysis *a) {
   for (int i = 0; i < a->nrefs; i++)
      RefColumn_done(&a->refs[i]);
   for (size_t k = 0; k < a->nwindows; k++)
      free(a->windows[k].cols);
   free(a->windows);
   free(a->refs);
   free(a->cols);
   free(a->confusion);
   memset(a, 0, sizeof *a);
}
