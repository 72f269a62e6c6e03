/* SPDX-License-Identifier: MIT */
/* Streaming concept-drift detectors with River's defaults (DESIGN §4). On
 * the error stream (1 = the model was wrong, 0 = right):
 *   DDM (river.drift.binary.DDM): warm start 30, warning 2σ, drift 3σ;
 *   Page-Hinkley (river.drift.PageHinkley): min 30, δ 0.005, λ 50,
 *   α 0.9999, mode "both".
 * On any numeric stream, no labels needed (the model's confidence):
 *   ADWIN (river.drift.ADWIN): δ 0.002, a check every 32 values, 5
 *   buckets of each size, sub-windows of 5 at least, none before 10.
 * Each resets itself on the update after a detection, as River's do. */
#ifndef DRIFTSCOPE_DETECTORS_H
#define DRIFTSCOPE_DETECTORS_H

#include <stdbool.h>
#include <stdint.h>

#include "driftscope/pyrandom.h"

typedef struct Ddm {
   int warm_start;
   double warning_threshold, drift_threshold;
   long n;
   double mean;
   double p_min, s_min, ps_min;
   bool warning, drift;
} Ddm;

void Ddm_init(Ddm *d); /* River's defaults */
void Ddm_update(Ddm *d, double x);

typedef struct PageHinkley {
   int min_instances;
   double delta, threshold, alpha;
   long n;
   double mean;
   double sum_increase, sum_decrease, min_increase, max_decrease;
   bool drift;
} PageHinkley;

void PageHinkley_init(PageHinkley *p); /* River's defaults */
void PageHinkley_update(PageHinkley *p, double x);

/* EDDM (river.drift.binary.EDDM): the distance between errors; warm start
 * 30 (records, and errors), warning below 0.95 of the distance's peak
 * mean + 2 sd, drift below 0.9. */
typedef struct Eddm {
   int warm_start;
   double alpha, beta;
   long n, last_error, n_errors;
   double dn, dmean, dS; /* the distances' running mean and sum of squares (ddof 1) */
   double p2s_max;
   bool warning, drift;
} Eddm;

void Eddm_init(Eddm *e); /* River's defaults */
void Eddm_update(Eddm *e, double x);

/* HDDM_A (river.drift.binary.HDDMA, after MOA): Hoeffding's bound on the
 * error rate against its lowest cut; drift confidence 0.001, warning
 * 0.005, one-sided (increases). */
typedef struct HddmA {
   double drift_confidence, warning_confidence;
   double z_n, z_mean;     /* all values since the reset */
   double min_n, min_mean; /* up to the cut where the mean was lowest */
   bool warning, drift;
} HddmA;

void HddmA_init(HddmA *h); /* River's defaults */
void HddmA_update(HddmA *h, double x);

/* HDDM_W (river.drift.binary.HDDMW, after MOA): McDiarmid's bound on an
 * exponentially weighted mean of the errors (λ 0.05) against its lowest
 * cut; drift confidence 0.001, warning 0.005, one-sided. The weighted
 * mean is River's EWMean, which takes a value as it is while the mean is
 * 0. */
typedef struct EwSample {
   double ewma, ibc; /* the weighted mean; the independent bound condition */
   bool init;
} EwSample;
typedef struct HddmW {
   double drift_confidence, warning_confidence, lambda;
   EwSample total, s1, s2; /* all; up to the lowest cut; since it */
   double cut;
   bool warning, drift;
} HddmW;

void HddmW_init(HddmW *h); /* River's defaults */
void HddmW_update(HddmW *h, double x);

/* KSWIN (river.drift.KSWIN): a window of the last window_size values; a
 * two-sample Kolmogorov-Smirnov test (scipy's ks_2samp) of its newest
 * stat_size against stat_size drawn from the rest with Python's
 * random.sample, seeded; drift when p <= alpha and the statistic is over
 * 0.1. River's defaults (alpha 0.005, window 100, statistic window 30)
 * and seed 42 (River's default draws an unseeded one: not reproducible). */
#define DS_KSWIN_MAX 1000
typedef struct Kswin {
   double alpha;
   int window_size, stat_size;
   uint32_t seed;
   double window[DS_KSWIN_MAX]; /* a ring: the oldest at head */
   int head, len;
   int nonbinary; /* values in the window other than 0 and 1 (none: D by counting) */
   long n;
   double p_value;
   PyRandom rng;
   bool drift;
   /* the p-value of D = k / stat_size (two samples of stat_size values
    * take no other), computed once (NaN: not yet) */
   double p_of[DS_KSWIN_MAX + 1];
} Kswin;

void Kswin_init(Kswin *k); /* River's defaults, seed 42 */
/* Start afresh with these settings (window_size <= DS_KSWIN_MAX,
 * stat_size < window_size). */
void Kswin_set(Kswin *k, double alpha, int window_size, int stat_size, uint32_t seed);
void Kswin_update(Kswin *k, double x);

/* ADWIN (Bifet & Gavaldà 2007) as River computes it: the window is rows of
 * buckets, row i holding up to max_buckets + 1 buckets of 2^i values each
 * (a sum and a variance per bucket, the newest last); every clock values,
 * each cut between buckets (oldest rows first) is tested with the
 * Hoeffding-style bound, and on a change the oldest bucket goes and the
 * cuts are tested again. */
#define DS_ADWIN_ROWS 64
#define DS_ADWIN_MAX_BUCKETS 16
typedef struct Adwin {
   double delta;
   int clock, max_buckets, min_window_length, grace_period;
   double total[DS_ADWIN_ROWS][DS_ADWIN_MAX_BUCKETS + 1];
   double var[DS_ADWIN_ROWS][DS_ADWIN_MAX_BUCKETS + 1];
   int used[DS_ADWIN_ROWS]; /* buckets in each row */
   int rows;                /* rows in use (at least 1) */
   double width, sum, variance;
   long tick;
   bool drift;
   /* false (River's ADWIN): start afresh on the update after a detection;
    * true: the window goes on, cut (River's AdaptiveWindowing by itself) */
   bool keep_window;
} Adwin;

void Adwin_init(Adwin *a); /* River's defaults */
void Adwin_update(Adwin *a, double x);
/* The mean of the values in the window (0: none). */
double Adwin_estimation(const Adwin *a);

#endif
