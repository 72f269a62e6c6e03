/* SPDX-License-Identifier: MIT */
/* Suggestions (DESIGN §7, n/N): stretches of the stream worth labelling,
 * ranked so the engineer labels what helps retraining most.
 *
 *   models disagree records without truth (in the stream or a label) on
 *                   which the models of a multi-model stream (models.h)
 *                   predict differently: 2 points a record, first of all
 *                   (labelled, such a record says which model is right);
 *   disagreement    records whose prediction differs from their truth (a
 *                   label or the stream's): 1 point a record;
 *   low confidence  runs of records whose top class score is under the
 *                   threshold (0.6): (threshold - confidence) / threshold a
 *                   record, so a confident-enough record adds nothing;
 *   flapping        runs where the prediction changes at least 3 times in
 *                   10 records: 0.5 a change;
 *   drift           the records of windows with dataset drift (merged where
 *                   they overlap): 0.25 a record.
 *
 * Records already labelled add nothing to the last four (disagreement is
 * about the labels). Highest score first; ties by position. */
#ifndef DRIFTSCOPE_SUGGEST_H
#define DRIFTSCOPE_SUGGEST_H

#include <stddef.h>

#include "driftscope/analysis.h"

#define DS_SUGGEST_CONFIDENCE 0.6
#define DS_FLAP_WINDOW 10
#define DS_FLAP_CHANGES 3

typedef enum {
   SUGGEST_DISAGREE,
   SUGGEST_LOW_CONFIDENCE,
   SUGGEST_FLAPPING,
   SUGGEST_DRIFT,
   SUGGEST_MODELS_DISAGREE
} SuggestKind;

typedef struct Suggestion {
   SuggestKind kind;
   size_t first, count; /* records */
   double score;
   double value; /* low confidence: the mean confidence; flapping: changes; drift: the largest share */
} Suggestion;

extern const char *const ds_suggest_names[5];

/* The suggestions over records [t->base, t->base + n) of t (windows done
 * in a, may be NULL); labelled[r - t->base] says whether record r is in a
 * segment (NULL: none is). Suggestion.first is a record number. Returns an
 * allocated array (free()) of *count, ranked; NULL on no memory. */
Suggestion *ds_suggest(const Table *t, const Analysis *a, const bool *labelled, size_t n, size_t *count);

#endif
