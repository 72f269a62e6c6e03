// SPDX-License-Identifier: MIT
/* Since when: see changepoint.h. Written from the textbook binary
 * segmentation (Scott & Knott 1974; Killick & Eckley's changepoint package
 * describes it) with a likelihood-ratio interval (Hinkley 1970). */
#include "driftscope/changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ChangeTrack_init(ChangeTrack *c, double mu, double sd) {
   memset(c, 0, sizeof *c);
   c->mu = mu;
   c->sd = sd;
   c->block = CHANGE_BLOCK;
   c->first_t = c->last_t = NAN;
}

void ChangeTrack_init_categorical(ChangeTrack *c, const double *keys, const double *counts, int nkeys, size_t n) {
   ChangeTrack_init(c, 0, 1);
   c->ncat = nkeys + 1;
   memset(c->slot, nkeys, sizeof c->slot); /* any class the reference lacks: "other" */
   double total = (double)n + 0.5 * c->ncat;
   for (int j = 0; j < nkeys; j++) {
      if (keys[j] >= 0 && keys[j] < 256)
         c->slot[(int)keys[j]] = (unsigned char)j;
      c->cat_p[j] = (counts[j] + 0.5) / total;
   }
   c->cat_p[nkeys] = 0.5 / total;
}

void ChangeTrack_rewind(ChangeTrack *c) {
   c->nb = 0;
   c->block = CHANGE_BLOCK;
   c->cs = c->cq = c->cn = 0;
   c->records = 0;
   c->first_t = c->last_t = NAN;
   c->failed = false;
   memset(c->ccat, 0, sizeof c->ccat);
}

void ChangeTrack_done(ChangeTrack *c) {
   free(c->cat);
   free(c->s);
   free(c->q);
   free(c->n);
   free(c->t);
   free(c->r);
   memset(c, 0, sizeof *c);
}

/* Every other boundary goes (the first, record 0, stays): blocks double. */
static void thin(ChangeTrack *c) {
   size_t k = 1;
   for (size_t i = 2; i < c->nb; i += 2, k++) {
      c->s[k] = c->s[i];
      c->q[k] = c->q[i];
      c->n[k] = c->n[i];
      c->t[k] = c->t[i];
      c->r[k] = c->r[i];
      if (c->ncat)
         memcpy(c->cat + k * (size_t)c->ncat, c->cat + i * (size_t)c->ncat, sizeof *c->cat * (size_t)c->ncat);
   }
   c->nb = k;
   c->block *= 2;
}

/* Room for cap boundaries in each array. */
static bool grow(ChangeTrack *c, size_t cap) {
   double *s = realloc(c->s, cap * sizeof *s), *q = s ? realloc(c->q, cap * sizeof *q) : NULL;
   if (s)
      c->s = s;
   if (q)
      c->q = q;
   double *n = q ? realloc(c->n, cap * sizeof *n) : NULL;
   if (n)
      c->n = n;
   double *t = n ? realloc(c->t, cap * sizeof *t) : NULL;
   if (t)
      c->t = t;
   size_t *r = t ? realloc(c->r, cap * sizeof *r) : NULL;
   if (!r)
      return false;
   c->r = r;
   if (c->ncat) {
      uint32_t *cat = realloc(c->cat, cap * (size_t)c->ncat * sizeof *cat);
      if (!cat)
         return false;
      c->cat = cat;
   }
   c->cap = cap;
   return true;
}

static bool push(ChangeTrack *c) {
   if (c->nb == c->cap && !grow(c, c->cap ? c->cap * 2 : 256))
      return false;
   c->s[c->nb] = c->cs;
   c->q[c->nb] = c->cq;
   c->n[c->nb] = c->cn;
   c->t[c->nb] = c->last_t;
   if (c->ncat)
      memcpy(c->cat + c->nb * (size_t)c->ncat, c->ccat, sizeof *c->cat * (size_t)c->ncat);
   c->r[c->nb++] = c->records;
   if (c->nb == CHANGE_MAX_BOUNDARIES)
      thin(c);
   return true;
}

bool ChangeTrack_copy(ChangeTrack *dst, const ChangeTrack *src) {
   if (dst->ncat != src->ncat) { /* every array grows again, the counts too */
      dst->ncat = src->ncat;
      dst->cap = 0;
   }
   if (dst->cap < src->nb && !grow(dst, src->cap))
      return false;
   double *s = dst->s, *q = dst->q, *n = dst->n, *t = dst->t;
   size_t *r = dst->r, cap = dst->cap;
   uint32_t *cat = dst->cat;
   *dst = *src;
   dst->s = s, dst->q = q, dst->n = n, dst->t = t, dst->r = r, dst->cap = cap, dst->cat = cat;
   if (src->nb && src->ncat)
      memcpy(dst->cat, src->cat, src->nb * (size_t)src->ncat * sizeof *cat);
   if (src->nb) {
      memcpy(dst->s, src->s, src->nb * sizeof *s);
      memcpy(dst->q, src->q, src->nb * sizeof *q);
      memcpy(dst->n, src->n, src->nb * sizeof *n);
      memcpy(dst->t, src->t, src->nb * sizeof *t);
      memcpy(dst->r, src->r, src->nb * sizeof *r);
   }
   return true;
}

void ChangeTrack_add(ChangeTrack *c, double x, double t_ms) {
   if (c->failed)
      return;
   if (c->nb == 0 && !push(c)) { /* boundary 0: nothing yet */
      c->failed = true;
      return;
   }
   if (c->ncat && isfinite(x)) {
      c->ccat[x >= 0 && x < 256 ? c->slot[(int)x] : c->ncat - 1]++;
      c->cn++;
   } else if (isfinite(x)) {
      double z = (x - c->mu) / c->sd;
      c->cs += z;
      c->cq += z * z;
      c->cn++;
   }
   if (c->records++ == 0)
      c->first_t = t_ms;
   c->last_t = t_ms;
   if (c->records % c->block == 0 && !push(c))
      c->failed = true;
}

/* A segment [a, e) of boundaries' sums, from the arrays or the running ones. */
typedef struct Seg {
   const ChangeTrack *c;
   size_t nb; /* boundaries, the running sums last */
} Seg;

static double S(const Seg *g, size_t k) {
   return k + 1 < g->nb ? g->c->s[k] : g->c->cs;
}
static double Q(const Seg *g, size_t k) {
   return k + 1 < g->nb ? g->c->q[k] : g->c->cq;
}
static double N(const Seg *g, size_t k) {
   return k + 1 < g->nb ? g->c->n[k] : g->c->cn;
}

/* The squared error [a, e) loses when split at k: (S_a..k)²/n + (S_k..e)²/m - (S_a..e)²/(n+m). */
/* 2ΔlogL of "records [k, e) are N(m, v), the ones before the reference's
 * N(0, 1)" against "all N(0, 1)", in z: n (m² + v - 1 - ln v) over the
 * n values from boundary k; NaN when they have no spread. */
static double departure(const Seg *g, size_t k, size_t e) {
   double n = N(g, e) - N(g, k), s = S(g, e) - S(g, k), q = Q(g, e) - Q(g, k);
   double m = s / n, v = q / n - m * m;
   return v > 0 ? q - n - n * log(v) : NAN;
}

/* Class j's count at boundary k. */
static double C(const Seg *g, size_t k, int j) {
   return k + 1 < g->nb ? g->c->cat[k * (size_t)g->c->ncat + (size_t)j] : g->c->ccat[j];
}

/* The same for a categorical column: 2 Σ n_c ln(n_c / (n p_c)) over the
 * values from boundary k (the G statistic against the reference's shares). */
static double departure_cat(const Seg *g, size_t k, size_t e) {
   double n = N(g, e) - N(g, k), s = 0;
   for (int j = 0; j < g->c->ncat; j++) {
      double nj = C(g, e, j) - C(g, k, j);
      if (nj > 0)
         s += nj * log(nj / (n * g->c->cat_p[j]));
   }
   return 2 * s;
}

#define MIN_AFTER 8 /* values after an onset at least */
#define CI_CHI2 3.84

#define DEP(g, k, e) (c->ncat ? departure_cat(g, k, e) : departure(g, k, e))

void ChangeTrack_onset(const ChangeTrack *c, ChangePoint *out) {
   memset(out, 0, sizeof *out);
   out->ms = out->ms_lo = out->ms_hi = out->since_ms = out->before_sigma = out->after_sigma = out->lr = NAN;
   if (c->failed || c->nb == 0)
      return;
   /* the kept boundaries, then the running sums as one more (unless the
    * last block just ended: then the last kept is read from them, equal) */
   bool tail = c->r[c->nb - 1] != c->records;
   Seg g = {c, c->nb + tail};
   size_t e = g.nb - 1;
   double total = N(&g, e);
   if (total < 2 * MIN_AFTER)
      return;
   size_t best = 0;
   double bd = -1;
   for (size_t k = 0; k < e && N(&g, e) - N(&g, k) >= MIN_AFTER; k++) {
      double d = DEP(&g, k, e);
      if (d > bd) {
         bd = d;
         best = k;
      }
   }
   if (!(bd > (c->ncat ? 1.5 * (c->ncat - 1) : 3) * log(total)))
      return; /* no departure from the reference the test can tell */
   size_t lo = best, hi = best;
   while (lo > 0 && bd - DEP(&g, lo - 1, e) <= CI_CHI2)
      lo--;
   while (hi + 1 < e && N(&g, e) - N(&g, hi + 1) >= MIN_AFTER && bd - DEP(&g, hi + 1, e) <= CI_CHI2)
      hi++;
   /* a change inside the block on either side of the interval's ends
    * favours the same boundaries: the interval takes those blocks in */
   lo = lo > 0 ? lo - 1 : 0;
   hi = hi + 1 < g.nb ? hi + 1 : hi;
   const size_t *r = c->r;
   size_t last = c->nb - 1;
   out->found = true;
   out->record = best <= last ? r[best] : c->records;
   out->record_lo = lo <= last ? r[lo] : c->records;
   out->record_hi = hi <= last ? r[hi] : c->records;
   out->ms = best <= last ? c->t[best] : c->last_t;
   out->ms_lo = lo <= last ? c->t[lo] : c->last_t;
   out->ms_hi = hi <= last ? c->t[hi] : c->last_t;
   if (best == 0) /* from the first record: its own time */
      out->ms = out->ms_lo = c->first_t;
   out->since_ms = out->ms - c->first_t;
   double n0 = N(&g, best), n1 = N(&g, e) - n0;
   out->before_sigma = n0 > 0 && !c->ncat ? S(&g, best) / n0 : NAN;
   out->after_sigma = c->ncat ? NAN : (S(&g, e) - S(&g, best)) / n1;
   out->lr = bd;
}
#undef DEP
