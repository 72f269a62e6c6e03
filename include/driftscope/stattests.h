/* SPDX-License-Identifier: MIT */
/* The further two-sample tests Evidently offers (its stattests package), computed
 * as scipy computes them. Samples are sorted and hold no NaN; counts and
 * shares are over the same keys in the same order. Each returns NAN where
 * scipy cannot give a value (too few values, no spread), and the test's
 * statistic through its out parameter (which may be NULL). */
#ifndef DRIFTSCOPE_STATTESTS_H
#define DRIFTSCOPE_STATTESTS_H

#include <stddef.h>

/* scipy.stats.energy_distance(a, b). */
double ds_energy_distance(const double *a, size_t na, const double *b, size_t nb);
/* scipy.stats.ttest_ind(a, b) (equal variances): the two-sided p-value. */
double ds_ttest_ind(const double *a, size_t na, const double *b, size_t nb, double *t);
/* scipy.stats.mannwhitneyu(a, b, alternative="less") (method "auto": exact
 * when one sample has at most 8 values and there is no tie, else the normal
 * approximation with the tie and continuity corrections): the p-value; u is
 * U of a. */
double ds_mannwhitneyu_less(const double *a, size_t na, const double *b, size_t nb, double *u);
/* scipy.stats.anderson_ksamp([a, b]) (midrank): the significance level,
 * interpolated and kept within 0.001..0.25 as scipy does; a2 the statistic. */
double ds_anderson_ksamp(const double *a, size_t na, const double *b, size_t nb, double *a2);
/* Evidently's two-sample Cramér-von Mises (scipy's cramervonmises_2samp,
 * method "auto": exact when both samples have at most 20 values): p; t. */
double ds_cvm_2samp(const double *a, size_t na, const double *b, size_t nb, double *t);
/* scipy.stats.epps_singleton_2samp(a, b) (t = 0.4, 0.8): p; w. NAN when a
 * sample has fewer than 5 values, the IQR is 0 or the covariance is singular. */
double ds_epps_singleton(const double *a, size_t na, const double *b, size_t nb, double *w);
/* Evidently's G-test: scipy's power_divergence(cur, ref scaled to the
 * current total, lambda_="log-likelihood"): p; g the statistic. */
double ds_gtest_pvalue(const double *cur_counts, const double *ref_counts, size_t k, double *g);
/* scipy.stats.fisher_exact([[a, b], [c, d]]): the two-sided p-value. */
double ds_fisher_exact(double a, double b, double c, double d);
/* Evidently's Hellinger distance over shares: sqrt(1 - min(1, sum sqrt(p q))). */
double ds_hellinger(const double *p, const double *q, size_t k);
/* Evidently's kl_div: scipy.stats.entropy(p, q) after Evidently's zero
 * floors (as PSI's). */
double ds_kl_div(const double *p, const double *q, size_t k);
/* Total variation distance over counts: 0.5 sum |a/sum(a) - b/sum(b)|. */
double ds_tvd(const double *a, const double *b, size_t k);
/* Evidently's permutation p-value of the TVD: keys[0..na) the reference's
 * values (as key indices 0..k-1) then keys[na..na+nb) the current ones;
 * 1000 permutations drawn as numpy's np.random.seed(0) and
 * np.random.choice(replace=False) draw them; p = the share whose TVD is at
 * least the observed. NAN on no memory. */
double ds_tvd_permutation_pvalue(const unsigned *keys, size_t na, size_t nb, size_t k, double observed);

/* Regularised incomplete beta I_x(a, b) (scipy.special.betainc); xc = 1 - x
 * given exactly (it matters near 1). */
double ds_betainc(double a, double b, double x, double xc);
/* Modified Bessel function of the second kind K_nu(x), x > 0 (scipy.special.kv). */
double ds_bessel_k(double nu, double x);

#endif
