// SPDX-License-Identifier: MIT
/* Statistics against values computed by scipy 1.10.1 (Debian bookworm's
 * python3-scipy) from the inputs written here, and hand-worked cases. */
#include <stdlib.h>
#include <string.h>

#include "driftscope/models.h"
#include "driftscope/pyrandom.h"
#include "driftscope/stats.h"
#include "testutil.h"

static const double A[] = {0.0,   0.3,   -0.27, -0.89, -0.45, -0.99, 0.06,  1.34,  -0.49, -0.62, 0.49, 0.36, 0.11,
                           -0.93, -0.03, 0.7,   -1.34, -0.46, -1.9,  -1.29, -1.84, -0.24, -1.27, 0.27, 0.16};
static const double B[] = {0.41, -1.92, 0.06, 0.55, 0.71, -0.93, 0.12,  -0.38, -0.21, 1.66,  -0.21,
                           0.57, 1.48,  0.02, 0.49, 0.71, 0.66,  -0.63, 0.68,  1.96,  -0.95, 1.46,
                           0.72, -0.04, 2.6,  1.36, -0.6, 0.67,  1.18,  0.41,  1.28};
static const double C[] = {0.03,  0.77, 1.54,  -0.58, 0.3, -0.36, 0.23, -1.09, -0.48, -0.1,  1.0,  1.25, -1.22,
                           -0.69, 0.75, -1.89, -0.36, 0.0, 1.36,  0.79, -0.23, -0.27, -0.15, 1.62, -0.33};
#define N(x) (sizeof(x) / sizeof((x)[0]))

typedef struct Pair {
   double *a, *b;
   long double *pa;
   size_t na, nb;
} Pair;

static Pair pair(const double *a, size_t na, const double *b, size_t nb) {
   Pair p = {malloc(na * sizeof(double)), malloc(nb * sizeof(double)), malloc((na + 1) * sizeof(long double)), na, nb};
   memcpy(p.a, a, na * sizeof(double));
   memcpy(p.b, b, nb * sizeof(double));
   ds_sort_doubles(p.a, na);
   ds_sort_doubles(p.b, nb);
   ds_prefix_sums(p.a, na, p.pa);
   return p;
}

static void pair_free(Pair *p) {
   free(p->a);
   free(p->b);
   free(p->pa);
}

static void check_ks_w(Pair p, double d, double pv, double w, double ptol) {
   double got_d;
   double got_p = ds_ks_pvalue(p.na, p.nb, ds_ks_dnum(p.a, p.na, p.b, p.nb), &got_d);
   assert_rel(got_d, d, 1e-12);
   assert_rel(got_p, pv, ptol);
   assert_rel(ds_wasserstein(p.a, p.pa, p.na, p.b, p.nb), w, 1e-12);
}

/* scipy: ks_2samp(A, B) (exact, n1 != n2) and wasserstein_distance(A, B) */
static void test_ks_exact_unequal(void **state) {
   (void)state;
   Pair p = pair(A, N(A), B, N(B));
   check_ks_w(p, 0.49290322580645163, 0.0014027918727060264, 0.81815483870967753, 1e-9);
   pair_free(&p);
}

/* scipy: ks_2samp(A, C) (exact, n1 == n2, ties at 0.0) */
static void test_ks_exact_equal(void **state) {
   (void)state;
   Pair p = pair(A, N(A), C, N(C));
   check_ks_w(p, 0.28000000000000003, 0.28504214769583669, 0.44439999999999991, 1e-9);
   pair_free(&p);
}

/* Deterministic large samples: a_i = (7919 i mod 10007)/10007,
 * b_j = (104729 j mod 10009)/10009 + shift, the same in the scipy script. */
static Pair big(size_t na, size_t nb, double shift) {
   double *a = malloc(na * sizeof(double)), *b = malloc(nb * sizeof(double));
   for (size_t i = 0; i < na; i++)
      a[i] = (double)((i * 7919) % 10007) / 10007.0;
   for (size_t j = 0; j < nb; j++)
      b[j] = (double)((j * 104729) % 10009) / 10009.0 + shift;
   Pair p = pair(a, na, b, nb);
   free(a);
   free(b);
   return p;
}

/* max(n) > 10000: the asymptotic kstwo.sf path (PelzGood / smirnov / DMTW) */
static void test_ks_asymptotic(void **state) {
   (void)state;
   struct {
      size_t na, nb;
      double shift, d, p, w;
   } cases[] = {
      {12000, 1000, 0.0, 0.0029999999999999888, 1, 0.00079706145119603892},
      {12000, 1000, 0.05, 0.052250000000000019, 0.012484667089954085, 0.049684415986572764},
      {20000, 300, 0.02, 0.022733333333333383, 0.99716713592184869, 0.017400480321017112},
      {15000, 15000, 0.01, 0.010666666666666602, 0.35826341973908249, 0.010189057814390556},
   };
   for (size_t i = 0; i < N(cases); i++) {
      Pair p = big(cases[i].na, cases[i].nb, cases[i].shift);
      check_ks_w(p, cases[i].d, cases[i].p, cases[i].w, 1e-6);
      pair_free(&p);
   }
}

/* scipy.stats.kstwo.sf(x, n) through every branch of _kolmogn */
static void test_kstwo_sf_branches(void **state) {
   (void)state;
   struct {
      double n, x, sf;
   } cases[] = {
      {10, 0.04, 1},                        /* n·x <= 0.5 */
      {10, 0.08, 0.99999780580340536},      /* Ruben-Gambino, n <= 140 */
      {200, 0.004, 1},                      /* Ruben-Gambino, Stirling */
      {10, 0.95, 1.9531250000000172e-13},   /* n·x >= n − 1 */
      {5, 0.6, 0.03008000000000001},        /* x >= 0.5: 2·smirnov */
      {100, 0.05, 0.95321597106357248},     /* n <= 140, n·x² <= 0.754693: DMTW */
      {100, 0.15, 0.019839242125643017},    /* n <= 140, n·x² <= 4: Pomeranz in scipy */
      {100, 0.25, 5.4088717764348473e-06},  /* n <= 140: 2·smirnov */
      {1000, 0.01, 0.99994967453706107},    /* n·x^1.5 <= 1.4: DMTW */
      {1000, 0.03, 0.32269021439146361},    /* PelzGood */
      {1000, 0.06, 0.0014285978879528911},  /* n·x² >= 2.2: 2·smirnov */
      {200000, 0.002, 0.39995085369038097}, /* n > 100000: PelzGood */
      {1000, 0.7, 0},                       /* x >= 0.5 deep tail */
      {5000, 0.05, 2.6523052328711187e-11}, /* 2·smirnov, tiny */
   };
   for (size_t i = 0; i < N(cases); i++)
      assert_rel(ds_kstwo_sf(cases[i].n, cases[i].x), cases[i].sf, 1e-9);
}

/* scipy.special.smirnov(n, x) */
static void test_smirnov(void **state) {
   (void)state;
   assert_rel(ds_smirnov(10, 0.3), 0.13546355560000001, 1e-12);
   assert_rel(ds_smirnov(1000, 0.05), 0.0065060373905451658, 1e-10);
   assert_rel(ds_smirnov(50, 0.5), 2.196426749559874e-12, 1e-10);
   assert_rel(ds_smirnov(1, 0.25), 0.75, 0); /* n = 1: Pr(D+ >= x) = 1 − x */
}

/* scipy documentation: wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0 */
static void test_wasserstein_doc_example(void **state) {
   (void)state;
   double a[] = {0, 1, 3}, b[] = {5, 6, 8};
   Pair p = pair(a, 3, b, 3);
   assert_rel(ds_wasserstein(p.a, p.pa, 3, p.b, 3), 5.0, 1e-15);
   pair_free(&p);
   /* hand-worked, unequal sizes: |F_a − F_b| over [0,1,2] vs [1]: 1/3 on [0,1) + 1/3 on [1,2) */
   double c[] = {0, 1, 2}, d[] = {1};
   p = pair(c, 3, d, 1);
   assert_rel(ds_wasserstein(p.a, p.pa, 3, p.b, 1), 2.0 / 3.0, 1e-15);
   pair_free(&p);
}

/* scipy documentation: jensenshannon([1.0, 0.0], [0.5, 0.5]) = 0.46450140402245893;
 * identical = 0, disjoint = sqrt(ln 2) */
static void test_jensenshannon(void **state) {
   (void)state;
   double p[] = {1.0, 0.0}, q[] = {0.5, 0.5};
   assert_rel(ds_jensenshannon(p, q, 2), 0.46450140402245893, 1e-15);
   double r[] = {0.1, 0.2, 0.7}, s[] = {0.3, 0.3, 0.4};
   assert_rel(ds_jensenshannon(r, s, 3), 0.22784261945058351, 1e-14);
   assert_rel(ds_jensenshannon(r, r, 3), 0.0, 0);
   double u[] = {1, 0}, v[] = {0, 1};
   assert_rel(ds_jensenshannon(u, v, 2), sqrt(log(2.0)), 1e-15);
}

/* PSI hand-worked: Σ (r−c)·ln(r/c), zeros floored to 1e-4 (smallest share > 1e-4) */
static void test_psi(void **state) {
   (void)state;
   double r[] = {0.5, 0.5}, c[] = {0.25, 0.75};
   assert_rel(ds_psi(r, c, 2), 0.25 * log(2.0) + (-0.25) * log(0.5 / 0.75), 1e-15);
   double r2[] = {0.5, 0.5, 0.0}, c2[] = {0.5, 0.25, 0.25};
   double want = 0.25 * log(2.0) + (1e-4 - 0.25) * log(1e-4 / 0.25);
   assert_rel(ds_psi(r2, c2, 3), want, 1e-15);
   /* smallest non-zero share <= 1e-4: zeros become m/1e6 */
   double r3[] = {0.99995, 0.00005, 0.0}, c3[] = {0.5, 0.25, 0.25};
   double f = 0.00005 / 1e6;
   want = (0.99995 - 0.5) * log(0.99995 / 0.5) + (0.00005 - 0.25) * log(0.00005 / 0.25) + (f - 0.25) * log(f / 0.25);
   assert_rel(ds_psi(r3, c3, 3), want, 1e-14);
}

/* scipy documentation: chisquare([16, 18, 16, 14, 12, 12], f_exp=[16, 16, 16, 16, 16, 8])
 * p = 0.62338762774958223; and a case where f_exp is rescaled to the current size. */
static void test_chisquare(void **state) {
   (void)state;
   double obs[] = {16, 18, 16, 14, 12, 12}, ref[] = {16, 16, 16, 16, 16, 8};
   assert_rel(ds_chisquare_pvalue(obs, ref, 6), 0.62338762774958223, 1e-12);
   double obs2[] = {10, 20, 30}, ref2[] = {30, 30, 40};
   assert_rel(ds_chisquare_pvalue(obs2, ref2, 3), 0.07144060392237897, 1e-12);
   double obs3[] = {1, 2, 3}, ref3[] = {4, 6, 0}; /* a category the reference never saw */
   assert_rel(ds_chisquare_pvalue(obs3, ref3, 3), 0.0, 0);
}

/* scipy.special.gammaincc */
static void test_gammaincc(void **state) {
   (void)state;
   assert_rel(ds_gammaincc(2.5, 1.75), 0.62338762774958223, 1e-13);
   assert_rel(ds_gammaincc(0.5, 10.0), 7.7442164310440875e-06, 1e-12);
   assert_rel(ds_gammaincc(30, 20), 0.97818178247444254, 1e-13);
}

/* Evidently's two-proportion z test: 70% vs 50% of 100 each;
 * z = 0.2/sqrt(0.24·0.02), p = 2·(1 − Φ(z)) = 0.0038924171227785465 (scipy) */
static void test_ztest(void **state) {
   (void)state;
   double ref[] = {30, 70}, cur[] = {50, 50};
   assert_rel(ds_ztest_pvalue(ref, cur, 2, 0), 0.0038924171227785465, 1e-12);
   assert_rel(ds_ztest_pvalue(ref, cur, 2, 1), 0.0038924171227785465, 1e-12); /* two keys: symmetric */
   double one[] = {10}, other[] = {25};
   assert_rel(ds_ztest_pvalue(one, other, 1, 0), 1.0, 0); /* both constant, same value */
   /* three keys: Evidently sets the first against both others (30% vs 50% are "a"),
    * the same z as above; using only the first two keys would give 0.00077 */
   double ref3[] = {30, 50, 20}, cur3[] = {50, 30, 20};
   assert_rel(ds_ztest_pvalue(ref3, cur3, 3, 0), 0.0038924171227785465, 1e-12);
   /* numbers 1, 2, 3.5 in 10/25/5 and 3/12/15 records: Evidently's
    * _z_stat_test on them (numpy/scipy) gives 0.11025186977196255 */
   double ref4[] = {10, 25, 5}, cur4[] = {3, 12, 15};
   assert_rel(ds_ztest_pvalue(ref4, cur4, 3, 0), 0.11025186977196255, 1e-12);
}

/* numpy.histogram_bin_edges(..., "sturges") and numpy.histogram */
static void test_sturges(void **state) {
   (void)state;
   double edges[DS_MAX_BINS + 1];
   assert_int_equal(ds_sturges_edges(0, 1, 1000, edges), 11); /* ceil(log2(1000) + 1) */
   assert_int_equal(ds_sturges_edges(0, 1, 1024, edges), 11); /* log2 exact: no extra bin */
   double v[] = {0.0, 0.1, 0.25, 0.5, 1.0, 3.0, 3.0};
   int nb = ds_sturges_edges(0.0, 3.0, 6, edges); /* numpy: [0, 0.75, 1.5, 2.25, 3] */
   assert_int_equal(nb, 4);
   assert_rel(edges[1], 0.75, 0);
   assert_rel(edges[3], 2.25, 0);
   double counts[4];
   ds_histogram_sorted(v, 7, edges, nb, counts); /* numpy: [4, 1, 0, 2], last bin closed */
   assert_rel(counts[0], 4, 0);
   assert_rel(counts[1], 1, 0);
   assert_rel(counts[2], 0, 0);
   assert_rel(counts[3], 2, 0);
   /* a range that overflows a double: numpy refuses to bin it, so do we */
   assert_int_equal(ds_sturges_edges(-1e308, 1e308, 10, edges), 0);
   assert_int_equal(ds_sturges_edges(0, 1.7e308, 20, edges), 6); /* wide but finite: numpy gives 6 bins */
   nb = ds_sturges_edges(2.0, 2.0, 10, edges);                   /* max = min: one bin, ±0.5 */
   assert_int_equal(nb, 1);
   assert_rel(edges[0], 1.5, 0);
   assert_rel(edges[1], 2.5, 0);
}

static void test_std_and_distinct(void **state) {
   (void)state;
   assert_rel(ds_std(A, N(A)), 0.78318488238729433, 1e-14); /* numpy.std(A) */
   double v[] = {1, 1, 2, 3, 3, 3};
   assert_int_equal(ds_count_distinct(v, 6), 3);
   double w[] = {2, 4, 5};
   assert_int_equal(ds_count_distinct_union(v, 6, w, 3, 100), 5);
   assert_int_equal(ds_count_distinct_union(v, 6, w, 3, 3), 4); /* capped: limit + 1 */
}

static void test_sort(void **state) {
   (void)state;
   enum { n = 5000 };
   double *v = malloc(n * sizeof(double));
   unsigned s = 12345;
   for (int i = 0; i < n; i++) {
      s = s * 1103515245u + 12345u;
      v[i] = (double)(s % 97); /* many duplicates */
   }
   ds_sort_doubles(v, n);
   for (int i = 1; i < n; i++)
      assert_true(v[i - 1] <= v[i]);
   free(v);
}

/* McNemar's test, worked by hand: b = 1, c = 9 is exact, twice the lower
 * tail (C(10,0) + C(10,1)) / 2^10 = 22/1024; b = 10, c = 20 is the
 * chi-square (|10 - 20| - 1)^2 / 30 = 2.7, p = erfc(sqrt(1.35)); b = c
 * gives 1, as does no discordant record. */
static void test_mcnemar(void **state) {
   (void)state;
   double st;
   bool exact;
   assert_rel(ds_mcnemar(1, 9, &st, &exact), 22.0 / 1024, 1e-15);
   assert_true(exact);
   assert_rel(st, 1, 0);
   assert_rel(ds_mcnemar(9, 1, &st, &exact), 22.0 / 1024, 1e-15);
   assert_rel(ds_mcnemar(10, 20, &st, &exact), 0.10034824646229054, 1e-12); /* scipy.stats.chi2.sf(2.7, 1) */
   assert_false(exact);
   assert_rel(st, 2.7, 1e-15);
   assert_rel(ds_mcnemar(7, 7, &st, &exact), 1, 0);
   assert_rel(ds_mcnemar(0, 0, &st, &exact), 1, 0);
}

/* Python's random.Random: the numbers CPython 3 gives for the same seeds
 * (random.Random(42).getrandbits(32) three times; .sample(range(70), 30),
 * the pool method; random.Random(7).sample(range(1000), 10), the set
 * method). */
static void test_pyrandom(void **state) {
   (void)state;
   PyRandom r;
   PyRandom_seed(&r, 42);
   assert_int_equal(PyRandom_getrandbits(&r, 32), 2746317213u);
   assert_int_equal(PyRandom_getrandbits(&r, 32), 478163327u);
   assert_int_equal(PyRandom_getrandbits(&r, 32), 107420369u);
   static const uint32_t want70[30] = {14, 3,  35, 31, 28, 17, 13, 43, 47, 57, 34, 5,  37, 27, 2,
                                       1,  58, 63, 69, 32, 38, 54, 67, 12, 45, 41, 59, 26, 51, 65};
   uint32_t out[30], scratch[1000];
   PyRandom_seed(&r, 42);
   PyRandom_sample(&r, 70, 30, out, scratch);
   assert_memory_equal(out, want70, sizeof want70);
   static const uint32_t want1000[10] = {331, 970, 154, 404, 666, 49, 74, 840, 548, 96};
   PyRandom_seed(&r, 7);
   PyRandom_sample(&r, 1000, 10, out, scratch);
   assert_memory_equal(out, want1000, sizeof want1000);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ks_exact_unequal),
      cmocka_unit_test(test_ks_exact_equal),
      cmocka_unit_test(test_ks_asymptotic),
      cmocka_unit_test(test_kstwo_sf_branches),
      cmocka_unit_test(test_smirnov),
      cmocka_unit_test(test_wasserstein_doc_example),
      cmocka_unit_test(test_jensenshannon),
      cmocka_unit_test(test_psi),
      cmocka_unit_test(test_chisquare),
      cmocka_unit_test(test_gammaincc),
      cmocka_unit_test(test_ztest),
      cmocka_unit_test(test_sturges),
      cmocka_unit_test(test_std_and_distinct),
      cmocka_unit_test(test_sort),
      cmocka_unit_test(test_mcnemar),
      cmocka_unit_test(test_pyrandom),
   };
   return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
