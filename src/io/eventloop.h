/* SPDX-License-Identifier: MIT */
/* The one place driftscope waits (src/io): poll() on the fds being
 * watched (the keyboard, the source) and on a self-pipe that the signal
 * handlers write to, until the earliest deadline. Handlers do nothing but
 * write the signal's number to the pipe.
 *
 * EventLoop_run is the loop the dashboard and `record` share: fds to
 * watch, timers (a frame to draw, a replay step, a reopen to try, a
 * journal row to retry, a status line), a step after every turn, and one
 * signal discipline. */
#ifndef DRIFTSCOPE_EVENTLOOP_H
#define DRIFTSCOPE_EVENTLOOP_H

#include <signal.h>
#include <stdbool.h>

#include "driftscope/clock.h"

enum { EV_INPUT = 1, EV_SIGNAL = 2, EV_HANGUP = 4 };

typedef struct EventLoop {
   int pipe[2];
} EventLoop;

/* Set by the handlers when a signal that ends the program came (SIGINT,
 * SIGTERM, SIGHUP): a write blocked on a reader that does not read stops
 * on it (ds_write_all_until). Cleared by EventLoop_init. */
extern volatile sig_atomic_t ds_loop_stop;

/* Install handlers for SIGINT, SIGTERM, SIGHUP and SIGWINCH. Returns false
 * (errno set) when the pipe cannot be made. */
bool EventLoop_init(EventLoop *l);
/* SIGHUP asks a daemon to reopen its logs, not to stop (`watch`): it no
 * longer sets ds_loop_stop; the loop's signal callback still gets it. */
void EventLoop_hup_reopens(EventLoop *l);
/* Restore the default handlers and close the pipe. */
void EventLoop_done(EventLoop *l);
/* Wait up to timeout_ms (-1: no limit) for input on fd (none when fd < 0)
 * or a signal. Returns EV_* flags (0 on timeout): EV_INPUT when fd is
 * readable, EV_HANGUP when its other end is gone (read what is left
 * first); *sig is the signal, when one came. */
int EventLoop_wait(EventLoop *l, int fd, int timeout_ms, int *sig);
/* The same for up to LOOP_MAX fds (negative ones are skipped): ev[i] gets fds[i]'s
 * EV_INPUT / EV_HANGUP; returns their union, with EV_SIGNAL. */
int EventLoop_poll(EventLoop *l, const int *fds, int *ev, int n, int timeout_ms, int *sig);
#define LOOP_GO (-1) /* a callback's "go on"; anything else stops the loop with it */

typedef struct LoopWatch {
   int (*fd)(void *ctx);                        /* the fd to poll, -1: none now */
   int (*ready)(void *ctx, double now, int ev); /* it has input (EV_INPUT, EV_HANGUP) */
   void *ctx;                                   /* its callbacks' (NULL: the spec's) */
} LoopWatch;

typedef struct LoopTimer {
   double (*due)(void *ctx, double now); /* when it is due (ds_now_ms), < 0: not */
   int (*run)(void *ctx, double now);
   void *ctx; /* its callbacks' (NULL: the spec's) */
} LoopTimer;

/* Watches and timers a loop can have: a few of its own, and per board
 * (`watch`, up to DS_MAX_BOARDS) a source, a hook and their timers. */
#define LOOP_MAX 128

typedef struct LoopSpec {
   LoopWatch watch[LOOP_MAX];
   int nwatch;
   LoopTimer timer[LOOP_MAX];
   int ntimer;
   int (*after)(void *ctx, double now); /* after every turn; NULL: nothing */
   int (*signal)(void *ctx, int sig);   /* a signal came */
   void *ctx;                           /* every callback's */
} LoopSpec;

/* Turn until a callback returns other than LOOP_GO, and return that: each
 * turn waits for a watched fd, a signal or the earliest timer, then runs
 * the signal's callback, the ready fds', the timers due and after. */
int EventLoop_run(EventLoop *l, const LoopSpec *spec);

/* The terminal's size on fd; false when it is not a terminal. */
bool ds_term_size(int fd, int *rows, int *cols);

#endif
