/* SPDX-License-Identifier: MIT */
/* Replay: the pacing of a recorded stream, without a clock of its own.
 *
 * Each record has a time (ms): the receive time of a recorded session
 * (rx_ms), else the device time column, else one every DS_REPLAY_DEFAULT_MS.
 * Times going backwards (a board that restarted) count as no time passing.
 * The caller's loop tells Replay how much wall time elapsed; Replay moves
 * its position by that times the speed and says how many records are due
 * (cursor). At "max" speed every call moves a fixed number of records.
 *
 * A live stream (Replay_init_live) grows: Replay_sync counts the records
 * received, at their receive times (the Table's rx column), and may have
 * lost its first ones (Table_discard; moves stop at Replay_first). Unpaused, a live replay follows
 * the stream's edge (every record received is shown); paused, or moved
 * back, it stays where it is while records keep arriving, until
 * Replay_go_live. */
#ifndef DRIFTSCOPE_REPLAY_H
#define DRIFTSCOPE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/table.h"

#define DS_REPLAY_DEFAULT_MS 100.0 /* pacing of a stream without times: 10 records/s */
#define DS_REPLAY_SEEK_MS 10000.0  /* ← / → move 10 s */
#define DS_REPLAY_MAX_STEP 1024    /* records a "max" speed step moves */

typedef struct Replay {
   double *t; /* a loaded stream: n times, from 0, never decreasing */
   /* a live stream: the times are its receive times (tab's rx column,
    * never decreasing) from the first record's (origin) */
   const Table *tab;
   int col;
   double origin;
   size_t n;      /* records: live, as many as tab had at the last Replay_sync */
   double pos;    /* ms since the first record */
   size_t cursor; /* records due: time(i) <= pos for i < cursor */
   int speed;     /* index into ds_replay_speeds */
   bool paused;
   bool held;        /* paused at the last Replay_advance */
   bool live;        /* a growing stream (Replay_init_live) */
   double live_ms;   /* live: the stream's clock now (ms since its first record) */
   bool before_kept; /* a move asked for records before the first kept (Replay_first) */
} Replay;

/* 0.25× … 64×, then max (INFINITY). */
extern const double ds_replay_speeds[];
extern const int ds_replay_nspeeds;

/* Build the pacing of t's records; starts at record 0, 1× speed.
 * Returns false on no memory. */
bool Replay_init(Replay *r, const Table *t);
void Replay_done(Replay *r);
/* A loaded stream without times (no rx_ms, no time column) is paced one
 * record every ms (--rate), not DS_REPLAY_DEFAULT_MS; no effect on one
 * with times. */
void Replay_pace(Replay *r, const Table *t, double ms);
/* A live stream: the records of t (from none), at the receive times its
 * rx column holds (t->rx_col, set by the source as records arrive, never
 * decreasing). Returns false when t has no rx column. */
bool Replay_init_live(Replay *r, const Table *t);
/* Live: count the records t holds now; the stream's clock is at now_rx
 * (on the rx column's scale). Unpaused, the newest record is shown. */
void Replay_sync(Replay *r, double now_rx);
/* Live: show every record received, and keep showing the newest. */
void Replay_go_live(Replay *r);
/* Live and showing the newest record (not paused). */
bool Replay_following(const Replay *r);

/* The first record still held (live: the Table's base; records before it
 * were discarded), and the stream time (ms) of record i (first <= i < n). */
size_t Replay_first(const Replay *r);
double Replay_time(const Replay *r, size_t i);
/* The first record held whose time is >= ms (lower) or > ms (upper), n
 * when none; and the records held within [start_ms, end_ms], the first of
 * them in *first. */
size_t Replay_lower(const Replay *r, double ms);
size_t Replay_upper(const Replay *r, double ms);
size_t Replay_segment(const Replay *r, double start_ms, double end_ms, size_t *first);

double Replay_speed(const Replay *r);
bool Replay_at_max(const Replay *r);
/* The whole stream's duration (ms): live, up to its clock. */
double Replay_duration(const Replay *r);

/* Move by elapsed_ms of wall time (nothing when paused or at the end;
 * live and not paused: to the newest record); returns whether the cursor
 * moved. The first call after a pause ends does not move: the wall time
 * since the last call was spent paused. */
bool Replay_advance(Replay *r, double elapsed_ms);
/* Wall ms until the next record is due at this speed: 0 at max speed,
 * -1 when paused, at the end, or live (the source says when). */
double Replay_next_due(const Replay *r);

void Replay_faster(Replay *r);
void Replay_slower(Replay *r);
/* Move by delta ms of stream time (clamped to the records held; asking
 * for earlier ones sets before_kept); records follow the position.
 * Live, Replay_seek, Replay_step and Replay_home pause; seeking up to the
 * newest record follows the stream again. */
void Replay_seek(Replay *r, double delta_ms);
/* Show one more record (at its time). */
void Replay_step(Replay *r);
void Replay_home(Replay *r);
void Replay_end(Replay *r);

#endif
