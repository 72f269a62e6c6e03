// SPDX-License-Identifier: MIT
#include "driftscope/detectors.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/stats.h"

static void ddm_reset(Ddm *d) {
   d->n = 0;
   d->mean = 0;
   d->p_min = d->s_min = d->ps_min = INFINITY;
   d->warning = d->drift = false;
}

void Ddm_init(Ddm *d) {
   d->warm_start = 30;
   d->warning_threshold = 2.0;
   d->drift_threshold = 3.0;
   ddm_reset(d);
}

void Ddm_update(Ddm *d, double x) {
   if (d->drift)
      ddm_reset(d);
   d->n++;
   d->mean += (x - d->mean) / (double)d->n; /* river.stats.Mean */
   double p = d->mean, s = sqrt(p * (1 - p) / (double)d->n);
   if (d->n <= d->warm_start)
      return;
   if (p + s <= d->ps_min) {
      d->p_min = p;
      d->s_min = s;
      d->ps_min = p + s;
   }
   d->warning = p + s > d->p_min + d->warning_threshold * d->s_min;
   if (p + s > d->p_min + d->drift_threshold * d->s_min) {
      d->drift = true;
      d->warning = false;
   }
}

static void ph_reset(PageHinkley *p) {
   p->n = 0;
   p->mean = 0;
   p->sum_increase = p->sum_decrease = 0;
   p->min_increase = INFINITY;
   p->max_decrease = -1; /* as River initialises it */
   p->drift = false;
}

void PageHinkley_init(PageHinkley *p) {
   p->min_instances = 30;
   p->delta = 0.005;
   p->threshold = 50.0;
   p->alpha = 1 - 0.0001;
   ph_reset(p);
}

void PageHinkley_update(PageHinkley *p, double x) {
   if (p->drift)
      ph_reset(p);
   p->n++;
   p->mean += (x - p->mean) / (double)p->n;
   double dev = x - p->mean;
   p->sum_increase = p->alpha * p->sum_increase + dev - p->delta;
   p->sum_decrease = p->alpha * p->sum_decrease + dev + p->delta;
   if (p->sum_increase < p->min_increase)
      p->min_increase = p->sum_increase;
   if (p->sum_decrease > p->max_decrease)
      p->max_decrease = p->sum_decrease;
   if (p->n >= p->min_instances) {
      double up = p->sum_increase - p->min_increase, down = p->max_decrease - p->sum_decrease;
      p->drift = up > p->threshold || down > p->threshold;
   }
}

/* --- EDDM ---------------------------------------------------------------- */

static void eddm_reset(Eddm *e) {
   e->n = e->last_error = e->n_errors = 0;
   e->dn = e->dmean = e->dS = 0;
   e->p2s_max = -1;
   e->warning = e->drift = false;
}

void Eddm_init(Eddm *e) {
   e->warm_start = 30;
   e->alpha = 0.95;
   e->beta = 0.9;
   eddm_reset(e);
}

void Eddm_update(Eddm *e, double x) {
   if (e->drift)
      eddm_reset(e);
   e->n++;
   if (x != 1)
      return;
   e->n_errors++;
   double d = (double)(e->n - e->last_error), old = e->dmean; /* river.stats.Var (Welford, ddof 1) */
   e->dn++;
   e->dmean += (d - e->dmean) / e->dn;
   e->dS += (d - old) * (d - e->dmean);
   if (e->n > e->warm_start) {
      double var = e->dn > 1 ? e->dS / (e->dn - 1) : 0, p2s = e->dmean + 2 * sqrt(var);
      if (p2s > e->p2s_max) {
         e->p2s_max = p2s;
      } else if (e->n_errors > e->warm_start) {
         double level = p2s / e->p2s_max;
         if (level < e->beta)
            e->drift = true;
         else
            e->warning = level < e->alpha; /* a warning stays until the level is back over alpha */
      }
   }
   e->last_error = e->n;
}

/* --- HDDM_A --------------------------------------------------------------- */

static void hddm_reset(HddmA *h) {
   h->z_n = h->z_mean = h->min_n = h->min_mean = 0;
   h->warning = h->drift = false;
}

void HddmA_init(HddmA *h) {
   h->drift_confidence = 0.001;
   h->warning_confidence = 0.005;
   hddm_reset(h);
}

static double hoeffding(const HddmA *h, double n) {
   return sqrt(1.0 / (2 * n) * log(1.0 / h->drift_confidence));
}

/* Whether the mean rose past the bound since the cut, at this confidence. */
static bool mean_rose(const HddmA *h, double confidence) {
   if (h->min_n == h->z_n)
      return false;
   double m = (h->z_n - h->min_n) / h->min_n * (1.0 / h->z_n);
   return h->z_mean - h->min_mean >= sqrt(m / 2 * log(2.0 / confidence));
}

void HddmA_update(HddmA *h, double x) {
   if (h->drift)
      hddm_reset(h);
   h->z_n++;
   h->z_mean += (x - h->z_mean) / h->z_n;
   if (h->min_n == 0) {
      h->min_n = h->z_n;
      h->min_mean = h->z_mean;
   }
   if (h->min_mean + hoeffding(h, h->min_n) >= h->z_mean + hoeffding(h, h->z_n)) { /* a lower cut */
      h->min_n = h->z_n;
      h->min_mean = h->z_mean;
   }
   h->drift = mean_rose(h, h->drift_confidence);
   h->warning = !h->drift && mean_rose(h, h->warning_confidence);
}

/* --- HDDM_W ---------------------------------------------------------------- */

static void ew_init(EwSample *e) {
   e->ewma = 0;
   e->ibc = 1;
   e->init = false;
}

static void ew_update(EwSample *e, double lambda, double x) {
   e->ewma = e->ewma == 0 ? x : lambda * x + (1 - lambda) * e->ewma; /* River's EWMean */
   e->init = true;
   e->ibc = lambda * lambda + (1 - lambda) * (1 - lambda) * e->ibc;
}

static double mcdiarmid(double ibc, double confidence) {
   return sqrt(ibc * log(1 / confidence) / 2);
}

static void hddm_w_reset(HddmW *h) {
   ew_init(&h->total);
   ew_init(&h->s1);
   ew_init(&h->s2);
   h->cut = INFINITY;
   h->warning = h->drift = false;
}

void HddmW_init(HddmW *h) {
   h->drift_confidence = 0.001;
   h->warning_confidence = 0.005;
   h->lambda = 0.05;
   hddm_w_reset(h);
}

/* The weighted mean since the lowest cut is over the one up to it by more than the bound. */
static bool ew_rose(const HddmW *h, double confidence) {
   if (!h->s1.init || !h->s2.init)
      return false;
   return h->s2.ewma - h->s1.ewma > mcdiarmid(h->s1.ibc + h->s2.ibc, confidence);
}

void HddmW_update(HddmW *h, double x) {
   if (h->drift)
      hddm_w_reset(h);
   ew_update(&h->total, h->lambda, x);
   double eps = mcdiarmid(h->total.ibc, h->drift_confidence);
   if (h->total.ewma + eps < h->cut) { /* a lower cut */
      h->cut = h->total.ewma + eps;
      h->s1 = h->total;
      ew_init(&h->s2);
   } else {
      ew_update(&h->s2, h->lambda, x);
   }
   h->drift = ew_rose(h, h->drift_confidence);
   h->warning = !h->drift && ew_rose(h, h->warning_confidence);
}

/* --- KSWIN ------------------------------------------------------------------ */

static void kswin_reset(Kswin *k) {
   k->head = k->len = k->nonbinary = 0;
   k->n = 0;
   k->p_value = 0;
   k->drift = false;
   PyRandom_seed(&k->rng, k->seed);
}

void Kswin_set(Kswin *k, double alpha, int window_size, int stat_size, uint32_t seed) {
   k->alpha = alpha;
   k->window_size = window_size > DS_KSWIN_MAX ? DS_KSWIN_MAX : window_size;
   k->stat_size = stat_size < k->window_size ? stat_size : k->window_size - 1;
   k->seed = seed;
   for (int i = 0; i <= DS_KSWIN_MAX; i++)
      k->p_of[i] = NAN;
   kswin_reset(k);
}

void Kswin_init(Kswin *k) {
   Kswin_set(k, 0.005, 100, 30, 42);
}

/* Ascending, in place: insertion sort (a few dozen values). */
static void sort_small(double *v, int n) {
   for (int i = 1; i < n; i++) {
      double x = v[i];
      int j = i;
      for (; j > 0 && v[j - 1] > x; j--)
         v[j] = v[j - 1];
      v[j] = x;
   }
}

void Kswin_update(Kswin *k, double x) {
   if (k->drift)
      kswin_reset(k);
   k->n++;
   k->nonbinary += x != 0 && x != 1;
   if (k->len < k->window_size) {
      k->window[k->len++] = x; /* head is 0 until the window is full */
   } else {                    /* the oldest goes */
      double old = k->window[k->head];
      k->nonbinary -= old != 0 && old != 1;
      k->window[k->head] = x;
      k->head = (k->head + 1) % k->window_size;
   }
   k->drift = false;
   if (k->len < k->window_size)
      return;
   int ws = k->window_size, ss = k->stat_size;
   uint32_t pick[DS_KSWIN_MAX], scratch[DS_KSWIN_MAX];
   double drawn[DS_KSWIN_MAX], recent[DS_KSWIN_MAX];
   PyRandom_sample(&k->rng, (uint32_t)(ws - ss), (uint32_t)ss, pick, scratch);
   int at;                                             /* D · ss */
   const double *w = k->window, *newest = w + k->head; /* value i of the window: at head + i, wrapped */
#define AT(i) ((k->head + (i) < ws) ? newest[(i)] : w[k->head + (i)-ws])
   if (k->nonbinary == 0) { /* errors, 0 or 1: D is the difference of the shares of 1 */
      int ones = 0;
      for (int i = 0; i < ss; i++)
         ones += (AT((int)pick[i]) == 1) - (AT(ws - ss + i) == 1);
      at = ones < 0 ? -ones : ones;
   } else {
      for (int i = 0; i < ss; i++) {
         drawn[i] = AT((int)pick[i]);
         recent[i] = AT(ws - ss + i);
      }
      sort_small(drawn, ss);
      sort_small(recent, ss);
      at = (int)(ds_ks_dnum(drawn, (size_t)ss, recent, (size_t)ss) / (uint64_t)ss); /* D · ss²: a multiple of ss */
   }
#undef AT
   uint64_t dnum = (uint64_t)at * (uint64_t)ss;
   double st = (double)at / ss;
   if (isnan(k->p_of[at]))
      k->p_of[at] = ds_ks_pvalue((size_t)ss, (size_t)ss, dnum, &st);
   k->p_value = k->p_of[at];
   k->drift = k->p_value <= k->alpha && st > 0.1;
}

/* --- ADWIN ---------------------------------------------------------------- */

static void adwin_reset(Adwin *a) {
   memset(a->used, 0, sizeof a->used);
   a->rows = 1;
   a->width = a->sum = a->variance = 0;
   a->tick = 0;
   a->drift = false;
}

void Adwin_init(Adwin *a) {
   a->delta = 0.002;
   a->clock = 32;
   a->max_buckets = 5;
   a->min_window_length = 5;
   a->grace_period = 10;
   a->keep_window = false;
   adwin_reset(a);
}

double Adwin_estimation(const Adwin *a) {
   return a->width > 0 ? a->sum / a->width : 0;
}

/* Row r's first k buckets go: the rest move to the front. */
static void row_drop(Adwin *a, int r, int k) {
   int n = a->used[r] - k;
   memmove(a->total[r], a->total[r] + k, (size_t)n * sizeof a->total[r][0]);
   memmove(a->var[r], a->var[r] + k, (size_t)n * sizeof a->var[r][0]);
   a->used[r] = n;
}

static void row_push(Adwin *a, int r, double total, double var) {
   a->total[r][a->used[r]] = total;
   a->var[r][a->used[r]++] = var;
}

/* A row over max_buckets: its two oldest buckets merge into one of the
 * next row, as far as that goes. */
static void compress(Adwin *a) {
   for (int r = 0; r < a->rows && a->used[r] == a->max_buckets + 1; r++) {
      if (r + 1 == a->rows) {
         if (a->rows == DS_ADWIN_ROWS)
            return; /* 2^64 values: not in this universe */
         a->used[a->rows++] = 0;
      }
      double n = ldexp(1, r), m1 = a->total[r][0] / n, m2 = a->total[r][1] / n;
      row_push(a, r + 1, a->total[r][0] + a->total[r][1],
               a->var[r][0] + a->var[r][1] + n * n * (m1 - m2) * (m1 - m2) / (n + n));
      row_drop(a, r, 2);
      if (a->used[r + 1] <= a->max_buckets)
         break;
   }
}

/* The oldest bucket goes; returns how many values it held. */
static double drop_oldest(Adwin *a) {
   int r = a->rows - 1;
   double n = ldexp(1, r), u = a->total[r][0], v = a->var[r][0], mu = u / n;
   a->width -= n;
   a->sum -= u;
   double mw = a->sum / a->width;
   a->variance -= v + n * a->width * (mu - mw) * (mu - mw) / (n + a->width);
   row_drop(a, r, 1);
   if (a->used[r] == 0 && a->rows > 1)
      a->rows--;
   return n;
}

/* Whether the means of the cut's two sides differ by more than the bound. */
static bool cut_differs(const Adwin *a, double n0, double n1, double diff) {
   double dd = log(2 * log(a->width) / a->delta);
   double m = 1.0 / (n0 - a->min_window_length + 1) + 1.0 / (n1 - a->min_window_length + 1);
   double eps = sqrt(2 * m * (a->variance / a->width) * dd) + 2.0 / 3.0 * dd * m;
   return fabs(diff) > eps;
}

static bool detect(Adwin *a) {
   bool change = false;
   if (++a->tick % a->clock != 0 || a->width <= a->grace_period)
      return false;
   for (bool again = true; again;) {
      again = false;
      double n0 = 0, n1 = a->width, u0 = 0, u1 = a->sum;
      bool done = false;
      for (int r = a->rows - 1; r >= 0 && !done; r--) {
         double n2 = ldexp(1, r);
         for (int k = 0; k < a->used[r] - 1; k++) { /* a row's newest bucket is no cut */
            n0 += n2;
            n1 -= n2;
            u0 += a->total[r][k];
            u1 -= a->total[r][k];
            if (n1 >= a->min_window_length && n0 >= a->min_window_length && cut_differs(a, n0, n1, u0 / n0 - u1 / n1)) {
               again = change = true;
               if (a->width > 0)
                  drop_oldest(a);
               done = true;
               break;
            }
         }
      }
   }
   return change;
}

void Adwin_update(Adwin *a, double x) {
   if (a->drift && !a->keep_window) /* River's ADWIN starts afresh after a detection */
      adwin_reset(a);
   row_push(a, 0, x, 0);
   a->width++;
   if (a->width > 1) {
      double d = x - a->sum / (a->width - 1);
      a->variance += (a->width - 1) * d * d / a->width;
   }
   a->sum += x;
   compress(a);
   a->drift = detect(a);
}
