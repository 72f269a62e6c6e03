/* SPDX-License-Identifier: MIT */
/* Champion vs challenger (DESIGN §5): a stream that carries the outputs
 * of several models for the same input (pred_<model> and
 * score_<model>_<class> columns, an Edge Impulse multi-impulse build's
 * blocks) gets each model's figures and each challenger compared with
 * the champion, record by record.
 *
 * The champion is the stream's own model (a plain pred column or
 * score_<class> columns) when it has one, else the first named model
 * (Table.pred_col). Each model: the records it predicted, accuracy and
 * macro-F1 over the records with truth, the mean latency
 * (inference_ms_<model> or latency_ms_<model>; the plain column for the
 * stream's own model) and mean confidence (the top class score). Each
 * challenger against the champion, over the records both predicted:
 * agreement, Cohen's kappa (scikit-learn's cohen_kappa_score) and, over
 * those with truth, McNemar's test on the records only one of the two got
 * right: exact (two-sided binomial, scipy.stats.binomtest, as statsmodels'
 * mcnemar(exact=True)) when fewer than 25 records split them, else the
 * chi-square with continuity correction (statsmodels' exact=False). */
#ifndef DRIFTSCOPE_MODELS_H
#define DRIFTSCOPE_MODELS_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/metrics.h"
#include "driftscope/table.h"

#define DS_MCNEMAR_EXACT_BELOW 25 /* discordant records under which the exact test is used */
#define DS_MODELS_ALPHA 0.05      /* "better" when McNemar's p is under it */

typedef struct ModelFigures {
   char name[DS_NAME_MAX];
   int model;                           /* Table.model index, -1: the stream's own */
   int pred_col, conf_col, latency_col; /* in the current table, -1 when absent */
   long predicted, labelled;            /* records with its prediction; of them, with truth */
   Confusion *confusion;                /* over the labelled ones */
   double latency_sum, conf_sum;
   long latency_n, conf_n;
   /* Models_conclude: NaN where there is nothing to say */
   double accuracy, macro_f1, latency_ms, confidence;
} ModelFigures;

typedef struct ModelPair {
   int champion, challenger; /* indices in Models.m */
   long both, agree;         /* records both predicted; of them, alike */
   long count_a[DS_MAX_CLASSES], count_b[DS_MAX_CLASSES];
   long labelled;             /* of the records both predicted, with truth */
   long a_only, b_only;       /* of them, right by the champion alone, by the challenger alone */
   long a_right, b_right;     /* of them, right by each */
   double agreement, kappa;   /* Models_conclude; NaN: no records (kappa: one class only) */
   double statistic, p_value; /* McNemar: min(a_only, b_only) when exact, else chi-square */
   bool exact;                /* the exact binomial test */
   int better;                /* the model right more often when p < DS_MODELS_ALPHA, else -1 */
} ModelPair;

typedef struct Models {
   int n;           /* m[0] is the champion */
   bool regression; /* numeric predictions: compared by nothing here (said) */
   ModelFigures m[DS_MAX_MODELS + 1];
   ModelPair pair[DS_MAX_MODELS]; /* pair[i]: m[0] against m[i + 1] */
} Models;

/* The models of cur when it carries two or more (NULL: fewer, or no
 * memory, which *oom tells). */
Models *Models_new(const Table *cur, bool *oom);
void Models_free(Models *ms);
/* Forget the records counted (a rewind to record 0). */
void Models_clear(Models *ms);
/* A copy of src (NULL: no memory). */
Models *Models_clone(const Models *src);
/* Whether a and b follow the same models, in the same order. */
bool Models_same(const Models *a, const Models *b);
/* Make dst a copy of src (Models_same). */
void Models_copy(Models *dst, const Models *src);
void Models_consume(Models *ms, const Table *cur, size_t from, size_t upto);
void Models_conclude(Models *ms, int nclasses);

/* McNemar's test on b and c, the records only one of two models got
 * right: the two-sided p-value, and *statistic (min(b, c) when *exact,
 * else the continuity-corrected chi-square). */
double ds_mcnemar(long b, long c, double *statistic, bool *exact);

/* The models' verdict in one line: "b is better than a: accuracy 0.912
 * against 0.840 on 1,200 labelled records; McNemar p = 0.0003 (exact)",
 * or why it cannot be said. False when there is no challenger. */
bool Models_line(char *buf, size_t n, const Models *ms, int pair);

#endif
