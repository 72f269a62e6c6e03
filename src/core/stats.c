// SPDX-License-Identifier: MIT
/* Distances, binning and count tests (see stats.h for what each mirrors). */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/stats.h"

#include "driftscope/bigalloc.h"

/* --- sorting ------------------------------------------------------------ */

#define INSERTION_SORT_MAX 24 /* below this, insertion sort beats partitioning */

static void insertion_sort(double *v, size_t n) {
   for (size_t i = 1; i < n; i++) {
      double x = v[i];
      size_t j = i;
      while (j > 0 && v[j - 1] > x) {
         v[j] = v[j - 1];
         j--;
      }
      v[j] = x;
   }
}

static void swap(double *a, double *b) {
   double t = *a;
   *a = *b;
   *b = t;
}

/* Quicksort with median-of-three pivots; recursion on the smaller side keeps
 * the stack at O(log n), and a depth limit falls back to heapsort-free
 * three-way partitioning for runs of equal values. */
static void quicksort(double *v, size_t n) {
   while (n > INSERTION_SORT_MAX) {
      size_t mid = n / 2;
      if (v[mid] < v[0])
         swap(&v[mid], &v[0]);
      if (v[n - 1] < v[0])
         swap(&v[n - 1], &v[0]);
      if (v[n - 1] < v[mid])
         swap(&v[n - 1], &v[mid]);
      double pivot = v[mid];
      /* three-way partition: < pivot | == pivot | > pivot */
      size_t lt = 0, i = 0, gt = n;
      while (i < gt) {
         if (v[i] < pivot)
            swap(&v[lt++], &v[i++]);
         else if (v[i] > pivot)
            swap(&v[i], &v[--gt]);
         else
            i++;
      }
      if (lt < n - gt) {
         quicksort(v, lt);
         v += gt;
         n -= gt;
      } else {
         quicksort(v + gt, n - gt);
         n = lt;
      }
   }
   insertion_sort(v, n);
}

#define RADIX_MIN 64 /* below this, insertion/quick sort wins */

/* Map a double to an unsigned key with the same order (NaN excluded). */
static inline uint64_t sort_key(double d) {
   uint64_t u;
   memcpy(&u, &d, sizeof u);
   return (u >> 63) ? ~u : u | (1ULL << 63);
}

static inline double from_key(uint64_t k) {
   uint64_t u = (k >> 63) ? k & ~(1ULL << 63) : ~k;
   double d;
   memcpy(&d, &u, sizeof d);
   return d;
}

#define RADIX_MAX_BITS 11

/* LSD radix sort on the order-preserving keys, `bits` per digit (8 for
 * window-sized arrays, 11 for large ones: fewer passes, bigger tables).
 * The keys ping-pong between v itself (reinterpreted) and the scratch, so
 * only n extra words are needed. Passes where every key has the same digit
 * are skipped, which is most of the high ones for real data. */
static bool radix_sort(double *v, size_t n, int bits, SortScratch *sc) {
   int passes = (64 + bits - 1) / bits;
   size_t buckets = (size_t)1 << bits, mask = buckets - 1;
   if (sc->cap < n) {
      uint64_t *k = ds_big_realloc(sc->keys, 0, n * sizeof(uint64_t));
      if (!k)
         return false;
      sc->keys = k;
      sc->cap = n;
   }
   size_t count[(64 + 8 - 1) / 8][1 << RADIX_MAX_BITS]; /* passes × buckets used */
   for (int p = 0; p < passes; p++)
      memset(count[p], 0, buckets * sizeof(size_t));
   uint64_t *a = (uint64_t *)(void *)v, *b = sc->keys;
   for (size_t i = 0; i < n; i++) {
      uint64_t k = a[i] = sort_key(v[i]);
      for (int p = 0; p < passes; p++)
         count[p][(k >> (p * bits)) & mask]++;
   }
   for (int p = 0; p < passes; p++) {
      size_t *c = count[p], sum = 0;
      bool trivial = false;
      for (size_t d = 0; d < buckets; d++) {
         trivial |= c[d] == n;
         size_t t = c[d];
         c[d] = sum;
         sum += t;
      }
      if (trivial)
         continue;
      for (size_t i = 0; i < n; i++)
         b[c[(a[i] >> (p * bits)) & mask]++] = a[i];
      uint64_t *t = a;
      a = b;
      b = t;
   }
   if (a != (uint64_t *)(void *)v)
      memcpy(v, a, n * sizeof *a);
   for (size_t i = 0; i < n; i++) {
      uint64_t k;
      memcpy(&k, &v[i], sizeof k);
      v[i] = from_key(k);
   }
   return true;
}

void SortScratch_done(SortScratch *s) {
   free(s->keys);
   s->keys = NULL;
   s->cap = 0;
}

void ds_sort_doubles_with(double *v, size_t n, SortScratch *s) {
   if (n >= RADIX_MIN && radix_sort(v, n, n < 65536 ? 8 : RADIX_MAX_BITS, s))
      return;
   quicksort(v, n);
}

void ds_sort_doubles(double *v, size_t n) {
   SortScratch s = {0};
   ds_sort_doubles_with(v, n, &s);
   SortScratch_done(&s);
}

size_t ds_count_distinct(const double *v, size_t n) {
   size_t k = 0;
   for (size_t i = 0; i < n; i++)
      if (i == 0 || v[i] != v[i - 1])
         k++;
   return k;
}

size_t ds_count_distinct_union(const double *a, size_t na, const double *b, size_t nb, size_t limit) {
   size_t i = 0, j = 0, k = 0;
   double last = 0;
   bool any = false;
   while (i < na || j < nb) {
      double x = (j >= nb || (i < na && a[i] <= b[j])) ? a[i++] : b[j++];
      if (!any || x != last) {
         if (++k > limit)
            return limit + 1;
         last = x;
         any = true;
      }
   }
   return k;
}

/* --- Wasserstein -------------------------------------------------------- */

void ds_prefix_sums(const double *v, size_t n, long double *prefix) {
   prefix[0] = 0;
   for (size_t i = 0; i < n; i++)
      prefix[i + 1] = prefix[i] + v[i];
}

/* Σ_{i=s}^{e-1} |a_i − x| for sorted a, from its prefix sums pa; rank = #{a < x}. */
static long double abs_dev_sum(const long double *pa, size_t s, size_t e, double x, size_t rank) {
   if (s >= e)
      return 0;
   size_t k = rank < s ? s : rank > e ? e : rank;
   long double below = (long double)x * (long double)(k - s) - (pa[k] - pa[s]);
   long double above = (pa[e] - pa[k]) - (long double)x * (long double)(e - k);
   return below + above;
}

/* W1 = ∫_0^1 |Qa(u) − Qb(u)| du, the quantile form of scipy's
 * ∫|Fa − Fb| dx. In units of 1/(na·nb): b_j covers [j·na, (j+1)·na) and
 * a_i covers [i·nb, (i+1)·nb); each b_j meets a run of a's, whose inner part
 * is summed from prefix sums in O(log) and whose two ends are partial. */
double ds_wasserstein(const double *a, const long double *pa, size_t na, const double *b, size_t nb) {
   size_t *ranks = malloc((nb ? nb : 1) * sizeof(size_t));
   if (!ranks)
      return NAN;
   ds_ranks(a, na, b, nb, ranks);
   double w = ds_wasserstein_ranked(a, pa, na, b, nb, ranks);
   free(ranks);
   return w;
}

double ds_wasserstein_ranked(const double *a, const long double *pa, size_t na, const double *b, size_t nb,
                             const size_t *ranks) {
   if (na == 0 || nb == 0)
      return NAN;
   long double total = 0;
   uint64_t NA = na, NB = nb;
   for (size_t j = 0; j < nb; j++) {
      uint64_t lo = j * NA, hi = (j + 1) * NA; /* b_j's span, in a-index units × nb */
      size_t i0 = (size_t)(lo / NB), i1 = (size_t)((hi - 1) / NB);
      double x = b[j];
      if (i0 == i1) {
         total += (long double)(hi - lo) * fabsl((long double)a[i0] - x);
         continue;
      }
      uint64_t w0 = (i0 + 1) * NB - lo, w1 = hi - i1 * NB;
      total += (long double)w0 * fabsl((long double)a[i0] - x);
      total += (long double)w1 * fabsl((long double)a[i1] - x);
      total += (long double)NB * abs_dev_sum(pa, i0 + 1, i1, x, ranks[j]);
   }
   return (double)(total / ((long double)NA * (long double)NB));
}

double ds_std(const double *v, size_t n) {
   if (n == 0)
      return NAN;
   long double mean = 0;
   for (size_t i = 0; i < n; i++)
      mean += v[i];
   mean /= n;
   long double ss = 0;
   for (size_t i = 0; i < n; i++)
      ss += (v[i] - mean) * (v[i] - mean);
   return (double)sqrtl(ss / n);
}

/* --- binning ------------------------------------------------------------ */

int ds_sturges_edges(double min, double max, size_t n, double *edges) {
   double ptp = max - min;
   if (!isfinite(ptp))
      return 0; /* numpy: "Too many bins for data range" / a range that is not finite */
   int nbins = 1;
   if (ptp > 0) {
      double width = ptp / (log2((double)n) + 1.0); /* numpy _hist_bin_sturges */
      double nb = ceil(ptp / width);
      nbins = nb < 1 ? 1 : nb > DS_MAX_BINS ? DS_MAX_BINS : (int)nb;
   }
   double first = min, last = max;
   if (first == last) {
      first -= 0.5;
      last += 0.5;
   }
   double step = (last - first) / nbins; /* numpy.linspace */
   for (int i = 0; i <= nbins; i++)
      edges[i] = step == 0 ? first + (double)i / nbins * (last - first) : (double)i * step + first;
   edges[nbins] = last;
   return nbins;
}

void ds_histogram_sorted(const double *v, size_t n, const double *edges, int nbins, double *counts) {
   size_t prev = ds_lower_bound(v, n, edges[0]);
   for (int i = 0; i < nbins; i++) {
      size_t next = i == nbins - 1 ? ds_upper_bound(v, n, edges[nbins]) : ds_lower_bound(v, n, edges[i + 1]);
      counts[i] = (double)(next - prev);
      prev = next;
   }
}

/* --- share and count tests ---------------------------------------------- */

static double rel_entr(double x, double y) {
   if (x > 0 && y > 0)
      return x * log(x / y);
   if (x == 0 && y >= 0)
      return 0;
   return INFINITY;
}

double ds_jensenshannon(const double *p, const double *q, size_t k) {
   double sp = 0, sq = 0;
   for (size_t i = 0; i < k; i++) {
      sp += p[i];
      sq += q[i];
   }
   double left = 0, right = 0;
   for (size_t i = 0; i < k; i++) {
      double pi = p[i] / sp, qi = q[i] / sq, m = (pi + qi) / 2.0;
      left += rel_entr(pi, m);
      right += rel_entr(qi, m);
   }
   double js = left + right;
   return sqrt(js / 2.0);
}

/* Evidently's floor for empty shares, applied to one array. */
void ds_floor_zeros(double *s, size_t k) {
   double m = INFINITY;
   for (size_t i = 0; i < k; i++)
      if (s[i] != 0 && s[i] < m)
         m = s[i];
   if (!isfinite(m))
      return;
   double f = m <= 0.0001 ? m / 1e6 : 0.0001;
   for (size_t i = 0; i < k; i++)
      if (s[i] == 0)
         s[i] = f;
}

double ds_psi(const double *ref_share, const double *cur_share, size_t k) {
   double *r = malloc(2 * k * sizeof(double));
   if (!r)
      return NAN;
   double *c = r + k;
   memcpy(r, ref_share, k * sizeof(double));
   memcpy(c, cur_share, k * sizeof(double));
   ds_floor_zeros(r, k);
   ds_floor_zeros(c, k);
   double psi = 0;
   for (size_t i = 0; i < k; i++)
      psi += (r[i] - c[i]) * log(r[i] / c[i]);
   free(r);
   return psi;
}

double ds_chisquare_pvalue(const double *cur_counts, const double *ref_counts, size_t k) {
   double n_cur = 0, n_ref = 0;
   for (size_t i = 0; i < k; i++) {
      n_cur += cur_counts[i];
      n_ref += ref_counts[i];
   }
   double k_norm = n_cur / n_ref, stat = 0;
   for (size_t i = 0; i < k; i++) {
      double exp = ref_counts[i] * k_norm, d = cur_counts[i] - exp;
      stat += d * d / exp;
   }
   if (isnan(stat) || k < 2)
      return NAN;
   if (isinf(stat))
      return 0.0;
   return ds_gammaincc((double)(k - 1) / 2.0, stat / 2.0);
}

double ds_ndtr(double a) {
   double x = a * M_SQRT1_2, z = fabs(x);
   if (z < M_SQRT1_2)
      return 0.5 + 0.5 * erf(x);
   double y = 0.5 * erfc(z);
   return x > 0 ? 1.0 - y : y;
}

double ds_ztest_pvalue(const double *ref_counts, const double *cur_counts, size_t k, size_t first) {
   if (k == 0 || first >= k)
      return NAN;
   /* both samples constant and equal: Evidently answers 1 */
   if (k == 1)
      return 1.0;
   double n1 = 0, n2 = 0;
   for (size_t i = 0; i < k; i++) {
      n1 += ref_counts[i];
      n2 += cur_counts[i];
   }
   /* Evidently maps the first key to 0 and every other key to 1 */
   double p1 = (n1 - ref_counts[first]) / n1, p2 = (n2 - cur_counts[first]) / n2;
   double P = (p1 * n1 + p2 * n2) / (n1 + n2);
   double z = (p1 - p2) / sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2));
   return 2 * (1 - ds_ndtr(fabs(z)));
}

/* --- incomplete gamma ---------------------------------------------------- */

#define GAMMA_EPS 1e-16
#define GAMMA_ITMAX 100000

/* Q(a, x) = Γ(a, x)/Γ(a): the series for P when x < a + 1, else Lentz's
 * continued fraction for Q. */
double ds_gammaincc(double a, double x) {
   if (x < 0 || a <= 0 || isnan(x) || isnan(a))
      return NAN;
   if (x == 0)
      return 1.0;
   if (isinf(x))
      return 0.0;
   double lpre = -x + a * log(x) - lgamma(a);
   if (x < a + 1) {
      double ap = a, del = 1.0 / a, sum = del;
      for (int n = 0; n < GAMMA_ITMAX; n++) {
         ap += 1;
         del *= x / ap;
         sum += del;
         if (fabs(del) < fabs(sum) * GAMMA_EPS)
            break;
      }
      return 1.0 - sum * exp(lpre);
   }
   double tiny = 1e-300, b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
   for (int i = 1; i < GAMMA_ITMAX; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (fabs(d) < tiny)
         d = tiny;
      c = b + an / c;
      if (fabs(c) < tiny)
         c = tiny;
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (fabs(del - 1) < GAMMA_EPS)
         break;
   }
   return exp(lpre) * h;
}
