/* SPDX-License-Identifier: MIT */
/* Sources (DESIGN §2): where a live session's bytes come from. Each kind
 * is a const table of operations, one implementation per file:
 * source_serial.c (a board's serial port, a pty), source_stdin.c (standard
 * input), source_paced.c (a recorded session at its pace). Adding a
 * source is one file and one entry in ds_sources (source.c).
 *
 * Nothing blocks: fd is polled, read takes what is there. A source that
 * can come back after it is lost (a board unplugged) says so in tick: the
 * caller calls tick while the source is closed, and it reopens when it can.
 */
#ifndef DRIFTSCOPE_IO_SOURCE_H
#define DRIFTSCOPE_IO_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "io/serial.h"

typedef struct Source Source;

typedef struct SourceOps {
   const char *name;
   /* Whether path is this kind of source (the first that claims it opens it). */
   bool (*claims)(const char *path);
   /* Open s->path. False: the reason, naming the path and the fix, in err. */
   bool (*open)(Source *s, char *err, size_t n);
   /* The fd to poll for input; -1 while closed. */
   int (*fd)(const Source *s);
   /* Up to n bytes: > 0 read; 0 none now; -1 gone (closed: errno says why,
    * 0 for a hang-up or the end). hangup: poll said the other end went. */
   ssize_t (*read)(Source *s, char *buf, size_t n, bool hangup);
   /* While closed after it was lost: try to open it again (a board back,
    * perhaps under another name); true once it is open. NULL: a source that
    * does not come back (standard input ends). */
   bool (*tick)(Source *s, double now, char *err, size_t n);
   void (*close)(Source *s);
   /* For the status line and the recording's "# source:" line. */
   void (*describe)(const Source *s, char *buf, size_t n);
   /* The line settings for the recording's "# baud:" line; NULL: none. */
   void (*settings)(const Source *s, char *buf, size_t n);
} SourceOps;

struct Source {
   const SourceOps *ops;
   const char *path; /* as given */
   SerialConfig serial;
   SerialPort port; /* serial */
   int fd;          /* stdin, paced: the fd polled */
   void *state;     /* the kind's own, when it needs more */
};

extern const SourceOps ds_source_serial, ds_source_stdin, ds_source_paced;
/* The kinds, in the order they are asked to claim a path; NULL-terminated. */
extern const SourceOps *const ds_sources[];

/* The kind of source path is ("-": standard input; "paced:FILE": a
 * recorded session replayed at its pace, as a board would print it; else
 * a serial device). */
const SourceOps *ds_source_for(const char *path);

/* Make s a closed source of path with the kind that claims it. */
void Source_init(Source *s, const char *path, const SerialConfig *c);

#endif
