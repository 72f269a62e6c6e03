/* SPDX-License-Identifier: MIT */
/* Monitor: what the dashboard shows at a position of a loaded stream.
 *
 * The stream (cur) is loaded whole; the Monitor shows it as it was after
 * its first `cursor` records: the current window (the last `window` of
 * them, fewer at the start), compared column by column with the
 * reference; the windows that ended by then (every `stride` records:
 * the score history); the prediction mix of the window against the
 * reference's; the confusion matrix over the window and over the session
 * so far, and the detectors' state. Moving the cursor back and forth is
 * cheap: windows are computed once, the session figures are counted
 * forward (and again from 0 when the cursor goes back).
 *
 * ref and cur must outlive the Monitor. cur may grow (a live stream):
 * Monitor_seek shows the records committed by then. When cur gains a
 * compared column (Monitor_stale), Monitor_renew. A long stream keeps only
 * its last records: Monitor_release(upto), then Table_discard(cur, upto);
 * the session figures go on from where they were, the score history keeps
 * the windows of the records kept (and DS_MONITOR_HISTORY before them),
 * and the cursor stays within the records kept. The UI reads the fields
 * below; only Monitor_* functions write them. */
#ifndef DRIFTSCOPE_MONITOR_H
#define DRIFTSCOPE_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/analysis.h"

#define DS_MONITOR_HISTORY 4096 /* windows of score history kept before the records kept */

typedef struct Monitor {
   const Table *ref, *cur;
   Analysis a; /* a.cols: the current window's columns; windows < a.nwindows are done */
   AnalysisWorker w;
   size_t cursor;      /* records shown: [0, cursor) */
   size_t first, rows; /* the current window: [first, first + rows) */
   /* prediction mix: counts per class id; of the truth (target) when the
    * stream has no prediction (mix_target) */
   long mix_cur[DS_MAX_CLASSES], mix_ref[DS_MAX_CLASSES];
   long mix_cur_n, mix_ref_n;
   bool mix_target;
   Confusion *win_conf; /* over the current window, when there is truth */
   double win_accuracy, win_macro_f1;
   int win_classes[DS_MAX_CLASSES];
   int win_nclasses;
   bool detail;           /* every statistic of the current window (Monitor_set_detail) */
   unsigned long version; /* changes whenever anything above does */
} Monitor;

/* Prepare the comparison of cur with ref (windows of opt->window records
 * every AnalysisOptions_stride(opt); opt->window must be >= 1) and show
 * no record yet. Returns false and sets e on memory exhaustion. */
bool Monitor_init(Monitor *m, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e);
void Monitor_done(Monitor *m);
/* cur gained a compared column, or one changed kind, since Monitor_init:
 * Monitor_init again to compare it. */
bool Monitor_stale(const Monitor *m);
/* Prepare again (cur gained a compared column, or truth), keeping the
 * session figures, the cursor and the detail. Returns false and sets e on
 * memory exhaustion. */
bool Monitor_renew(Monitor *m, const AnalysisOptions *opt, DsError *e);
/* Before the records of cur before upto are discarded: the windows that
 * need them are computed, the session figures up to upto kept. Returns
 * false on memory exhaustion. Then Table_discard(cur, upto) and
 * Monitor_seek (a cursor before upto moves to it). */
bool Monitor_release(Monitor *m, size_t upto);

/* Show the stream after its first cursor records (clamped to the records
 * kept: cur->base .. cur->nrows).
 * Returns false on memory exhaustion (the previous state stays). */
bool Monitor_seek(Monitor *m, size_t cursor);

/* Work towards Monitor_seek(m, cursor) in slices (a seek far ahead
 * computes thousands of windows): compute the windows that end by cursor
 * until budget_ms have passed (ds_now_ms). Returns false on memory
 * exhaustion; *left is how many windows are still to compute (0: the seek
 * is now quick), *of how many there were when this seek began (set by the
 * caller to 0 for a new seek). */
bool Monitor_work(Monitor *m, size_t cursor, double budget_ms, size_t *left, size_t *of);

/* Count the session figures again from record 0 and show the same cursor:
 * ground truth changed (labels). Returns false on memory exhaustion. */
bool Monitor_recount(Monitor *m);

/* Compute every statistic of the current window's columns (KS, Wasserstein,
 * PSI, Jensen-Shannon), not only each verdict's, from now on: a view that
 * shows them all asks for them (an exact KS p-value costs up to
 * O(n_ref * n_window) per column). Returns false on memory exhaustion. */
bool Monitor_set_detail(Monitor *m, bool on);

/* The score history of column i (an index into a.cols): the scores of the
 * windows done, oldest first, NAN where the column was not scored. Writes
 * at most max values (the newest) into out and returns how many. */
size_t Monitor_history(const Monitor *m, int i, double *out, size_t max);
/* The same for the dataset's drifted share. */
size_t Monitor_share_history(const Monitor *m, double *out, size_t max);

/* The column of a.cols that drifted most: the lowest p-value or highest
 * distance relative to its threshold among drifted features, else the
 * closest to drifting; -1 when no feature is scored. */
int Monitor_top_feature(const Monitor *m);

#endif
