// SPDX-License-Identifier: MIT
/* Evidently's default drift tests (DESIGN §4) over prepared references. */
#include "driftscope/drift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driftscope/stats.h"
#include "driftscope/stattests.h"

const DriftMethod ds_drift_methods[DRIFT_METHOD_COUNT] = {
   [DRIFT_KS] = {"ks", "KS p", "ks", 0.05, .p_value = true, .inclusive = true, .numeric = true},
   [DRIFT_WASSERSTEIN] = {"wasserstein", "Wasserstein", "wass", 0.1, .inclusive = true, .numeric = true},
   [DRIFT_CHISQUARE] = {"chisquare", "chi-square p", "chi2", 0.05, .p_value = true, .categorical = true},
   [DRIFT_Z] = {"z", "z-test p", "z", 0.05, .p_value = true, .categorical = true},
   [DRIFT_JS] = {"jensenshannon", "Jensen-Shannon", "js", 0.1, .inclusive = true, .numeric = true, .categorical = true},
   [DRIFT_PSI] = {"psi", "PSI", "psi", 0.1, .inclusive = true, .numeric = true, .categorical = true},
   [DRIFT_HELLINGER] = {"hellinger", "Hellinger", "hell", 0.1, .inclusive = true, .numeric = true, .categorical = true},
   [DRIFT_KL_DIV] = {"kl_div", "KL divergence", "kl", 0.1, .inclusive = true, .numeric = true, .categorical = true},
   [DRIFT_TVD] = {"TVD", "TVD permutation p", "tvd", 0.1, .p_value = true, .categorical = true},
   [DRIFT_ENERGY] = {"ed", "energy distance", "ed", 0.1, .numeric = true},
   [DRIFT_T_TEST] = {"t_test", "t-test p", "t", 0.05, .p_value = true, .numeric = true},
   [DRIFT_MANNW] = {"mannw", "Mann-Whitney p", "mw", 0.05, .p_value = true, .numeric = true},
   [DRIFT_ANDERSON] = {"anderson", "Anderson-Darling p", "ad", 0.1, .p_value = true, .numeric = true},
   [DRIFT_CVM] = {"cramer_von_mises", "Cramér-von Mises p", "cvm", 0.1, .p_value = true, .inclusive = true,
                  .numeric = true},
   [DRIFT_G_TEST] = {"g_test", "G-test p", "g", 0.1, .p_value = true, .categorical = true},
   [DRIFT_FISHER] = {"fisher_exact", "Fisher exact p", "fish", 0.1, .p_value = true, .categorical = true},
   [DRIFT_ES] = {"es", "Epps-Singleton p", "es", 0.05, .p_value = true, .numeric = true},
};

DriftMethodId ds_drift_method_parse(const char *s) {
   for (int i = 0; i < DRIFT_METHOD_COUNT; i++)
      if (strcasecmp(s, ds_drift_methods[i].name) == 0)
         return (DriftMethodId)i;
   return DRIFT_AUTO;
}

bool ds_drift_is_drift(DriftMethodId m, double score, double threshold) {
   const DriftMethod *dm = &ds_drift_methods[m];
   if (isnan(score))
      return false;
   if (dm->p_value)
      return dm->inclusive ? score <= threshold : score < threshold;
   return dm->inclusive ? score >= threshold : score > threshold;
}

size_t ds_clean(const double *v, size_t n, double *out) {
   size_t k = 0;
   for (size_t i = 0; i < n; i++)
      if (isfinite(v[i]))
         out[k++] = v[i];
   return k;
}

size_t ds_clean_sorted_with(const double *v, size_t n, double *out, DriftScratch *s) {
   size_t k = ds_clean(v, n, out);
   ds_sort_doubles_with(out, k, &s->sort);
   return k;
}

size_t ds_clean_sorted(const double *v, size_t n, double *out) {
   DriftScratch s = {0};
   size_t k = ds_clean_sorted_with(v, n, out, &s);
   DriftScratch_done(&s);
   return k;
}

#define INDEX_MIN_ROWS 4096 /* smaller references: galloping is as fast */

/* Bucket the value range so that ranking a value costs one lookup and a
 * short search (ranking is the hot loop of every window's KS/Wasserstein). */
static bool build_index(RefColumn *rc) {
   if (rc->kind != KIND_NUMERIC || rc->n < INDEX_MIN_ROWS || !(rc->max > rc->min))
      return true;
   size_t nb = 1;
   while (nb < rc->n)
      nb *= 2;
   double scale = (double)nb / (rc->max - rc->min);
   if (!isfinite(scale))
      return true;
   rc->index = malloc((nb + 1) * sizeof *rc->index);
   if (!rc->index)
      return false;
   rc->nbuckets = nb;
   rc->scale = scale;
   size_t pos = 0;
   for (size_t b = 0; b <= nb; b++) {
      double edge = rc->min + (double)b / scale;
      while (pos < rc->n && rc->sorted[pos] < edge)
         pos++;
      rc->index[b] = (uint32_t)pos;
   }
   return true;
}

#define PREFETCH_INDEX 16 /* values ahead whose index entries are fetched */
#define PREFETCH_DATA 8   /* values ahead whose reference run is fetched */

static size_t bucket_of(const RefColumn *rc, double x) {
   if (!(x > rc->min))
      return 0;
   double f = (x - rc->min) * rc->scale;
   return f >= (double)rc->nbuckets ? rc->nbuckets - 1 : (size_t)f;
}

/* The reference run that holds x's rank, given x's bucket b: one bucket
 * either side absorbs the rounding of f and of the edges. */
static size_t rank_in_bucket(const RefColumn *rc, double x, size_t b) {
   if (x <= rc->min)
      return 0;
   if (x > rc->max)
      return rc->n;
   size_t lo = rc->index[b > 0 ? b - 1 : 0];
   size_t hi = b + 2 >= rc->nbuckets ? rc->n : rc->index[b + 2];
   return lo + ds_lower_bound(rc->sorted + lo, hi - lo, x);
}

/* Ranking a window is bound by cache misses into the reference (index
 * entry, then the run): the bucket of every value is computed first, then
 * while ranking value j the index of value j+16 and the run of value j+8
 * are prefetched, so the misses overlap instead of adding up. */
void RefColumn_ranks(const RefColumn *rc, const double *cur, size_t n_cur, size_t *ranks) {
   if (!rc->index || n_cur * 8 > rc->n) { /* dense: the gallop moves a step at a time */
      ds_ranks(rc->sorted, rc->n, cur, n_cur, ranks);
      return;
   }
   for (size_t j = 0; j < n_cur; j++)
      ranks[j] = bucket_of(rc, cur[j]);
   for (size_t j = 0; j < n_cur; j++) {
      if (j + PREFETCH_INDEX < n_cur) {
         size_t b = ranks[j + PREFETCH_INDEX];
         __builtin_prefetch(&rc->index[b > 0 ? b - 1 : 0]);
      }
      if (j + PREFETCH_DATA < n_cur) {
         size_t b = ranks[j + PREFETCH_DATA];
         __builtin_prefetch(&rc->sorted[rc->index[b > 0 ? b - 1 : 0]]);
      }
      ranks[j] = rank_in_bucket(rc, cur[j], ranks[j]);
   }
}

size_t RefColumn_rank(const RefColumn *rc, double x) {
   if (!rc->index)
      return ds_lower_bound(rc->sorted, rc->n, x);
   return rank_in_bucket(rc, x, bucket_of(rc, x));
}

bool RefColumn_init(RefColumn *rc, const char *name, ColumnRole role, ColumnKind kind, const double *values, size_t n) {
   memset(rc, 0, sizeof *rc);
   ds_copy_name(rc->name, name);
   rc->role = role;
   rc->kind = kind;
   rc->sorted = malloc((n ? n : 1) * sizeof(double));
   rc->prefix = malloc((n + 1) * sizeof(long double));
   if (!rc->sorted || !rc->prefix)
      goto fail;
   rc->n = ds_clean_sorted(values, n, rc->sorted);
   rc->n_missing = n - rc->n;
   ds_prefix_sums(rc->sorted, rc->n, rc->prefix);
   rc->n_unique = ds_count_distinct(rc->sorted, rc->n);
   if (kind == KIND_CATEGORICAL || rc->n_unique <= DS_BINNING_UNIQUE) { /* binned per value */
      rc->keys = malloc((rc->n_unique ? rc->n_unique : 1) * sizeof(double));
      rc->key_counts = malloc((rc->n_unique ? rc->n_unique : 1) * sizeof(double));
      if (!rc->keys || !rc->key_counts)
         goto fail;
      size_t k = 0;
      for (size_t i = 0; i < rc->n; i++) {
         if (i == 0 || rc->sorted[i] != rc->sorted[i - 1]) {
            rc->keys[k] = rc->sorted[i];
            rc->key_counts[k++] = 0;
         }
         rc->key_counts[k - 1]++;
      }
   }
   rc->std = ds_std(rc->sorted, rc->n);
   rc->min = rc->n ? rc->sorted[0] : NAN;
   rc->max = rc->n ? rc->sorted[rc->n - 1] : NAN;
   if (!build_index(rc))
      goto fail;
   return true;
fail:
   RefColumn_done(rc);
   return false;
}

void RefColumn_lend(RefColumn *dst, const RefColumn *src) {
   *dst = *src;
   dst->lent = true;
}

void RefColumn_done(RefColumn *rc) {
   if (rc->lent) {
      memset(rc, 0, sizeof *rc);
      return;
   }
   free(rc->index);
   free(rc->sorted);
   free(rc->prefix);
   free(rc->keys);
   free(rc->key_counts);
   memset(rc, 0, sizeof *rc);
}

void DriftScratch_done(DriftScratch *s) {
   SortScratch_done(&s->sort);
   free(s->buf);
   free(s->ks_memo);
   s->buf = NULL;
   s->ks_memo = NULL;
   s->cap = 0;
}

/* ds_ks_pvalue, remembered: the same arguments give the same value. */
static double ks_pvalue_memo(DriftScratch *s, size_t n1, size_t n2, uint64_t dnum, double *d) {
   if (!s->ks_memo)
      s->ks_memo = calloc(DS_KS_MEMO, sizeof *s->ks_memo); /* without it: computed each time */
   if (!s->ks_memo)
      return ds_ks_pvalue(n1, n2, dnum, d);
   uint64_t h = dnum * 0x9E3779B97F4A7C15u ^ (uint64_t)n1 * 0xC2B2AE3D27D4EB4Fu ^ (uint64_t)n2 * 0x165667B19E3779F9u;
   KsMemo *e = &s->ks_memo[(h >> 32) % DS_KS_MEMO];
   if (e->n1 == n1 && e->n2 == n2 && e->dnum == dnum) {
      *d = e->d;
      return e->p;
   }
   double p = ds_ks_pvalue(n1, n2, dnum, d);
   *e = (KsMemo){n1, n2, dnum, p, *d};
   return p;
}

static double *scratch_get(DriftScratch *s, size_t n) {
   if (n > s->cap) {
      double *b = realloc(s->buf, n * sizeof(double));
      if (!b)
         return NULL;
      s->buf = b;
      s->cap = n;
   }
   return s->buf;
}

/* Evidently's _get_default_stattest. */
static DriftMethodId default_method(const RefColumn *ref, size_t n_unique) {
   bool numeric = ref->kind == KIND_NUMERIC;
   if (ref->n <= DS_SMALL_REF) {
      if (numeric && n_unique > 5)
         return DRIFT_KS;
      return n_unique > 2 ? DRIFT_CHISQUARE : DRIFT_Z;
   }
   if (numeric && n_unique > 5)
      return DRIFT_WASSERSTEIN;
   return DRIFT_JS;
}

/* Shares per key over the union of the reference's and the current keys
 * (Evidently's get_binned_data for categorical or few-valued columns).
 * Fills counts into rc/cc (capacity ref->n_unique + n_cur) and returns k. */
static size_t key_counts(const RefColumn *ref, const double *cur, size_t n_cur, double *rc, double *cc) {
   if (!ref->keys) { /* many-valued numeric column (a forced count test): runs of the sorted values */
      size_t i = 0, j = 0, k = 0;
      while (i < ref->n || j < n_cur) {
         double x = (j >= n_cur || (i < ref->n && ref->sorted[i] <= cur[j])) ? ref->sorted[i] : cur[j];
         rc[k] = cc[k] = 0;
         for (; i < ref->n && ref->sorted[i] == x; i++)
            rc[k]++;
         for (; j < n_cur && cur[j] == x; j++)
            cc[k]++;
         k++;
      }
      return k;
   }
   size_t i = 0, j = 0, k = 0;
   while (i < ref->n_unique || j < n_cur) {
      double x;
      if (j >= n_cur || (i < ref->n_unique && ref->keys[i] <= cur[j]))
         x = ref->keys[i];
      else
         x = cur[j];
      rc[k] = 0;
      cc[k] = 0;
      if (i < ref->n_unique && ref->keys[i] == x)
         rc[k] = ref->key_counts[i++];
      while (j < n_cur && cur[j] == x) {
         cc[k]++;
         j++;
      }
      k++;
   }
   return k;
}

/* Shares on Sturges bins or per key, as Evidently's get_binned_data bins
 * them (rc, cc; *k of them). False when the range is too wide to bin,
 * where numpy refuses too. */
static bool binned_shares(const RefColumn *ref, const double *cur, size_t n_cur, double *rc, double *cc, size_t *kout) {
   size_t k;
   if (ref->kind == KIND_NUMERIC && ref->n_unique > DS_BINNING_UNIQUE) {
      double edges[DS_MAX_BINS + 1];
      double lo = fmin(ref->min, cur[0]), hi = fmax(ref->max, cur[n_cur - 1]);
      int nb = ds_sturges_edges(lo, hi, ref->n + n_cur, edges);
      if (nb == 0)
         return false;
      size_t prev = RefColumn_rank(ref, edges[0]); /* as ds_histogram_sorted, via the index */
      for (int i = 0; i < nb; i++) {
         size_t next = i == nb - 1 ? ds_upper_bound(ref->sorted, ref->n, edges[nb]) : RefColumn_rank(ref, edges[i + 1]);
         rc[i] = (double)(next - prev);
         prev = next;
      }
      ds_histogram_sorted(cur, n_cur, edges, nb, cc);
      k = (size_t)nb;
   } else {
      k = key_counts(ref, cur, n_cur, rc, cc);
   }
   for (size_t i = 0; i < k; i++) {
      rc[i] /= (double)ref->n;
      cc[i] /= (double)n_cur;
   }
   *kout = k;
   return true;
}

/* PSI and JS on Evidently's bins. */
static bool binned_tests(const RefColumn *ref, const double *cur, size_t n_cur, double *rc, double *cc,
                         ColumnDrift *out) {
   size_t k;
   if (!binned_shares(ref, cur, n_cur, rc, cc, &k))
      return false;
   out->jensenshannon = ds_jensenshannon(rc, cc, k);
   out->psi = ds_psi(rc, cc, k);
   return true;
}

/* Evidently's Hellinger: numbers on Sturges bins over the distinct values
 * of both samples (their count and range), categories per key. */
static bool hellinger_shares(const RefColumn *ref, const double *cur, size_t n_cur, double *rc, double *cc,
                             size_t *kout) {
   if (ref->kind != KIND_NUMERIC) {
      size_t k = key_counts(ref, cur, n_cur, rc, cc);
      for (size_t i = 0; i < k; i++) {
         rc[i] /= (double)ref->n;
         cc[i] /= (double)n_cur;
      }
      *kout = k;
      return true;
   }
   size_t keys = ds_count_distinct_union(ref->sorted, ref->n, cur, n_cur, SIZE_MAX - 1);
   double edges[DS_MAX_BINS + 1];
   int nb = ds_sturges_edges(fmin(ref->min, cur[0]), fmax(ref->max, cur[n_cur - 1]), keys, edges);
   if (nb == 0)
      return false;
   ds_histogram_sorted(ref->sorted, ref->n, edges, nb, rc);
   ds_histogram_sorted(cur, n_cur, edges, nb, cc);
   for (int i = 0; i < nb; i++) {
      rc[i] /= (double)ref->n;
      cc[i] /= (double)n_cur;
   }
   *kout = (size_t)nb;
   return true;
}

/* TVD's permutation test over the values as key indices (reference, then current). */
static double tvd_pvalue(const RefColumn *ref, size_t n_cur, const double *rcount, const double *ccount, size_t k) {
   unsigned *keys = malloc((ref->n + n_cur) * sizeof *keys);
   if (!keys)
      return NAN;
   /* both samples are sorted and the keys ascend: walk them together */
   size_t i = 0, j = 0, key = 0;
   for (size_t q = 0; q < k; q++) {
      size_t nr = (size_t)rcount[q], nc = (size_t)ccount[q];
      for (size_t t = 0; t < nr; t++)
         keys[i++] = (unsigned)key;
      for (size_t t = 0; t < nc; t++)
         keys[ref->n + j++] = (unsigned)key;
      key++;
   }
   double p = ds_tvd_permutation_pvalue(keys, ref->n, n_cur, k, ds_tvd(rcount, ccount, k));
   free(keys);
   return p;
}

/* One of Evidently's further tests, chosen for this column: its score (and
 * statistic); *why when it cannot be computed. */
static double further_test(DriftMethodId m, const RefColumn *ref, const double *cur, size_t n_cur, double *rc,
                           double *cc, ColumnDrift *out, const char **why) {
   size_t k = 0;
   double *st = &out->statistic;
   switch (m) {
   case DRIFT_HELLINGER:
      if (!hellinger_shares(ref, cur, n_cur, rc, cc, &k)) {
         *why = "the values span a range too wide to bin (numpy refuses it)";
         return NAN;
      }
      return ds_hellinger(rc, cc, k);
   case DRIFT_KL_DIV:
      if (!binned_shares(ref, cur, n_cur, rc, cc, &k)) {
         *why = "the values span a range too wide to bin (numpy refuses it)";
         return NAN;
      }
      return ds_kl_div(rc, cc, k);
   case DRIFT_TVD:
      k = key_counts(ref, cur, n_cur, rc, cc);
      *st = ds_tvd(rc, cc, k);
      return tvd_pvalue(ref, n_cur, rc, cc, k);
   case DRIFT_G_TEST: k = key_counts(ref, cur, n_cur, rc, cc); return ds_gtest_pvalue(cc, rc, k, st);
   case DRIFT_FISHER:
      k = key_counts(ref, cur, n_cur, rc, cc);
      if (k > 2) {
         *why = "fisher_exact needs two categories at most (a 2x2 table)";
         return NAN;
      }
      /* [[current of the first, current of the other], [the same in the reference]] */
      return k == 1 ? 1.0 : ds_fisher_exact(cc[0], cc[1], rc[0], rc[1]);
   case DRIFT_ENERGY: return ds_energy_distance(ref->sorted, ref->n, cur, n_cur);
   case DRIFT_T_TEST: return ds_ttest_ind(ref->sorted, ref->n, cur, n_cur, st);
   case DRIFT_MANNW: return ds_mannwhitneyu_less(ref->sorted, ref->n, cur, n_cur, st);
   case DRIFT_ANDERSON:
      if (ref->n + n_cur < 4 || ref->min == ref->max) {
         double all = ref->min;
         bool one = ref->min == ref->max && cur[0] == all && cur[n_cur - 1] == all;
         if (one || ref->n + n_cur < 4) {
            *why = "anderson needs two distinct values and four in all";
            return NAN;
         }
      }
      return ds_anderson_ksamp(ref->sorted, ref->n, cur, n_cur, st);
   case DRIFT_CVM:
      if (ref->n < 2 || n_cur < 2) {
         *why = "cramer_von_mises needs two values in each sample";
         return NAN;
      }
      return ds_cvm_2samp(ref->sorted, ref->n, cur, n_cur, st);
   case DRIFT_ES: {
      double p = ds_epps_singleton(ref->sorted, ref->n, cur, n_cur, st);
      if (isnan(p))
         *why = ref->n < 5 || n_cur < 5 ? "es needs five values in each sample"
                                        : "es: the interquartile range is 0, or the covariance is singular";
      return p;
   }
   default: return NAN;
   }
}

/* The key the z-test sets against the others: Evidently's smallest, after
 * sorting the keys (numbers by value: the first; categories by name). */
static size_t z_first_key(const RefColumn *ref, const double *cur, size_t n_cur) {
   if (ref->kind != KIND_CATEGORICAL || !ref->classes || !ref->keys)
      return 0;
   size_t i = 0, j = 0, k = 0, best = 0;
   const char *best_name = NULL;
   while (i < ref->n_unique || j < n_cur) { /* the keys in key_counts' order */
      double x = (j >= n_cur || (i < ref->n_unique && ref->keys[i] <= cur[j])) ? ref->keys[i] : cur[j];
      if (i < ref->n_unique && ref->keys[i] == x)
         i++;
      while (j < n_cur && cur[j] == x)
         j++;
      int id = (int)x;
      const char *name = id >= 0 && id < ref->classes->n ? ref->classes->name[id] : "";
      if (!best_name || strcmp(name, best_name) < 0) {
         best_name = name;
         best = k;
      }
      k++;
   }
   return best;
}

static void count_tests(const RefColumn *ref, const double *cur, size_t n_cur, double *rc, double *cc, ColumnDrift *out,
                        DriftMethodId m) {
   size_t k = key_counts(ref, cur, n_cur, rc, cc);
   if (m == DRIFT_CHISQUARE || (m != DRIFT_Z && k > 2))
      out->chisquare_pvalue = ds_chisquare_pvalue(cc, rc, k);
   if (m == DRIFT_Z || (m != DRIFT_CHISQUARE && k <= 2))
      out->z_pvalue = ds_ztest_pvalue(rc, cc, k, z_first_key(ref, cur, n_cur));
}

static double method_score(DriftMethodId m, const ColumnDrift *d) {
   switch (m) {
   case DRIFT_KS: return d->ks_pvalue;
   case DRIFT_WASSERSTEIN: return d->wasserstein_norm;
   case DRIFT_CHISQUARE: return d->chisquare_pvalue;
   case DRIFT_Z: return d->z_pvalue;
   case DRIFT_JS: return d->jensenshannon;
   case DRIFT_PSI: return d->psi;
   default: return NAN;
   }
}

static bool wants(const DriftOptions *opt, DriftMethodId chosen, DriftMethodId m) {
   return opt->all_stats || chosen == m;
}

/* Return why forced method m cannot score ref's column, or NULL. */
static const char *not_applicable(DriftMethodId m, const RefColumn *ref) {
   /* "<name> applies to categorical columns ..." for each method, built once */
   static const char *const numeric_only[DRIFT_METHOD_COUNT] = {
      [DRIFT_KS] = "ks needs numbers; this column holds categories",
      [DRIFT_WASSERSTEIN] = "wasserstein needs numbers; this column holds categories",
      [DRIFT_ENERGY] = "ed needs numbers; this column holds categories",
      [DRIFT_T_TEST] = "t_test needs numbers; this column holds categories",
      [DRIFT_MANNW] = "mannw needs numbers; this column holds categories",
      [DRIFT_ANDERSON] = "anderson needs numbers; this column holds categories",
      [DRIFT_CVM] = "cramer_von_mises needs numbers; this column holds categories",
      [DRIFT_ES] = "es needs numbers; this column holds categories",
   };
   static const char *const categorical_only[DRIFT_METHOD_COUNT] = {
      [DRIFT_CHISQUARE] = "chisquare applies to categorical columns (as in Evidently); this one is numeric",
      [DRIFT_Z] = "z applies to categorical columns (as in Evidently); this one is numeric",
      [DRIFT_TVD] = "TVD applies to categorical columns (as in Evidently); this one is numeric",
      [DRIFT_G_TEST] = "g_test applies to categorical columns (as in Evidently); this one is numeric",
      [DRIFT_FISHER] = "fisher_exact applies to categorical columns (as in Evidently); this one is numeric",
   };
   const DriftMethod *dm = &ds_drift_methods[m];
   if (ref->kind == KIND_NUMERIC && !dm->numeric)
      return categorical_only[m];
   if (ref->kind == KIND_CATEGORICAL && !dm->categorical)
      return numeric_only[m];
   return NULL;
}

/* numpy squares deviations in doubles: beyond this their square
 * overflows, numpy.std is inf and Evidently's normalised Wasserstein 0. */
#define STD_OVERFLOW 1.3407807929942596e154 /* sqrt(DBL_MAX) */

static bool std_overflows(const RefColumn *ref, const double *cur, size_t n_cur) {
   return fmax(fabs(ref->min), fabs(ref->max)) >= STD_OVERFLOW / 2 ||
          fmax(fabs(cur[0]), fabs(cur[n_cur - 1])) >= STD_OVERFLOW / 2;
}

static void not_scored(ColumnDrift *out, const char *why) {
   out->scored = false;
   out->drifted = false;
   out->score = NAN;
   out->why = why;
}

bool ds_column_drift(const RefColumn *ref, const double *cur, size_t n_cur, const DriftOptions *opt,
                     DriftScratch *scratch, ColumnDrift *out) {
   memset(out, 0, sizeof *out);
   out->ks_statistic = out->ks_pvalue = out->wasserstein_norm = out->psi = out->jensenshannon = NAN;
   out->chisquare_pvalue = out->z_pvalue = out->score = out->statistic = NAN;
   out->n_ref = ref->n;
   out->n_cur = n_cur;
   out->method = opt->method;
   if (ref->n == 0 || n_cur == 0) {
      out->threshold = NAN;
      out->why = ref->n == 0 ? "no values in the reference" : "no values in the stream";
      return true;
   }
   /* n_unique decides the method; past 5 (or the binning cut) only "more" matters */
   size_t limit = opt->exact_unique ? SIZE_MAX - 1 : DS_BINNING_UNIQUE;
   out->n_unique = ref->n_unique > limit ? limit + 1
                   : ref->keys           ? ds_count_distinct_union(ref->keys, ref->n_unique, cur, n_cur, limit)
                                         : ds_count_distinct_union(ref->sorted, ref->n, cur, n_cur, limit);
   DriftMethodId m = opt->method == DRIFT_AUTO ? default_method(ref, out->n_unique) : opt->method;
   out->method = m;
   out->threshold = isnan(opt->threshold) ? ds_drift_methods[m].threshold : opt->threshold;
   const char *na =
      opt->method == DRIFT_AUTO ? NULL : not_applicable(m, ref); /* Evidently's own choice always applies */
   if (na) {
      not_scored(out, na);
      return true;
   }
   bool numeric = ref->kind == KIND_NUMERIC;
   size_t cap = (ref->n_unique + n_cur > DS_MAX_BINS ? ref->n_unique + n_cur : DS_MAX_BINS) * 2;
   if (!ref->keys && cap < (ref->n + n_cur) * 2) /* a count test on a many-valued column: a key per value */
      cap = (ref->n + n_cur) * 2;
   double *rc = scratch_get(scratch, cap + n_cur * (sizeof(size_t) + sizeof(double) - 1) / sizeof(double));
   if (!rc)
      return false;
   double *cc = rc + cap / 2;
   size_t *ranks = (size_t *)(rc + cap); /* shared by KS and Wasserstein */
   bool ks = numeric && wants(opt, m, DRIFT_KS), w = numeric && wants(opt, m, DRIFT_WASSERSTEIN);
   bool w_overflows = w && std_overflows(ref, cur, n_cur);
   if (ks || w)
      RefColumn_ranks(ref, cur, n_cur, ranks);
   if (ks) {
      uint64_t dnum = ds_ks_dnum_ranked(ref->sorted, ref->n, cur, n_cur, ranks);
      out->ks_pvalue = ks_pvalue_memo(scratch, ref->n, n_cur, dnum, &out->ks_statistic);
   }
   if (w && !w_overflows)
      out->wasserstein_norm =
         ds_wasserstein_ranked(ref->sorted, ref->prefix, ref->n, cur, n_cur, ranks) / fmax(ref->std, 0.001);
   bool binned = true;
   if (wants(opt, m, DRIFT_JS) || wants(opt, m, DRIFT_PSI))
      binned = binned_tests(ref, cur, n_cur, rc, cc, out);
   bool few = !numeric || out->n_unique <= 5;
   if ((few && opt->all_stats) || m == DRIFT_CHISQUARE || m == DRIFT_Z)
      count_tests(ref, cur, n_cur, rc, cc, out, m);
   out->score = method_score(m, out);
   if (m >= DRIFT_HELLINGER) {
      const char *why = NULL;
      out->score = further_test(m, ref, cur, n_cur, rc, cc, out, &why);
      if (isnan(out->score)) {
         not_scored(out, why ? why : "the test gave no score (see its requirements in the man page)");
         return true;
      }
   }
   if (m == DRIFT_WASSERSTEIN && w_overflows) {
      not_scored(out, "values beyond ±1.3e154: numpy's standard deviation overflows, so Evidently's normalised "
                      "Wasserstein distance is meaningless");
      return true;
   }
   if ((m == DRIFT_JS || m == DRIFT_PSI) && !binned) {
      not_scored(out, "the values span a range too wide to bin (numpy refuses it)");
      return true;
   }
   if (isnan(out->score)) { /* chi-square over one value: scipy's p-value is NaN too */
      not_scored(out, m == DRIFT_CHISQUARE ? "chi-square needs two or more distinct values" : "the test gave no score");
      return true;
   }
   out->drifted = ds_drift_is_drift(m, out->score, out->threshold);
   out->scored = true;
   return true;
}
