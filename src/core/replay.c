// SPDX-License-Identifier: MIT
#include "driftscope/replay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double ds_replay_speeds[] = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, INFINITY};
const int ds_replay_nspeeds = sizeof ds_replay_speeds / sizeof ds_replay_speeds[0];

#define SPEED_1X 2

/* The column a loaded stream is paced by: rx_ms, else the time column;
 * -1 when it has neither. */
static int time_column(const Table *t) {
   return t->rx_col >= 0 && t->cols[t->rx_col]->stored       ? t->rx_col
          : t->time_col >= 0 && t->cols[t->time_col]->stored ? t->time_col
                                                             : -1;
}

bool Replay_init(Replay *r, const Table *t) {
   memset(r, 0, sizeof *r);
   r->speed = SPEED_1X;
   r->n = t->nrows - t->base;
   r->t = malloc((r->n ? r->n : 1) * sizeof *r->t);
   if (!r->t)
      return false;
   int c = time_column(t);
   double prev = NAN, at = 0;
   for (size_t i = 0; i < r->n; i++) {
      double v = Table_value(t, c, t->base + i);
      double step = c < 0 ? DS_REPLAY_DEFAULT_MS : isnan(v) || isnan(prev) ? 0 : fmax(v - prev, 0);
      if (i > 0)
         at += step;
      if (!isnan(v))
         prev = v;
      r->t[i] = at;
   }
   return true;
}

void Replay_pace(Replay *r, const Table *t, double ms) {
   if (r->live || time_column(t) >= 0 || !(ms > 0))
      return;
   for (size_t i = 0; i < r->n; i++)
      r->t[i] = (double)i * ms;
}

void Replay_done(Replay *r) {
   free(r->t); /* NULL when live */
   memset(r, 0, sizeof *r);
}

static void follow(Replay *r);

bool Replay_init_live(Replay *r, const Table *t) {
   memset(r, 0, sizeof *r);
   r->speed = SPEED_1X;
   r->live = true;
   r->tab = t;
   r->col = t->rx_col;
   return t->rx_col >= 0 && t->cols[t->rx_col]->stored;
}

bool Replay_following(const Replay *r) {
   return r->live && !r->paused;
}

void Replay_sync(Replay *r, double now_rx) {
   const Table *t = r->tab;
   if (!r->n && t->nrows > t->base)
      r->origin = Table_at(t, r->col, t->base);
   r->n = t->nrows;
   if (r->n)
      r->live_ms = fmax(r->live_ms, fmax(now_rx - r->origin, Replay_time(r, r->n - 1)));
   if (Replay_following(r))
      Replay_end(r);
   else if (r->cursor < Replay_first(r) && r->n > Replay_first(r)) { /* held records went */
      r->pos = fmax(r->pos, Replay_time(r, Replay_first(r)));
      follow(r);
   }
}

size_t Replay_first(const Replay *r) {
   return r->tab ? r->tab->base : 0;
}

double Replay_time(const Replay *r, size_t i) {
   return r->tab ? Table_at(r->tab, r->col, i) - r->origin : r->t[i];
}

/* The first record held whose time is > ms (upper) or >= ms. */
static size_t search(const Replay *r, double ms, bool upper) {
   size_t lo = Replay_first(r), hi = r->n;
   while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      double v = Replay_time(r, mid);
      if (upper ? v <= ms : v < ms)
         lo = mid + 1;
      else
         hi = mid;
   }
   return lo;
}

size_t Replay_lower(const Replay *r, double ms) {
   return search(r, ms, false);
}

size_t Replay_upper(const Replay *r, double ms) {
   return search(r, ms, true);
}

size_t Replay_segment(const Replay *r, double start_ms, double end_ms, size_t *first) {
   size_t lo = Replay_lower(r, start_ms), hi = Replay_upper(r, end_ms);
   *first = lo;
   return hi > lo ? hi - lo : 0;
}

void Replay_go_live(Replay *r) {
   r->paused = false;
   Replay_end(r);
}

double Replay_speed(const Replay *r) {
   return ds_replay_speeds[r->speed];
}

bool Replay_at_max(const Replay *r) {
   return isinf(Replay_speed(r));
}

double Replay_duration(const Replay *r) {
   double last = r->n ? Replay_time(r, r->n - 1) : 0;
   return r->live ? fmax(last, r->live_ms) : last;
}

/* Records due at the position: the first whose time is after it. */
static void follow(Replay *r) {
   r->cursor = Replay_upper(r, r->pos);
}

bool Replay_advance(Replay *r, double elapsed_ms) {
   size_t before = r->cursor;
   bool held = r->held;
   r->held = r->paused;
   if (held)
      elapsed_ms = 0; /* paused until now: the time that passed is not the stream's */
   if (Replay_following(r)) {
      Replay_end(r);
      return r->cursor != before;
   }
   if (r->paused || r->cursor >= r->n)
      return false;
   if (Replay_at_max(r)) {
      r->cursor = r->cursor + DS_REPLAY_MAX_STEP < r->n ? r->cursor + DS_REPLAY_MAX_STEP : r->n;
      r->pos = Replay_time(r, r->cursor - 1);
   } else {
      r->pos = fmin(r->pos + elapsed_ms * Replay_speed(r), Replay_duration(r));
      follow(r);
   }
   return r->cursor != before;
}

double Replay_next_due(const Replay *r) {
   if (r->paused || r->cursor >= r->n || r->live)
      return -1;
   if (Replay_at_max(r))
      return 0;
   return fmax(Replay_time(r, r->cursor) - r->pos, 0) / Replay_speed(r);
}

void Replay_faster(Replay *r) {
   if (r->speed + 1 < ds_replay_nspeeds)
      r->speed++;
}

void Replay_slower(Replay *r) {
   if (r->speed > 0)
      r->speed--;
}

/* The earliest position a move may go to: 0, or the first record held. */
static double earliest(Replay *r, double want) {
   size_t first = Replay_first(r);
   r->before_kept = false;
   if (!first || first >= r->n)
      return fmax(want, 0);
   double at = Replay_time(r, first);
   r->before_kept = want < at;
   return fmax(want, at);
}

void Replay_seek(Replay *r, double delta_ms) {
   r->pos = fmin(earliest(r, r->pos + delta_ms), Replay_duration(r));
   follow(r);
   if (r->live) /* live: moving back holds the view; forward past the edge follows it again */
      r->paused = r->pos < Replay_duration(r);
}

void Replay_step(Replay *r) {
   r->paused |= r->live;
   size_t first = Replay_first(r);
   if (r->cursor < first)
      r->cursor = first;
   if (r->cursor < r->n) {
      r->pos = Replay_time(r, r->cursor);
      follow(r);
   }
}

void Replay_home(Replay *r) {
   r->paused |= r->live;
   r->pos = earliest(r, -1);
   r->cursor = Replay_first(r) ? Replay_upper(r, r->pos) : 0;
}

void Replay_end(Replay *r) {
   r->pos = Replay_duration(r);
   r->cursor = r->n;
}
