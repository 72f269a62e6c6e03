// SPDX-License-Identifier: MIT
/* Data quality over the compared records (quality.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/analysis.h"
#include "driftscope/quality.h"
#include "driftscope/stats.h"

void DataQuality_done(DataQuality *q) {
   if (q)
      free(q->col);
}

/* ---- duplicated rows ---- */

static uint64_t mix(uint64_t h, double v) {
   uint64_t bits;
   if (isnan(v))
      v = NAN; /* one NaN: pandas counts NaN equal to NaN in duplicated() */
   if (v == 0)
      v = 0; /* -0 == 0 */
   memcpy(&bits, &v, sizeof bits);
   h ^= bits + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
   return h * 0xff51afd7ed558ccdull;
}

static bool same_value(double x, double y) {
   return x == y || (isnan(x) && isnan(y));
}

static bool same_row(const Table *t, const int *cols, int n, size_t r1, size_t r2) {
   for (int k = 0; k < n; k++)
      if (!same_value(Table_at(t, cols[k], r1), Table_at(t, cols[k], r2)))
         return false;
   return true;
}

/* Rows of [first, first + rows) equal to an earlier one, and to the one just before. */
static bool duplicates(const Table *t, const int *cols, int n, size_t first, size_t rows, size_t *dup, size_t *rep) {
   *dup = *rep = 0;
   if (!n || !rows)
      return true;
   size_t cap = 1;
   while (cap < rows * 2)
      cap *= 2;
   size_t *slot = calloc(cap, sizeof *slot); /* row index + 1; 0: empty */
   if (!slot)
      return false;
   for (size_t r = first; r < first + rows; r++) {
      if (r > first && same_row(t, cols, n, r, r - 1))
         (*rep)++;
      uint64_t h = 1469598103934665603ull;
      for (int k = 0; k < n; k++)
         h = mix(h, Table_at(t, cols[k], r));
      for (size_t s = h & (cap - 1);; s = (s + 1) & (cap - 1)) {
         if (!slot[s]) {
            slot[s] = r + 1;
            break;
         }
         if (same_row(t, cols, n, slot[s] - 1, r)) {
            (*dup)++;
            break;
         }
      }
   }
   free(slot);
   return true;
}

/* ---- runs and common values ---- */

/* The longest run of one (present) value in v[0..n): length, start, value. */
static size_t longest_run(const double *v, size_t n, size_t *start, double *value) {
   size_t best = 0, len = 0;
   *start = 0;
   *value = NAN;
   for (size_t i = 0; i < n; i++) {
      len = i > 0 && isfinite(v[i]) && v[i] == v[i - 1] ? len + 1 : isfinite(v[i]) ? 1 : 0;
      if (len > best) {
         best = len;
         *start = i + 1 - len;
         *value = v[i];
      }
   }
   return best;
}

/* ---- correlation ---- */

/* pandas' DataFrame.corr(): Pearson over the rows where both are present. */
static double pearson(const double *x, const double *y, size_t n) {
   long double sx = 0, sy = 0;
   size_t k = 0;
   for (size_t i = 0; i < n; i++)
      if (!isnan(x[i]) && !isnan(y[i])) {
         sx += x[i];
         sy += y[i];
         k++;
      }
   if (k < 2)
      return NAN;
   long double mx = sx / k, my = sy / k, sxy = 0, sxx = 0, syy = 0;
   for (size_t i = 0; i < n; i++)
      if (!isnan(x[i]) && !isnan(y[i])) {
         long double dx = x[i] - mx, dy = y[i] - my;
         sxy += dx * dy;
         sxx += dx * dx;
         syy += dy * dy;
      }
   if (sxx == 0 || syy == 0)
      return NAN;
   return (double)(sxy / sqrtl(sxx * syy));
}

/* ---- scores ---- */

/* The area under the ROC curve of one class against the rest, from the
 * positives' and the negatives' scores, each sorted: the share of
 * (positive, negative) pairs the positive outranks, ties counting half
 * (the Mann-Whitney statistic: scikit-learn's trapezoids). */
static double auc(const double *pos, size_t np, const double *neg, size_t nn) {
   if (!np || !nn)
      return NAN;
   long double wins = 0;
   size_t below = 0, equal = 0; /* negatives below the current positive's score, and equal to it */
   for (size_t i = 0; i < np; i++) {
      if (i == 0 || pos[i] != pos[i - 1]) {
         below += equal;
         equal = 0;
         while (below < nn && neg[below] < pos[i])
            below++;
         while (below + equal < nn && neg[below + equal] == pos[i])
            equal++;
      }
      wins += (long double)below + (long double)equal / 2;
   }
   return (double)(wins / ((long double)np * nn));
}

static int by_name(const void *a, const void *b, void *cl) {
   const Classes *c = cl;
   return strcmp(c->name[*(const int *)a], c->name[*(const int *)b]);
}

/* sort ids[0..n) by class name (a small insertion sort: n <= DS_MAX_CLASSES) */
static void sort_by_name(int *ids, int n, const Classes *cl) {
   for (int i = 1; i < n; i++)
      for (int j = i; j > 0 && by_name(&ids[j - 1], &ids[j], (void *)cl) > 0; j--) {
         int t = ids[j];
         ids[j] = ids[j - 1];
         ids[j - 1] = t;
      }
}

static bool scores(DataQuality *q, const Table *cur, size_t first, size_t rows) {
   q->roc_auc = q->log_loss = NAN;
   if (cur->truth_col < 0 || cur->pred_col < 0 || cur->cols[cur->truth_col]->kind != KIND_CATEGORICAL)
      return true;
   int model = cur->cols[cur->pred_col]->model;
   int sc[DS_MAX_CLASSES], cls[DS_MAX_CLASSES], k = 0;
   for (int c = 0; c < cur->ncols && k < DS_MAX_CLASSES; c++) {
      const Column *col = cur->cols[c];
      if (col->role == ROLE_SCORE && col->model == model && col->stored)
         cls[k++] = c;
   }
   if (k < 2)
      return true;
   /* the classes by name, as scikit-learn's labels sort */
   int ids[DS_MAX_CLASSES];
   for (int i = 0; i < k; i++)
      ids[i] = cur->cols[cls[i]]->score_class;
   sort_by_name(ids, k, cur->classes);
   for (int i = 0; i < k; i++)
      for (int c = 0; c < k; c++)
         if (cur->cols[cls[c]]->score_class == ids[i])
            sc[i] = cls[c];
   double *pos = malloc((rows ? rows : 1) * sizeof *pos), *neg = malloc((rows ? rows : 1) * sizeof *neg);
   size_t *use = malloc((rows ? rows : 1) * sizeof *use);
   if (!pos || !neg || !use) {
      free(pos);
      free(neg);
      free(use);
      return false;
   }
   const long double eps = 2.220446049250313e-16L; /* numpy's float64 eps */
   long double loss = 0;
   size_t n = 0;
   for (size_t r = first; r < first + rows; r++) {
      double t = Table_at(cur, cur->truth_col, r);
      if (isnan(t))
         continue;
      int ti = -1;
      long double sum = 0;
      bool ok = true;
      for (int i = 0; i < k; i++) {
         double s = Table_at(cur, sc[i], r);
         ok &= isfinite(s);
         sum += fminl(fmaxl(s, eps), 1 - eps);
         if (ids[i] == (int)t)
            ti = i;
      }
      if (!ok || ti < 0)
         continue; /* a score missing, or a truth the model has no score for */
      loss -= logl(fminl(fmaxl(Table_at(cur, sc[ti], r), eps), 1 - eps) / sum);
      use[n++] = r;
   }
   q->scored = (long)n;
   if (n) {
      q->log_loss = (double)(loss / n);
      int from = k == 2 ? 1 : 0, classes = 0; /* binary: the second class's scores, as scikit-learn */
      long double total = 0;
      for (int i = from; i < k; i++) {
         size_t np = 0, nn = 0;
         for (size_t j = 0; j < n; j++) {
            double x = Table_at(cur, sc[i], use[j]);
            if ((int)Table_at(cur, cur->truth_col, use[j]) == ids[i])
               pos[np++] = x;
            else
               neg[nn++] = x;
         }
         ds_sort_doubles(pos, np);
         ds_sort_doubles(neg, nn);
         double a = auc(pos, np, neg, nn);
         if (isnan(a)) {
            q->no_auc = "a class occurs in every labelled record or in none";
            continue;
         }
         total += a;
         classes++;
      }
      q->roc_auc = classes && !q->no_auc ? (double)(total / classes) : NAN;
   }
   free(pos);
   free(neg);
   free(use);
   return true;
}

/* ---- all of it ---- */

bool Analysis_data_quality(Analysis *a, const Table *ref, const Table *cur, size_t stuck_min) {
   DataQuality *q = a->dq;
   if (!q && !(q = a->dq = calloc(1, sizeof *q)))
      return false;
   free(q->col);
   memset(q, 0, sizeof *q);
   q->roc_auc = q->log_loss = NAN;
   size_t first = a->scope_first, rows = a->scope_rows;
   if (first < cur->base || !rows)
      return true; /* the compared records were let go (a window's) */
   q->col = calloc(a->ncols ? (size_t)a->ncols : 1, sizeof *q->col);
   int feat[DS_MAX_COLUMNS], nfeat = 0;
   if (!q->col)
      return false;
   q->ncols = a->ncols;
   q->rows = rows;
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      ColumnQuality *cq = &q->col[i];
      const Column *col = cur->cols[c->cur_col];
      cq->most_common_share = NAN;
      cq->run_value = NAN;
      if (!col->stored)
         continue;
      const double *v = col->v + (first - cur->base);
      cq->most_common_share = c->most_common_share; /* from the analysis's sorted values */
      cq->almost_constant = cq->most_common_share >= DS_ALMOST_CONSTANT;
      cq->run = longest_run(v, rows, &cq->run_start, &cq->run_value);
      cq->run_start += first;
      int rc = c->ref_name[0] ? Table_find(ref, c->ref_name) : -1;
      size_t s;
      double x;
      cq->ref_run = rc >= 0 && ref->cols[rc]->stored ? longest_run(ref->cols[rc]->v, ref->nrows, &s, &x) : 0;
      cq->stuck_min = stuck_min ? stuck_min : cq->ref_run * 2 > DS_STUCK_MIN ? cq->ref_run * 2 : DS_STUCK_MIN;
      cq->stuck = c->kind == KIND_NUMERIC && c->ref_index >= 0 && cq->run >= cq->stuck_min;
      if (c->role == ROLE_FEATURE)
         feat[nfeat++] = c->cur_col;
   }
   q->dup_features = nfeat;
   bool ok = duplicates(cur, feat, nfeat, first, rows, &q->duplicated, &q->repeated);
   /* correlations of the compared numeric features */
   for (int i = 0; ok && i < a->ncols; i++)
      for (int j = i + 1; j < a->ncols; j++) {
         const ColumnReport *ci = &a->cols[i], *cj = &a->cols[j];
         if (ci->role != ROLE_FEATURE || cj->role != ROLE_FEATURE || ci->kind != KIND_NUMERIC ||
             cj->kind != KIND_NUMERIC || ci->ref_index < 0 || cj->ref_index < 0)
            continue;
         int ri = Table_find(ref, ci->ref_name), rj = Table_find(ref, cj->ref_name);
         if (ri < 0 || rj < 0 || !ref->cols[ri]->stored || !ref->cols[rj]->stored || !cur->cols[ci->cur_col]->stored ||
             !cur->cols[cj->cur_col]->stored)
            continue;
         double r0 = pearson(ref->cols[ri]->v, ref->cols[rj]->v, ref->nrows);
         double r1 = pearson(cur->cols[ci->cur_col]->v + (first - cur->base),
                             cur->cols[cj->cur_col]->v + (first - cur->base), rows);
         q->corr_pairs++;
         if (fabs(r1 - r0) > DS_CORR_DIFF) {
            if (q->corr_changed < DS_CORR_LISTED)
               q->changed[q->corr_changed] = (CorrChange){i, j, r0, r1};
            q->corr_changed++;
         }
      }
   /* the truth's class balance */
   int tr = cur->truth_col, rt = tr >= 0 ? Table_find(ref, cur->cols[tr]->name) : -1;
   if (ok && tr >= 0 && cur->cols[tr]->kind == KIND_CATEGORICAL && cur->cols[tr]->stored) {
      double nc[DS_MAX_CLASSES] = {0}, nr[DS_MAX_CLASSES] = {0}, tc = 0, trf = 0;
      for (size_t r = first; r < first + rows; r++) {
         double t = Table_at(cur, tr, r);
         if (!isnan(t) && t >= 0 && t < DS_MAX_CLASSES) {
            nc[(int)t]++;
            tc++;
         }
      }
      for (size_t r = 0; rt >= 0 && ref->cols[rt]->stored && r < ref->nrows; r++) {
         double t = ref->cols[rt]->v[r];
         if (!isnan(t) && t >= 0 && t < DS_MAX_CLASSES) {
            nr[(int)t]++;
            trf++;
         }
      }
      for (int c = 0; c < DS_MAX_CLASSES; c++)
         if (nc[c] || nr[c]) {
            q->balance_class[q->nbalance] = c;
            q->balance_cur[q->nbalance] = tc ? nc[c] / tc : NAN;
            q->balance_ref[q->nbalance++] = trf ? nr[c] / trf : NAN;
         }
   }
   return ok && scores(q, cur, first, rows);
}
