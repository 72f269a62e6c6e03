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
   for (int m = 0; m < DS_MAX_MODELS; m++)
      t->model_pred[m] = t->model_conf[m] = -1;
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
static const char *const score_prefixes[] = {"score_", "p_", "prob_", NULL};
static const char *const model_pred_prefixes[] = {"pred_", "prediction_", "y_pred_", NULL};

ColumnRole ds_role_for_name(const char *name, char *cls) {
   static const char *const time_names[] = {"t", "time", "timestamp", "ts", "time_ms", NULL};
   static const char *const truth_names[] = {"label", "truth", "y_true", "actual", "target", NULL};
   static const char *const pred_names[] = {"pred",  "prediction",     "y_pred", "predicted",
                                            "class", "classification", NULL};
   if (strcasecmp(name, "rx_ms") == 0)
      return ROLE_RX;
   if (name_in(name, time_names))
      return ROLE_TIME;
   if (name_in(name, truth_names))
      return ROLE_TRUTH;
   if (name_in(name, pred_names) || ds_model_pred_name(name, NULL))
      return ROLE_PRED;
   if (name_in(name, telemetry_names) || (strncasecmp(name, "objects_", 8) == 0 && name[8]))
      return ROLE_TELEMETRY; /* objects_<label>: an object detector's boxes of a label */
   for (const char *const *p = score_prefixes; *p; p++) {
      size_t k = strlen(*p);
      if (strncasecmp(name, *p, k) == 0 && name[k]) {
         if (cls) {
            ds_copy_name(cls, name + k);
         }
         return ROLE_SCORE;
      }
   }
   return ROLE_FEATURE;
}

bool ds_model_pred_name(const char *name, char *model) {
   for (const char *const *p = model_pred_prefixes; *p; p++) {
      size_t k = strlen(*p);
      if (strncasecmp(name, *p, k) == 0 && name[k]) {
         if (model)
            ds_copy_name(model, name + k);
         return true;
      }
   }
   return false;
}

/* The model (-1: none) whose name, with "_", begins s (the longest such). */
static int model_prefix(const Table *t, const char *s, size_t *len) {
   int best = -1;
   size_t blen = 0;
   for (int m = 0; m < t->nmodels; m++) {
      size_t k = strlen(t->model[m]);
      if (k > blen && strncasecmp(s, t->model[m], k) == 0 && s[k] == '_' && s[k + 1]) {
         best = m;
         blen = k;
      }
   }
   *len = blen + 1;
   return best;
}

/* The model (-1: none) that name, a telemetry name and "_<model>", is of. */
static int model_telemetry(const Table *t, const char *name) {
   for (const char *const *p = telemetry_names; *p; p++) {
      size_t k = strlen(*p);
      if (strncasecmp(name, *p, k) == 0 && name[k] == '_')
         for (int m = 0; m < t->nmodels; m++)
            if (strcasecmp(name + k + 1, t->model[m]) == 0)
               return m;
   }
   return -1;
}

ColumnRole Table_name_role(const Table *t, const char *name, char *cls, int *model) {
   char own[DS_NAME_MAX] = "";
   ColumnRole r = ds_role_for_name(name, own);
   *model = -1;
   if (cls)
      ds_copy_name(cls, own);
   if (r == ROLE_PRED && ds_model_pred_name(name, own)) {
      for (int m = 0; m < t->nmodels; m++)
         if (strcasecmp(own, t->model[m]) == 0)
            *model = m;
   } else if (r == ROLE_SCORE) {
      size_t k;
      if ((*model = model_prefix(t, own, &k)) >= 0 && cls)
         ds_copy_name(cls, own + k);
   } else if (r == ROLE_FEATURE && (*model = model_telemetry(t, name)) >= 0) {
      r = ROLE_TELEMETRY;
   }
   return r;
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

static int add_column(Table *t, const char *name, ColumnRole role, ColumnKind kind, int score_class, int model);

int Table_add_column(Table *t, const char *name, ColumnRole role, ColumnKind kind, int score_class) {
   write_lock(t);
   int c = add_column(t, name, role, kind, score_class, -1);
   write_unlock(t);
   return c;
}

int Table_model(Table *t, const char *name) {
   for (int m = 0; m < t->nmodels; m++)
      if (strcasecmp(t->model[m], name) == 0)
         return m;
   if (t->nmodels >= DS_MAX_MODELS)
      return -1;
   int m = t->nmodels++;
   ds_copy_name(t->model[m], name);
   for (int i = 0; i < t->ncols; i++) { /* columns named for it before it was known */
      Column *c = t->cols[i];
      char cls[DS_NAME_MAX];
      int owner;
      ColumnRole r = c->model < 0 ? Table_name_role(t, c->name, cls, &owner) : c->role;
      if (c->model >= 0 || owner != m)
         continue;
      if (r == ROLE_SCORE) {
         int id = Classes_intern(t->classes, cls, strlen(cls));
         if (id < 0)
            continue;
         c->score_class = id;
      }
      if (r == ROLE_PRED && t->model_pred[m] < 0)
         t->model_pred[m] = i;
      c->role = r;
      c->model = m;
   }
   return m;
}

int Table_add_named(Table *t, const char *name) {
   char cls[DS_NAME_MAX];
   if (ds_model_pred_name(name, cls) && Table_model(t, cls) < 0)
      return -1;
   int model;
   ColumnRole role = Table_name_role(t, name, cls, &model);
   int cid = -1;
   if (role == ROLE_SCORE && (cid = Classes_intern(t->classes, cls, strlen(cls))) < 0)
      return -2;
   ColumnKind kind = (role == ROLE_PRED || role == ROLE_TRUTH) ? KIND_CATEGORICAL : KIND_NUMERIC;
   write_lock(t);
   int c = add_column(t, name, role, kind, cid, model);
   write_unlock(t);
   return c;
}

/* Add a column like src's (of table from) to t, its model declared in t. */
static int add_like(Table *t, const Table *from, const Column *src) {
   int model = src->model >= 0 ? Table_model(t, from->model[src->model]) : -1;
   if (src->model >= 0 && model < 0)
      return -1;
   write_lock(t);
   int c = add_column(t, src->name, src->role, src->kind, src->score_class, model);
   write_unlock(t);
   return c;
}

static int add_column(Table *t, const char *name, ColumnRole role, ColumnKind kind, int score_class, int model) {
   if (t->ncols >= DS_MAX_COLUMNS)
      return -1;
   Column *c = calloc(1, sizeof *c);
   if (!c)
      return -1;
   ds_copy_name(c->name, name);
   c->role = role;
   c->kind = kind;
   c->score_class = score_class;
   c->model = model;
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
   /* the champion's: the stream's own model, else the first named one */
   if (slot && (*slot < 0 || (model < 0 && (role == ROLE_PRED || role == ROLE_CONFIDENCE) &&
                              t->cols[*slot]->model >= 0 && t->cols[*slot]->role == role)))
      *slot = idx;
   if (model >= 0 && role == ROLE_PRED && t->model_pred[model] < 0)
      t->model_pred[model] = idx;
   if (model >= 0 && role == ROLE_CONFIDENCE && t->model_conf[model] < 0)
      t->model_conf[model] = idx;
   return idx;
}

bool Table_clone_schema(Table *dst, const Table *src) {
   for (int i = 0; i < src->ncols; i++) {
      const Column *c = src->cols[i];
      if (add_like(dst, src, c) != i)
         return false;
   }
   return true;
}

bool Table_append(Table *dst, const Table *src, int remap_from, const int *remap) {
   size_t rows = dst->nrows + src->nrows;
   for (int i = 0; i < src->ncols; i++) {
      const Column *s = src->cols[i];
      int d = Table_find(dst, s->name);
      if (d < 0 && (d = add_like(dst, src, s)) < 0)
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

/* Add a column derived from model's class scores, with room checked. */
static int add_derived(Table *t, const char *what, int model, ColumnRole role, ColumnKind kind, DsError *e) {
   char name[DS_NAME_MAX];
   if (model < 0)
      ds_copy_name(name, what);
   else
      snprintf(name, sizeof name, "%s_%s", what, t->model[model]);
   if (t->ncols >= DS_MAX_COLUMNS) {
      DsError_set(e, NULL, 0, 0,
                  "no room for the %s column derived from the class scores: driftscope keeps at most %d columns", name,
                  DS_MAX_COLUMNS);
      return -1;
   }
   write_lock(t);
   int c = add_column(t, name, role, kind, -1, model);
   write_unlock(t);
   if (c < 0)
      DsError_set(e, NULL, 0, 0, "out of memory adding a derived column");
   return c;
}

int Table_model_column(const Table *t, int model, ColumnRole role) {
   if (model >= 0)
      return role == ROLE_PRED ? t->model_pred[model] : t->model_conf[model];
   int c = role == ROLE_PRED ? t->pred_col : t->conf_col;
   return c >= 0 && t->cols[c]->model < 0 ? c : -1;
}

/* Fill model's confidence column and, without a prediction value, its
 * argmax prediction. Ties go to the first class, as numpy's argmax. */
static bool derive_model(Table *t, int model, DsError *e) {
   int best = -1;
   double top = NAN;
   for (int i = 0; i < t->ncols; i++) {
      Column *c = t->cols[i];
      if (c->role != ROLE_SCORE || c->model != model || isnan(t->row[i]))
         continue;
      if (best < 0 || t->row[i] > top) {
         top = t->row[i];
         best = c->score_class;
      }
   }
   if (best < 0)
      return true;
   int conf = Table_model_column(t, model, ROLE_CONFIDENCE);
   if (conf < 0 && (conf = add_derived(t, "confidence", model, ROLE_CONFIDENCE, KIND_NUMERIC, e)) < 0)
      return false;
   t->row[conf] = top;
   int pred = Table_model_column(t, model, ROLE_PRED);
   if (pred < 0 && (pred = add_derived(t, "pred", model, ROLE_PRED, KIND_CATEGORICAL, e)) < 0)
      return false;
   if (isnan(t->row[pred]))
      t->row[pred] = best;
   return true;
}

/* Each model's confidence (the top class score) and, where it printed
 * none, its prediction (the top class). */
static bool derive_from_scores(Table *t, DsError *e) {
   for (int m = -1; m < t->nmodels; m++)
      if (!derive_model(t, m, e))
         return false;
   return true;
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
