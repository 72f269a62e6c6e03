// SPDX-License-Identifier: MIT
/* Further two-sample tests, as scipy computes them (stattests.h). */
#include "driftscope/stattests.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/pyrandom.h"
#include "driftscope/stats.h"

/* The distinct values of two sorted samples in order, with how many of each
 * sample hold it. */
typedef struct Runs {
   const double *a, *b;
   size_t na, nb, i, j;
} Runs;

static bool next_run(Runs *r, double *x, size_t *ca, size_t *cb) {
   if (r->i >= r->na && r->j >= r->nb)
      return false;
   double v = r->j >= r->nb || (r->i < r->na && r->a[r->i] <= r->b[r->j]) ? r->a[r->i] : r->b[r->j];
   size_t i0 = r->i, j0 = r->j;
   while (r->i < r->na && r->a[r->i] == v)
      r->i++;
   while (r->j < r->nb && r->b[r->j] == v)
      r->j++;
   *x = v;
   *ca = r->i - i0;
   *cb = r->j - j0;
   return true;
}

static double chi2_sf(double x, double df) {
   return ds_gammaincc(df / 2, x / 2);
}

double ds_energy_distance(const double *a, size_t na, const double *b, size_t nb) {
   if (!na || !nb)
      return NAN;
   Runs r = {a, b, na, nb, 0, 0};
   double x, prev = 0;
   size_t ca, cb, sa = 0, sb = 0;
   long double sum = 0, fa = 0, fb = 0;
   bool have = false;
   while (next_run(&r, &x, &ca, &cb)) {
      if (have)
         sum += (long double)(x - prev) * (fa - fb) * (fa - fb);
      sa += ca;
      sb += cb;
      fa = (long double)((double)sa / (double)na); /* scipy's cdf: indices / size, in doubles */
      fb = (long double)((double)sb / (double)nb);
      prev = x;
      have = true;
   }
   return sqrt(2.0) * sqrt((double)sum);
}

/* ---- special functions ---- */

/* One step of the modified Lentz method with the term aa: updates c, d and
 * returns the factor the fraction is multiplied by. */
static long double lentz(long double aa, long double *c, long double *d) {
   const long double tiny = 1e-300L;
   *d = 1 + aa * *d;
   if (fabsl(*d) < tiny)
      *d = tiny;
   *c = 1 + aa / *c;
   if (fabsl(*c) < tiny)
      *c = tiny;
   *d = 1 / *d;
   return *d * *c;
}

/* The continued fraction of I_x(a, b) (modified Lentz). */
static long double betacf(long double a, long double b, long double x) {
   long double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
   if (fabsl(d) < 1e-300L)
      d = 1e-300L;
   d = 1 / d;
   long double h = d;
   for (int m = 1; m <= 100000; m++) {
      long double m2 = 2.0L * m;
      h *= lentz(m * (b - m) * x / ((qam + m2) * (a + m2)), &c, &d);
      long double del = lentz(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)), &c, &d);
      h *= del;
      if (fabsl(del - 1) < 1e-17L)
         break;
   }
   return h;
}

double ds_betainc(double a, double b, double x, double xc) {
   if (x <= 0)
      return 0;
   if (xc <= 0)
      return 1;
   long double la = a, lb = b, lx = x, lxc = xc;
   long double front = expl(lgammal(la + lb) - lgammal(la) - lgammal(lb) + la * logl(lx) + lb * logl(lxc));
   if (lx < (la + 1) / (la + lb + 2))
      return (double)(front * betacf(la, lb, lx) / la);
   return (double)(1 - front * betacf(lb, la, lxc) / lb);
}

double ds_bessel_k(double nu, double x) {
   /* K_nu(x) = integral over t >= 0 of exp(-x cosh t) cosh(nu t): the
    * trapezoid rule converges geometrically fast on it */
   if (!(x > 0))
      return NAN;
   const long double h = 0.02L;
   long double sum = 0.5L * expl(-(long double)x);
   for (int i = 1; i < 100000; i++) {
      long double t = h * i, e = (long double)x * coshl(t);
      if (e > 11000)
         break;
      sum += expl(-e) * coshl((long double)nu * t);
   }
   return (double)(h * sum);
}

/* Solve the n x n system in m (n rows of n + 1: the matrix, then the right
 * side) by Gauss-Jordan with partial pivoting; x_i = m[i][n] / m[i][i]
 * after. False when a pivot falls to tiny times the largest diagonal. */
static bool gauss_jordan(long double *m, int n, long double tiny) {
   const int w = n + 1;
   long double scale = 0;
   for (int j = 0; j < n; j++)
      scale = fmaxl(scale, fabsl(m[j * w + j]));
   for (int c = 0; c < n; c++) {
      int piv = c;
      for (int r = c + 1; r < n; r++)
         if (fabsl(m[r * w + c]) > fabsl(m[piv * w + c]))
            piv = r;
      if (!(fabsl(m[piv * w + c]) > scale * tiny))
         return false;
      for (int q = 0; q < w; q++) {
         long double t = m[c * w + q];
         m[c * w + q] = m[piv * w + q];
         m[piv * w + q] = t;
      }
      for (int r = 0; r < n; r++) {
         if (r == c)
            continue;
         long double f = m[r * w + c] / m[c * w + c];
         for (int q = c; q < w; q++)
            m[r * w + q] -= f * m[c * w + q];
      }
   }
   return true;
}

/* ---- location tests ---- */

static void mean_var(const double *v, size_t n, long double *mean, long double *var) {
   long double s = 0;
   for (size_t i = 0; i < n; i++)
      s += v[i];
   *mean = s / n;
   long double ss = 0;
   for (size_t i = 0; i < n; i++)
      ss += (v[i] - *mean) * (v[i] - *mean);
   *var = n > 1 ? ss / (n - 1) : NAN;
}

double ds_ttest_ind(const double *a, size_t na, const double *b, size_t nb, double *t) {
   if (t)
      *t = NAN;
   if (na < 2 || nb < 2)
      return NAN;
   long double ma, va, mb, vb;
   mean_var(a, na, &ma, &va);
   mean_var(b, nb, &mb, &vb);
   double df = (double)(na + nb - 2);
   double svar = (double)(((na - 1) * va + (nb - 1) * vb) / df);
   double denom = sqrt(svar * (1.0 / (double)na + 1.0 / (double)nb));
   double d = (double)(ma - mb);
   if (denom == 0) {
      if (d == 0)
         return NAN;
      if (t)
         *t = d > 0 ? INFINITY : -INFINITY;
      return 0;
   }
   double tt = d / denom;
   if (t)
      *t = tt;
   double t2 = tt * tt;
   return ds_betainc(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

/* P(U >= u) for U of samples of sizes s <= 8 and L, no ties: the
 * coefficients of the Gaussian binomial [s+L, s]_q (the counts of each U),
 * summed from the nearer tail as scipy does. NAN when too large to hold. */
static double mwu_exact_sf(long u, size_t s, size_t L) {
   long top = (long)(s * L);
   long kc = top - u; /* by symmetry P(U >= u) = P(U <= top - u) */
   bool lower = u < kc;
   long upto = lower ? u : kc; /* the tail summed: U <= upto (lower: 1 - it + pmf(u)) */
   if (upto < 0)
      return lower ? 1.0 : 0.0;
   if (upto > 50000000)
      return NAN;
   size_t len = (size_t)upto + 1;
   long double *prev = calloc(len, sizeof *prev), *cur = calloc(len, sizeof *cur);
   if (!prev || !cur) {
      free(prev);
      free(cur);
      return NAN;
   }
   prev[0] = 1; /* [L, 0]_q = 1 */
   for (size_t i = 1; i <= s; i++) {
      /* P_i(q) (1 - q^i) = P_{i-1}(q) (1 - q^(L+i)) */
      for (size_t k = 0; k < len; k++) {
         long double v = prev[k];
         if (k >= L + i)
            v -= prev[k - L - i];
         if (k >= i)
            v += cur[k - i];
         cur[k] = v;
      }
      long double *t = prev;
      prev = cur;
      cur = t;
   }
   long double total = 1;
   for (size_t i = 1; i <= s; i++)
      total = total * (long double)(L + i) / (long double)i;
   long double cdf = 0;
   for (size_t k = 0; k < len; k++)
      cdf += prev[k];
   long double pmf_u = prev[upto];
   free(prev);
   free(cur);
   cdf /= total;
   return (double)(lower ? 1 - cdf + pmf_u / total : cdf);
}

double ds_mannwhitneyu_less(const double *a, size_t na, const double *b, size_t nb, double *u) {
   if (u)
      *u = NAN;
   if (!na || !nb)
      return NAN;
   Runs r = {a, b, na, nb, 0, 0};
   double x;
   size_t ca, cb, pos = 0;
   long double r1 = 0, tie = 0;
   bool ties = false;
   while (next_run(&r, &x, &ca, &cb)) {
      long double t = (long double)(ca + cb);
      r1 += (long double)ca * ((long double)pos + (t + 1) / 2);
      tie += t * t * t - t;
      ties |= ca + cb > 1;
      pos += ca + cb;
   }
   double n1 = (double)na, n2 = (double)nb;
   double u1 = (double)(r1 - (long double)n1 * (n1 + 1) / 2), u2 = n1 * n2 - u1;
   if (u)
      *u = u1;
   double p;
   if ((na <= 8 || nb <= 8) && !ties) {
      p = mwu_exact_sf((long)u2, na < nb ? na : nb, na < nb ? nb : na);
      if (!isnan(p))
         return fmin(fmax(p, 0), 1);
   }
   double n = n1 + n2, mu = n1 * n2 / 2;
   double sd = sqrt(n1 * n2 / 12 * ((n + 1) - (double)tie / (n * (n - 1))));
   double z = (u2 - mu - 0.5) / sd;
   p = ds_ndtr(-z);
   return fmin(fmax(p, 0), 1);
}

/* ---- distribution tests ---- */

double ds_anderson_ksamp(const double *a, size_t na, const double *b, size_t nb, double *a2out) {
   if (a2out)
      *a2out = NAN;
   size_t N = na + nb;
   if (!na || !nb || N < 4)
      return NAN;
   Runs r = {a, b, na, nb, 0, 0};
   double x;
   size_t ca, cb, pos = 0, sa = 0, sb = 0, distinct = 0;
   long double suma = 0, sumb = 0, dN = (long double)N;
   while (next_run(&r, &x, &ca, &cb)) {
      long double lj = (long double)(ca + cb), bj = (long double)pos + lj / 2;
      long double den = bj * (dN - bj) - dN * lj / 4;
      long double ma = (long double)(sa + ca) - (long double)ca / 2, mb = (long double)(sb + cb) - (long double)cb / 2;
      long double da = dN * ma - bj * (long double)na, db = dN * mb - bj * (long double)nb;
      suma += lj / dN * da * da / den;
      sumb += lj / dN * db * db / den;
      sa += ca;
      sb += cb;
      pos += ca + cb;
      distinct++;
   }
   if (distinct < 2)
      return NAN; /* scipy: "needs more than one distinct observation" */
   long double a2kn = (suma / na + sumb / nb) * (dN - 1) / dN;
   const long double k = 2;
   long double H = 1.0L / na + 1.0L / nb, hs = 0, g = 0;
   for (size_t i = N - 1, j = 2; i >= 2; i--, j++) { /* hs_cs = cumsum(1 / (N-1, ..., 2)) */
      hs += 1.0L / i;
      g += hs / j;
   }
   long double h = hs + 1;
   long double ca_ = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
   long double cb_ = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
   long double cc_ = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
   long double cd_ = (2 * h + 6) * k * k - 4 * h * k;
   long double sigmasq = (ca_ * dN * dN * dN + cb_ * dN * dN + cc_ * dN + cd_) / ((dN - 1) * (dN - 2) * (dN - 3));
   double A2 = (double)((a2kn - 1) / sqrtl(sigmasq));
   if (a2out)
      *a2out = A2;
   static const double b0[7] = {0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085};
   static const double b1[7] = {-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615};
   static const double b2[7] = {-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154};
   static const double sig[7] = {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001};
   double crit[7], lo = INFINITY, hi = -INFINITY;
   for (int i = 0; i < 7; i++) { /* m = k - 1 = 1 */
      crit[i] = b0[i] + b1[i] / sqrt(1.0) + b2[i] / 1.0;
      lo = fmin(lo, crit[i]);
      hi = fmax(hi, crit[i]);
   }
   if (A2 < lo)
      return 0.25;
   if (A2 > hi)
      return 0.001;
   /* np.polyfit(critical, log(sig), 2): least squares by the normal equations */
   long double S[5] = {0}, T[3] = {0};
   for (int i = 0; i < 7; i++) {
      long double xp = 1, y = logl(sig[i]);
      for (int p = 0; p < 5; p++) {
         S[p] += xp;
         if (p < 3)
            T[p] += xp * y;
         xp *= crit[i];
      }
   }
   /* [S4 S3 S2; S3 S2 S1; S2 S1 S0] (c2 c1 c0) = (T2 T1 T0) */
   long double M[3][4] = {{S[4], S[3], S[2], T[2]}, {S[3], S[2], S[1], T[1]}, {S[2], S[1], S[0], T[0]}};
   if (!gauss_jordan(&M[0][0], 3, 0))
      return NAN;
   long double c2 = M[0][3] / M[0][0], c1 = M[1][3] / M[1][1], c0 = M[2][3] / M[2][2];
   return exp((double)((c2 * A2 + c1) * A2 + c0));
}

/* scipy's _cdf_cvm_inf: the limiting distribution of the one-sample
 * statistic, its series summed until a term is below 1e-7. */
static double cdf_cvm_inf(double x) {
   long double tot = 0;
   for (int k = 0; k < 1000; k++) {
      long double u = expl(lgammal(k + 0.5L) - lgammal(k + 1.0L)) / (powl(M_PI, 1.5L) * sqrtl(x));
      double y = 4.0 * k + 1, q = y * y / (16 * x);
      long double z = u * sqrtl(y) * expl(-(long double)q) * ds_bessel_k(0.25, q);
      tot += z;
      if (fabsl(z) < 1e-7L)
         break;
   }
   return (double)tot;
}

/* A table of (value, frequency) pairs, by value. */
typedef struct Freq {
   int64_t *v;
   double *f;
   size_t n, cap;
} Freq;

static bool freq_reserve(Freq *t, size_t n) {
   if (n <= t->cap)
      return true;
   size_t cap = t->cap ? t->cap : 16;
   while (cap < n)
      cap *= 2;
   int64_t *v = realloc(t->v, cap * sizeof *v);
   if (!v)
      return false;
   t->v = v;
   double *f = realloc(t->f, cap * sizeof *f);
   if (!f)
      return false;
   t->f = f;
   t->cap = cap;
   return true;
}

/* out = x ∪ y, adding the frequencies of equal values. */
static bool freq_merge(Freq *out, const Freq *x, const Freq *y) {
   if (!freq_reserve(out, x->n + y->n))
      return false;
   size_t i = 0, j = 0, k = 0;
   while (i < x->n || j < y->n) {
      if (j >= y->n || (i < x->n && x->v[i] < y->v[j])) {
         out->v[k] = x->v[i];
         out->f[k++] = x->f[i++];
      } else if (i >= x->n || y->v[j] < x->v[i]) {
         out->v[k] = y->v[j];
         out->f[k++] = y->f[j++];
      } else {
         out->v[k] = x->v[i];
         out->f[k++] = x->f[i++] + y->f[j++];
      }
   }
   out->n = k;
   return true;
}

/* scipy's _pval_cvm_2samp_exact (Xiao, Gordon and Yakovlev's algorithm). */
static double cvm_exact(double s, int m, int n) {
   int64_t lcm = (int64_t)m / (int64_t)ds_gcd_u64((uint64_t)m, (uint64_t)n) * n, a = lcm / m, b = lcm / n,
           mn = (int64_t)m * n;
   long double zeta = floorl((long double)(lcm * lcm * (m + n)) *
                             (6 * (long double)s - (long double)mn * (4 * mn - 1)) / (long double)(6 * mn * mn));
   Freq *gs = calloc((size_t)(m + 1) * 2, sizeof *gs), *next = NULL;
   Freq tmp = {0}, merged = {0};
   bool ok = gs != NULL;
   if (ok) {
      next = gs + m + 1;
      ok = freq_reserve(&gs[0], 1);
   }
   if (ok) {
      gs[0].v[0] = 0;
      gs[0].f[0] = 1;
      gs[0].n = 1;
   }
   for (int u = 0; ok && u <= n; u++) {
      tmp.n = 0;
      for (int v = 0; ok && v <= m; v++) {
         ok = freq_merge(&merged, &tmp, &gs[v]);
         if (!ok)
            break;
         int64_t add = (a * v - b * u) * (a * v - b * u);
         for (size_t i = 0; i < merged.n; i++)
            merged.v[i] += add;
         Freq t = tmp;
         tmp = merged;
         merged = t;
         ok = freq_reserve(&next[v], tmp.n);
         if (ok) {
            memcpy(next[v].v, tmp.v, tmp.n * sizeof *tmp.v);
            memcpy(next[v].f, tmp.f, tmp.n * sizeof *tmp.f);
            next[v].n = tmp.n;
         }
      }
      Freq *t = gs;
      gs = next;
      next = t;
   }
   double p = NAN;
   if (ok) {
      long double comb = 1, sum = 0;
      for (int i = 1; i <= m; i++)
         comb = comb * (n + i) / i;
      for (size_t i = 0; i < gs[m].n; i++)
         if ((long double)gs[m].v[i] >= zeta)
            sum += gs[m].f[i];
      p = (double)(sum / comb);
   }
   if (gs) {
      Freq *base = gs < next ? gs : next;
      for (int i = 0; i < 2 * (m + 1); i++) {
         free(base[i].v);
         free(base[i].f);
      }
      free(base);
   }
   free(tmp.v);
   free(tmp.f);
   free(merged.v);
   free(merged.f);
   return p;
}

double ds_cvm_2samp(const double *a, size_t na, const double *b, size_t nb, double *tout) {
   if (tout)
      *tout = NAN;
   if (na <= 1 || nb <= 1)
      return NAN;
   Runs r = {a, b, na, nb, 0, 0};
   double x;
   size_t ca, cb, pos = 0, sa = 0, sb = 0;
   long double u = 0;
   while (next_run(&r, &x, &ca, &cb)) {
      long double mid = (long double)pos + ((long double)(ca + cb) + 1) / 2;
      for (size_t i = 0; i < ca; i++) {
         long double d = mid - (long double)(sa + i + 1);
         u += (long double)na * d * d;
      }
      for (size_t j = 0; j < cb; j++) {
         long double d = mid - (long double)(sb + j + 1);
         u += (long double)nb * d * d;
      }
      sa += ca;
      sb += cb;
      pos += ca + cb;
   }
   double k = (double)na * (double)nb, N = (double)(na + nb);
   double t = (double)(u / ((long double)k * N)) - (4 * k - 1) / (6 * N);
   if (tout)
      *tout = t;
   if (na <= 20 && nb <= 20)
      return cvm_exact((double)u, (int)na, (int)nb);
   double et = (1 + 1 / N) / 6;
   double vt = (N + 1.0) * (4 * k * N - 3 * ((double)na * na + (double)nb * nb) - 2 * k);
   vt = vt / (45 * N * N * 4 * k);
   double tn = 1.0 / 6 + (t - et) / sqrt(45 * vt);
   if (tn < 0.003)
      return 1.0;
   return fmax(0, 1.0 - cdf_cvm_inf(tn));
}

/* numpy's percentile (linear) of the pooled sorted samples: the element of
 * rank k of a and b together. */
static double kth(const double *a, size_t na, const double *b, size_t nb, size_t k) {
   size_t i = 0, j = 0;
   for (;;) {
      bool from_a = j >= nb || (i < na && a[i] <= b[j]);
      if (i + j == k)
         return from_a ? a[i] : b[j];
      if (from_a)
         i++;
      else
         j++;
   }
}

static double percentile(const double *a, size_t na, const double *b, size_t nb, double q) {
   double idx = q * (double)(na + nb - 1);
   size_t lo = (size_t)floor(idx);
   double t = idx - (double)lo, x = kth(a, na, b, nb, lo);
   if (t == 0 || lo + 1 >= na + nb)
      return x;
   double y = kth(a, na, b, nb, lo + 1), d = y - x; /* numpy's _lerp */
   return t >= 0.5 ? y - d * (1 - t) : x + d * t;
}

/* Biased covariance of the 4 features cos(t0 v), cos(t1 v), sin(t0 v), sin(t1 v) over v, and their mean. */
static void es_moments(const double *v, size_t n, const double ts[2], long double mean[4], long double cov[4][4]) {
   memset(mean, 0, 4 * sizeof *mean);
   memset(cov, 0, 16 * sizeof **cov);
   for (size_t i = 0; i < n; i++) {
      mean[0] += cos(ts[0] * v[i]);
      mean[1] += cos(ts[1] * v[i]);
      mean[2] += sin(ts[0] * v[i]);
      mean[3] += sin(ts[1] * v[i]);
   }
   for (int j = 0; j < 4; j++)
      mean[j] /= n;
   for (size_t i = 0; i < n; i++) {
      long double g[4] = {cos(ts[0] * v[i]) - mean[0], cos(ts[1] * v[i]) - mean[1], sin(ts[0] * v[i]) - mean[2],
                          sin(ts[1] * v[i]) - mean[3]};
      for (int j = 0; j < 4; j++)
         for (int k = 0; k < 4; k++)
            cov[j][k] += g[j] * g[k];
   }
   for (int j = 0; j < 4; j++)
      for (int k = 0; k < 4; k++)
         cov[j][k] /= n;
}

double ds_epps_singleton(const double *a, size_t na, const double *b, size_t nb, double *wout) {
   if (wout)
      *wout = NAN;
   if (na < 5 || nb < 5)
      return NAN;
   double iqr = percentile(a, na, b, nb, 0.75) - percentile(a, na, b, nb, 0.25);
   if (!(iqr > 0))
      return NAN;
   double sigma = iqr / 2, ts[2] = {0.4 / sigma, 0.8 / sigma};
   long double ma[4], mb[4], ca[4][4], cb[4][4], M[4][5];
   es_moments(a, na, ts, ma, ca);
   es_moments(b, nb, ts, mb, cb);
   long double n = (long double)(na + nb), diff[4];
   for (int j = 0; j < 4; j++) {
      diff[j] = ma[j] - mb[j];
      for (int k = 0; k < 4; k++)
         M[j][k] = n / na * ca[j][k] + n / nb * cb[j][k];
      M[j][4] = diff[j];
   }
   /* solve est_cov y = g_diff (w = n g_diff . y); a pivot near zero: not of full rank */
   if (!gauss_jordan(&M[0][0], 4, 1e-13L))
      return NAN;
   long double w = 0;
   for (int j = 0; j < 4; j++)
      w += diff[j] * (M[j][4] / M[j][j]);
   w *= n;
   if ((na > nb ? na : nb) < 25) {
      long double corr =
         1.0L / (1.0L + powl(n, -0.45L) + 10.1L * (powl((long double)na, -1.7L) + powl((long double)nb, -1.7L)));
      w *= corr;
   }
   if (wout)
      *wout = (double)w;
   return chi2_sf((double)w, 4);
}

/* ---- categories ---- */

double ds_gtest_pvalue(const double *cur, const double *ref, size_t k, double *g) {
   if (g)
      *g = NAN;
   long double n_cur = 0, n_ref = 0;
   for (size_t i = 0; i < k; i++) {
      n_cur += cur[i];
      n_ref += ref[i];
   }
   if (k < 2 || n_ref == 0)
      return NAN;
   long double norm = n_cur / n_ref, stat = 0;
   for (size_t i = 0; i < k; i++) {
      if (cur[i] == 0)
         continue; /* xlogy(0, .) = 0 */
      long double exp = ref[i] * norm;
      if (exp == 0) {
         stat = INFINITY;
         break;
      }
      stat += 2 * cur[i] * logl(cur[i] / exp);
   }
   if (g)
      *g = (double)stat;
   return isinf(stat) ? 0.0 : chi2_sf((double)stat, (double)(k - 1));
}

static long double lchoose(long double n, long double k) {
   return lgammal(n + 1) - lgammal(k + 1) - lgammal(n - k + 1);
}

double ds_fisher_exact(double a, double b, double c, double d) {
   if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0)
      return 1.0; /* scipy: a row or column of zeros */
   long double n1 = a + b, n2 = c + d, n = a + c, M = n1 + n2;
   long double base = lchoose(M, n);
#define PMF(x) expl(lchoose(n1, (x)) + lchoose(n2, n - (x)) - base)
   long double lo = fmaxl(0, n - n2), hi = fminl(n1, n);
   long double mode = floorl((n + 1) * (n1 + 1) / (M + 2));
   long double pexact = PMF(a), pmode = PMF(mode);
   if (fabsl(pexact - pmode) / fmaxl(pexact, pmode) <= 1e-14L)
      return 1.0;
   long double gamma = 1 + 1e-14L, p = 0;
   for (long double x = lo; x <= hi; x++) {
      long double px = PMF(x);
      if (px <= pexact * gamma)
         p += px;
   }
#undef PMF
   return fmin(1.0, (double)p);
}

double ds_hellinger(const double *p, const double *q, size_t k) {
   long double s = 0;
   for (size_t i = 0; i < k; i++)
      s += sqrtl((long double)p[i] * q[i]);
   double bc = fmin(fmax((double)s, 0), 1);
   return sqrt(1 - bc);
}

double ds_kl_div(const double *p, const double *q, size_t k) {
   double *r = malloc(2 * (k ? k : 1) * sizeof *r);
   if (!r)
      return NAN;
   double *c = r + k;
   memcpy(r, p, k * sizeof *r);
   memcpy(c, q, k * sizeof *c);
   ds_floor_zeros(r, k);
   ds_floor_zeros(c, k);
   long double sr = 0, sc = 0, s = 0;
   for (size_t i = 0; i < k; i++) {
      sr += r[i];
      sc += c[i];
   }
   for (size_t i = 0; i < k; i++) {
      long double pi = r[i] / sr, qi = c[i] / sc;
      if (pi > 0)
         s += pi * logl(pi / qi);
   }
   free(r);
   return (double)s;
}

double ds_tvd(const double *a, const double *b, size_t k) {
   double sa = 0, sb = 0, s = 0;
   for (size_t i = 0; i < k; i++) {
      sa += a[i];
      sb += b[i];
   }
   for (size_t i = 0; i < k; i++)
      s += fabs(a[i] / sa - b[i] / sb);
   return 0.5 * s;
}

#define TVD_PERMUTATIONS 1000

double ds_tvd_permutation_pvalue(const unsigned *keys, size_t na, size_t nb, size_t k, double observed) {
   size_t N = na + nb;
   if (N > UINT32_MAX || !na || !nb)
      return NAN;
   uint32_t *perm = malloc(N * sizeof *perm);
   double *cnt = calloc(3 * (k ? k : 1), sizeof *cnt);
   if (!perm || !cnt) {
      free(perm);
      free(cnt);
      return NAN;
   }
   double *total = cnt + k, *rest = cnt + 2 * k;
   for (size_t i = 0; i < N; i++)
      total[keys[i]]++;
   PyRandom rng;
   PyRandom_seed_numpy(&rng, 0);
   int at_least = 0;
   for (int it = 0; it < TVD_PERMUTATIONS; it++) {
      PyRandom_numpy_permutation(&rng, (uint32_t)N, perm);
      memset(cnt, 0, k * sizeof *cnt);
      for (size_t i = 0; i < na; i++)
         cnt[keys[perm[i]]]++;
      for (size_t j = 0; j < k; j++)
         rest[j] = total[j] - cnt[j];
      at_least += observed <= fabs(ds_tvd(cnt, rest, k));
   }
   free(perm);
   free(cnt);
   return (double)at_least / TVD_PERMUTATIONS;
}
