/* SPDX-License-Identifier: MIT */
/* The one place the dashboard waits (src/io): poll() on the keyboard (and,
 * the source) and on a self-pipe that the signal handlers write to,
 * with a timeout the caller computes from its next deadline. Handlers do
 * nothing but write the signal's number to the pipe. */
#ifndef DRIFTSCOPE_EVENTLOOP_H
#define DRIFTSCOPE_EVENTLOOP_H

#include <stdbool.h>

#include "driftscope/clock.h"

enum { EV_INPUT = 1, EV_SIGNAL = 2, EV_HANGUP = 4 };

typedef struct EventLoop {
   int pipe[2];
} EventLoop;

/* Install handlers for SIGINT, SIGTERM, SIGHUP and SIGWINCH. Returns false
 * (errno set) when the pipe cannot be made. */
bool EventLoop_init(EventLoop *l);
/* Restore the default handlers and close the pipe. */
void EventLoop_done(EventLoop *l);
/* Wait up to timeout_ms (-1: no limit) for input on fd (none when fd < 0)
 * or a signal. Returns EV_* flags (0 on timeout): EV_INPUT when fd is
 * readable, EV_HANGUP when its other end is gone (read what is left
 * first); *sig is the signal, when one came. */
int EventLoop_wait(EventLoop *l, int fd, int timeout_ms, int *sig);
/* The same for up to 8 fds (negative ones are skipped): ev[i] gets fds[i]'s
 * EV_INPUT / EV_HANGUP; returns their union, with EV_SIGNAL. */
int EventLoop_poll(EventLoop *l, const int *fds, int *ev, int n, int timeout_ms, int *sig);
/* The terminal's size on fd; false when it is not a terminal. */
bool ds_term_size(int fd, int *rows, int *cols);

#endif
