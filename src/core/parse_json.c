// SPDX-License-Identifier: MIT
/* JSON Lines: one JSON object a line, as ArduinoJson firmware prints
 *
 *   {"ax":0.12,"ay":-0.5,"pred":"wave","score_wave":0.91}
 *   {"ModelNumber":0,"Classification":2,"FeatureLength":3,"FeatureVector":["2","0","253"]}   (SensiML)
 *
 * parsed with yajl's event (SAX) parser, so that no line costs an
 * allocation: jansson and json-c build a tree of the line first and read
 * about 100,000 such lines a second, yajl about 270,000 (measured on the
 * benchmark's 14-key lines). Keys take roles as CSV headers do (pred,
 * label, score_<class>, time_ms, dsp_ms...; "Classification" is a
 * prediction). Values: numbers; strings (a class, a category, or a number
 * written as text, as SensiML writes its features); true/false as 1/0;
 * null missing. An array's elements are columns of their own:
 * "FeatureVector" or "features" (and a line that is an array) become f0,
 * f1, ... (named by --names or, matched by position, by the reference's
 * features, as headerless numbers are), any other key k's become k_0,
 * k_1, ...; a nested object's keys become parent.key. An integer
 * prediction or truth is a class id, named by --classes when given.
 *
 * Not handled: a value spanning lines (each line is one record, or bad);
 * nesting deeper than JSON_DEPTH (those values are skipped and counted as
 * a bad value); feature vectors longer than DS_MAX_COLUMNS. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yajl/yajl_parse.h>

#include "driftscope/ingest.h"
#include "driftscope/numparse.h"

#define JSON_DEPTH 4      /* objects and arrays nested in a line */
#define JSON_KEY_CACHE 64 /* names remembered with their column */
#define JSON_PATH (2 * DS_NAME_MAX)

typedef struct KeyCol {
   char key[JSON_PATH];
   int col;
} KeyCol;

/* An object or array the parser is inside. */
typedef struct Frame {
   bool array, vector;   /* vector: its elements are f0, f1, ... (buffered: named at its end) */
   char name[JSON_PATH]; /* its key path ("" at the top) */
   size_t index;         /* array: the next element's */
} Frame;

typedef struct JsonParser {
   yajl_handle h;
   Ingest *in;
   long lineno;
   Frame stack[JSON_DEPTH + 1];
   int depth, skipped;  /* skipped: levels below JSON_DEPTH being passed over */
   char key[JSON_PATH]; /* the current object key */
   bool started, scalar;
   double vec[DS_MAX_COLUMNS]; /* a feature vector's values */
   size_t nvec;
   KeyCol cache[JSON_KEY_CACHE];
   int ncache, next;             /* next: where the line's next key was last time */
   bool decided[DS_MAX_COLUMNS]; /* a prediction's kind settled */
} JsonParser;

static const yajl_callbacks callbacks;

/* A new yajl handle (after an error the old one cannot go on). */
static bool new_handle(JsonParser *jp) {
   if (jp->h)
      yajl_free(jp->h);
   jp->h = yajl_alloc(&callbacks, NULL, jp);
   if (!jp->h)
      return false;
   yajl_config(jp->h, yajl_allow_multiple_values, 1);
   yajl_config(jp->h, yajl_dont_validate_strings, 1); /* the line splitter has checked the UTF-8 */
   return true;
}

static void *json_create(Ingest *in) {
   JsonParser *jp = calloc(1, sizeof *jp);
   if (!jp)
      return NULL;
   jp->in = in;
   if (!new_handle(jp)) {
      free(jp);
      return NULL;
   }
   return jp;
}

/* A copy with the same columns found and kinds settled, and a parser of
 * its own (a continuation's table is a schema clone: same column indices). */
static void *json_clone(const void *self, Ingest *in) {
   JsonParser *jp = malloc(sizeof *jp);
   if (!jp)
      return NULL;
   memcpy(jp, self, sizeof *jp);
   jp->h = NULL;
   jp->in = in;
   if (!new_handle(jp)) {
      free(jp);
      return NULL;
   }
   return jp;
}

static void json_destroy(void *self) {
   JsonParser *jp = self;
   if (jp->h)
      yajl_free(jp->h);
   free(jp);
}

/* The column for name, created with the role its name gives (-1: no room).
 * Keys come in the same order line after line: the cache is tried at the
 * slot after the last key first. */
static int key_column(JsonParser *jp, const char *name) {
   for (int k = 0; k < jp->ncache; k++) {
      int i = (jp->next + k) % jp->ncache;
      if (strcmp(jp->cache[i].key, name) == 0) {
         jp->next = i + 1;
         return jp->cache[i].col;
      }
   }
   int c = Ingest_named_column(jp->in, name);
   if (c < 0)
      return -1;
   if (jp->ncache < JSON_KEY_CACHE) {
      snprintf(jp->cache[jp->ncache].key, JSON_PATH, "%s", name);
      jp->cache[jp->ncache].col = c;
      jp->next = ++jp->ncache % JSON_KEY_CACHE;
   }
   return c;
}

/* A prediction or truth column's kind from its first value: a number with
 * a fraction is a regression's. */
static void decide(JsonParser *jp, Table *t, int c, double v) {
   if (jp->decided[c])
      return;
   jp->decided[c] = true;
   ColumnRole r = t->cols[c]->role;
   if ((r == ROLE_PRED || r == ROLE_TRUTH) && v != floor(v) && t->cols[c]->n_missing == t->nrows)
      Table_set_kind(t, c, KIND_NUMERIC);
}

/* Set column c from text: a class for a categorical column, else a number. */
static void set_text(JsonParser *jp, int c, const char *s, size_t n) {
   Ingest *in = jp->in;
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
         Ingest_bad_field(in, jp->lineno, "more than %d classes: '%.*s' not counted", DS_MAX_CLASSES,
                          (int)(n > 40 ? 40 : n), s);
      return;
   }
   if (r == NUM_OK) {
      Table_row_set(t, c, v);
      return;
   }
   if (col->role == ROLE_FEATURE && col->n_missing == t->nrows && !jp->decided[c]) { /* text from the start */
      Table_set_kind(t, c, KIND_CATEGORICAL);
      jp->decided[c] = true;
      set_text(jp, c, s, n);
      return;
   }
   col->n_bad++;
   Ingest_bad_field(in, jp->lineno, "'%s': not a number: '%.*s'", col->name, (int)(n > 40 ? 40 : n), s);
}

/* Set column c from a number (written as JSON writes numbers). */
static void set_number(JsonParser *jp, int c, const char *s, size_t n) {
   Table *t = jp->in->table;
   double v;
   if (ds_parse_number(s, n, &v) != NUM_OK) /* out of a double's range: missing, as in CSV */
      return;
   decide(jp, t, c, v);
   if (t->cols[c]->kind == KIND_CATEGORICAL) /* a class id */
      set_text(jp, c, s, n);
   else
      Table_row_set(t, c, v);
}

/* out = a + sep + b (b alone when a is empty; an index when b is NULL),
 * cut to JSON_PATH. */
static void join(char *out, const char *a, char sep, const char *b, size_t index) {
   char tail[JSON_PATH];
   if (!b) {
      snprintf(tail, sizeof tail, "%zu", index);
      b = tail;
   }
   size_t na = strlen(a), nb = strlen(b), k = 0;
   char buf[2 * JSON_PATH + 1];
   memcpy(buf, a, na);
   k = na;
   if (na)
      buf[k++] = sep;
   memcpy(buf + k, b, nb);
   k += nb;
   if (k >= JSON_PATH)
      k = JSON_PATH - 1;
   memcpy(out, buf, k);
   out[k] = '\0';
}

/* The name of the value arriving now (the key itself at the top, else
 * built in buf); NULL when it has none (inside a feature vector, which is
 * named at its end, or too deep). */
static const char *value_name(JsonParser *jp, char *buf) {
   Frame *f = &jp->stack[jp->depth - 1];
   if (jp->skipped || f->vector)
      return NULL;
   if (f->array)
      join(buf, f->name, '_', NULL, f->index);
   else if (f->name[0])
      join(buf, f->name, '.', jp->key, 0);
   else
      return jp->key;
   return buf;
}

/* A scalar value: into its column, or into the feature vector; false
 * ends the parse (a scalar outside any object or array). */
static bool scalar(JsonParser *jp, const char *s, size_t n, bool text) {
   if (jp->depth == 0) {
      jp->scalar = true;
      return false;
   }
   Frame *f = &jp->stack[jp->depth - 1];
   if (!jp->skipped && f->vector) {
      double v = NAN;
      if (ds_parse_number(s, n, &v) == NUM_TEXT) {
         v = NAN;
         Ingest_bad_field(jp->in, jp->lineno, "feature vector element %zu: not a number: '%.*s'", jp->nvec,
                          (int)(n > 40 ? 40 : n), s);
      }
      if (jp->nvec < DS_MAX_COLUMNS)
         jp->vec[jp->nvec++] = v;
   }
   char buf[JSON_PATH];
   const char *name = value_name(jp, buf);
   if (name && s) {
      int c = key_column(jp, name);
      if (c >= 0)
         (text ? set_text : set_number)(jp, c, s, n);
   }
   if (f->array)
      f->index++;
   return true;
}

static int on_null(void *ctx) {
   return scalar(ctx, NULL, 0, false);
}

static int on_boolean(void *ctx, int b) {
   return scalar(ctx, b ? "1" : "0", 1, false);
}

static int on_number(void *ctx, const char *s, size_t n) {
   return scalar(ctx, s, n, false);
}

static int on_string(void *ctx, const unsigned char *s, size_t n) {
   return scalar(ctx, (const char *)s, n, true);
}

static int on_key(void *ctx, const unsigned char *s, size_t n) {
   JsonParser *jp = ctx;
   if (n >= JSON_PATH)
      n = JSON_PATH - 1;
   memcpy(jp->key, s, n);
   jp->key[n] = '\0';
   return 1;
}

/* Into an object or an array: a frame with its name. */
static int open_frame(JsonParser *jp, bool array) {
   if (jp->depth == 0) {
      if (jp->started) /* a second value on the line */
         return 0;
      jp->started = true;
      Ingest_row_begin(jp->in);
   }
   if (jp->skipped || jp->depth == JSON_DEPTH + 1) {
      if (!jp->skipped++)
         Ingest_bad_field(jp->in, jp->lineno, "nested more than %d deep: not read", JSON_DEPTH);
      return 1;
   }
   Frame *parent = jp->depth ? &jp->stack[jp->depth - 1] : NULL;
   Frame *f = &jp->stack[jp->depth];
   f->array = array;
   f->index = 0;
   if (!parent)
      f->name[0] = '\0';
   else if (parent->array)
      join(f->name, parent->name, '_', NULL, parent->index++);
   else
      join(f->name, parent->name, '.', jp->key, 0);
   f->vector = array && (!parent || !strcasecmp(f->name, "FeatureVector") || !strcasecmp(f->name, "features"));
   if (f->vector)
      jp->nvec = 0;
   jp->depth++;
   return 1;
}

static int on_start_map(void *ctx) {
   return open_frame(ctx, false);
}

static int on_start_array(void *ctx) {
   return open_frame(ctx, true);
}

/* A feature vector's values, named now its length is known. */
static void vector_columns(JsonParser *jp) {
   for (size_t i = 0; i < jp->nvec; i++) {
      int c = key_column(jp, Ingest_column_name(jp->in, (int)i, jp->nvec));
      if (c >= 0 && !isnan(jp->vec[i]))
         Table_row_set(jp->in->table, c, jp->vec[i]);
   }
}

static int close_frame(void *ctx) {
   JsonParser *jp = ctx;
   if (jp->skipped) {
      jp->skipped--;
      return 1;
   }
   if (jp->stack[--jp->depth].vector)
      vector_columns(jp);
   return 1;
}

static const yajl_callbacks callbacks = {
   .yajl_null = on_null,
   .yajl_boolean = on_boolean,
   .yajl_number = on_number,
   .yajl_string = on_string,
   .yajl_start_map = on_start_map,
   .yajl_map_key = on_key,
   .yajl_end_map = close_frame,
   .yajl_start_array = on_start_array,
   .yajl_end_array = close_frame,
};

/* The line was no record: say why and start a fresh parser. */
static void bad_line(JsonParser *jp, Ingest *in, long lineno, const char *s, size_t n, yajl_status st) {
   in->table->in_row = false;
   if (st == yajl_status_error) {
      unsigned char *e = yajl_get_error(jp->h, 0, (const unsigned char *)s, n);
      size_t at = yajl_get_bytes_consumed(jp->h); /* up to and with the offending byte */
      char *nl = e ? strchr((char *)e, '\n') : NULL;
      if (nl)
         *nl = '\0';
      Ingest_bad(in, lineno, "invalid JSON at column %zu: %s", at ? at : 1, e ? (char *)e : "parse error");
      if (e)
         yajl_free_error(jp->h, e);
   } else if (jp->scalar || (jp->started && jp->depth == 0)) {
      Ingest_bad(in, lineno, "a JSON line must hold one object or array");
   } else {
      Ingest_bad(in, lineno, "not one whole JSON object or array (cut short?)");
   }
   if (!new_handle(jp)) {
      in->failed = true;
      DsError_set(&in->error, in->source, lineno, 0, "out of memory restarting the JSON parser");
   }
}

static void json_line(void *self, Ingest *in, const char *s, size_t n, long lineno) {
   JsonParser *jp = self;
   jp->in = in;
   jp->lineno = lineno;
   jp->depth = jp->skipped = 0;
   jp->started = jp->scalar = false;
   yajl_status st = yajl_parse(jp->h, (const unsigned char *)s, n);
   if (st != yajl_status_ok || !jp->started || jp->depth != 0) {
      bad_line(jp, in, lineno, s, n, st);
      return;
   }
   if (!in->table->row_any) {
      in->table->in_row = false;
      Ingest_bad(in, lineno, "no value in this JSON line");
      return;
   }
   Ingest_commit(in);
}

const ParserClass JsonParser_class = {
   .format = DS_FORMAT_JSON,
   .create = json_create,
   .line = json_line,
   .destroy = json_destroy,
   .clone = json_clone,
};
