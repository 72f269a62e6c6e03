/* SPDX-License-Identifier: MIT */
/* A command run when something happens (--on-drift, --on-recover): split
 * into words as a shell would (quotes, backslashes; no variables, no
 * command substitution, no shell unless the command names one), started
 * without waiting (posix_spawn), given the facts as environment variables,
 * its standard output and error read through a pipe the event loop
 * watches, its first lines and exit status kept. One runs at a time. */
#ifndef DRIFTSCOPE_IO_HOOK_H
#define DRIFTSCOPE_IO_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define HOOK_ENV_MAX 16
#define HOOK_OUT_MAX 512 /* the output kept: its first bytes */

typedef struct Hook {
   pid_t pid; /* running: > 0 */
   int out;   /* the pipe from its stdout and stderr, -1 when none */
   char first[HOOK_OUT_MAX];
   size_t nfirst;
   int status; /* when it ended: the exit status (128 + signal when killed); -1: could not start */
   long runs;
} Hook;

void Hook_init(Hook *h);
/* Start cmd with env (NAME=value strings, n of them) added to the
 * environment. False with the reason in err when it cannot be split or
 * started (a running hook is not interrupted: false, "still running"). */
bool Hook_start(Hook *h, const char *cmd, char *const *env, int n, char *err, size_t errlen);
/* The fd to watch while it runs (-1: none). */
int Hook_fd(const Hook *h);
/* Read what it wrote; once its output ends: true when it has ended too
 * (h->status, h->first say how; else Hook_reap later). */
bool Hook_read(Hook *h);
/* Whether it has ended (reaped, without waiting): after its output
 * closed, asked again until it has. */
bool Hook_reap(Hook *h);
/* Stop waiting for it (at exit): its output closed; it is not killed. */
void Hook_done(Hook *h);

#endif
