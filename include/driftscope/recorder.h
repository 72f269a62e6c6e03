/* SPDX-License-Identifier: MIT */
/* Recorder: a live session as a session file (DESIGN §8), as text; the
 * caller (the live source) writes it out and so decides when it is flushed.
 *
 *   # driftscope session
 *   # source: /dev/ttyACM0            (Recorder_meta lines, before any record)
 *   rx_ms,<the record's columns>
 *   1234,0.12,WALKING,...
 *   # gap: ...                        (Recorder_comment: disconnects)
 *
 * The columns are those of the stream's table when the first record is
 * written (the derived confidence is left out: it is recomputed on
 * replay; an existing rx_ms is replaced). Numbers are written in the
 * shortest form that reads back as the same double, classes by name,
 * missing values empty: reading the file gives the same records. A column
 * that appears after the header cannot join it; Recorder_rows counts it
 * once (late_columns) and its values stay in the raw log only. */
#ifndef DRIFTSCOPE_RECORDER_H
#define DRIFTSCOPE_RECORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/strbuf.h"
#include "driftscope/table.h"

typedef struct Recorder {
   StrBuf out; /* text not yet written; the caller writes and clears it */
   const Table *t;
   int cols[DS_MAX_COLUMNS]; /* table columns in the header, in order */
   int ncols;
   int seen_cols; /* table columns when the header was written */
   bool header;
   long records;
   int late_columns; /* columns that appeared after the header */
} Recorder;

/* Record t's rows (t need not store them: each row is recorded as it is
 * committed, Recorder_row). */
void Recorder_init(Recorder *r, const Table *t);
void Recorder_done(Recorder *r);
/* "# key: value" before the header. */
void Recorder_meta(Recorder *r, const char *key, const char *value);
void Recorder_comment(Recorder *r, const char *text);
/* Record the row being committed (row: every column's value, as
 * Table_row_commit has it, stored or not), received at rx_ms (ms since the
 * session began): call it from the table's on_commit. */
void Recorder_row(Recorder *r, const double *row, double rx_ms);

/* Append v in the shortest form strtod reads back as v (%.15g, else %.17g). */
void ds_put_double(StrBuf *b, double v);
/* Whether CSV output (a session file, a simulated board) has column col:
 * stored, and neither the derived confidence nor a receive time. */
bool ds_csv_column(const Column *col);
/* Append s as a CSV field, quoted when it holds a comma, quote or line break. */
void ds_put_csv_field(StrBuf *b, const char *s);
/* Append column c's value at row as a CSV field: a class by name, a number
 * in its shortest exact form, nothing when missing. */
void ds_put_csv_value(StrBuf *b, const Table *t, int c, size_t row);

#endif
