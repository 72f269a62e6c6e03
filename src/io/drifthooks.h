/* SPDX-License-Identifier: MIT */
/* --on-drift / --on-recover (DESIGN §9): a board's dataset verdict
 * followed window by window (every stride records, as the reports count
 * them; warm-up windows are no verdict), and a command run when drift
 * starts or ends: edge-triggered, each at most once a cooldown, one at a
 * time (events that come meanwhile wait in a ring of DRIFT_HOOK_QUEUE and
 * run in turn with the facts of their own moment), never blocking the
 * loop. What each run did (started, exit status, first line of output) is
 * said through note(). Shared by the dashboard and `watch`, one per board. */
#ifndef DRIFTSCOPE_IO_DRIFTHOOKS_H
#define DRIFTSCOPE_IO_DRIFTHOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/analysis.h"
#include "driftscope/replay.h"
#include "io/eventloop.h"
#include "io/hook.h"

#define DRIFT_HOOK_QUEUE 8
#define DRIFT_HOOK_ENV 10

/* What the command is told besides the window's figures. */
typedef struct DriftFacts {
   const char *board;     /* DRIFTSCOPE_BOARD */
   const char *session;   /* DRIFTSCOPE_SESSION: the session file ("" when not recorded) */
   const char *reference; /* DRIFTSCOPE_REFERENCE */
} DriftFacts;

typedef struct DriftHooks {
   const char *on_drift, *on_recover; /* NULL: none */
   double cooldown_ms;
   Hook hook;
   const char *event; /* the running one's ("drift", "recover") */
   char said[320];    /* what the last one did */
   struct {
      const char *event, *cmd;
      char env[DRIFT_HOOK_ENV][1100];
   } queue[DRIFT_HOOK_QUEUE];
   int qhead, qlen;
   bool drifting; /* the verdict of the last full window seen */
   size_t next;   /* the next window to look at */
   double onset_at, recover_at;
   double reap_at;                           /* its output closed, it runs on: when it is asked again */
   void (*note)(void *ctx, const char *msg); /* NULL: nothing said */
   void *note_ctx;
   /* each onset and recovery, hook or not (NULL: none); its ctx is note_ctx */
   void (*verdict)(void *ctx, bool drifting, const Analysis *a, const WindowReport *w);
} DriftHooks;

void DriftHooks_init(DriftHooks *d, const char *on_drift, const char *on_recover, double cooldown_s);
/* Whether a command is set at all. */
bool DriftHooks_on(const DriftHooks *d);
/* Look at the windows of a done since the last call (however far the
 * cursor moved; moving back waits for windows after where it was) and run
 * a hook on each onset or recovery (and say it to verdict); r gives the
 * stream time of a window's last record. */
void DriftHooks_follow(DriftHooks *d, const Analysis *a, const Replay *r, const DriftFacts *f, double now);
/* The fd to watch (the running hook's output), -1: none. */
int DriftHooks_fd(const DriftHooks *d);
/* Its output is readable. */
void DriftHooks_ready(DriftHooks *d);
/* A hook whose output closed but which runs on is asked soon, then every
 * 0.1 s: when, -1 when not. */
double DriftHooks_due(const DriftHooks *d, double now);
void DriftHooks_tick(DriftHooks *d);
/* The watch (its output) and the timer (its reaping) to give the event
 * loop (ctx: d). */
LoopWatch DriftHooks_watch(DriftHooks *d);
LoopTimer DriftHooks_timer(DriftHooks *d);
/* At exit: a hook that is ending is given half a second; no new one
 * starts. Returns false when none ever ran; else what they did, in buf. */
bool DriftHooks_finish(DriftHooks *d, char *buf, size_t n);
void DriftHooks_done(DriftHooks *d);

#endif
