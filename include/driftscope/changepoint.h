/* SPDX-License-Identifier: MIT */
/* Since when (DESIGN §4): where the change a feature shows now began.
 *
 * A ChangeTrack follows one numeric column over the whole session in
 * bounded memory: the values standardised by the reference's mean and
 * standard deviation (z), their running sum, sum of squares and count
 * kept at block boundaries (BLOCK records at first; when there are
 * CHANGE_MAX_BOUNDARIES, every other goes and blocks double).
 *
 * ChangeTrack_onset finds where the column left the reference, to stay
 * away until now: the boundary k whose records from k on depart most from
 * the reference's distribution, by the likelihood ratio of "before k the
 * reference's N(0, 1) in z, from k on N(m, v)" against "N(0, 1)
 * throughout": 2ΔlogL = n (m² + v - 1 - ln v) over the n values from k,
 * a change of mean or spread. An onset is found when the best exceeds
 * 3 ln n; it is record 0 when the column was away from the start. Its 95%
 * interval is the boundaries where 2ΔlogL is within 3.84 (χ²₁) of the
 * best, widened by a block on each side, so it is never finer than a
 * block. */
#ifndef DRIFTSCOPE_CHANGEPOINT_H
#define DRIFTSCOPE_CHANGEPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHANGE_BLOCK 16
#define CHANGE_MAX_BOUNDARIES 16384
#define CHANGE_MAX_CATS 16 /* a categorical column's classes followed: the reference's (15 at most) and "other" */

typedef struct ChangeTrack {
   double mu, sd;  /* the reference's: z = (x - mu) / sd */
   size_t block;   /* records a block */
   size_t nb, cap; /* boundaries kept */
   /* at boundary k: cumulative z, z², values, records, and the time of the
    * block's last record (NaN: none) */
   double *s, *q, *n, *t;
   size_t *r;
   double cs, cq, cn; /* running */
   size_t records;
   double first_t, last_t; /* the first record's time, the last's */
   bool failed;            /* memory ran out: no onset */
   /* a categorical column (the prediction mix; ncat 0: numeric): each
    * class's counts at the boundaries (nb x ncat) and running, the
    * reference's shares (a half count added to each, "other" included),
    * the slot of each class id (the last: any class the reference lacks) */
   int ncat;
   uint32_t *cat;
   uint32_t ccat[CHANGE_MAX_CATS];
   double cat_p[CHANGE_MAX_CATS];
   unsigned char slot[256];
} ChangeTrack;

typedef struct ChangePoint {
   bool found;
   size_t record, record_lo, record_hi; /* the onset and its 95% interval (records) */
   double ms, ms_lo, ms_hi;             /* their times (the time column's, NaN: none) */
   double since_ms;                     /* ms from the session's first record to the onset (NaN: no times) */
   double before_sigma, after_sigma;    /* the means before and after, in reference σ from its mean */
   double lr;                           /* 2ΔlogL of the split */
} ChangePoint;

/* Prepare to follow a column whose reference has mean mu and standard
 * deviation sd (> 0). */
void ChangeTrack_init(ChangeTrack *c, double mu, double sd);
/* Prepare to follow a categorical column (values: class ids) whose
 * reference has nkeys classes (ids keys, counts counts, n values), nkeys
 * < CHANGE_MAX_CATS. Its onset is where the class shares left the
 * reference's: 2ΔlogL = 2 Σ n_c ln(n_c / (n p_c)) over the values from
 * a boundary on, found over 1.5 (classes - 1) ln n. */
void ChangeTrack_init_categorical(ChangeTrack *c, const double *keys, const double *counts, int nkeys, size_t n);
void ChangeTrack_done(ChangeTrack *c);
/* Forget the values followed (from record 0 again), the reference kept. */
void ChangeTrack_rewind(ChangeTrack *c);
/* Make dst (initialised) the same track as src, reusing dst's memory.
 * False on no memory (dst then keeps what it had). */
bool ChangeTrack_copy(ChangeTrack *dst, const ChangeTrack *src);
/* The next record: its value (NaN: none) and time (NaN: none). */
void ChangeTrack_add(ChangeTrack *c, double x, double t_ms);
/* The onset of the state the column is in now (found false: one state,
 * as far as the test can tell, or too few records). */
void ChangeTrack_onset(const ChangeTrack *c, ChangePoint *out);

#endif
