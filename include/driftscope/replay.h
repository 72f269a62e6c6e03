/* SPDX-License-Identifier: MIT */
/* Replay: the pacing of a recorded stream, without a clock of its own.
 *
 * Each record has a time (ms): the receive time of a recorded session
 * (rx_ms), else the device time column, else one every DS_REPLAY_DEFAULT_MS.
 * Times going backwards (a board that restarted) count as no time passing.
 * The caller's loop tells Replay how much wall time elapsed; Replay moves
 * its position by that times the speed and says how many records are due
 * (cursor). At "max" speed every call moves a fixed number of records. */
#ifndef DRIFTSCOPE_REPLAY_H
#define DRIFTSCOPE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/table.h"

#define DS_REPLAY_DEFAULT_MS 100.0 /* pacing of a stream without times: 10 records/s */
#define DS_REPLAY_SEEK_MS 10000.0  /* ← / → move 10 s */
#define DS_REPLAY_MAX_STEP 1024    /* records a "max" speed step moves */

typedef struct Replay {
   double *t;         /* n times, from 0, never decreasing */
   size_t n;
   double pos;        /* ms since the first record */
   size_t cursor;     /* records due: t[i] <= pos for i < cursor */
   int speed;         /* index into ds_replay_speeds */
   bool paused;
} Replay;

/* 0.25× … 64×, then max (INFINITY). */
extern const double ds_replay_speeds[];
extern const int ds_replay_nspeeds;

/* Build the pacing of t's records; starts at record 0, 1× speed.
 * Returns false on no memory. */
bool Replay_init(Replay *r, const Table *t);
void Replay_done(Replay *r);

double Replay_speed(const Replay *r);
bool Replay_at_max(const Replay *r);
/* The whole stream's duration (ms). */
double Replay_duration(const Replay *r);

/* Move by elapsed_ms of wall time (nothing when paused or at the end);
 * returns whether the cursor moved. */
bool Replay_advance(Replay *r, double elapsed_ms);
/* Wall ms until the next record is due at this speed: 0 at max speed,
 * -1 when paused or at the end. */
double Replay_next_due(const Replay *r);

void Replay_faster(Replay *r);
void Replay_slower(Replay *r);
/* Move by delta ms of stream time (clamped); records follow the position. */
void Replay_seek(Replay *r, double delta_ms);
/* Show one more record (at its time). */
void Replay_step(Replay *r);
void Replay_home(Replay *r);
void Replay_end(Replay *r);

#endif
