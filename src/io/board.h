/* SPDX-License-Identifier: MIT */
/* A board watched without a screen (`watch`, DESIGN §9): its live source
 * read into a Table and recorded, its last records compared with a
 * reference by a Monitor that follows the stream's edge, its dataset
 * verdict followed window by window (the drift hooks), its figures for the
 * metrics. The caller's loop watches Board_fd and DriftHooks_fd, runs
 * Board_tick by Board_due and Board_sync every so often. One board never
 * waits for another: nothing here blocks. */
#ifndef DRIFTSCOPE_IO_BOARD_H
#define DRIFTSCOPE_IO_BOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/exposition.h"
#include "driftscope/monitor.h"
#include "driftscope/replay.h"
#include "io/drifthooks.h"
#include "io/live.h"

#define BOARD_NAME_MAX 64

typedef struct BoardConfig {
   const char *name, *device;
   const Table *ref;     /* NULL: no reference (no drift, no hooks) */
   RefCache *ref_cache;  /* ref's columns prepared once for every board that has it (NULL: its own) */
   const char *ref_name; /* the reference's file, for the hooks */
   const SerialConfig *serial;
   DsFormat format;
   const AnalysisOptions *opt;
   size_t keep;        /* records kept in memory (the recording has all) */
   const char *record; /* the session file (must not exist), NULL: not recorded */
   const char *on_drift, *on_recover;
   double hook_cooldown_s;
} BoardConfig;

typedef struct Board {
   char name[BOARD_NAME_MAX];
   char record[PATH_MAX];
   const char *ref_name;
   Table cur, none; /* none: the empty reference of a board without one */
   const Table *ref;
   LiveSource ls;
   Replay r;
   Monitor m;
   DriftHooks hooks;
   AnalysisOptions opt;
   size_t keep;
   bool halted;          /* memory ran out: analysis stopped, the recording goes on */
   double rate, rate_at; /* records a second over the last status period */
   long rate_n;
   long onsets, recoveries; /* dataset drift started, ended */
   long synced_n;           /* records read at the last Board_sync */
   double synced_at;        /* and when */
   /* what happens (a disconnect, drift, a hook's end): said with the name */
   void (*note)(void *ctx, const struct Board *b, const char *msg);
   void *note_ctx;
} Board;

/* Open c->device into the board (a serial port that is not there yet is
 * waited for, as a pulled one is: true, and why it is not there in err,
 * else err is "") and start its recording. False with the reason in err
 * (a file that exists is refused: never overwritten). cl is shared with
 * the reference (class ids). */
bool Board_open(Board *b, const BoardConfig *c, Classes *cl, char *err, size_t errlen);
int Board_fd(const Board *b);
void Board_read(Board *b, double now, bool hangup);
/* A reopen to try, records to write out: when, -1 none. */
double Board_due(const Board *b);
void Board_tick(Board *b, double now);
/* Catch the Monitor up with the stream (the windows that ended), drop
 * the records beyond keep, follow the verdict (hooks). False when memory
 * ran out: the board stops analysing and goes on recording (said). */
bool Board_sync(Board *b, double now);
/* When Board_sync is due: once a stride of records has come since the
 * last (a verdict to look at), else BOARD_SYNC_MAX_MS after it. */
#define BOARD_SYNC_MAX_MS 1000.0
double Board_sync_due(const Board *b);
/* The figures for the metrics. */
void Board_metrics(const Board *b, MetricsBoard *mb);
/* Records a second since the last call (for the status lines). */
void Board_rate(Board *b, double now);
/* The last records read, flushed. */
void Board_finish(Board *b, double now);
void Board_close(Board *b);

#endif
