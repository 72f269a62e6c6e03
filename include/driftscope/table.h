/* SPDX-License-Identifier: MIT */
/* Table: the records of one stream (reference or current), column by column.
 *
 * Every value is a double: numbers as they are, class labels and other text
 * as their id in a Classes interner (shared between the reference and the
 * current stream, so ids compare), missing values (empty, NaN, ±inf) as NaN.
 * Rows are built with Table_row_begin / Table_row_set / Table_row_commit;
 * columns may appear at any time (a new class score, a new plotter series)
 * and read as NaN for the rows before them.
 *
 * Roles follow DESIGN §2 and are given by column name (ds_role_for_name).
 * At commit, a row with class scores gets a derived "confidence" value (the
 * top score) and, when it has no prediction, prediction = argmax score. */
#ifndef DRIFTSCOPE_TABLE_H
#define DRIFTSCOPE_TABLE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "driftscope/error.h"

#define DS_MAX_CLASSES 256 /* DESIGN §2: interned class strings, cap 256 */
#define DS_MAX_COLUMNS 256 /* DESIGN §2: named columns, cap 256 */
#define DS_NAME_MAX 64     /* longest column or class name kept */
#define DS_MAX_MODELS 8    /* models of a multi-model stream (pred_<model> columns) */

typedef enum ColumnRole {
   ROLE_FEATURE,
   ROLE_TIME,       /* device time column (t, time, timestamp, ts, time_ms) */
   ROLE_RX,         /* receive time of a recorded session (rx_ms) */
   ROLE_TRUTH,      /* ground truth label */
   ROLE_PRED,       /* predicted class (or number, for regression) */
   ROLE_SCORE,      /* one class score, score_<class> */
   ROLE_TELEMETRY,  /* dsp_ms, inference_ms, latency_ms, anomaly, ram_kb */
   ROLE_CONFIDENCE, /* derived: top class score */
} ColumnRole;

typedef enum ColumnKind { KIND_NUMERIC, KIND_CATEGORICAL } ColumnKind;

typedef struct Classes {
   char *name[DS_MAX_CLASSES];
   int n;
} Classes;

void Classes_init(Classes *c);
void Classes_done(Classes *c);
/* Return the id of s[0..len) (interning it), or -1 when the cap is reached. */
int Classes_intern(Classes *c, const char *s, size_t len);
/* Return the id of s, or -1 if unknown. */
int Classes_find(const Classes *c, const char *s);
/* Make dst (initialised, empty) a copy of src. Returns false on no memory. */
bool Classes_copy(Classes *dst, const Classes *src);

typedef struct Column {
   char name[DS_NAME_MAX];
   ColumnRole role;
   ColumnKind kind;
   int score_class; /* class id, for ROLE_SCORE */
   /* -1: the stream's own model (pred, score_<class>, confidence,
    * inference_ms); else the index of a named model in Table.model of a
    * stream that carries several (pred_<model>, score_<model>_<class>,
    * confidence_<model>, inference_ms_<model>...) */
   int model;
   bool stored; /* false: values are used at commit and not kept */
   double *v;   /* nrows values when stored */
   size_t cap;
   size_t n_missing;
   size_t n_bad; /* values that were text where a number (or a known class id) was expected */
} Column;

/* Optional locking, for a reader on another thread while rows are appended:
 * the writer calls lock(ctx, true) around anything that moves column memory
 * (growth, new columns); a reader calls Table_read_lock around reading it. */
typedef struct TableLock {
   void (*lock)(void *ctx, bool write);
   void (*unlock)(void *ctx, bool write);
   void *ctx;
} TableLock;

typedef struct Table Table;

struct Table {
   Column *cols[DS_MAX_COLUMNS];
   int ncols;
   size_t nrows;     /* records committed, including discarded ones */
   size_t base;      /* records discarded (Table_discard): row r is v[r - base] */
   Classes *classes; /* shared, not owned */
   bool store_scores;
   size_t reserve; /* capacity new columns start with */
   /* -1 when absent; with several models pred_col and conf_col are the
    * champion's: the stream's own model (pred) if it has one, else the
    * first named model */
   int pred_col, truth_col, time_col, rx_col, conf_col;
   /* named models (pred_<model>...), in the order they appeared, with
    * their prediction and confidence columns (-1 until they exist) */
   char model[DS_MAX_MODELS][DS_NAME_MAX];
   int model_pred[DS_MAX_MODELS], model_conf[DS_MAX_MODELS];
   int nmodels;
   TableLock locking; /* all NULL: single-threaded */
   /* Called by Table_row_commit with the row's values (every column's,
    * stored or not, the derived ones included) before they are stored; it
    * may set values (a receive time). NULL: none. */
   void (*on_commit)(void *ctx, Table *t, double *row);
   void *commit_ctx;
   double *row; /* the row being built, DS_MAX_COLUMNS values */
   bool in_row;
   bool row_any;
};

/* classes must outlive the table. store_scores=false keeps memory down
 * when only the derived confidence and prediction are needed. */
bool Table_init(Table *t, Classes *classes, bool store_scores);
void Table_done(Table *t);

/* Return the role a column gets from its name; for a score column the class
 * name is written to cls (at least DS_NAME_MAX bytes). */
ColumnRole ds_role_for_name(const char *name, char *cls);
const char *ds_role_name(ColumnRole r);

/* If name is a named model's prediction column (pred_<model>,
 * prediction_<model>, y_pred_<model>), write the model's name to model (at
 * least DS_NAME_MAX bytes) and return true. */
bool ds_model_pred_name(const char *name, char *model);

/* Declare a named model (a multi-model stream's pred_<model> column, an
 * Edge Impulse multi-impulse block): its index, or -1 past DS_MAX_MODELS.
 * Columns already added whose names carry it (score_<model>_<class>,
 * inference_ms_<model>...) become its own. */
int Table_model(Table *t, const char *name);

/* The role a column named name takes in t (ds_role_for_name, and the
 * named models t knows: score_<model>_<class> is model's score of class,
 * inference_ms_<model> its telemetry); the class of a score is written to
 * cls (DS_NAME_MAX bytes), the model to *model (-1: the stream's own). */
ColumnRole Table_name_role(const Table *t, const char *name, char *cls, int *model);

/* Model's prediction (role ROLE_PRED) or confidence (ROLE_CONFIDENCE)
 * column; model -1: the stream's own model's (pred_col or conf_col when
 * not a named model's). -1 when it has none. */
int Table_model_column(const Table *t, int model, ColumnRole role);

/* Add the column a stream names name, with the role, kind, class and
 * model its name gives (Table_name_role; pred_<model> declares the
 * model). Returns its index; -1 when columns (or models) run out, -2 when
 * classes do. */
int Table_add_named(Table *t, const char *name);

/* Copy a name into a DS_NAME_MAX buffer, truncating. */
void ds_copy_name(char *dst, const char *src);

/* Return the index of the column (case-insensitive), or -1. */
int Table_find(const Table *t, const char *name);
/* Return the index of a new column, or -1 (cap reached, or no memory).
 * For ROLE_SCORE, score_class is the class id. */
int Table_add_column(Table *t, const char *name, ColumnRole role, ColumnKind kind, int score_class);

/* Make room for rows records in every column, present and future (a hint:
 * rows beyond it still work). Returns false when memory runs out. */
bool Table_reserve(Table *t, size_t rows);

/* Give dst (initialised, empty) the columns of src, in the same order. */
bool Table_clone_schema(Table *dst, const Table *src);
/* Append the rows of src to dst (neither has discarded records). Columns are matched by name (dst gains
 * the ones it lacks); a class id c >= remap_from in a categorical column of
 * src becomes remap[c - remap_from] (missing when that is -1). Returns
 * false on no memory. */
bool Table_append(Table *dst, const Table *src, int remap_from, const int *remap);

/* Give column c the value v in the stored records (base on) where it has
 * none and column `where` has one (where < 0: in all of them): a count
 * column that appears later was 0 in the records before it. */
void Table_backfill(Table *t, int c, int where, double v);

/* Settle a column's kind (a parser does at its first value); other threads
 * read it under Table_read_lock. */
void Table_set_kind(Table *t, int col, ColumnKind kind);

void Table_row_begin(Table *t);
void Table_row_set(Table *t, int col, double v);
/* Append the row; returns false (and sets e) only when memory runs out.
 * A row with no value set at all is dropped. */
bool Table_row_commit(Table *t, DsError *e);

/* Rows committed so far, as another thread may read them (acquire). */
size_t Table_rows_published(const Table *t);
void Table_read_lock(const Table *t);
void Table_read_unlock(const Table *t);

/* Drop the stored values of records before upto (>= base, <= nrows):
 * a stream compared window by window keeps only what is still to compare.
 * Record numbers stay as they were. */
void Table_discard(Table *t, size_t upto);

/* Values of column c from record base on (NULL if not stored). */
static inline const double *Table_values(const Table *t, int c) {
   return t->cols[c]->v;
}

/* Value of column c at record row, NAN when there is no such column (c < 0)
 * or its values are not stored. */
static inline double Table_value(const Table *t, int c, size_t row);

/* Value of column c at record row (base <= row < nrows; column stored). */
static inline double Table_at(const Table *t, int c, size_t row) {
   return t->cols[c]->v[row - t->base];
}

/* Change a committed value (base <= row < nrows; column stored): labels
 * filling a truth column. */
static inline void Table_set(Table *t, int c, size_t row, double v) {
   t->cols[c]->v[row - t->base] = v;
}

static inline double Table_value(const Table *t, int c, size_t row) {
   return c >= 0 && t->cols[c]->stored ? Table_at(t, c, row) : (double)NAN;
}

#endif
