// SPDX-License-Identifier: MIT
/* Evidently's further tests: hand-worked cases and closed forms (the
 * e2e suite compares them with scipy on larger samples). */
#include <math.h>
#include <string.h>

#include "driftscope/pyrandom.h"
#include "driftscope/stattests.h"
#include "testutil.h"

static void test_fisher(void **state) {
   (void)state;
   /* scipy's docstring tables: tables no likelier than [[6,2],[1,4]] (x = 2, 6, 7 of
    * hypergeom(13, 8, 7)) sum to 4/39; [[8,2],[1,5]] gives 5/143 */
   assert_rel(ds_fisher_exact(6, 2, 1, 4), 4.0 / 39, 1e-12);
   assert_rel(ds_fisher_exact(8, 2, 1, 5), 5.0 / 143, 1e-12);
   assert_rel(ds_fisher_exact(3, 3, 3, 3), 1.0, 0); /* the mode itself */
   assert_rel(ds_fisher_exact(0, 0, 3, 4), 1.0, 0); /* a row of zeros: scipy's 1 */
}

static void test_special(void **state) {
   (void)state;
   for (double x = 0.3; x < 20; x *= 2.7) /* K_1/2 in closed form */
      assert_rel(ds_bessel_k(0.5, x), sqrt(M_PI / (2 * x)) * exp(-x), 1e-13);
   assert_rel(ds_betainc(1, 1, 0.37, 0.63), 0.37, 1e-14);
   assert_rel(ds_betainc(2.5, 1, 0.4, 0.6), pow(0.4, 2.5), 1e-13);
   /* I_0.3(2, 3) = sum over j = 2..4 of C(4, j) 0.3^j 0.7^(4-j) */
   assert_rel(ds_betainc(2, 3, 0.3, 0.7), 6 * 0.09 * 0.49 + 4 * 0.027 * 0.7 + 0.0081, 1e-13);
   assert_rel(ds_betainc(3, 2, 0.7, 0.3), 1 - (6 * 0.09 * 0.49 + 4 * 0.027 * 0.7 + 0.0081), 1e-13);
}

static void test_location(void **state) {
   (void)state;
   const double a[] = {1, 2, 3, 4}, b[] = {3, 4, 5, 6};
   double t;
   double p = ds_ttest_ind(a, 4, b, 4, &t);
   assert_rel(t, -2 / sqrt(5.0 / 6.0), 1e-14); /* means 2.5 and 4.5, pooled variance 5/3 */
   assert_true(p > 0.05 && p < 0.1);
   /* 2 against 3 values, all of a below b: U of a is 0; P(U of b >= 6) is
    * 1 of the C(5, 2) = 10 orders */
   const double x[] = {1, 2}, y[] = {3, 4, 5};
   double u;
   assert_rel(ds_mannwhitneyu_less(x, 2, y, 3, &u), 0.1, 1e-14);
   assert_rel(u, 0, 0);
   assert_rel(ds_mannwhitneyu_less(y, 3, x, 2, &u), 1.0, 1e-14); /* the other way round: certain */
   assert_rel(u, 6, 0);
   const double z0[] = {0}, z2[] = {2};
   assert_rel(ds_energy_distance(z0, 1, z2, 1), 2.0, 1e-15); /* scipy's docstring example */
   assert_rel(ds_energy_distance(a, 4, a, 4), 0, 0);
   assert_true(isnan(ds_epps_singleton(a, 4, b, 4, NULL))); /* fewer than 5 values */
}

static void test_categories(void **state) {
   (void)state;
   const double p[] = {1, 0}, q[] = {0, 1}, h[] = {0.5, 0.5};
   assert_rel(ds_hellinger(p, q, 2), 1, 1e-15);
   assert_rel(ds_hellinger(h, h, 2), 0, 0);
   const double c1[] = {3, 1}, c2[] = {1, 3};
   assert_rel(ds_tvd(c1, c2, 2), 0.5, 1e-15);
   /* G = 2 (10 ln(10/15) + 20 ln(20/15)); chi-square with 1 degree: erfc(sqrt(G / 2)) */
   const double cur[] = {10, 20}, ref[] = {15, 15};
   double g;
   double pv = ds_gtest_pvalue(cur, ref, 2, &g);
   double want = 2 * (10 * log(10.0 / 15) + 20 * log(20.0 / 15));
   assert_rel(g, want, 1e-13);
   assert_rel(pv, erfc(sqrt(want / 2)), 1e-12);
   /* KL of equal shares is 0; of (0.5, 0.5) against (0.25, 0.75): 0.5 ln 2 + 0.5 ln(2/3) */
   const double k1[] = {0.25, 0.75};
   assert_rel(ds_kl_div(h, h, 2), 0, 0);
   assert_rel(ds_kl_div(h, k1, 2), 0.5 * log(2) + 0.5 * log(2.0 / 3), 1e-14);
}

static void test_numpy_permutation(void **state) {
   (void)state;
   /* np.random.seed(0); np.random.permutation(10), and the first of permutation(1000) */
   static const uint32_t want10[10] = {2, 8, 4, 9, 1, 6, 7, 3, 0, 5}, want1000[5] = {993, 859, 298, 553, 672};
   uint32_t out[1000];
   PyRandom r;
   PyRandom_seed_numpy(&r, 0);
   PyRandom_numpy_permutation(&r, 10, out);
   assert_memory_equal(out, want10, sizeof want10);
   PyRandom_seed_numpy(&r, 0);
   PyRandom_numpy_permutation(&r, 1000, out);
   assert_memory_equal(out, want1000, sizeof want1000);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fisher),     cmocka_unit_test(test_special),           cmocka_unit_test(test_location),
      cmocka_unit_test(test_categories), cmocka_unit_test(test_numpy_permutation),
   };
   return cmocka_run_group_tests_name("stattests", tests, NULL, NULL);
}
