/* SPDX-License-Identifier: MIT */
/* The label journal (DESIGN §8): SESSION.labels.csv, one row per label
 * operation, appended and on disk (fdatasync) before the operation
 * returns. The file is locked (flock): a second dashboard on the same
 * session reads it and cannot write. A row the disk refuses (full, gone)
 * is kept in memory and written by the next Journal_flush; a crash
 * mid-row leaves a cut last line, which loading keeps and skips. */
#ifndef DRIFTSCOPE_IO_JOURNAL_H
#define DRIFTSCOPE_IO_JOURNAL_H

#include <limits.h>
#include <stdbool.h>

#include "driftscope/labels.h"
#include "driftscope/strbuf.h"

typedef struct Journal {
   char path[PATH_MAX];
   int fd;               /* -1 when there is none, or it is read-only */
   StrBuf pending;       /* rows not written yet */
   const char *readonly; /* why labels cannot be saved here; NULL when they can */
   char why[PATH_MAX + 128];
   LabelLoad load; /* what loading found */
} Journal;

void Journal_init(Journal *j);
/* Open (or make) path, lock it, and replay it into ls (empty). A journal
 * another process holds is loaded and readonly says so; one that cannot be
 * opened leaves labels off (readonly says why). */
void Journal_open(Journal *j, const char *path, LabelStore *ls);
/* Append row and write it out (the pending rows first). False when the
 * disk refused: the row is kept for Journal_flush, msg (if not NULL) says so. */
bool Journal_append(Journal *j, const StrBuf *row, char *msg, size_t n);
/* Write the rows kept; false while the disk still refuses. */
bool Journal_flush(Journal *j, char *msg, size_t n);
/* Rows waiting to be written. */
static inline bool Journal_pending(const Journal *j) {
   return j->pending.len > 0;
}
/* Close (what is pending and could not be flushed is dropped: flush first). */
void Journal_close(Journal *j);

#endif
