/* SPDX-License-Identifier: MIT */
/* Since when (DESIGN §4): where the change a feature shows now began.
 *
 * A ChangeTrack follows one numeric column over the whole session in
 * bounded memory: the values standardised by the reference's mean and
 * standard deviation (z), their running sum, sum of squares and count
 * kept at block boundaries (BLOCK records at first; when there are
 * CHANGE_MAX_BOUNDARIES, every other goes and blocks double).
 *
 * ChangeTrack_onset segments the session's tail by binary segmentation
 * under a Gaussian mean-shift model (unknown segment means, a common
 * variance): the split of [lo, end) that most reduces the squared error,
 * if its likelihood ratio 2ΔlogL = G / σ̂² exceeds 3 ln n, and again in
 * what follows it, until no split is significant; the last split is the
 * onset of the current state. Its 95% interval is the boundaries where
 * 2ΔlogL is within 3.84 (χ²₁) of the best split's, so it is never finer
 * than a block. */
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
/* The next record: its value (NaN: none) and time (NaN: none). */
void ChangeTrack_add(ChangeTrack *c, double x, double t_ms);
/* The onset of the state the column is in now (found false: one state,
 * as far as the test can tell, or too few records). */
void ChangeTrack_onset(const ChangeTrack *c, ChangePoint *out);

#endif
