// SPDX-License-Identifier: MIT
/* CSV with a header line, parsed with libcsv (CSV_STRICT), one line at a time.
 *
 * The header's most frequent separator (comma, semicolon or tab) holds
 * for the whole file; a one-column file has none. With ';' or tab, a
 * number with a decimal comma ("31,98", as European spreadsheets export)
 * is read as 31.98 and counted (Ingest.decimal_commas).
 *
 * Not handled, on purpose:
 *  - quoted fields spanning lines: a stream is read line by line, so an
 *    unterminated quote makes that line bad and parsing resyncs at the next;
 *  - a second header: a repeated header line is a bad line;
 *  - thousands separators ("1.234,56" is text);
 *  - per-column delimiters.
 * Lines starting with '#' are comments (session metadata, DESIGN §8).
 *
 * A "model" column makes the file long-format champion vs challenger
 * data: each line is one model's output for an input (its model named in
 * that column), the lines of the models for one input follow each other.
 * Their prediction, score and telemetry fields become that model's
 * columns (pred_<model>, score_<model>_<class>, inference_ms_<model>:
 * models.h) and the lines of one round make one record; a round ends when
 * a model comes round again or the time column's value changes, or, once
 * the first round told the models, when each of them has its line. A line
 * with no model is a bad line.
 * A row with a different number of fields than the header is a bad line.
 * Text in a numeric column is a missing value, counted as a bad field and
 * against its column (Column.n_bad). */
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driftscope/ingest.h"
#include "driftscope/numparse.h"

typedef struct CsvParser {
   struct csv_parser p;
   bool have_header;
   int nfields;                  /* header fields */
   int col[DS_MAX_COLUMNS];      /* table column per field, -1 = ignored */
   bool decided[DS_MAX_COLUMNS]; /* numeric/categorical settled from the first value */
   /* per line */
   Ingest *in;
   long lineno;
   int field;
   bool header_line;
   char header[DS_MAX_COLUMNS][DS_NAME_MAX];
   int nheader;
   char delim; /* the header's separator */
   /* long format (a "model" column): the line's fields, kept until its
    * model is known; each model's column per field; the round */
   int model_field, time_field;             /* -1: none */
   bool per_model[DS_MAX_COLUMNS];          /* a model's own field (prediction, score, telemetry) */
   int mcol[DS_MAX_MODELS][DS_MAX_COLUMNS]; /* -1 until made, -2: not kept */
   char lbuf[16384];
   int loff[DS_MAX_COLUMNS], llen[DS_MAX_COLUMNS], lused;
   bool round_open, models_known;
   unsigned round_models, all_models;
   double round_time;
} CsvParser;

static void *csv_create(Ingest *in) {
   (void)in;
   CsvParser *cp = calloc(1, sizeof *cp);
   if (!cp)
      return NULL;
   if (csv_init(&cp->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
      free(cp);
      return NULL;
   }
   cp->model_field = cp->time_field = -1;
   return cp;
}

/* A copy with the same header mapping and a fresh libcsv state. Column
 * indices stay valid because the continuation's table is a schema clone. */
static void *csv_clone(const void *self, Ingest *in) {
   (void)in;
   const CsvParser *src = self;
   CsvParser *cp = malloc(sizeof *cp);
   if (!cp)
      return NULL;
   memcpy(cp, src, sizeof *cp);
   if (csv_init(&cp->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
      free(cp);
      return NULL;
   }
   csv_set_delim(&cp->p, csv_get_delim((struct csv_parser *)&src->p));
   return cp;
}

static void csv_destroy(void *self) {
   CsvParser *cp = self;
   csv_free(&cp->p);
   free(cp);
}

static void on_header_field(CsvParser *cp, const char *s, size_t n) {
   if (cp->nheader >= DS_MAX_COLUMNS) {
      cp->nheader++;
      return;
   }
   ds_trim(&s, &n);
   if (n >= DS_NAME_MAX)
      n = DS_NAME_MAX - 1;
   memcpy(cp->header[cp->nheader], s, n);
   cp->header[cp->nheader][n] = '\0';
   cp->nheader++;
}

/* Columns the table derives at commit from these header fields: each
 * model's confidence and, without its prediction column, its prediction,
 * when it has class scores (the models are declared in t). */
static int derived_columns(const CsvParser *cp, const Table *t) {
   bool scores[DS_MAX_MODELS + 1] = {false}, pred[DS_MAX_MODELS + 1] = {false};
   for (int i = 0; i < cp->nheader && i < DS_MAX_COLUMNS; i++) {
      int m;
      ColumnRole r = Table_name_role(t, cp->header[i], NULL, &m);
      scores[m + 1] |= r == ROLE_SCORE;
      pred[m + 1] |= r == ROLE_PRED;
   }
   int n = 0;
   for (int m = 0; m <= t->nmodels; m++)
      n += scores[m] ? 1 + !pred[m] : 0;
   return n;
}

/* Return whether the header fits the column cap with what the table
 * derives from it; if not, ingestion stops with the true reason. */
static bool header_fits(CsvParser *cp, Ingest *in) {
   int derived = derived_columns(cp, in->table), need = cp->nheader + derived + in->table->ncols;
   if (need <= DS_MAX_COLUMNS)
      return true;
   in->failed = true;
   DsError_set(&in->error, in->source, cp->lineno, 0,
               "%d columns: driftscope keeps at most %d%s; drop %d of them (fewer features or scores)", cp->nheader,
               DS_MAX_COLUMNS,
               derived ? ", counting the prediction and confidence it derives from the class scores" : "",
               need - DS_MAX_COLUMNS);
   return false;
}

/* Create the table columns for the header. */
static void setup_columns(CsvParser *cp, Ingest *in) {
   Table *t = in->table;
   for (int i = 0; i < cp->nheader; i++) { /* pred_<model> names a model for the score columns before it too */
      char model[DS_NAME_MAX];
      if (ds_model_pred_name(cp->header[i], model) && Table_model(t, model) < 0) {
         Ingest_bad(in, cp->lineno, "more than %d models: '%s' and the models after it ignored", DS_MAX_MODELS,
                    cp->header[i]);
         break;
      }
   }
   if (t->nrows == 0 && !header_fits(cp, in))
      return;
   cp->model_field = cp->time_field = -1;
   for (int i = 0; i < cp->nheader && i < DS_MAX_COLUMNS; i++) {
      if (strcasecmp(cp->header[i], "model") == 0 && cp->model_field < 0)
         cp->model_field = i;
      ColumnRole r = ds_role_for_name(cp->header[i], NULL);
      cp->per_model[i] = r == ROLE_PRED || r == ROLE_SCORE || r == ROLE_TELEMETRY;
      if (r == ROLE_TIME && cp->time_field < 0)
         cp->time_field = i;
   }
   for (int m = 0; m < DS_MAX_MODELS; m++)
      for (int i = 0; i < DS_MAX_COLUMNS; i++)
         cp->mcol[m][i] = -1;
   cp->nfields = cp->nheader;
   int used = cp->nheader < DS_MAX_COLUMNS ? cp->nheader : DS_MAX_COLUMNS;
   for (int i = 0; i < used; i++) {
      const char *name = cp->header[i];
      bool duplicate = false;
      for (int j = 0; j < i && !duplicate; j++)
         duplicate = strcasecmp(cp->header[j], name) == 0;
      if (cp->model_field >= 0 && (i == cp->model_field || cp->per_model[i])) {
         cp->col[i] = -1; /* the model's name, and fields that are each model's own: per line */
         continue;
      }
      if (name[0] == '\0' || duplicate) {
         cp->col[i] = -1;
         if (duplicate)
            Ingest_bad(in, cp->lineno, "duplicate column '%s' ignored", name);
         continue;
      }
      int existing = Table_find(t, name);
      if (existing >= 0) { /* a session after another: same name, same column */
         cp->col[i] = existing;
         cp->decided[i] = t->cols[existing]->n_missing < t->nrows;
         continue;
      }
      cp->col[i] = Table_add_named(t, name);
      if (cp->col[i] == -2) {
         Ingest_bad(in, cp->lineno, "more than %d classes: column '%s' ignored", DS_MAX_CLASSES, name);
         cp->col[i] = -1;
         continue;
      }
      cp->decided[i] = false;
   }
   cp->have_header = true;
}

#define DECIMAL_MAX 64 /* longest number read with a decimal comma */

/* Parse a number, also with a decimal comma when the separator is not a
 * comma ("31,98" in a ';'-separated file is 31.98); count: a value read
 * (not only looked at), counted in decimal_commas. */
static NumParse csv_number(CsvParser *cp, const char *s, size_t n, double *v, bool count) {
   NumParse r = ds_parse_number(s, n, v);
   if (r != NUM_TEXT || cp->delim == ',' || n >= DECIMAL_MAX)
      return r;
   const char *comma = memchr(s, ',', n);
   if (!comma || memchr(comma + 1, ',', n - (size_t)(comma - s) - 1))
      return r;
   char buf[DECIMAL_MAX];
   memcpy(buf, s, n);
   buf[comma - s] = '.';
   if (ds_parse_number(buf, n, v) != NUM_OK)
      return r;
   cp->in->decimal_commas += count;
   return NUM_OK;
}

/* Decide a column's kind from its first non-missing value: a prediction or
 * truth column of non-integer numbers is a regression target; a feature
 * column whose first value is text holds categories. */
static void decide_kind(CsvParser *cp, Table *t, int col, int f, const char *s, size_t n) {
   double v;
   NumParse r = csv_number(cp, s, n, &v, false);
   if (r == NUM_MISSING)
      return;
   cp->decided[f] = true;
   ColumnRole role = t->cols[col]->role;
   if ((role == ROLE_PRED || role == ROLE_TRUTH) && r == NUM_OK && v != floor(v))
      Table_set_kind(t, col, KIND_NUMERIC);
   else if (role == ROLE_FEATURE && r == NUM_TEXT)
      Table_set_kind(t, col, KIND_CATEGORICAL);
}

static void on_value(CsvParser *cp, int f, int c, const char *s, size_t n) {
   Ingest *in = cp->in;
   Table *t = in->table;
   if (c < 0)
      return;
   Column *col = t->cols[c];
   if (!cp->decided[f])
      decide_kind(cp, t, c, f, s, n);
   double v;
   if (col->kind == KIND_NUMERIC) {
      NumParse r = csv_number(cp, s, n, &v, true);
      if (r == NUM_OK)
         Table_row_set(t, c, v);
      else if (r == NUM_TEXT) {
         col->n_bad++;
         Ingest_bad_field(in, cp->lineno, "column '%s': not a number: '%.40s'", col->name, s);
      }
      return;
   }
   ds_trim(&s, &n);
   if (n == 0 || ds_is_missing_text(s, n))
      return;
   int id = Ingest_class(in, s, n);
   if (id == -2) {
      col->n_bad++;
      return;
   }
   if (id < 0) {
      col->n_bad++;
      Ingest_bad_field(in, cp->lineno, "more than %d classes: '%.*s' not counted", DS_MAX_CLASSES,
                       (int)(n > 40 ? 40 : n), s);
      return;
   }
   Table_row_set(t, c, id);
}

static void cb_field(void *data, size_t len, void *ctx) {
   CsvParser *cp = ctx;
   const char *s = data ? data : "";
   if (cp->header_line) {
      on_header_field(cp, s, len);
   } else if (cp->field < cp->nfields && cp->model_field >= 0 && cp->field < DS_MAX_COLUMNS) {
      int f = cp->field; /* long format: kept until the line's model is known */
      if (cp->lused + (int)len + 1 > (int)sizeof cp->lbuf) {
         cp->llen[f] = -1;
      } else {
         memcpy(cp->lbuf + cp->lused, s, len);
         cp->lbuf[cp->lused + (int)len] = '\0';
         cp->loff[f] = cp->lused;
         cp->llen[f] = (int)len;
         cp->lused += (int)len + 1;
      }
   } else if (cp->field < cp->nfields) {
      on_value(cp, cp->field, cp->field < DS_MAX_COLUMNS ? cp->col[cp->field] : -1, s, len);
   }
   cp->field++;
}

static void cb_row(int term, void *ctx) {
   (void)term;
   (void)ctx;
}

/* Long format: model m's column for field f (made at first use; -1
 * when it cannot be kept). */
static int model_column(CsvParser *cp, Ingest *in, int m, int f) {
   if (cp->mcol[m][f] != -1)
      return cp->mcol[m][f] < 0 ? -1 : cp->mcol[m][f];
   Table *t = in->table;
   char cls[DS_NAME_MAX], name[DS_NAME_MAX * 3];
   ColumnRole r = ds_role_for_name(cp->header[f], cls);
   if (r == ROLE_PRED)
      snprintf(name, sizeof name, "pred_%s", t->model[m]);
   else if (r == ROLE_SCORE)
      snprintf(name, sizeof name, "score_%s_%s", t->model[m], cls);
   else
      snprintf(name, sizeof name, "%s_%s", cp->header[f], t->model[m]);
   int c = Table_find(t, name);
   if (c < 0 && (c = Table_add_named(t, name)) < 0)
      Ingest_bad(in, cp->lineno, "too many columns (or classes): '%.40s' not kept", name);
   cp->mcol[m][f] = c < 0 ? -2 : c;
   cp->decided[f] = false;
   return c < 0 ? -1 : c;
}

/* End the round: its lines make one record. The first round tells the models. */
static void end_round(CsvParser *cp, Ingest *in) {
   if (!cp->round_open)
      return;
   if (!cp->models_known) {
      cp->models_known = true;
      cp->all_models = cp->round_models;
   }
   Ingest_commit(in);
   cp->round_open = false;
   cp->round_models = 0;
}

/* A long-format line whose fields are read: its model's part of the round. */
static void model_line(CsvParser *cp, Ingest *in, long lineno) {
   Table *t = in->table;
   const char *ms = cp->lbuf + cp->loff[cp->model_field];
   size_t mn = cp->llen[cp->model_field] < 0 ? 0 : (size_t)cp->llen[cp->model_field];
   ds_trim(&ms, &mn);
   for (int f = 0; f < cp->nfields && f < DS_MAX_COLUMNS; f++)
      if (cp->llen[f] < 0) {
         Ingest_bad(in, lineno, "a line longer than %zu bytes in a file with a model column", sizeof cp->lbuf);
         return;
      }
   if (mn == 0 || mn >= DS_NAME_MAX || ds_is_missing_text(ms, mn)) {
      Ingest_bad(in, lineno, "no model named in the model column");
      return;
   }
   char name[DS_NAME_MAX];
   memcpy(name, ms, mn);
   name[mn] = '\0';
   int m = Table_model(t, name);
   if (m < 0) {
      Ingest_bad(in, lineno, "more than %d models: '%s' ignored", DS_MAX_MODELS, name);
      return;
   }
   double time = NAN;
   if (cp->time_field >= 0) {
      const char *ts = cp->lbuf + cp->loff[cp->time_field];
      size_t tn = (size_t)cp->llen[cp->time_field];
      if (csv_number(cp, ts, tn, &time, false) != NUM_OK)
         time = NAN;
   }
   bool new_time = cp->round_open && !isnan(time) && !isnan(cp->round_time) && time != cp->round_time;
   if (cp->round_open && (cp->round_models & 1u << m || new_time))
      end_round(cp, in);
   if (!cp->round_open) {
      Ingest_row_begin(in);
      cp->round_open = true;
      cp->round_time = time;
   }
   for (int f = 0; f < cp->nfields && f < DS_MAX_COLUMNS; f++) {
      if (f == cp->model_field)
         continue;
      int c = cp->per_model[f] ? model_column(cp, in, m, f) : cp->col[f];
      on_value(cp, f, c, cp->lbuf + cp->loff[f], (size_t)cp->llen[f]);
   }
   cp->round_models |= 1u << m;
   if (cp->models_known && (cp->round_models & cp->all_models) == cp->all_models)
      end_round(cp, in); /* every model has its line: the record is complete */
}

static void csv_finish(void *self, Ingest *in) {
   end_round(self, in);
}

static void csv_line(void *self, Ingest *in, const char *s, size_t n, long lineno) {
   CsvParser *cp = self;
   const char *t = s;
   while (t < s + n && (*t == ' ' || *t == '\t'))
      t++;
   if (t < s + n && *t == '#') {
      in->comment_lines++;
      return;
   }
   cp->in = in;
   cp->lineno = lineno;
   cp->field = 0;
   cp->header_line = !cp->have_header;
   if (cp->header_line) {
      cp->delim = ds_csv_delimiter(s, n);
      csv_set_delim(&cp->p, (unsigned char)cp->delim);
   } else if (cp->model_field >= 0) {
      cp->lused = 0;
   } else {
      Ingest_row_begin(in);
   }
   size_t used = csv_parse(&cp->p, s, n, cb_field, cb_row, cp);
   int fini = csv_fini(&cp->p, cb_field, cb_row, cp);
   if (used != n || fini != 0) {
      Ingest_bad(in, lineno, "malformed CSV: %s", csv_strerror(csv_error(&cp->p)));
      /* libcsv keeps its error state: start afresh for the next line (resync) */
      unsigned char delim = csv_get_delim(&cp->p);
      csv_free(&cp->p);
      if (csv_init(&cp->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
         in->failed = true;
         DsError_set(&in->error, in->source, lineno, 0, "out of memory restarting the CSV parser");
         return;
      }
      csv_set_delim(&cp->p, delim);
      if (cp->header_line)
         cp->nheader = 0;
      else if (cp->model_field < 0)
         in->table->in_row = false;
      return;
   }
   if (cp->header_line) {
      setup_columns(cp, in);
      return;
   }
   if (in->failed)
      return;
   if (cp->field != cp->nfields) {
      Ingest_bad(in, lineno, "%d fields, header has %d", cp->field, cp->nfields);
      if (cp->model_field < 0)
         in->table->in_row = false;
      return;
   }
   if (cp->model_field >= 0) {
      model_line(cp, in, lineno);
      return;
   }
   Ingest_commit(in);
}

const ParserClass CsvParser_class = {
   .format = DS_FORMAT_CSV,
   .create = csv_create,
   .line = csv_line,
   .finish = csv_finish,
   .destroy = csv_destroy,
   .clone = csv_clone,
};
