// SPDX-License-Identifier: MIT
#include "driftscope/suggest.h"

#include <math.h>
#include <stdlib.h>

const char *const ds_suggest_names[5] = {"disagrees with its truth", "low confidence", "prediction flapping",
                                         "dataset drift", "the models disagree"};

typedef struct List {
   Suggestion *v;
   size_t n, cap;
   bool oom;
} List;

static void add(List *l, SuggestKind kind, size_t first, size_t count, double score, double value) {
   if (l->oom || score <= 0)
      return;
   if (l->n == l->cap) {
      size_t cap = l->cap ? l->cap * 2 : 32;
      Suggestion *v = realloc(l->v, cap * sizeof *v);
      if (!v) {
         l->oom = true;
         return;
      }
      l->v = v;
      l->cap = cap;
   }
   l->v[l->n++] = (Suggestion){kind, first, count, score, value};
}

static bool is_labelled(const bool *labelled, size_t r) {
   return labelled && labelled[r];
}

static void disagreements(List *l, const Table *t, size_t n) {
   if (t->pred_col < 0 || t->truth_col < 0 || !t->cols[t->pred_col]->stored || !t->cols[t->truth_col]->stored)
      return;
   for (size_t r = 0; r < n;) {
      double p = Table_at(t, t->pred_col, t->base + r), y = Table_at(t, t->truth_col, t->base + r);
      if (isnan(p) || isnan(y) || p == y) {
         r++;
         continue;
      }
      size_t first = r;
      while (r < n) {
         p = Table_at(t, t->pred_col, t->base + r);
         y = Table_at(t, t->truth_col, t->base + r);
         if (isnan(p) || isnan(y) || p == y)
            break;
         r++;
      }
      add(l, SUGGEST_DISAGREE, t->base + first, r - first, (double)(r - first), NAN);
   }
}

/* Whether the models' predictions of record r (t->base + r) differ, it
 * has no truth and no label. */
static bool models_differ(const Table *t, const bool *labelled, size_t r) {
   size_t row = t->base + r;
   if (is_labelled(labelled, r) || !isnan(Table_value(t, t->truth_col, row)))
      return false;
   double first = NAN;
   for (int i = 0; i < t->ncols; i++) {
      const Column *c = t->cols[i];
      if (c->role != ROLE_PRED || !c->stored)
         continue;
      double p = Table_at(t, i, row);
      if (isnan(p))
         continue;
      if (isnan(first))
         first = p;
      else if (p != first)
         return true;
   }
   return false;
}

static void models_disagree(List *l, const Table *t, const bool *labelled, size_t n) {
   if (t->nmodels == 0)
      return;
   for (size_t r = 0; r < n;) {
      if (!models_differ(t, labelled, r)) {
         r++;
         continue;
      }
      size_t first = r;
      while (r < n && models_differ(t, labelled, r))
         r++;
      add(l, SUGGEST_MODELS_DISAGREE, t->base + first, r - first, 2.0 * (double)(r - first), NAN);
   }
}

static void low_confidence(List *l, const Table *t, const bool *labelled, size_t n) {
   int c = t->conf_col;
   if (c < 0 || !t->cols[c]->stored)
      return;
   const double thr = DS_SUGGEST_CONFIDENCE;
   for (size_t r = 0; r < n;) {
      double v = Table_at(t, c, t->base + r);
      if (isnan(v) || v >= thr || is_labelled(labelled, r)) {
         r++;
         continue;
      }
      size_t first = r;
      double score = 0, sum = 0;
      for (; r < n; r++) {
         v = Table_at(t, c, t->base + r);
         if (isnan(v) || v >= thr || is_labelled(labelled, r))
            break;
         score += (thr - v) / thr;
         sum += v;
      }
      add(l, SUGGEST_LOW_CONFIDENCE, t->base + first, r - first, score, sum / (double)(r - first));
   }
}

static void flapping(List *l, const Table *t, const bool *labelled, size_t n) {
   int c = t->pred_col;
   if (c < 0 || !t->cols[c]->stored || n < 2)
      return;
   /* change[r]: the prediction of r differs from r - 1's */
   unsigned char *change = calloc(n, 1);
   if (!change) {
      l->oom = true;
      return;
   }
   for (size_t r = 1; r < n; r++) {
      double a = Table_at(t, c, t->base + r - 1), b = Table_at(t, c, t->base + r);
      change[r] = !isnan(a) && !isnan(b) && a != b;
   }
   /* a record flaps when its window of DS_FLAP_WINDOW records ending at it
    * holds DS_FLAP_CHANGES changes; runs of flapping records, from the
    * first record of their first window */
   size_t in_window = 0, run_first = 0, changes = 0;
   bool in_run = false;
   for (size_t r = 0; r <= n; r++) {
      bool flap = false;
      if (r < n) {
         in_window += change[r];
         if (r >= DS_FLAP_WINDOW)
            in_window -= change[r - DS_FLAP_WINDOW];
         flap = in_window >= DS_FLAP_CHANGES && !is_labelled(labelled, r);
      }
      if (flap && !in_run) {
         in_run = true;
         run_first = r + 1 >= DS_FLAP_WINDOW ? r + 1 - DS_FLAP_WINDOW : 0;
         changes = 0;
         for (size_t k = run_first + 1; k < r; k++)
            changes += change[k];
      }
      if (flap)
         changes += change[r];
      if (!flap && in_run) {
         in_run = false;
         add(l, SUGGEST_FLAPPING, t->base + run_first, r - run_first, 0.5 * (double)changes, (double)changes);
      }
   }
   free(change);
}

static void drift(List *l, const Analysis *a, const Table *t, const bool *labelled, size_t n) {
   if (!a)
      return;
   size_t end = t->base + n; /* records [t->base, end) */
   for (size_t k = a->first_window; k < a->nwindows;) {
      const WindowReport *w = Analysis_win(a, k);
      if (!w->done || !w->dataset_drift || w->last >= end || w->first < t->base) {
         k++;
         continue;
      }
      size_t first = w->first, last = w->last;
      double share = w->share;
      for (k++; k < a->nwindows; k++) { /* overlapping drifted windows make one stretch */
         const WindowReport *x = Analysis_win(a, k);
         if (!x->done || !x->dataset_drift || x->first > last + 1 || x->last >= end)
            break;
         last = x->last > last ? x->last : last;
         share = fmax(share, x->share);
      }
      size_t unlabelled = 0;
      for (size_t r = first; r <= last; r++)
         unlabelled += !is_labelled(labelled, r - t->base);
      add(l, SUGGEST_DRIFT, first, last - first + 1, 0.25 * (double)unlabelled, share);
   }
}

static int by_score(const void *x, const void *y) {
   const Suggestion *a = x, *b = y;
   if (a->score != b->score)
      return a->score > b->score ? -1 : 1;
   return (a->first > b->first) - (a->first < b->first);
}

Suggestion *ds_suggest(const Table *t, const Analysis *a, const bool *labelled, size_t n, size_t *count) {
   List l = {0};
   if (n > t->nrows - t->base)
      n = t->nrows - t->base;
   models_disagree(&l, t, labelled, n);
   disagreements(&l, t, n);
   low_confidence(&l, t, labelled, n);
   flapping(&l, t, labelled, n);
   drift(&l, a, t, labelled, n);
   if (l.oom) {
      free(l.v);
      return NULL;
   }
   if (l.n)
      qsort(l.v, l.n, sizeof *l.v, by_score);
   *count = l.n;
   return l.v ? l.v : calloc(1, sizeof *l.v);
}
