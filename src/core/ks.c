// SPDX-License-Identifier: MIT
/* Two-sample Kolmogorov-Smirnov test, reproducing scipy 1.10:
 *  - scipy/stats/_stats_py.py: ks_2samp, _attempt_exact_2kssamp,
 *    _compute_prob_outside_square, _compute_outer_prob_inside_method;
 *  - scipy/stats/_ksstats.py: _kolmogn (kstwo.sf), _kolmogn_DMTW,
 *    _kolmogn_PelzGood; scipy/special/cephes/kolmogorov.c: smirnov.
 * Where scipy uses Pomeranz's recursion (n <= 140, 0.754693 < n·x² <= 4)
 * this file uses the Durbin/MTW matrix method instead: both are exact
 * algorithms for the same probability, so they agree to rounding. The
 * one-sided Smirnov sum is evaluated with positive terms in long double
 * log space instead of cephes' double-double arithmetic; it is the same
 * exact Birnbaum-Tingey sum. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/stats.h"

#define KS_MAX_AUTO_N 10000 /* scipy: 'auto' is exact up to this sample size */

/* Branchless: the loop runs log2(n) times whatever the data, and the
 * conditional move does not mispredict (ranking is the hottest loop). */
size_t ds_lower_bound(const double *v, size_t n, double x) {
   const double *base = v;
   while (n > 1) {
      size_t half = n / 2;
      base = base[half - 1] < x ? base + half : base;
      n -= half;
   }
   return (size_t)(base - v) + (n == 1 && base[0] < x);
}

size_t ds_upper_bound(const double *v, size_t n, double x) {
   size_t lo = 0, hi = n;
   while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (v[mid] <= x)
         lo = mid + 1;
      else
         hi = mid;
   }
   return lo;
}

/* Return the first index i >= from with v[i] > x (or >= x when strict is
 * false), searching exponentially from `from` (the walk is monotone). */
static size_t gallop(const double *v, size_t n, size_t from, double x, bool upper) {
   size_t step = 1, lo = from, hi = from;
   while (hi < n && (upper ? v[hi] <= x : v[hi] < x)) {
      lo = hi + 1;
      hi += step;
      step *= 2;
   }
   if (hi > n)
      hi = n;
   return lo + (upper ? ds_upper_bound(v + lo, hi - lo, x) : ds_lower_bound(v + lo, hi - lo, x));
}

void ds_ranks(const double *a, size_t na, const double *b, size_t nb, size_t *ranks) {
   size_t pos = 0;
   for (size_t j = 0; j < nb; j++) {
      if (j > 0 && b[j] == b[j - 1]) {
         ranks[j] = ranks[j - 1];
         continue;
      }
      pos = gallop(a, na, pos, b[j], false);
      ranks[j] = pos;
   }
}

uint64_t ds_ks_dnum_ranked(const double *a, size_t na, const double *b, size_t nb, const size_t *ranks) {
   int64_t best = 0;
   for (size_t j = 0; j < nb;) {
      double x = b[j];
      size_t jlt = j;
      while (j < nb && b[j] == x)
         j++;
      size_t ia_lt = ranks[jlt];
      size_t ia_le = (ia_lt < na && a[ia_lt] == x) ? gallop(a, na, ia_lt, x, true) : ia_lt;
      /* just below x, and at x */
      int64_t d1 = (int64_t)ia_lt * (int64_t)nb - (int64_t)jlt * (int64_t)na;
      int64_t d2 = (int64_t)ia_le * (int64_t)nb - (int64_t)j * (int64_t)na;
      if (d1 < 0)
         d1 = -d1;
      if (d2 < 0)
         d2 = -d2;
      if (d1 > best)
         best = d1;
      if (d2 > best)
         best = d2;
   }
   return (uint64_t)best;
}

uint64_t ds_ks_dnum(const double *a, size_t na, const double *b, size_t nb) {
   if (nb > na) /* walk the smaller sample */
      return ds_ks_dnum(b, nb, a, na);
   size_t *ranks = malloc((nb ? nb : 1) * sizeof(size_t));
   if (!ranks)
      return 0;
   ds_ranks(a, na, b, nb, ranks);
   uint64_t d = ds_ks_dnum_ranked(a, na, b, nb, ranks);
   free(ranks);
   return d;
}

uint64_t ds_gcd_u64(uint64_t a, uint64_t b) {
   while (b) {
      uint64_t t = a % b;
      a = b;
      b = t;
   }
   return a;
}

/* scipy _compute_prob_outside_square(n, h) (n1 == n2). */
static double prob_outside_square(long n, long h) {
   double P = 0.0;
   long k = (long)floor((double)n / (double)h);
   while (k >= 0) {
      double p1 = 1.0;
      for (long j = 0; j < h; j++)
         p1 = (double)(n - k * h - j) * p1 / (double)(n + k * h + j + 1);
      P = p1 * (1.0 - P);
      k--;
   }
   return 2 * P;
}

/* scipy _compute_outer_prob_inside_method(m, n, g, h): the proportion of
 * lattice paths leaving the band |x/m − y/n| < h/lcm (Hodges; the 1−p
 * recursion of Viehmann). Returns NAN if memory runs out. */
static double prob_outer_inside(long m, long n, long g, long h) {
   if (m < n) {
      long t = m;
      m = n;
      n = t;
   }
   long mg = m / g, ng = n / g;
   long minj = 0, maxj = (long)ceil((double)h / (double)mg);
   if (maxj > n + 1)
      maxj = n + 1;
   long curlen = maxj - minj;
   long lenA = 2 * maxj + 2 < n + 1 ? 2 * maxj + 2 : n + 1;
   double *A = malloc(sizeof(double) * (size_t)(lenA > 0 ? lenA : 1));
   if (!A)
      return NAN;
   for (long i = 0; i < lenA; i++)
      A[i] = 1.0;
   for (long i = minj; i < maxj; i++)
      A[i] = 0.0;
   for (long i = 1; i <= m; i++) {
      long lastminj = minj, lastlen = curlen;
      minj = (long)floor((double)(ng * i - h) / (double)mg) + 1;
      if (minj < 0)
         minj = 0;
      if (minj > n)
         minj = n;
      maxj = (long)ceil((double)(ng * i + h) / (double)mg);
      if (maxj > n + 1)
         maxj = n + 1;
      if (maxj <= minj) {
         free(A);
         return 1.0;
      }
      double val = minj == 0 ? 0.0 : 1.0;
      for (long jj = 0; jj < maxj - minj; jj++) {
         long j = jj + minj;
         val = (A[jj + minj - lastminj] * (double)i + val * (double)j) / (double)(i + j);
         A[jj] = val;
      }
      curlen = maxj - minj;
      if (lastlen > curlen)
         for (long q = maxj - minj; q < maxj - minj + (lastlen - curlen); q++)
            A[q] = 1.0;
   }
   double r = A[maxj - minj - 1];
   free(A);
   return r;
}

double ds_ks_pvalue(size_t n1, size_t n2, uint64_t dnum, double *d_out) {
   uint64_t g = ds_gcd_u64(n1, n2);
   double d = (double)dnum / ((double)n1 * (double)n2);
   double prob = NAN;
   bool exact = (n1 > n2 ? n1 : n2) <= KS_MAX_AUTO_N;
   if (exact) {
      uint64_t lcm = (n1 / g) * n2;
      uint64_t h = dnum / g; /* = round(d·lcm), exactly */
      d = (double)h / (double)lcm;
      if (h == 0) {
         prob = 1.0;
      } else if (n1 == n2) {
         prob = prob_outside_square((long)n1, (long)h);
      } else {
         prob = prob_outer_inside((long)n1, (long)n2, (long)g, (long)h);
      }
      if (!(prob >= 0.0 && prob <= 1.0))
         exact = false;
   }
   if (!exact) {
      double m = (double)(n1 > n2 ? n1 : n2), n = (double)(n1 > n2 ? n2 : n1);
      double en = m * n / (m + n);
      prob = ds_kstwo_sf(nearbyint(en), d); /* numpy.round: half to even */
   }
   if (d_out)
      *d_out = d;
   return prob < 0 ? 0.0 : prob > 1 ? 1.0 : prob;
}

/* --- kstwo.sf ----------------------------------------------------------- */

#define E128 128
static const double EP128 = 0x1p128;
static const double EM128 = 0x1p-128;
#define MIN_LOG (-708)
#define CEPHES_MINLOG (-7.08396418532264106224E2)
#define SMIRNOV_MAX_COMPUTE_N 1000000

/* log(n!/n^n) by Stirling's series, as scipy's _log_nfactorial_div_n_pow_n. */
static double log_nfact_div_npown(double n) {
   static const double stirling[] = {-2.955065359477124183e-2,  6.4102564102564102564e-3, -1.9175269175269175269e-3,
                                     8.4175084175084175084e-4,  -5.952380952380952381e-4, 7.9365079365079365079e-4,
                                     -2.7777777777777777778e-3, 8.3333333333333333333e-2};
   double rn = 1.0 / n, x = rn / n, poly = 0.0;
   for (size_t i = 0; i < sizeof stirling / sizeof stirling[0]; i++)
      poly = poly * x + stirling[i];
   return log(n) / 2 - n + log(2 * M_PI) / 2 + rn * poly;
}

/* Matrix product C = A·B for m×m row-major matrices. */
static void matmul(const double *A, const double *B, double *C, int m) {
   for (int i = 0; i < m; i++) {
      double *c = C + (size_t)i * m;
      for (int j = 0; j < m; j++)
         c[j] = 0.0;
      for (int k = 0; k < m; k++) {
         double aik = A[(size_t)i * m + k];
         if (aik == 0.0)
            continue;
         const double *b = B + (size_t)k * m;
         for (int j = 0; j < m; j++)
            c[j] += aik * b[j];
      }
   }
}

/* Pr(D_n <= d) by Durbin's matrix method as Marsaglia-Tsang-Wang compute
 * it (scipy _kolmogn_DMTW). Returns NAN when memory runs out. */
static double kolmogn_dmtw(int n, double d) {
   if (d >= 1.0)
      return 1.0;
   double nd = n * d;
   if (nd <= 0.5)
      return 0.0;
   int k = (int)ceil(nd);
   double h = k - nd;
   int m = 2 * k - 1;
   size_t sz = (size_t)m * (size_t)m;
   double *H = calloc(sz * 4 + 2 * (size_t)m, sizeof(double));
   if (!H)
      return NAN;
   double *P = H + sz, *T = P + sz, *T2 = T + sz, *v = T2 + sz, *w = v + m;
   double fac = 1.0;
   for (int j = 1; j <= m; j++) {
      v[j - 1] = 1.0 - pow(h, j);
      w[j - 1] = fac;
      fac /= j;
      v[j - 1] *= fac;
   }
   double tt = pow(fmax(2 * h - 1.0, 0.0), m) - 2 * pow(h, m);
   v[m - 1] = (1.0 + tt) * fac;
   for (int i = 1; i < m; i++)
      for (int r = i - 1; r < m; r++)
         H[(size_t)r * m + i] = w[r - (i - 1)];
   for (int r = 0; r < m; r++)
      H[(size_t)r * m] = v[r];
   for (int c = 0; c < m; c++)
      H[(size_t)(m - 1) * m + c] = v[m - 1 - c];
   for (int i = 0; i < m; i++)
      P[(size_t)i * m + i] = 1.0;
   int nn = n, expnt = 0, Hexpnt = 0;
   while (nn > 0) {
      if (nn % 2) {
         matmul(P, H, T, m);
         memcpy(P, T, sz * sizeof(double));
         expnt += Hexpnt;
      }
      matmul(H, H, T2, m);
      memcpy(H, T2, sz * sizeof(double));
      Hexpnt *= 2;
      if (fabs(H[(size_t)(k - 1) * m + (k - 1)]) > EP128) {
         for (size_t q = 0; q < sz; q++)
            H[q] /= EP128;
         Hexpnt += E128;
      }
      nn /= 2;
   }
   double p = P[(size_t)(k - 1) * m + (k - 1)];
   free(H);
   for (int i = 1; i <= n; i++) {
      p = i * p / n;
      if (fabs(p) < EM128) {
         p *= EP128;
         expnt -= E128;
      }
   }
   if (expnt != 0)
      p = ldexp(p, expnt);
   return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* Pelz-Good approximation to Pr(D_n <= x) (scipy _kolmogn_PelzGood, cdf). */
static double kolmogn_pelzgood(double n, double x) {
   if (x <= 0.0)
      return 0.0;
   if (x >= 1.0)
      return 1.0;
   const double pi2 = M_PI * M_PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
   double z = sqrt(n) * x;
   double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
   double qlog = -pi2 / 8 / z2;
   if (qlog < MIN_LOG)
      return 0.0;
   double q = exp(qlog);
   double k1a = -z2, k1b = pi2 / 4;
   double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16;
   double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
   double k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * pow(z, 8);
   double K[4] = {0, 0, 0, 0};
   int maxk = (int)ceil(16 * z / M_PI);
   for (int k = maxk; k > 0; k--) {
      double m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
      double qp = pow(q, 8 * k);
      double c[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6};
      for (int i = 0; i < 4; i++)
         K[i] = K[i] * qp + c[i];
   }
   double sqrt2pi = sqrt(2 * M_PI);
   double div[4] = {z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)};
   for (int i = 0; i < 4; i++)
      K[i] = K[i] * q * sqrt2pi / div[i];
   q = exp(-pi2 / 2 / z2);
   double sqrt3z = sqrt(3.0) * z, k2extra = 0, k3extra = 0;
   for (int k = maxk; k > 0; k--) {
      double ks2 = (double)k * k, qk = pow(q, ks2), kspi = M_PI * k;
      k2extra += ks2 * qk;
      k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qk;
   }
   K[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
   K[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
   double sum = 0;
   for (int i = 0; i < 4; i++)
      sum += K[i] / pow(n, i / 2.0);
   return sum;
}

/* One-sided Smirnov: Pr(D_n+ >= x) (cephes smirnov). */
double ds_smirnov(int n, double x) {
   if (isnan(x) || n <= 0 || x < 0 || x > 1)
      return NAN;
   if (n == 1)
      return 1 - x;
   if (x == 0.0)
      return 1.0;
   if (x == 1.0)
      return 0.0;
   /* n·x exactly as hi + lo, then floor and fraction */
   double hi = n * x, lo = fma((double)n, x, -hi);
   double fl = floor(hi);
   if (hi == fl && lo < 0)
      fl -= 1;
   double alpha = (hi - fl) + lo;
   if (alpha >= 1) {
      fl += 1;
      alpha = 0;
   }
   long nxfl = (long)fl;
   if (nxfl == 0 || (nxfl == 1 && alpha == 0)) {
      double cdf = x * pow(1 + x, n - 1);
      return 1 - cdf;
   }
   if (-2 * n * x * x < CEPHES_MINLOG)
      return 0.0;
   if (nxfl >= n - 1)
      return pow(1 - x, n);
   if (n > SMIRNOV_MAX_COMPUTE_N) {
      double logp = -pow(6.0 * n * x + 1, 2) / 18.0 / n;
      return logp < -M_LN2 ? exp(logp) : 1 - (-expm1(logp));
   }
   /* Birnbaum-Tingey: x · Σ_{j=0}^{⌊n(1−x)⌋} C(n,j) (1−x−j/n)^(n−j) (x+j/n)^(j−1) */
   long last = n - nxfl - (alpha == 0 ? 0 : 1); /* ⌊n(1−x)⌋ */
   if (alpha == 0)
      last -= 1; /* the j with 1−x−j/n = 0 contributes nothing */
   /* positive terms, each exp(log C(n,j) + ...) with a relative error of
    * about 1e-15: far inside what the p-value needs */
   double N = n, nx_lo = lo;
   double log_binom = 0, sum = 0, peak = 0; /* log C(n, j), updated term by term */
   for (long j = 0; j <= last; j++) {
      double one_minus = ((N - (double)j - hi) - nx_lo) / N, plus = ((hi + (double)j) + nx_lo) / N;
      if (one_minus <= 0)
         break;
      if (j > 0)
         log_binom += log((N - (double)j + 1) / (double)j);
      double t = exp(log_binom + (N - (double)j) * log(one_minus) + (double)(j - 1) * log(plus));
      sum += t;
      if (t > peak)
         peak = t;
      else if (t < sum * 1e-22) /* terms only shrink past the peak */
         break;
   }
   double sf = x * sum;
   return sf < 0 ? 0 : sf > 1 ? 1 : sf;
}

static double clip01(double p) {
   return p < 0 ? 0.0 : p > 1 ? 1.0 : p;
}

double ds_kstwo_sf(double n_real, double x) {
   if (isnan(n_real) || n_real <= 0 || n_real != floor(n_real))
      return NAN;
   int n = (int)n_real;
   if (x >= 1.0)
      return 0.0;
   if (x <= 0.0)
      return 1.0;
   double t = n * x;
   if (t <= 1.0) {
      if (t <= 0.5)
         return 1.0;
      double prob;
      if (n <= 140) {
         prob = 1.0;
         for (int i = 1; i <= n; i++)
            prob *= i * (1.0 / n) * (2 * t - 1);
      } else {
         prob = exp(log_nfact_div_npown(n) + n * log(2 * t - 1));
      }
      return clip01(1.0 - prob);
   }
   if (t >= n - 1)
      return clip01(2 * pow(1.0 - x, n));
   if (x >= 0.5)
      return clip01(2 * ds_smirnov(n, x));
   double nxsq = t * x;
   if (n <= 140) {
      if (nxsq <= 4)
         return clip01(1.0 - kolmogn_dmtw(n, x));
      return clip01(2 * ds_smirnov(n, x));
   }
   if (nxsq >= 370.0)
      return 0.0;
   if (nxsq >= 2.2)
      return clip01(2 * ds_smirnov(n, x));
   double cdf;
   if (n <= 100000 && n * pow(x, 1.5) <= 1.4)
      cdf = kolmogn_dmtw(n, x);
   else
      cdf = kolmogn_pelzgood(n, x);
   return clip01(1.0 - cdf);
}
