// SPDX-License-Identifier: MIT
#include "driftscope/replay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/stats.h"

const double ds_replay_speeds[] = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, INFINITY};
const int ds_replay_nspeeds = sizeof ds_replay_speeds / sizeof ds_replay_speeds[0];

#define SPEED_1X 2

bool Replay_init(Replay *r, const Table *t) {
   memset(r, 0, sizeof *r);
   r->speed = SPEED_1X;
   r->n = r->cap = t->nrows - t->base;
   r->t = malloc((r->n ? r->n : 1) * sizeof *r->t);
   if (!r->t)
      return false;
   int c = t->rx_col >= 0 && t->cols[t->rx_col]->stored       ? t->rx_col
           : t->time_col >= 0 && t->cols[t->time_col]->stored ? t->time_col
                                                              : -1;
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

void Replay_done(Replay *r) {
   free(r->t);
   memset(r, 0, sizeof *r);
}

bool Replay_init_live(Replay *r) {
   memset(r, 0, sizeof *r);
   r->speed = SPEED_1X;
   r->live = true;
   r->cap = 4096;
   r->t = malloc(r->cap * sizeof *r->t);
   return r->t != NULL;
}

bool Replay_following(const Replay *r) {
   return r->live && !r->paused;
}

bool Replay_append(Replay *r, size_t count, double t_ms) {
   if (r->n + count > r->cap) {
      size_t cap = r->cap * 2 > r->n + count ? r->cap * 2 : r->n + count;
      double *t = realloc(r->t, cap * sizeof *t);
      if (!t)
         return false;
      r->t = t;
      r->cap = cap;
   }
   double at = r->n ? fmax(t_ms, r->t[r->n - 1]) : fmax(t_ms, 0);
   for (size_t i = 0; i < count; i++)
      r->t[r->n++] = at;
   Replay_set_clock(r, at);
   return true;
}

void Replay_set_clock(Replay *r, double t_ms) {
   r->live_ms = fmax(r->live_ms, t_ms);
   if (Replay_following(r))
      Replay_end(r);
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
   double last = r->n ? r->t[r->n - 1] : 0;
   return r->live ? fmax(last, r->live_ms) : last;
}

/* Records due at the position: the first whose time is after it. */
static void follow(Replay *r) {
   r->cursor = ds_upper_bound(r->t, r->n, r->pos);
}

bool Replay_advance(Replay *r, double elapsed_ms) {
   size_t before = r->cursor;
   if (Replay_following(r)) {
      Replay_end(r);
      return r->cursor != before;
   }
   if (r->paused || r->cursor >= r->n)
      return false;
   if (Replay_at_max(r)) {
      r->cursor = r->cursor + DS_REPLAY_MAX_STEP < r->n ? r->cursor + DS_REPLAY_MAX_STEP : r->n;
      r->pos = r->t[r->cursor - 1];
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
   return fmax(r->t[r->cursor] - r->pos, 0) / Replay_speed(r);
}

void Replay_faster(Replay *r) {
   if (r->speed + 1 < ds_replay_nspeeds)
      r->speed++;
}

void Replay_slower(Replay *r) {
   if (r->speed > 0)
      r->speed--;
}

void Replay_seek(Replay *r, double delta_ms) {
   r->pos = fmax(0, fmin(r->pos + delta_ms, Replay_duration(r)));
   follow(r);
   if (r->live) /* live: moving back holds the view; forward past the edge follows it again */
      r->paused = r->pos < Replay_duration(r);
}

void Replay_step(Replay *r) {
   r->paused |= r->live;
   if (r->cursor < r->n) {
      r->pos = r->t[r->cursor];
      follow(r);
   }
}

void Replay_home(Replay *r) {
   r->paused |= r->live;
   r->pos = 0;
   r->cursor = 0;
}

void Replay_end(Replay *r) {
   r->pos = Replay_duration(r);
   r->cursor = r->n;
}
