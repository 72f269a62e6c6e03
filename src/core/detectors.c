// SPDX-License-Identifier: MIT
#include "driftscope/detectors.h"

#include <math.h>

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
