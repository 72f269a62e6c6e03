// SPDX-License-Identifier: MIT
/* All features at once: see multivariate.h. */
#include "driftscope/multivariate.h"

#include "driftscope/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_VALUES 2000000 /* reference values clustered at most (rows x features) */

static uint64_t splitmix64(uint64_t *s) {
   uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
   z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
   z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
   return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double uniform(uint64_t *s) {
   return (double)(splitmix64(s) >> 11) * 0x1.0p-53;
}

static double dist2(const double *a, const double *b, int d) {
   double s = 0;
   for (int j = 0; j < d; j++) {
      double e = a[j] - b[j];
      s += e * e;
   }
   return s;
}

/* The nearest centroid of x (the first of equals, as numpy's argmin), and its squared distance. */
static int nearest(const double *cent, int k, int d, const double *x, double *d2) {
   int best = 0;
   double bd = INFINITY;
   for (int c = 0; c < k; c++) {
      double e = dist2(x, cent + (size_t)c * d, d);
      if (e < bd) {
         bd = e;
         best = c;
      }
   }
   *d2 = bd;
   return best;
}

/* k-means++: the first centroid a random row, each next one a row drawn
 * with probability proportional to its squared distance to the nearest
 * centroid so far. Returns how many distinct centroids there are (fewer
 * than k when the rows are). */
static int seed_centroids(const double *x, size_t n, int d, int k, double *init, double *d2, uint64_t *rng) {
   size_t first = (size_t)(uniform(rng) * (double)n);
   memcpy(init, x + first * d, sizeof(double) * (size_t)d);
   for (size_t i = 0; i < n; i++)
      d2[i] = dist2(x + i * d, init, d);
   for (int c = 1; c < k; c++) {
      long double total = 0;
      for (size_t i = 0; i < n; i++)
         total += d2[i];
      if (total <= 0)
         return c;
      long double r = (long double)uniform(rng) * total, acc = 0;
      size_t pick = n - 1;
      for (size_t i = 0; i < n; i++) {
         acc += d2[i];
         if (acc > r && d2[i] > 0) {
            pick = i;
            break;
         }
      }
      double *cc = init + (size_t)c * d;
      memcpy(cc, x + pick * d, sizeof(double) * (size_t)d);
      for (size_t i = 0; i < n; i++) {
         double e = dist2(x + i * d, cc, d);
         if (e < d2[i])
            d2[i] = e;
      }
   }
   return k;
}

/* Lloyd's iterations from mv->init to mv->cent, as scikit-learn's: assign,
 * move each centroid to its rows' mean (an empty cluster to the row
 * farthest from its centroid), until the assignment repeats. */
static bool lloyd(Multivariate *mv, const double *x, size_t n, int *label) {
   int k = mv->k, d = mv->d;
   double *sum = malloc(sizeof(double) * (size_t)k * (size_t)d), *dd = malloc(sizeof(double) * n);
   size_t *count = malloc(sizeof(size_t) * (size_t)k);
   int *old = malloc(sizeof(int) * n);
   if (!sum || !count || !old || !dd) {
      free(sum);
      free(count);
      free(old);
      free(dd);
      return false;
   }
   memcpy(mv->cent, mv->init, sizeof(double) * (size_t)k * (size_t)d);
   mv->converged = false;
   for (mv->iterations = 1; mv->iterations <= DS_KMEANS_MAX_ITER; mv->iterations++) {
      memset(sum, 0, sizeof(double) * (size_t)k * (size_t)d);
      memset(count, 0, sizeof(size_t) * (size_t)k);
      for (size_t i = 0; i < n; i++) {
         label[i] = nearest(mv->cent, k, d, x + i * d, &dd[i]);
         count[label[i]]++;
         for (int j = 0; j < d; j++)
            sum[(size_t)label[i] * d + j] += x[i * d + j];
      }
      for (int c = 0; c < k; c++) {
         if (count[c]) {
            for (int j = 0; j < d; j++)
               mv->cent[(size_t)c * d + j] = sum[(size_t)c * d + j] / (double)count[c];
            continue;
         }
         size_t far = 0; /* an empty cluster: the row farthest from its centroid */
         for (size_t i = 1; i < n; i++)
            if (dd[i] > dd[far])
               far = i;
         memcpy(mv->cent + (size_t)c * d, x + far * d, sizeof(double) * (size_t)d);
         dd[far] = 0;
      }
      if (mv->iterations > 1 && memcmp(label, old, sizeof(int) * n) == 0) {
         mv->converged = true;
         break;
      }
      memcpy(old, label, sizeof(int) * n);
   }
   if (mv->iterations > DS_KMEANS_MAX_ITER)
      mv->iterations = DS_KMEANS_MAX_ITER;
   /* the labels of the final centroids, and their inertia */
   mv->inertia = 0;
   long double dist = 0;
   for (size_t i = 0; i < n; i++) {
      double e;
      label[i] = nearest(mv->cent, k, d, x + i * d, &e);
      mv->inertia += e;
      dist += sqrt(e);
   }
   mv->ref_distance = (double)(dist / (long double)n);
   free(sum);
   free(count);
   free(old);
   free(dd);
   return true;
}

bool Multivariate_fit(Multivariate *mv, const Table *ref, const int *ref_cols, int d) {
   memset(mv, 0, sizeof *mv);
   mv->inertia = mv->ref_distance = mv->cur_distance = NAN;
   if (d < 2) {
      mv->why = "fewer than two numeric features";
      return true;
   }
   mv->d = d;
   for (int j = 0; j < d; j++) {
      mv->ref_col[j] = ref_cols[j];
      ds_copy_name(mv->name[j], ref->cols[ref_cols[j]]->name);
   }
   /* the complete rows */
   size_t rows = ref->nrows - ref->base, complete = 0;
   for (size_t r = 0; r < rows; r++) {
      bool ok = true;
      for (int j = 0; j < d && ok; j++)
         ok = isfinite(Table_at(ref, ref_cols[j], ref->base + r));
      complete += ok;
   }
   size_t cap = SAMPLE_VALUES / (size_t)d < DS_KMEANS_SAMPLE ? SAMPLE_VALUES / (size_t)d : DS_KMEANS_SAMPLE;
   size_t n = complete < cap ? complete : cap;
   int k = (int)(n / 10 < DS_KMEANS_K ? n / 10 : DS_KMEANS_K);
   if (k < 2) {
      mv->why = "too few reference rows with every feature (20 needed)";
      return true;
   }
   mv->mu = calloc((size_t)d, sizeof(double));
   mv->sd = calloc((size_t)d, sizeof(double));
   double *x = malloc(sizeof(double) * n * (size_t)d), *d2 = malloc(sizeof(double) * n);
   int *label = malloc(sizeof(int) * n);
   mv->init = malloc(sizeof(double) * (size_t)k * (size_t)d);
   mv->cent = malloc(sizeof(double) * (size_t)k * (size_t)d);
   bool ok = mv->mu && mv->sd && x && d2 && label && mv->init && mv->cent;
   if (ok) {
      /* the sample: complete rows evenly spread; the means and spreads over every complete row */
      long double s[DS_MAX_COLUMNS] = {0}, q[DS_MAX_COLUMNS] = {0};
      for (size_t r = 0, seen = 0, got = 0; r < rows; r++) {
         double v[DS_MAX_COLUMNS];
         bool full = true;
         for (int j = 0; j < d && full; j++)
            full = isfinite(v[j] = Table_at(ref, ref_cols[j], ref->base + r));
         if (!full)
            continue;
         for (int j = 0; j < d; j++)
            s[j] += v[j];
         if (got < n && seen * n / complete == got) /* the got-th of n, evenly spread */
            memcpy(x + got++ * d, v, sizeof(double) * (size_t)d);
         seen++;
      }
      for (int j = 0; j < d; j++)
         mv->mu[j] = (double)(s[j] / (long double)complete);
      for (size_t r = 0; r < rows; r++) {
         double v[DS_MAX_COLUMNS];
         bool full = true;
         for (int j = 0; j < d && full; j++)
            full = isfinite(v[j] = Table_at(ref, ref_cols[j], ref->base + r));
         for (int j = 0; full && j < d; j++)
            q[j] += ((long double)v[j] - mv->mu[j]) * ((long double)v[j] - mv->mu[j]);
      }
      for (int j = 0; j < d; j++)
         mv->sd[j] = sqrt((double)(q[j] / (long double)complete));
      for (size_t i = 0; i < n; i++)
         for (int j = 0; j < d; j++)
            x[i * d + j] = mv->sd[j] > 0 ? (x[i * d + j] - mv->mu[j]) / mv->sd[j] : 0;
      uint64_t rng = DS_KMEANS_SEED;
      mv->k = seed_centroids(x, n, d, k, mv->init, d2, &rng);
      mv->n_ref = n;
      ok = mv->k >= 2 ? lloyd(mv, x, n, label) : true;
      if (mv->k < 2)
         mv->why = "the reference's rows are all alike";
   }
   if (ok && !mv->why) {
      double *ids = d2; /* reused: the cluster ids */
      mv->ref_share = calloc((size_t)mv->k, sizeof(double));
      mv->cur_share = calloc((size_t)mv->k, sizeof(double));
      ok = mv->ref_share && mv->cur_share;
      for (size_t i = 0; ok && i < n; i++) {
         ids[i] = label[i];
         mv->ref_share[label[i]] += 1;
      }
      for (int c = 0; ok && c < mv->k; c++)
         mv->ref_share[c] /= (double)n;
      ok = ok && RefColumn_init(&mv->occupancy, "multivariate", ROLE_FEATURE, KIND_CATEGORICAL, ids, n);
   }
   free(x);
   free(d2);
   free(label);
   return ok;
}

void Multivariate_done(Multivariate *mv) {
   if (mv->ref_share)
      RefColumn_done(&mv->occupancy);
   free(mv->mu);
   free(mv->sd);
   free(mv->init);
   free(mv->cent);
   free(mv->ref_share);
   free(mv->cur_share);
   memset(mv, 0, sizeof *mv);
}

bool Multivariate_compare(Multivariate *mv, const Table *cur, const int *cur_cols, size_t first, size_t rows,
                          DriftScratch *scratch) {
   memset(&mv->drift, 0, sizeof mv->drift);
   mv->drift.scored = false;
   mv->n_cur = mv->n_left_out = 0;
   mv->cur_distance = NAN;
   if (mv->why)
      return true;
   int k = mv->k, d = mv->d;
   size_t *count = calloc((size_t)k, sizeof(size_t));
   if (!count)
      return false;
   long double dist = 0;
   for (size_t r = first; r < first + rows; r++) {
      double x[DS_MAX_COLUMNS];
      bool full = true;
      for (int j = 0; j < d && full; j++) {
         double v = cur_cols[j] >= 0 ? Table_value(cur, cur_cols[j], r) : NAN;
         full = isfinite(v);
         x[j] = mv->sd[j] > 0 ? (v - mv->mu[j]) / mv->sd[j] : 0;
      }
      if (!full) {
         mv->n_left_out++;
         continue;
      }
      double e;
      count[nearest(mv->cent, k, d, x, &e)]++;
      dist += sqrt(e);
      mv->n_cur++;
   }
   bool ok = true;
   if (mv->n_cur) {
      mv->cur_distance = (double)(dist / (long double)mv->n_cur);
      double *ids = malloc(sizeof(double) * mv->n_cur); /* sorted: cluster by cluster */
      ok = ids != NULL;
      for (int c = 0, at = 0; ok && c < k; c++) {
         mv->cur_share[c] = (double)count[c] / (double)mv->n_cur;
         for (size_t i = 0; i < count[c]; i++)
            ids[at++] = c;
      }
      DriftOptions opt = {.method = DRIFT_AUTO, .threshold = NAN};
      ok = ok && ds_column_drift(&mv->occupancy, ids, mv->n_cur, &opt, scratch, &mv->drift);
      free(ids);
   } else {
      mv->drift.why = "no compared record has every feature";
   }
   free(count);
   return ok;
}

void Multivariate_line(char *buf, size_t n, const Multivariate *mv) {
   if (mv->why) {
      snprintf(buf, n, "not computed: %s", mv->why);
      return;
   }
   if (!mv->drift.scored) {
      snprintf(buf, n, "not scored: %s", mv->drift.why ? mv->drift.why : "no compared record");
      return;
   }
   char names[160] = "", recs[32];
   size_t k = 0;
   for (int j = 0; j < mv->d && k + 8 < sizeof names; j++) {
      if (j == 4 && mv->d > 5) {
         snprintf(names + k, sizeof names - k, " and %d more", mv->d - 4);
         break;
      }
      k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", j ? ", " : "", mv->name[j]);
   }
   ds_thousands(recs, sizeof recs, mv->n_cur);
   snprintf(buf, n,
            "%s: %d clusters of %s (k-means); their occupancy's %s %.3g (threshold %.3g); mean distance to the nearest "
            "centroid %.3g (reference %.3g) over %s records",
            mv->drift.drifted ? "DRIFT" : "no drift", mv->k, names, ds_drift_methods[mv->drift.method].name,
            mv->drift.score, mv->drift.threshold, mv->cur_distance, mv->ref_distance, recs);
}
