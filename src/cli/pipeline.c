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

/* Prepare the analysis once the header is known; called with mu held. */
static bool ensure_prepared(Pipeline *p) {
   if (p->prepared)
      return true;
   size_t rows = Table_rows_published(p->cur);
   size_t expected = p->cur->reserve > rows ? p->cur->reserve : rows;
   if (!Analysis_prepare(p->a, p->ref, p->cur, p->opt, expected, &p->error)) {
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
   if (p->failed || !p->prepared || p->next_window >= a->window_cap)
      return false;
   if (Analysis_window_end(a, p->next_window) > Table_rows_published(p->cur))
      return false;
   *k = p->next_window++;
   return true;
}

/* Compute windows until none is left; waits for rows while parsing goes on. */
static void window_loop(Pipeline *p, bool wait) {
   AnalysisWorker w = {0};
   pthread_mutex_lock(&p->mu);
   for (;;) {
      size_t k;
      if (!p->prepared && (p->parse_done || Table_rows_published(p->cur) >= p->opt->window) && !ensure_prepared(p))
         break;
      if (claim_window(p, &k)) {
         pthread_mutex_unlock(&p->mu);
         bool ok = Analysis_window(p->a, p->cur, k, &w);
         pthread_mutex_lock(&p->mu);
         if (!ok) {
            p->failed = true;
            DsError_set(&p->error, NULL, 0, 0, "out of memory comparing window %zu", k);
         }
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

bool Pipeline_start(Pipeline *p, Analysis *a, const Table *ref, Table *cur, const AnalysisOptions *opt, bool overlap) {
   memset(p, 0, sizeof *p);
   p->a = a;
   p->ref = ref;
   p->cur = cur;
   p->opt = opt;
   long n = sysconf(_SC_NPROCESSORS_ONLN);
   p->threads = n < 1 ? 1 : n > PIPELINE_MAX_THREADS ? PIPELINE_MAX_THREADS : (int)n;
   pthread_mutex_init(&p->mu, NULL);
   pthread_cond_init(&p->cv, NULL);
   pthread_rwlock_init(&p->rw, NULL);
   cur->locking = (TableLock){table_lock, table_unlock, p};
   if (overlap && opt->window && p->threads > 1)
      p->worker_running = pthread_create(&p->worker, NULL, worker_main, p) == 0;
   return true;
}

void Pipeline_rows_added(Pipeline *p) {
   if (!p->worker_running)
      return;
   pthread_mutex_lock(&p->mu);
   pthread_cond_broadcast(&p->cv);
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
   if (ok && p->a->columns_changed) { /* a column appeared mid-stream: redo it plainly */
      Analysis_done(p->a);
      ok = Analysis_run(p->a, p->ref, p->cur, p->opt, &p->error);
   }
   return ok;
}
