// SPDX-License-Identifier: MIT
#include "driftscope/monitor.h"
#include "driftscope/clock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The first window whose records are all still in cur. */
static size_t first_whole_window(const Analysis *a, const Table *cur) {
   size_t k = 0;
   if (a->window && cur->base > 0) /* window_first(k) = (k + 1) * stride - window */
      k = (cur->base + a->window + a->stride - 1) / a->stride - 1;
   return k;
}

/* Prepare; old (the Monitor this one replaces, or NULL) gives its session
 * figures. */
static bool init(Monitor *m, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e,
                 const Analysis *old) {
   memset(m, 0, sizeof *m);
   m->ref = ref;
   m->cur = cur;
   AnalysisOptions o = *opt;
   o.window_all_stats = false; /* the history is the verdict's score */
   if (!Analysis_prepare(&m->a, ref, cur, &o, e))
      return false;
   Analysis_forget_windows(&m->a, first_whole_window(&m->a, cur));
   m->win_conf = calloc(1, sizeof *m->win_conf);
   if (!m->win_conf || (old && !Analysis_adopt_checkpoint(&m->a, old))) {
      DsError_set(e, NULL, 0, 0, "out of memory preparing the dashboard");
      return false;
   }
   /* the reference's prediction mix: its prediction column, else its labels;
    * a stream with truth and no prediction shows the labels' mix (target) */
   m->mix_target = cur->pred_col < 0 && cur->truth_col >= 0;
   int rc = ref->pred_col >= 0 && !m->mix_target ? ref->pred_col : ref->truth_col;
   if (rc >= 0 && ref->cols[rc]->kind == KIND_CATEGORICAL && ref->cols[rc]->stored)
      for (size_t r = ref->base; r < ref->nrows; r++) {
         double v = Table_at(ref, rc, r);
         if (!isnan(v) && v >= 0 && v < DS_MAX_CLASSES) {
            m->mix_ref[(int)v]++;
            m->mix_ref_n++;
         }
      }
   return Monitor_seek(m, 0);
}

bool Monitor_init(Monitor *m, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e) {
   return init(m, ref, cur, opt, e, NULL);
}

bool Monitor_renew(Monitor *m, const AnalysisOptions *opt, DsError *e) {
   Monitor old = *m;
   bool ok =
      init(m, old.ref, old.cur, opt, e, &old.a) && Monitor_set_detail(m, old.detail) && Monitor_seek(m, old.cursor);
   m->version = old.version + 1;
   Monitor_done(&old);
   return ok;
}

void Monitor_done(Monitor *m) {
   Analysis_done(&m->a);
   AnalysisWorker_done(&m->w);
   free(m->win_conf);
   memset(m, 0, sizeof *m);
}

bool Monitor_stale(const Monitor *m) {
   return !Analysis_pairing_current(&m->a, m->cur);
}

/* Compute the windows that have ended by the cursor (each once). */
static bool compute_windows(Monitor *m, size_t from, size_t n) {
   Analysis *a = &m->a;
   if (!Analysis_ensure_windows(a, n))
      return false;
   for (size_t k = from; k < n; k++) {
      WindowReport *w = Analysis_win(a, k);
      if (w->done)
         continue;
      if (!Analysis_window(a, m->cur, k, &m->w))
         return false;
      w->done = true;
   }
   return true;
}

/* The first window a cursor whose last window is n - 1 needs: the
 * history it shows (DS_MONITOR_HISTORY windows back; a jump far ahead
 * leaves those before not done, computed if the cursor comes back to
 * them), not before the first whose records are all still held. */
static size_t first_needed(const Monitor *m, size_t n) {
   const Analysis *a = &m->a;
   size_t from = first_whole_window(a, m->cur);
   if (from < a->first_window)
      from = a->first_window;
   if (n > DS_MONITOR_HISTORY && from < n - DS_MONITOR_HISTORY)
      from = n - DS_MONITOR_HISTORY;
   return from;
}

/* Compute the windows that have ended by the cursor (each once); those
 * whose records are gone stay not done. */
static bool windows_upto(Monitor *m) {
   Analysis *a = &m->a;
   size_t n = a->window ? m->cursor / a->stride : 0, from = first_needed(m, n);
   if (!compute_windows(m, from, n))
      return false;
   a->nwindows = n;
   return true;
}

static bool categorical(const Table *t, int c) {
   return c >= 0 && t->cols[c]->stored && t->cols[c]->kind == KIND_CATEGORICAL;
}

/* Prediction mix and confusion matrix of the current window. */
static void window_model(Monitor *m) {
   const Table *t = m->cur;
   memset(m->mix_cur, 0, sizeof m->mix_cur);
   m->mix_cur_n = 0;
   Confusion_clear(m->win_conf);
   bool truth = categorical(t, t->truth_col) && !m->mix_target;
   int mc = m->mix_target ? t->truth_col : t->pred_col;
   for (size_t r = m->first; categorical(t, mc) && r < m->first + m->rows; r++) {
      double p = Table_at(t, mc, r);
      if (isnan(p))
         continue;
      m->mix_cur[(int)p]++;
      m->mix_cur_n++;
      double tr = truth ? Table_at(t, t->truth_col, r) : NAN;
      if (!isnan(tr))
         Confusion_add(m->win_conf, (int)tr, (int)p);
   }
   int n = t->classes->n;
   m->win_nclasses = Confusion_classes(m->win_conf, n, m->win_classes);
   m->win_accuracy = m->win_conf->total ? Confusion_accuracy(m->win_conf) : NAN;
   m->win_macro_f1 = m->win_conf->total ? Confusion_macro_f1(m->win_conf, n) : NAN;
}

bool Monitor_seek(Monitor *m, size_t cursor) {
   Analysis *a = &m->a;
   size_t base = m->cur->base;
   if (cursor > m->cur->nrows)
      cursor = m->cur->nrows;
   if (cursor < base)
      cursor = base;
   if (cursor < a->consumed && !Analysis_rewind(a))
      return false;
   m->cursor = cursor;
   size_t window = a->window;
   m->first = cursor > base + window ? cursor - window : base;
   m->rows = cursor - m->first;
   if (!windows_upto(m) || !Analysis_consume(a, m->cur, cursor) ||
       !Analysis_scope(a, m->cur, m->first, m->rows, &m->w, m->detail))
      return false;
   window_model(m);
   m->version++;
   return true;
}

bool Monitor_work(Monitor *m, size_t cursor, double budget_ms, size_t *left, size_t *of) {
   Analysis *a = &m->a;
   *left = 0;
   if (cursor > m->cur->nrows)
      cursor = m->cur->nrows;
   size_t n = a->window ? cursor / a->stride : 0, from = first_needed(m, n);
   if (n <= from)
      return true;
   if (!Analysis_ensure_windows(a, n))
      return false;
   double until = ds_now_ms() + budget_ms;
   for (size_t k = from; k < n; k++) {
      WindowReport *w = Analysis_win(a, k);
      if (w->done)
         continue;
      if (ds_now_ms() >= until) {
         for (size_t j = k; j < n; j++)
            *left += !Analysis_win(a, j)->done;
         break;
      }
      if (!Analysis_window(a, m->cur, k, &m->w))
         return false;
      w->done = true;
   }
   if (*left > *of)
      *of = *left;
   return true;
}

bool Monitor_recount(Monitor *m) {
   return Analysis_rewind(&m->a) && Monitor_seek(m, m->cursor);
}

bool Monitor_release(Monitor *m, size_t upto) {
   Analysis *a = &m->a;
   const Table *t = m->cur;
   if (upto <= t->base)
      return true;
   /* the windows that need records before upto, while they are there */
   size_t n = a->window ? t->nrows / a->stride : 0, k = first_whole_window(a, t);
   if (k < a->first_window)
      k = a->first_window;
   size_t end = k;
   while (end < n && Analysis_window_first(a, end) < upto)
      end++;
   if (!compute_windows(m, k, end))
      return false;
   /* the session figures of the records before upto, kept */
   if (!Analysis_rewind(a) || !Analysis_consume(a, t, upto) || !Analysis_checkpoint(a))
      return false;
   Analysis_forget_windows(a, end > DS_MONITOR_HISTORY ? end - DS_MONITOR_HISTORY : 0);
   return true;
}

bool Monitor_set_detail(Monitor *m, bool on) {
   if (m->detail == on)
      return true;
   m->detail = on;
   m->version++;
   return Analysis_scope(&m->a, m->cur, m->first, m->rows, &m->w, on);
}

/* The newest windows, at most max of them, that are still held. */
static size_t history_from(const Monitor *m, size_t max) {
   size_t n = m->a.nwindows, from = n > max ? n - max : 0;
   if (n <= m->a.first_window)
      return n;
   return from > m->a.first_window ? from : m->a.first_window;
}

size_t Monitor_history(const Monitor *m, int i, double *out, size_t max) {
   size_t n = m->a.nwindows, from = history_from(m, max);
   for (size_t k = from; k < n; k++) {
      const WindowReport *w = Analysis_win(&m->a, k);
      out[k - from] = w->done && w->cols[i].scored ? w->cols[i].score : NAN;
   }
   return n > from ? n - from : 0;
}

size_t Monitor_share_history(const Monitor *m, double *out, size_t max) {
   size_t n = m->a.nwindows, from = history_from(m, max);
   for (size_t k = from; k < n; k++) {
      const WindowReport *w = Analysis_win(&m->a, k);
      out[k - from] = w->done ? w->share : NAN;
   }
   return n > from ? n - from : 0;
}

/* How far past its threshold a column's score is, in one direction for
 * p-values and distances alike: > 0 drifted, larger is more. */
int Monitor_top_feature(const Monitor *m) {
   return Analysis_top_feature(&m->a);
}
