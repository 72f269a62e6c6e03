/* SPDX-License-Identifier: MIT */
/* Parallel report: windows are compared on a worker thread while the main
 * thread still parses; after the last row every core shares the remaining
 * windows and the whole-session columns. Same results as Analysis_run. */
#ifndef DRIFTSCOPE_PIPELINE_H
#define DRIFTSCOPE_PIPELINE_H

#include <pthread.h>
#include <stdbool.h>

#include "driftscope/analysis.h"

#define PIPELINE_MAX_THREADS 8

typedef struct Pipeline {
   pthread_mutex_t mu;
   pthread_cond_t cv;
   pthread_rwlock_t rw; /* guards column memory of the table being filled */
   Analysis *a;
   const Table *ref;
   Table *cur;
   const AnalysisOptions *opt;
   int threads;
   bool parse_done, prepared, failed, worker_running;
   size_t next_window;
   int next_column;
   pthread_t worker;
   DsError error;
} Pipeline;

/* Before parsing into cur: installs the table locks and, with windows and
 * overlap, starts the worker (without overlap every core is left to the
 * parser, and windows wait for the last row). */
bool Pipeline_start(Pipeline *p, Analysis *a, const Table *ref, Table *cur, const AnalysisOptions *opt, bool overlap);
/* Call after each chunk of input: wakes the worker. */
void Pipeline_rows_added(Pipeline *p);
/* After the last row: finishes everything; false (error set) on failure. */
bool Pipeline_finish(Pipeline *p);

#endif
