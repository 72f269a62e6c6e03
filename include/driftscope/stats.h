/* SPDX-License-Identifier: MIT */
/* Statistics behind Evidently's drift tests (DESIGN §4), computed the way
 * scipy 1.10 computes them. All sample arguments are sorted ascending and
 * free of NaN/inf; the caller cleans and sorts (ds_sort_doubles).
 *
 * Each function documents the scipy/Evidently function it reproduces. */
#ifndef DRIFTSCOPE_STATS_H
#define DRIFTSCOPE_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Sort ascending (values must not be NaN). */
void ds_sort_doubles(double *v, size_t n);

/* Scratch memory for sorting, kept between calls so that large sorts do not
 * map (and the kernel zero) fresh pages each time. Zero-initialise. */
typedef struct SortScratch {
   uint64_t *keys;
   size_t cap;
} SortScratch;

void ds_sort_doubles_with(double *v, size_t n, SortScratch *s);
void SortScratch_done(SortScratch *s);

/* Number of distinct values in a sorted array. */
size_t ds_count_distinct(const double *v, size_t n);
/* Distinct values of the union of two sorted arrays, stopping early once
 * the count exceeds limit (returns limit + 1 then). */
size_t ds_count_distinct_union(const double *a, size_t na, const double *b, size_t nb, size_t limit);

/* Index of the first element >= x (lower bound) / > x (upper bound). */
size_t ds_lower_bound(const double *v, size_t n, double x);
size_t ds_upper_bound(const double *v, size_t n, double x);

/* --- Kolmogorov-Smirnov (ks.c) ---------------------------------------- */

/* The two-sample KS statistic as an integer: max over the data of
 * |#{a <= x}·nb − #{b <= x}·na|; D = dnum / (na·nb). Cost O(nb log(na/nb))
 * when nb <= na (it walks the smaller sample and gallops in the larger). */
uint64_t ds_ks_dnum(const double *a, size_t na, const double *b, size_t nb);

/* ranks[j] = #{a < b[j]} for sorted a and sorted b, by galloping through a
 * (O(nb log(na/nb))). Computed once per window and shared by
 * ds_ks_dnum_ranked and ds_wasserstein_ranked. */
void ds_ranks(const double *a, size_t na, const double *b, size_t nb, size_t *ranks);
/* ds_ks_dnum with the ranks of b in a precomputed. */
uint64_t ds_ks_dnum_ranked(const double *a, size_t na, const double *b, size_t nb, const size_t *ranks);

/* p-value of scipy.stats.ks_2samp(method="auto", alternative="two-sided"):
 * exact when max(n1, n2) <= 10000 (falling back to the asymptotic
 * distribution when the exact computation leaves [0, 1]), otherwise
 * kstwo.sf(D, round(n1·n2/(n1+n2))). *d_out gets the statistic as scipy
 * returns it. */
double ds_ks_pvalue(size_t n1, size_t n2, uint64_t dnum, double *d_out);

/* Survival function of the two-sided one-sample KS statistic, scipy's
 * kstwo.sf(x, n) (scipy/stats/_ksstats.py _kolmogn, cdf=False). */
double ds_kstwo_sf(double n, double x);
/* The greatest common divisor. */
uint64_t ds_gcd_u64(uint64_t a, uint64_t b);
/* One-sided Smirnov survival function, scipy.special.smirnov(n, x). */
double ds_smirnov(int n, double x);

/* --- distances --------------------------------------------------------- */

/* scipy.stats.wasserstein_distance(a, b) for sorted a (with prefix sums
 * pa[i] = a[0] + ... + a[i-1], na + 1 entries) and sorted b. */
double ds_wasserstein(const double *a, const long double *pa, size_t na, const double *b, size_t nb);
/* ds_wasserstein with the ranks of b in a precomputed. */
double ds_wasserstein_ranked(const double *a, const long double *pa, size_t na, const double *b, size_t nb,
                             const size_t *ranks);
/* Fill prefix[0..n] with running sums of sorted v. */
void ds_prefix_sums(const double *v, size_t n, long double *prefix);

/* Population standard deviation (numpy.std, ddof=0). */
double ds_std(const double *v, size_t n);

/* --- binning ----------------------------------------------------------- */

#define DS_MAX_BINS 64 /* Sturges for n < 2^62 needs at most 63 */

/* numpy.histogram_bin_edges(data, bins="sturges") for data of n values with
 * the given min and max: fills edges[0..nbins] and returns nbins; 0 when
 * max - min overflows a double (numpy refuses such a range). */
int ds_sturges_edges(double min, double max, size_t n, double *edges);
/* numpy.histogram(sorted, edges) counts (last bin closed). */
void ds_histogram_sorted(const double *v, size_t n, const double *edges, int nbins, double *counts);

/* --- tests on shares and counts ---------------------------------------- */

/* scipy.spatial.distance.jensenshannon(p, q) (natural log, no flooring). */
double ds_jensenshannon(const double *p, const double *q, size_t k);
/* Evidently's PSI: Σ (r−c)·ln(r/c) with each array's empty shares floored
 * (m = smallest non-zero share; zeros become m/1e6 if m <= 1e-4, else 1e-4). */
double ds_psi(const double *ref_share, const double *cur_share, size_t k);
/* Evidently's floor for empty bins (get_binned_data's feel_zeroes): zeros
 * become the smallest share / 1e6 when it is at most 1e-4, else 1e-4. */
void ds_floor_zeros(double *s, size_t k);
/* Evidently's chi-square test: scipy.stats.chisquare(obs, ref·n_cur/n_ref).
 * Returns the p-value. */
double ds_chisquare_pvalue(const double *cur_counts, const double *ref_counts, size_t k);
/* Evidently's two-proportion z-test p-value: the share of key `first`
 * (Evidently: the smallest of the keys, sorted) against all the others,
 * reference vs current. ref_counts/cur_counts hold the counts of k keys;
 * one key only (both samples the same constant) gives 1. */
double ds_ztest_pvalue(const double *ref_counts, const double *cur_counts, size_t k, size_t first);

/* Regularised upper incomplete gamma Q(a, x) (scipy.special.gammaincc). */
double ds_gammaincc(double a, double x);
/* Standard normal CDF (scipy.special.ndtr). */
double ds_ndtr(double x);

#endif
