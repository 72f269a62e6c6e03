/* SPDX-License-Identifier: MIT */
/* Streaming concept-drift detectors on the error stream (1 = the model was
 * wrong, 0 = right), with River's defaults (DESIGN §4):
 *   DDM (river.drift.binary.DDM): warm start 30, warning 2σ, drift 3σ;
 *   Page-Hinkley (river.drift.PageHinkley): min 30, δ 0.005, λ 50,
 *   α 0.9999, mode "both".
 * Both reset themselves on the update after a detection, as River's do. */
#ifndef DRIFTSCOPE_DETECTORS_H
#define DRIFTSCOPE_DETECTORS_H

#include <stdbool.h>

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

#endif
