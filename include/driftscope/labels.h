/* SPDX-License-Identifier: MIT */
/* Labels (DESIGN §8): labelled segments of a stream, kept as a journal.
 *
 * A segment is a stretch of stream time [start_ms, end_ms], both ends
 * included, with a label and a note. Stream time is the replay's clock:
 * ms since the first record, paced by rx_ms, else the time column, else
 * one record every 100 ms (see replay.h), so a segment finds the same
 * records whenever the session is opened again.
 *
 * Every operation is one journal row, which the caller appends to the
 * journal file and fsyncs (src/cli); loading the journal replays the rows.
 * Undo and redo are rows too, so after a crash the store is exactly as it
 * was, redo included. The journal is CSV:
 *
 *   op,id,start_ms,end_ms,label,note,time
 *   add,1,1200,5400,WALKING,it calls this TURNING,2026-11-23T10:12:03+0000
 *   edit,1,1200,6000,WALKING,,2026-11-23T10:12:09+0000
 *   delete,1,1200,6000,WALKING,,2026-11-23T10:13:00+0000   (what it removed)
 *   undo,,,,,,2026-11-23T10:13:02+0000
 *   redo,,,,,,2026-11-23T10:13:04+0000
 *
 * The core never touches the file: operations append their row to a
 * StrBuf, and LabelStore_load takes the file's text. */
#ifndef DRIFTSCOPE_LABELS_H
#define DRIFTSCOPE_LABELS_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/strbuf.h"
#include "driftscope/monitor.h"
#include "driftscope/replay.h"
#include "driftscope/table.h"

#define DS_NOTE_MAX 256 /* bytes of a note kept (longer notes are cut at a character) */
#define DS_LABELS_HEADER "op,id,start_ms,end_ms,label,note,time"

typedef struct Segment {
   long id;
   double start_ms, end_ms; /* stream time, both included */
   char label[DS_NAME_MAX];
   char note[DS_NOTE_MAX];
} Segment;

/* One operation as undo sees it: the segment before and after (absent for
 * an add's before and a delete's after). */
typedef struct LabelChange {
   bool had_before, had_after;
   Segment before, after;
} LabelChange;

typedef struct LabelStore {
   Segment *seg; /* the segments, by start_ms then id */
   size_t n, cap;
   LabelChange *undo, *redo;
   size_t nundo, nredo, capundo, capredo;
   long next_id;
   unsigned long version; /* changes with every operation */
} LabelStore;

/* What loading a journal found. */
typedef struct LabelLoad {
   long rows;           /* operations replayed */
   long bad_rows;       /* rows that were not operations (skipped) */
   long first_bad_line; /* line number of the first, 0 when none */
   bool torn;           /* the last line had no end (a crash mid-write): left out */
   size_t torn_bytes;
} LabelLoad;

void LabelStore_init(LabelStore *s);
void LabelStore_done(LabelStore *s);
/* Replay journal text (the whole file). Returns false on no memory. */
bool LabelStore_load(LabelStore *s, const char *text, size_t n, LabelLoad *info);

/* Operations. Each appends its journal row (ending in a newline) to out
 * with wall time `when` (ISO 8601 text), and returns false (nothing done,
 * nothing appended) when it cannot apply: an unknown id, an empty label,
 * nothing to undo or redo, or no memory. start > end is swapped. */
long LabelStore_add(LabelStore *s, double start_ms, double end_ms, const char *label, const char *note,
                    const char *when, StrBuf *out);
bool LabelStore_edit(LabelStore *s, long id, double start_ms, double end_ms, const char *label, const char *note,
                     const char *when, StrBuf *out);
bool LabelStore_delete(LabelStore *s, long id, const char *when, StrBuf *out);
bool LabelStore_undo(LabelStore *s, const char *when, StrBuf *out);
bool LabelStore_redo(LabelStore *s, const char *when, StrBuf *out);

/* The segment with this id, or NULL. */
const Segment *LabelStore_find(const LabelStore *s, long id);
/* The segment covering stream time t (the latest added where they
 * overlap), or NULL. */
const Segment *LabelStore_at(const LabelStore *s, double t_ms);

/* The records of a segment: with t the records' stream times (n, never
 * decreasing), the records i with start <= t[i] <= end are [*first,
 * *first + count); returns count. */
size_t ds_segment_records(const double *t, size_t n, double start_ms, double end_ms, size_t *first);

/* Labels as ground truth (DESIGN §6): where the stream has no truth
 * column of its own, a "label" column of it, made at the first segment,
 * holds the class of the segment covering each record's stream time (NaN
 * where none does), and the Monitor counts its session figures with it. */
typedef struct LabelTruth {
   int col;           /* the label column, -1 until there is one */
   bool stream_truth; /* the stream has truth of its own: labels only count */
   size_t labelled;   /* records held (Replay_first .. n) a segment covers */
} LabelTruth;

void LabelTruth_init(LabelTruth *lt);
/* Records [from, r->n) are new, or (from = Replay_first(r)) the segments
 * changed: fill the label column, count, and bring the Monitor up to date
 * (renewed when the column is made, counted again when records it showed
 * changed). Returns false and sets e on memory exhaustion. */
bool LabelTruth_apply(LabelTruth *lt, const LabelStore *ls, Table *t, const Replay *r, Monitor *m,
                      const AnalysisOptions *opt, size_t from, DsError *e);
/* Records before upto are about to be discarded: they stop counting. */
void LabelTruth_release(LabelTruth *lt, const LabelStore *ls, const Replay *r, size_t upto);

/* The journal file next to a session: "<session>.labels.csv". */
void ds_labels_path(char *buf, size_t n, const char *session);

#endif
