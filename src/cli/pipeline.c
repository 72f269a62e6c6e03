// SPDX-License-Identifier: MIT
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void table_lock(void *ctx, bool write) {
   Pipeline *p = ctx;
   if (write)
      pthread_rwlock_wrlock(&p->rw);
   else
      pthread_rwlock_rdlock(&p->rw);
}

static void table_unlock(void *ctx, bool write) {
   (void)write;
   pthread_rwlock_unlock(&((Pipeline *)ctx)->rw);
}

static void fail(Pipeline *p, const char *what, size_t k) {
   p->failed = true;
   DsError_set(&p->error, NULL, 0, 0, "out of memory %s %zu", what, k);
}

/* Prepare the analysis once the header is known; called with mu held. */
static bool ensure_prepared(Pipeline *p) {
   if (p->prepared)
      return true;
   if (!Analysis_prepare(p->a, p->ref, p->cur, p->opt, &p->error)) {
      p->failed = true;
      return false;
   }
   p->prepared = true;
   return true;
}

/* Claim the next window whose rows are published; with mu held. Returns
 * false when there is none now (and, after parsing, none left). */
static bool claim_window(Pipeline *p, size_t *k) {
   Analysis *a = p->a;
   if (p->failed || !p->prepared || !a->window)
      return false;
   if (Analysis_window_end(a, p->next_window) > Table_rows_published(p->cur))
      return false;
   if (!Analysis_ensure_windows(a, p->next_window + 1)) {
      fail(p, "keeping the result of window", p->next_window);
      return false;
   }
   *k = p->next_window++;
   return true;
}

/* Compute window k (claimed) with mu released; mu held again on return. */
static void compute_window(Pipeline *p, size_t k, AnalysisWorker *w) {
   pthread_mutex_unlock(&p->mu);
   bool ok = Analysis_window(p->a, p->cur, k, w);
   pthread_mutex_lock(&p->mu);
   if (!ok)
      fail(p, "comparing window", k);
   Analysis_win(p->a, k)->done = ok;
   while (p->done_prefix < p->next_window && Analysis_win(p->a, p->done_prefix)->done)
      p->done_prefix++;
   pthread_cond_broadcast(&p->cv);
}

static bool ready_to_prepare(const Pipeline *p) {
   return !p->prepared && (p->parse_done || Table_rows_published(p->cur) >= p->opt->window);
}

/* Compute windows until none is left; waits for rows while parsing goes on. */
static void window_loop(Pipeline *p, bool wait) {
   AnalysisWorker w = {0};
   pthread_mutex_lock(&p->mu);
   for (;;) {
      size_t k;
      if (ready_to_prepare(p) && !ensure_prepared(p))
         break;
      if (claim_window(p, &k)) {
         compute_window(p, k, &w);
         continue;
      }
      if (!wait || p->parse_done || p->failed)
         break;
      pthread_cond_wait(&p->cv, &p->mu);
   }
   pthread_mutex_unlock(&p->mu);
   AnalysisWorker_done(&w);
}

static void *worker_main(void *arg) {
   window_loop(arg, true);
   return NULL;
}

bool Pipeline_start(Pipeline *p, Analysis *a, const Table *ref, Table *cur, const AnalysisOptions *opt) {
   memset(p, 0, sizeof *p);
   p->a = a;
   p->ref = ref;
   p->cur = cur;
   p->opt = opt;
   p->streaming = opt->window > 0;
   p->keep_rows = PIPELINE_KEEP_ROWS + 2 * (opt->window + AnalysisOptions_stride(opt));
   long n = sysconf(_SC_NPROCESSORS_ONLN);
   p->threads = n < 1 ? 1 : n > PIPELINE_MAX_THREADS ? PIPELINE_MAX_THREADS : (int)n;
   pthread_mutex_init(&p->mu, NULL);
   pthread_cond_init(&p->cv, NULL);
   pthread_rwlock_init(&p->rw, NULL);
   cur->locking = (TableLock){table_lock, table_unlock, p};
   if (p->streaming && p->threads > 1)
      p->worker_running = pthread_create(&p->worker, NULL, worker_main, p) == 0;
   return true;
}

/* Records that may be dropped once rows are in: whole blocks, keeping the
 * last keep_rows. A function of the row count alone, so what is dropped by
 * the end of a stream (and so what can still be redone) does not depend on
 * how the threads ran. */
static size_t discard_target(const Pipeline *p, size_t rows) {
   if (rows < p->keep_rows + PIPELINE_DROP_BLOCK)
      return 0;
   return (rows - p->keep_rows) / PIPELINE_DROP_BLOCK * PIPELINE_DROP_BLOCK;
}

/* On the parsing thread, with mu held: when a block of records can go,
 * make sure the windows needing them are done (computing them here, or
 * waiting for the worker's), count them into the session figures and drop
 * them. */
static void keep_bounded(Pipeline *p) {
   Table *t = p->cur;
   size_t target = discard_target(p, t->nrows);
   if (target <= t->base || (!p->prepared && !ensure_prepared(p)))
      return;
   AnalysisWorker w = {0};
   while (!p->failed && Analysis_keep_from(p->a, p->done_prefix) < target) {
      size_t k;
      if (claim_window(p, &k))
         compute_window(p, k, &w);
      else if (p->done_prefix < p->next_window)
         pthread_cond_wait(&p->cv, &p->mu); /* the worker has a window holding records back */
      else
         break;
   }
   AnalysisWorker_done(&w);
   if (p->failed || Analysis_keep_from(p->a, p->done_prefix) < target)
      return;
   pthread_mutex_unlock(&p->mu);
   bool ok = Analysis_consume(p->a, t, target);
   if (ok)
      Table_discard(t, target);
   pthread_mutex_lock(&p->mu);
   if (!ok)
      fail(p, "counting record", target);
}

void Pipeline_rows_added(Pipeline *p) {
   if (!p->streaming)
      return;
   pthread_mutex_lock(&p->mu);
   pthread_cond_broadcast(&p->cv);
   keep_bounded(p);
   pthread_mutex_unlock(&p->mu);
}

static void *column_main(void *arg) {
   Pipeline *p = arg;
   AnalysisWorker w = {0};
   for (;;) {
      pthread_mutex_lock(&p->mu);
      int i = p->failed ? p->a->ncols : p->next_column++;
      pthread_mutex_unlock(&p->mu);
      if (i >= p->a->ncols)
         break;
      if (!Analysis_column(p->a, p->cur, i, &w)) {
         pthread_mutex_lock(&p->mu);
         p->failed = true;
         DsError_set(&p->error, NULL, 0, 0, "out of memory comparing column %s", p->a->cols[i].name);
         pthread_mutex_unlock(&p->mu);
      }
   }
   AnalysisWorker_done(&w);
   return NULL;
}

static void *finish_main(void *arg) {
   window_loop(arg, false);
   return column_main(arg);
}

bool Pipeline_finish(Pipeline *p) {
   pthread_mutex_lock(&p->mu);
   p->parse_done = true;
   pthread_cond_broadcast(&p->cv);
   bool ok = ensure_prepared(p);
   pthread_mutex_unlock(&p->mu);
   if (p->worker_running)
      pthread_join(p->worker, NULL);
   p->cur->locking = (TableLock){NULL, NULL, NULL};
   if (ok)
      Analysis_seal(p->a, p->cur);
   pthread_t extra[PIPELINE_MAX_THREADS];
   int started = 0;
   for (int t = 1; ok && t < p->threads; t++)
      if (pthread_create(&extra[started], NULL, finish_main, p) == 0)
         started++;
   if (ok)
      finish_main(p);
   for (int t = 0; t < started; t++)
      pthread_join(extra[t], NULL);
   AnalysisWorker w = {0};
   ok = ok && !p->failed && Analysis_conclude(p->a, p->cur, &w, &p->error);
   AnalysisWorker_done(&w);
   pthread_rwlock_destroy(&p->rw);
   pthread_cond_destroy(&p->cv);
   pthread_mutex_destroy(&p->mu);
   if (ok && p->a->columns_changed) { /* a column appeared mid-stream, no record dropped: redo it plainly */
      Analysis_done(p->a);
      ok = Analysis_run(p->a, p->ref, p->cur, p->opt, &p->error);
   }
   return ok;
}
