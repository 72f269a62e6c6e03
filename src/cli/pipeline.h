/* SPDX-License-Identifier: MIT */
/* Parallel report. Without windows the sessions are parsed (two threads
 * for a large file) and then every core shares the columns. With windows
 * the stream is compared window by window while it parses: a worker thread
 * takes the windows whose records have arrived, and the records no window
 * needs any more are counted into the session figures and dropped in
 * blocks, so memory stays bounded however long the session is (the parser
 * computes windows itself when it gets ahead). Same results as Analysis_run. */
#ifndef DRIFTSCOPE_PIPELINE_H
#define DRIFTSCOPE_PIPELINE_H

#include <pthread.h>
#include <stdbool.h>

#include "driftscope/analysis.h"

#define PIPELINE_MAX_THREADS 8
#define PIPELINE_KEEP_ROWS 30000  /* records kept beyond two windows and strides */
#define PIPELINE_DROP_BLOCK 16384 /* records are dropped in blocks of this many */

typedef struct Pipeline {
   pthread_mutex_t mu;
   pthread_cond_t cv;
   pthread_rwlock_t rw; /* guards column memory of the table being filled */
   Analysis *a;
   const Table *ref;
   Table *cur;
   const AnalysisOptions *opt;
   int threads;
   bool streaming; /* windows: compare while parsing, drop what is done */
   bool parse_done, prepared, failed, worker_running;
   size_t next_window; /* next window to claim */
   size_t done_prefix; /* windows before it are all done */
   size_t keep_rows;   /* the last records always kept */
   int next_column;
   pthread_t worker;
   DsError error;
} Pipeline;

/* Before parsing into cur: installs the table locks and, with windows,
 * starts the worker when there is a second core. */
bool Pipeline_start(Pipeline *p, Analysis *a, const Table *ref, Table *cur, const AnalysisOptions *opt);
/* Call from the parsing thread after each chunk of input. */
void Pipeline_rows_added(Pipeline *p);
/* After the last row: finishes everything; false (error set) on failure. */
bool Pipeline_finish(Pipeline *p);

#endif
