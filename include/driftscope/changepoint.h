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

#define CHANGE_BLOCK 16
#define CHANGE_MAX_BOUNDARIES 16384

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
void ChangeTrack_done(ChangeTrack *c);
/* Make dst (initialised) the same track as src, reusing dst's memory.
 * False on no memory (dst then keeps what it had). */
bool ChangeTrack_copy(ChangeTrack *dst, const ChangeTrack *src);
/* The next record: its value (NaN: none) and time (NaN: none). */
void ChangeTrack_add(ChangeTrack *c, double x, double t_ms);
/* The onset of the state the column is in now (found false: one state,
 * as far as the test can tell, or too few records). */
void ChangeTrack_onset(const ChangeTrack *c, ChangePoint *out);

#endif
