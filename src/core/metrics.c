// SPDX-License-Identifier: MIT
#include "driftscope/metrics.h"

#include <math.h>
#include <string.h>

void Confusion_clear(Confusion *c) {
   memset(c, 0, sizeof *c);
}

void Confusion_add(Confusion *c, int truth, int pred) {
   c->m[truth][pred]++;
   c->total++;
}

void Confusion_remove(Confusion *c, int truth, int pred) {
   c->m[truth][pred]--;
   c->total--;
}

static long row_sum(const Confusion *c, int nclasses, int r) {
   long s = 0;
   for (int j = 0; j < nclasses; j++)
      s += c->m[r][j];
   return s;
}

static long col_sum(const Confusion *c, int nclasses, int col) {
   long s = 0;
   for (int i = 0; i < nclasses; i++)
      s += c->m[i][col];
   return s;
}

int Confusion_classes(const Confusion *c, int nclasses, int *out) {
   int k = 0;
   for (int i = 0; i < nclasses; i++)
      if (row_sum(c, nclasses, i) || col_sum(c, nclasses, i))
         out[k++] = i;
   return k;
}

double Confusion_accuracy(const Confusion *c) {
   if (!c->total)
      return NAN;
   long ok = 0;
   for (int i = 0; i < DS_MAX_CLASSES; i++)
      ok += c->m[i][i];
   return (double)ok / (double)c->total;
}

ClassMetrics Confusion_class(const Confusion *c, int nclasses, int cls) {
   ClassMetrics r;
   long tp = c->m[cls][cls], predicted = col_sum(c, nclasses, cls), actual = row_sum(c, nclasses, cls);
   r.precision = predicted ? (double)tp / (double)predicted : 0.0;
   r.recall = actual ? (double)tp / (double)actual : 0.0;
   r.f1 = (r.precision + r.recall) > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0.0;
   r.support = actual;
   return r;
}

double Confusion_macro_f1(const Confusion *c, int nclasses) {
   int ids[DS_MAX_CLASSES];
   int k = Confusion_classes(c, nclasses, ids);
   if (!k)
      return NAN;
   double s = 0;
   for (int i = 0; i < k; i++)
      s += Confusion_class(c, nclasses, ids[i]).f1;
   return s / k;
}

void Regression_add(Regression *r, double truth, double pred) {
   double e = pred - truth;
   r->n++;
   r->sum_abs += fabs(e);
   r->sum_sq += e * e;
   r->sum_err += e;
   r->sum_ape += fabs(e) / fmax(fabs(truth), 2.220446049250313e-16); /* numpy's float64 eps */
   double d = truth - r->truth_mean;
   r->truth_mean += d / (double)r->n;
   r->truth_m2 += d * (truth - r->truth_mean);
}

double Regression_mape(const Regression *r) {
   return r->n ? r->sum_ape / (double)r->n : NAN;
}

double Regression_r2(const Regression *r) {
   if (!r->n)
      return NAN;
   if (r->truth_m2 == 0)
      return r->sum_sq == 0 ? 1.0 : 0.0;
   return 1 - r->sum_sq / r->truth_m2;
}

double Regression_bias(const Regression *r) {
   return r->n ? r->sum_err / (double)r->n : NAN;
}

double Regression_mae(const Regression *r) {
   return r->n ? r->sum_abs / (double)r->n : NAN;
}

double Regression_rmse(const Regression *r) {
   return r->n ? sqrt(r->sum_sq / (double)r->n) : NAN;
}
