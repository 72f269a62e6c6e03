// SPDX-License-Identifier: MIT
/* JSON Lines: one JSON object a line, as ArduinoJson firmware prints
 *
 *   {"ax":0.12,"ay":-0.5,"pred":"wave","score_wave":0.91}
 *   {"ModelNumber":0,"Classification":2,"FeatureLength":3,"FeatureVector":["2","0","253"]}   (SensiML)
 *
 * parsed with jansson. Keys take roles as CSV headers do (pred, label,
 * score_<class>, time_ms, dsp_ms...; "Classification" is a prediction).
 * Values: numbers; strings (a class, a category, or a number written as
 * text, as SensiML writes its features); true/false as 1/0; null missing.
 * An array's elements are columns of their own: "FeatureVector" or
 * "features" (and a whole line that is an array) become f0, f1, ... (named
 * by --names or, matched by position, the reference's features, as
 * headerless numbers are), any other key k becomes k_0, k_1, ...; a nested
 * object's keys become parent.key. An integer prediction or truth is a
 * class id, named by --classes when given.
 *
 * Not handled: objects spanning lines (a line is a record); nesting deeper
 * than JSON_DEPTH (its values are skipped, and counted as bad values). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driftscope/ingest.h"
#include "driftscope/numparse.h"

#define JSON_DEPTH 4      /* nested objects read */
#define JSON_KEY_CACHE 64 /* keys remembered with their column */

typedef struct KeyCol {
   char key[DS_NAME_MAX];
   int col;
} KeyCol;

typedef struct JsonParser {
   KeyCol cache[JSON_KEY_CACHE];
   int ncache, next; /* next: where the line's next key was last time */
   bool decided[DS_MAX_COLUMNS]; /* a prediction's kind settled */
   long lineno;
} JsonParser;

static void *json_create(Ingest *in) {
   (void)in;
   return calloc(1, sizeof(JsonParser));
}

static void json_destroy(void *self) {
   free(self);
}

/* The column for name, created with the role its name gives (-1: no room).
 * Keys come in the same order line after line: the cache is tried at the
 * slot after the last key first. */
static int key_column(JsonParser *jp, Ingest *in, const char *name) {
   for (int k = 0; k < jp->ncache; k++) {
      int i = (jp->next + k) % jp->ncache;
      if (strcmp(jp->cache[i].key, name) == 0) {
         jp->next = i + 1;
         return jp->cache[i].col;
      }
   }
   Table *t = in->table;
   int c = Table_find(t, name);
   if (c < 0) {
      char cls[DS_NAME_MAX] = "";
      ColumnRole role = ds_role_for_name(name, cls);
      int cid = -1;
      if (role == ROLE_SCORE && (cid = Classes_intern(t->classes, cls, strlen(cls))) < 0) {
         Ingest_bad_field(in, jp->lineno, "more than %d classes: '%s' ignored", DS_MAX_CLASSES, name);
         return -1;
      }
      ColumnKind kind = (role == ROLE_PRED || role == ROLE_TRUTH) ? KIND_CATEGORICAL : KIND_NUMERIC;
      c = Table_add_column(t, name, role, kind, cid);
      if (c < 0) {
         Ingest_bad_field(in, jp->lineno, "too many columns: '%s' ignored", name);
         return -1;
      }
   }
   if (jp->ncache < JSON_KEY_CACHE && strlen(name) < DS_NAME_MAX) {
      snprintf(jp->cache[jp->ncache].key, DS_NAME_MAX, "%s", name);
      jp->cache[jp->ncache].col = c;
      jp->next = ++jp->ncache % JSON_KEY_CACHE;
   }
   return c;
}

/* A prediction or truth column's kind from its first value: a number
 * with a fraction is a regression's. */
static void decide(JsonParser *jp, Table *t, int c, double v) {
   if (jp->decided[c])
      return;
   jp->decided[c] = true;
   ColumnRole r = t->cols[c]->role;
   if ((r == ROLE_PRED || r == ROLE_TRUTH) && v != floor(v) && t->cols[c]->n_missing == t->nrows)
      Table_set_kind(t, c, KIND_NUMERIC);
}

/* Set column c from text: a class for a categorical column, else a number. */
static void set_text(JsonParser *jp, Ingest *in, int c, const char *s, size_t n) {
   Table *t = in->table;
   Column *col = t->cols[c];
   double v;
   NumParse r = ds_parse_number(s, n, &v);
   if (r == NUM_MISSING)
      return;
   if (col->kind == KIND_CATEGORICAL) {
      int id = Ingest_class(in, s, n);
      if (id >= 0) {
         Table_row_set(t, c, id);
         return;
      }
      col->n_bad++;
      if (id == -1)
         Ingest_bad_field(in, jp->lineno, "more than %d classes: '%.40s' not counted", DS_MAX_CLASSES, s);
      return;
   }
   if (r == NUM_OK) {
      Table_row_set(t, c, v);
      return;
   }
   if (col->role == ROLE_FEATURE && col->n_missing == t->nrows && !jp->decided[c]) { /* text from the start */
      Table_set_kind(t, c, KIND_CATEGORICAL);
      jp->decided[c] = true;
      set_text(jp, in, c, s, n);
      return;
   }
   col->n_bad++;
   Ingest_bad_field(in, jp->lineno, "'%s': not a number: '%.40s'", col->name, s);
}

static void set_number(JsonParser *jp, Ingest *in, int c, double v) {
   Table *t = in->table;
   decide(jp, t, c, v);
   if (t->cols[c]->kind == KIND_CATEGORICAL) { /* a class id */
      char id[32];
      int n = snprintf(id, sizeof id, "%.17g", v);
      set_text(jp, in, c, id, (size_t)n);
      return;
   }
   if (isfinite(v))
      Table_row_set(t, c, v);
}

static void value(JsonParser *jp, Ingest *in, const char *name, json_t *v, int depth);

/* Array elements as columns: f<i> (named as headerless columns are) for
 * the feature vector, else name_<i>. */
static void array(JsonParser *jp, Ingest *in, const char *name, json_t *a, int depth) {
   bool vector = !name || !strcasecmp(name, "FeatureVector") || !strcasecmp(name, "features");
   size_t i;
   json_t *e;
   json_array_foreach(a, i, e) {
      char col[DS_NAME_MAX + 24];
      if (vector)
         snprintf(col, sizeof col, "%s", Ingest_column_name(in, (int)i, json_array_size(a)));
      else
         snprintf(col, sizeof col, "%s_%zu", name, i);
      value(jp, in, col, e, depth + 1);
   }
}

static void object(JsonParser *jp, Ingest *in, const char *prefix, json_t *o, int depth) {
   const char *key;
   json_t *v;
   json_object_foreach(o, key, v) {
      char name[2 * DS_NAME_MAX + 2];
      if (prefix)
         snprintf(name, sizeof name, "%s.%s", prefix, key);
      else
         snprintf(name, sizeof name, "%s", key);
      value(jp, in, name, v, depth + 1);
   }
}

static void value(JsonParser *jp, Ingest *in, const char *name, json_t *v, int depth) {
   if (depth > JSON_DEPTH) {
      Ingest_bad_field(in, jp->lineno, "'%s': nested more than %d deep, not read", name, JSON_DEPTH);
      return;
   }
   if (json_is_array(v)) {
      array(jp, in, name, v, depth);
      return;
   }
   if (json_is_object(v)) {
      object(jp, in, name, v, depth);
      return;
   }
   if (json_is_null(v))
      return;
   int c = key_column(jp, in, name);
   if (c < 0)
      return;
   if (json_is_string(v))
      set_text(jp, in, c, json_string_value(v), json_string_length(v));
   else if (json_is_boolean(v))
      set_number(jp, in, c, json_is_true(v));
   else
      set_number(jp, in, c, json_number_value(v));
}

static void json_line(void *self, Ingest *in, const char *s, size_t n, long lineno) {
   JsonParser *jp = self;
   jp->lineno = lineno;
   json_error_t err;
   json_t *root = json_loadb(s, n, JSON_REJECT_DUPLICATES, &err);
   if (!root) {
      Ingest_bad(in, lineno, "invalid JSON at column %d: %s", err.column, err.text);
      return;
   }
   if (!json_is_object(root) && !json_is_array(root)) {
      Ingest_bad(in, lineno, "a JSON line must be an object or an array");
      json_decref(root);
      return;
   }
   Ingest_row_begin(in);
   if (json_is_object(root))
      object(jp, in, NULL, root, 0);
   else
      array(jp, in, NULL, root, 0);
   json_decref(root);
   if (!in->table->row_any) {
      in->table->in_row = false;
      Ingest_bad(in, lineno, "no value in this JSON line");
      return;
   }
   Ingest_commit(in);
}

static void json_finish(void *self, Ingest *in) {
   (void)self;
   (void)in;
}

const ParserClass JsonParser_class = {
   .format = DS_FORMAT_JSON,
   .create = json_create,
   .line = json_line,
   .finish = json_finish,
   .destroy = json_destroy,
};
