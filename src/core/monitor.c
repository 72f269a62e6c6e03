// SPDX-License-Identifier: MIT
#include "driftscope/monitor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool Monitor_init(Monitor *m, const Table *ref, const Table *cur, const AnalysisOptions *opt, DsError *e) {
   memset(m, 0, sizeof *m);
   m->ref = ref;
   m->cur = cur;
   AnalysisOptions o = *opt;
   o.window_all_stats = false; /* the history is the verdict's score */
   if (!Analysis_prepare(&m->a, ref, cur, &o, e))
      return false;
   m->win_conf = calloc(1, sizeof *m->win_conf);
   if (!m->win_conf) {
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
static bool windows_upto(Monitor *m) {
   Analysis *a = &m->a;
   size_t n = a->window ? m->cursor / a->stride : 0;
   if (!Analysis_ensure_windows(a, n))
      return false;
   for (size_t k = 0; k < n; k++) {
      WindowReport *w = Analysis_win(a, k);
      if (w->done)
         continue;
      if (!Analysis_window(a, m->cur, k, &m->w))
         return false;
      w->done = true;
   }
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
   if (cursor > m->cur->nrows)
      cursor = m->cur->nrows;
   if (cursor < a->consumed)
      Analysis_rewind(a);
   m->cursor = cursor;
   size_t window = a->window;
   m->first = cursor > window ? cursor - window : 0;
   m->rows = cursor - m->first;
   if (!windows_upto(m) || !Analysis_consume(a, m->cur, cursor) ||
       !Analysis_scope(a, m->cur, m->first, m->rows, &m->w, m->detail))
      return false;
   window_model(m);
   m->version++;
   return true;
}

bool Monitor_recount(Monitor *m) {
   Analysis_rewind(&m->a);
   return Monitor_seek(m, m->cursor);
}

bool Monitor_set_detail(Monitor *m, bool on) {
   if (m->detail == on)
      return true;
   m->detail = on;
   m->version++;
   return Analysis_scope(&m->a, m->cur, m->first, m->rows, &m->w, on);
}

size_t Monitor_history(const Monitor *m, int i, double *out, size_t max) {
   size_t n = m->a.nwindows, from = n > max ? n - max : 0;
   for (size_t k = from; k < n; k++) {
      const WindowColumn *c = &Analysis_win(&m->a, k)->cols[i];
      out[k - from] = c->scored ? c->score : NAN;
   }
   return n - from;
}

size_t Monitor_share_history(const Monitor *m, double *out, size_t max) {
   size_t n = m->a.nwindows, from = n > max ? n - max : 0;
   for (size_t k = from; k < n; k++)
      out[k - from] = Analysis_win(&m->a, k)->share;
   return n - from;
}

/* How far past its threshold a column's score is, in one direction for
 * p-values and distances alike: > 0 drifted, larger is more. */
static double severity(const ColumnDrift *d) {
   if (!d->scored || isnan(d->score))
      return -INFINITY;
   if (ds_drift_methods[d->method].p_value)
      return log10(d->threshold) - log10(fmax(d->score, 1e-300));
   return d->score / d->threshold - 1.0;
}

int Monitor_top_feature(const Monitor *m) {
   int best = -1;
   double top = -INFINITY;
   for (int i = 0; i < m->a.ncols; i++) {
      const ColumnReport *c = &m->a.cols[i];
      if (c->role != ROLE_FEATURE || c->ref_index < 0 || !c->drift.scored)
         continue;
      double s = severity(&c->drift);
      if (best < 0 || s > top) {
         best = i;
         top = s;
      }
   }
   return best;
}
