/* SPDX-License-Identifier: MIT */
/* Model quality when ground truth is known (DESIGN §5): a confusion matrix
 * over class ids (rows truth, columns prediction) and the metrics derived
 * from it, as scikit-learn defines them (zero_division = 0); and MAE/RMSE
 * for a numeric prediction. */
#ifndef DRIFTSCOPE_METRICS_H
#define DRIFTSCOPE_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/table.h"

typedef struct Confusion {
   long m[DS_MAX_CLASSES][DS_MAX_CLASSES]; /* [truth][pred] */
   long total;
} Confusion;

void Confusion_clear(Confusion *c);
void Confusion_add(Confusion *c, int truth, int pred);
void Confusion_remove(Confusion *c, int truth, int pred);

typedef struct ClassMetrics {
   double precision, recall, f1;
   long support;
} ClassMetrics;

/* Classes that occur as truth or prediction, in id order; returns how many. */
int Confusion_classes(const Confusion *c, int nclasses, int *out);
double Confusion_accuracy(const Confusion *c);
ClassMetrics Confusion_class(const Confusion *c, int nclasses, int cls);
/* Unweighted mean F1 over the classes that occur (sklearn f1_score average="macro"). */
double Confusion_macro_f1(const Confusion *c, int nclasses);

typedef struct Regression {
   long n;
   double sum_abs, sum_sq;
   double sum_err;              /* prediction - truth */
   double sum_ape;              /* |error| / max(|truth|, eps), as scikit-learn's MAPE */
   double truth_mean, truth_m2; /* Welford's, for R² */
} Regression;

void Regression_add(Regression *r, double truth, double pred);
double Regression_mae(const Regression *r);
double Regression_rmse(const Regression *r);
/* scikit-learn's mean_absolute_percentage_error (a fraction, not %). */
double Regression_mape(const Regression *r);
/* scikit-learn's r2_score (1 when the truth is constant and every
 * prediction right, 0 when it is constant and one is wrong). */
double Regression_r2(const Regression *r);
/* The mean of prediction - truth (Evidently's mean error: > 0 overestimates). */
double Regression_bias(const Regression *r);

#endif
