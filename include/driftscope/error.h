/* SPDX-License-Identifier: MIT */
/* DsError: how the core reports a failure without printing or exiting.
 * A function that can fail takes a DsError * (may be NULL) and, on failure,
 * fills it with a message and the position (file, line, column; 0 = unknown)
 * and returns a failure status. The caller decides how to show it. */
#ifndef DRIFTSCOPE_ERROR_H
#define DRIFTSCOPE_ERROR_H

#include <stdarg.h>

#define DS_ERRMSG_MAX 256 /* one readable sentence, plus a quoted fragment */
#define DS_ERRFILE_MAX 256

typedef struct DsError {
   char msg[DS_ERRMSG_MAX];
   char file[DS_ERRFILE_MAX];
   long line;   /* 1-based, 0 when not tied to a line */
   long column; /* 1-based, 0 when unknown */
} DsError;

/* Fill e (if not NULL). file may be NULL. */
void DsError_set(DsError *e, const char *file, long line, long column, const char *fmt, ...)
   __attribute__((format(printf, 5, 6)));

/* Format "file:line:column: msg" (parts that are unknown are left out). */
void DsError_format(const DsError *e, char *out, unsigned long outsz);

#endif
