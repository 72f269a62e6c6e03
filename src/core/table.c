// SPDX-License-Identifier: MIT
#include "driftscope/table.h"

#include "driftscope/bigalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void Classes_init(Classes *c) {
   memset(c, 0, sizeof *c);
}

void Classes_done(Classes *c) {
   for (int i = 0; i < c->n; i++)
      free(c->name[i]);
   c->n = 0;
}

int Classes_find(const Classes *c, const char *s) {
   for (int i = 0; i < c->n; i++)
      if (strcmp(c->name[i], s) == 0)
         return i;
   return -1;
}

int Classes_intern(Classes *c, const char *s, size_t len) {
   if (len >= DS_NAME_MAX)
      len = DS_NAME_MAX - 1;
   for (int i = 0; i < c->n; i++)
      if (strncmp(c->name[i], s, len) == 0 && c->name[i][len] == '\0')
         return i;
   if (c->n >= DS_MAX_CLASSES)
      return -1;
   char *copy = malloc(len + 1);
   if (!copy)
      return -1;
   memcpy(copy, s, len);
   copy[len] = '\0';
   c->name[c->n] = copy;
   return c->n++;
}

bool Classes_copy(Classes *dst, const Classes *src) {
   for (int i = 0; i < src->n; i++)
      if (Classes_intern(dst, src->name[i], strlen(src->name[i])) != i)
         return false;
   return true;
}

bool Table_init(Table *t, Classes *classes, bool store_scores) {
   memset(t, 0, sizeof *t);
   t->classes = classes;
   t->store_scores = store_scores;
   t->pred_col = t->truth_col = t->time_col = t->rx_col = t->conf_col = -1;
   t->row = malloc(sizeof(double) * DS_MAX_COLUMNS);
   return t->row != NULL;
}

void Table_done(Table *t) {
   for (int i = 0; i < t->ncols; i++) {
      free(t->cols[i]->v);
      free(t->cols[i]);
   }
   free(t->row);
   memset(t, 0, sizeof *t);
}

static bool name_in(const char *name, const char *const *list) {
   for (; *list; list++)
      if (strcasecmp(name, *list) == 0)
         return true;
   return false;
}

ColumnRole ds_role_for_name(const char *name, char *cls) {
   static const char *const time_names[] = {"t", "time", "timestamp", "ts", "time_ms", NULL};
   static const char *const truth_names[] = {"label", "truth", "y_true", "actual", "target", NULL};
   static const char *const pred_names[] = {"pred",  "prediction",     "y_pred", "predicted",
                                            "class", "classification", NULL};
   static const char *const telemetry_names[] = {"dsp_ms",
                                                 "inference_ms",
                                                 "latency_ms",
                                                 "anomaly",
                                                 "ram_kb",
                                                 "anomaly_ms",
                                                 "postprocessing_ms",
                                                 "objects",
                                                 "object_confidence",
                                                 "object_area",
                                                 "visual_anomaly_mean",
                                                 "visual_anomaly_max",
                                                 NULL};
   static const char *const score_prefixes[] = {"score_", "p_", "prob_"};
   if (strcasecmp(name, "rx_ms") == 0)
      return ROLE_RX;
   if (name_in(name, time_names))
      return ROLE_TIME;
   if (name_in(name, truth_names))
      return ROLE_TRUTH;
   if (name_in(name, pred_names))
      return ROLE_PRED;
   if (name_in(name, telemetry_names) || (strncasecmp(name, "objects_", 8) == 0 && name[8]))
      return ROLE_TELEMETRY; /* objects_<label>: an object detector's boxes of a label */
   for (size_t i = 0; i < sizeof score_prefixes / sizeof score_prefixes[0]; i++) {
      size_t k = strlen(score_prefixes[i]);
      if (strncasecmp(name, score_prefixes[i], k) == 0 && name[k]) {
         if (cls) {
            ds_copy_name(cls, name + k);
         }
         return ROLE_SCORE;
      }
   }
   return ROLE_FEATURE;
}

const char *ds_role_name(ColumnRole r) {
   switch (r) {
   case ROLE_FEATURE: return "feature";
   case ROLE_TIME: return "time";
   case ROLE_RX: return "rx";
   case ROLE_TRUTH: return "truth";
   case ROLE_PRED: return "prediction";
   case ROLE_SCORE: return "score";
   case ROLE_TELEMETRY: return "telemetry";
   case ROLE_CONFIDENCE: return "prediction";
   }
   return "feature";
}

void ds_copy_name(char *dst, const char *src) {
   snprintf(dst, DS_NAME_MAX, "%s", src);
}

int Table_find(const Table *t, const char *name) {
   for (int i = 0; i < t->ncols; i++)
      if (strcasecmp(t->cols[i]->name, name) == 0)
         return i;
   return -1;
}

static void write_lock(Table *t) {
   if (t->locking.lock)
      t->locking.lock(t->locking.ctx, true);
}

static void write_unlock(Table *t) {
   if (t->locking.unlock)
      t->locking.unlock(t->locking.ctx, true);
}

void Table_read_lock(const Table *t) {
   if (t->locking.lock)
      t->locking.lock(t->locking.ctx, false);
}

void Table_read_unlock(const Table *t) {
   if (t->locking.unlock)
      t->locking.unlock(t->locking.ctx, false);
}

size_t Table_rows_published(const Table *t) {
   return __atomic_load_n(&t->nrows, __ATOMIC_ACQUIRE);
}

/* Return whether column c can hold n values (the caller holds the write lock). */
/* Room for n values: doubling, but not past the table's reserve when n
 * fits in it (a stream that keeps its last records knows how many). */
static bool grow(Column *c, size_t n, size_t reserve) {
   if (n <= c->cap)
      return true;
   size_t cap = c->cap ? c->cap : 1024;
   while (cap < n)
      cap *= 2;
   if (reserve >= n && cap > reserve)
      cap = reserve;
   double *v = ds_big_realloc(c->v, c->cap * sizeof *v, cap * sizeof *v);
   if (!v)
      return false;
   c->v = v;
   c->cap = cap;
   return true;
}

static int add_column(Table *t, const char *name, ColumnRole role, ColumnKind kind, int score_class);

int Table_add_column(Table *t, const char *name, ColumnRole role, ColumnKind kind, int score_class) {
   write_lock(t);
   int c = add_column(t, name, role, kind, score_class);
   write_unlock(t);
   return c;
}

static int add_column(Table *t, const char *name, ColumnRole role, ColumnKind kind, int score_class) {
   if (t->ncols >= DS_MAX_COLUMNS)
      return -1;
   Column *c = calloc(1, sizeof *c);
   if (!c)
      return -1;
   ds_copy_name(c->name, name);
   c->role = role;
   c->kind = kind;
   c->score_class = score_class;
   c->stored = role != ROLE_SCORE || t->store_scores;
   if (c->stored) {
      size_t stored = t->nrows - t->base;
      if (!grow(c, (stored + 1 > t->reserve ? stored + 1 : t->reserve), t->reserve)) {
         free(c);
         return -1;
      }
      for (size_t i = 0; i < stored; i++)
         c->v[i] = NAN;
      c->n_missing = t->nrows;
   }
   int idx = t->ncols++;
   t->cols[idx] = c;
   t->row[idx] = NAN; /* also when added while a row is committed (derived columns) */
   int *slot = role == ROLE_PRED         ? &t->pred_col
               : role == ROLE_TRUTH      ? &t->truth_col
               : role == ROLE_TIME       ? &t->time_col
               : role == ROLE_RX         ? &t->rx_col
               : role == ROLE_CONFIDENCE ? &t->conf_col
                                         : NULL;
   if (slot && *slot < 0)
      *slot = idx;
   return idx;
}

bool Table_clone_schema(Table *dst, const Table *src) {
   for (int i = 0; i < src->ncols; i++) {
      const Column *c = src->cols[i];
      if (Table_add_column(dst, c->name, c->role, c->kind, c->score_class) != i)
         return false;
   }
   return true;
}

bool Table_append(Table *dst, const Table *src, int remap_from, const int *remap) {
   size_t rows = dst->nrows + src->nrows;
   for (int i = 0; i < src->ncols; i++) {
      const Column *s = src->cols[i];
      int d = Table_find(dst, s->name);
      if (d < 0 && (d = Table_add_column(dst, s->name, s->role, s->kind, s->score_class)) < 0)
         return false;
      Column *c = dst->cols[d];
      c->n_bad += s->n_bad;
      if (!c->stored || !s->stored)
         continue;
      if (!grow(c, rows, 0))
         return false;
      double *out = c->v + dst->nrows;
      for (size_t r = 0; r < src->nrows; r++) {
         double v = s->v[r];
         if (c->kind == KIND_CATEGORICAL && v >= remap_from) /* -1: past the class cap, missing */
            v = remap[(int)v - remap_from] < 0 ? NAN : remap[(int)v - remap_from];
         out[r] = v;
      }
      c->n_missing += s->n_missing;
   }
   /* columns src never had are missing in its rows */
   for (int i = 0; i < dst->ncols; i++) {
      Column *c = dst->cols[i];
      if (!c->stored || Table_find(src, c->name) >= 0)
         continue;
      if (!grow(c, rows, 0))
         return false;
      for (size_t r = dst->nrows; r < rows; r++)
         c->v[r] = NAN;
      c->n_missing += src->nrows;
   }
   dst->nrows = rows;
   return true;
}

void Table_discard(Table *t, size_t upto) {
   if (upto <= t->base || upto > t->nrows)
      return;
   size_t drop = upto - t->base, keep = t->nrows - upto;
   write_lock(t);
   for (int i = 0; i < t->ncols; i++)
      if (t->cols[i]->stored)
         memmove(t->cols[i]->v, t->cols[i]->v + drop, keep * sizeof(double));
   t->base = upto;
   write_unlock(t);
}

bool Table_reserve(Table *t, size_t rows) {
   bool ok = true;
   write_lock(t);
   t->reserve = rows;
   for (int i = 0; i < t->ncols && ok; i++)
      ok = !t->cols[i]->stored || grow(t->cols[i], rows, rows);
   write_unlock(t);
   return ok;
}

void Table_backfill(Table *t, int c, int where, double v) {
   Column *col = t->cols[c];
   if (!col->stored || (where >= 0 && !t->cols[where]->stored))
      return;
   write_lock(t);
   for (size_t i = 0; i < t->nrows - t->base; i++)
      if (isnan(col->v[i]) && (where < 0 || !isnan(t->cols[where]->v[i]))) {
         col->v[i] = v;
         col->n_missing--;
      }
   write_unlock(t);
}

void Table_set_kind(Table *t, int col, ColumnKind kind) {
   if (t->cols[col]->kind == kind)
      return;
   write_lock(t);
   t->cols[col]->kind = kind;
   write_unlock(t);
}

void Table_row_begin(Table *t) {
   for (int i = 0; i < t->ncols; i++)
      t->row[i] = NAN;
   t->in_row = true;
   t->row_any = false;
}

void Table_row_set(Table *t, int col, double v) {
   t->row[col] = v;
   t->row_any = true;
}

/* Fill the confidence column and, without a prediction column value, the
 * argmax prediction. Ties go to the first class, as numpy's argmax. */
static bool derive_from_scores(Table *t, DsError *e) {
   int best = -1;
   double top = NAN;
   for (int i = 0; i < t->ncols; i++) {
      Column *c = t->cols[i];
      if (c->role != ROLE_SCORE || isnan(t->row[i]))
         continue;
      if (best < 0 || t->row[i] > top) {
         top = t->row[i];
         best = c->score_class;
      }
   }
   if (best < 0)
      return true;
   const char *derived = t->conf_col < 0 ? "confidence" : t->pred_col < 0 ? "pred" : NULL;
   if (derived && t->ncols >= DS_MAX_COLUMNS) {
      DsError_set(e, NULL, 0, 0,
                  "no room for the %s column derived from the class scores: driftscope keeps at most %d columns",
                  derived, DS_MAX_COLUMNS);
      return false;
   }
   if (t->conf_col < 0 && Table_add_column(t, "confidence", ROLE_CONFIDENCE, KIND_NUMERIC, -1) < 0)
      goto oom;
   t->row[t->conf_col] = top;
   if (t->pred_col < 0 && t->ncols >= DS_MAX_COLUMNS) {
      DsError_set(e, NULL, 0, 0,
                  "no room for the pred column derived from the class scores: driftscope keeps at most %d columns",
                  DS_MAX_COLUMNS);
      return false;
   }
   if (t->pred_col < 0 && Table_add_column(t, "pred", ROLE_PRED, KIND_CATEGORICAL, -1) < 0)
      goto oom;
   if (isnan(t->row[t->pred_col]))
      t->row[t->pred_col] = best;
   return true;
oom:
   DsError_set(e, NULL, 0, 0, "out of memory adding a derived column");
   return false;
}

bool Table_row_commit(Table *t, DsError *e) {
   t->in_row = false;
   if (!t->row_any)
      return true;
   if (!derive_from_scores(t, e))
      return false;
   if (t->on_commit)
      t->on_commit(t->commit_ctx, t, t->row);
   size_t at = t->nrows - t->base;
   for (int i = 0; i < t->ncols; i++) {
      Column *c = t->cols[i];
      if (!c->stored)
         continue;
      if (at + 1 > c->cap) {
         write_lock(t);
         bool ok = grow(c, at + 1, t->reserve);
         write_unlock(t);
         if (!ok) {
            DsError_set(e, NULL, 0, 0, "out of memory after %zu rows", t->nrows);
            return false;
         }
      }
      c->v[at] = t->row[i];
      if (isnan(t->row[i]))
         c->n_missing++;
   }
   __atomic_store_n(&t->nrows, t->nrows + 1, __ATOMIC_RELEASE);
   return true;
}
