// SPDX-License-Identifier: MIT
/* View 3, Drift: the selected feature's drift score over the windows so
 * far as a braille line chart with its threshold, and the dataset's drifted
 * share with the 50% line. p-values are drawn as -log10 p, so up is more
 * drift for every test. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "widgets.h"

#define AXIS_W 8 /* y-axis labels */

/* Plot v[0..n) (NaN skipped) scaled to [lo, hi] on a braille canvas of
 * w×h cells at (y, x), with a dashed line at thr (if finite). */
static void chart(App *app, const double *v, size_t n, double lo, double hi, double thr, const char *thr_label, int y,
                  int x, int w, int h, ColorRole role) {
   Braille b;
   if (!Braille_init(&b, w, h))
      return;
   int H = 4 * h, W = 2 * w, px = -1, py = -1;
   for (size_t i = 0; i < n; i++) {
      if (isnan(v[i]))
         continue;
      int cx = n > 1 ? (int)((double)i * (W - 1) / (double)(n - 1)) : 0, cy = ds_scale_row(v[i], lo, hi, H);
      if (px >= 0)
         Braille_line(&b, px, py, cx, cy);
      else
         Braille_dot(&b, cx, cy);
      px = cx;
      py = cy;
   }
   char l[16];
   snprintf(l, sizeof l, "%7.3g", hi);
   ui_put_clip(app, y, x - AXIS_W, AXIS_W - 1, ROLE_C_DIM, l);
   snprintf(l, sizeof l, "%7.3g", lo);
   ui_put_clip(app, y + h - 1, x - AXIS_W, AXIS_W - 1, ROLE_C_DIM, l);
   if (isfinite(thr)) { /* the threshold's label wins over lo's or hi's */
      int ty = ds_scale_row(thr, lo, hi, H) / 4;
      for (int cx = 0; cx < w; cx += 2)
         ui_put_clip(app, y + ty, x + cx, 1, ROLE_C_THRESHOLD, app->g->hline);
      snprintf(l, sizeof l, "%7s", thr_label);
      ui_put_clip(app, y + ty, x - AXIS_W, AXIS_W - 1, ROLE_C_THRESHOLD, l);
   }
   ui_braille(app, y, x, &b, role);
   Braille_done(&b);
}

/* The record span of the windows shown, under a chart. */
static void time_axis(App *app, size_t from, size_t n, int y, int x, int w) {
   if (!n)
      return;
   const Analysis *a = &app->m->a;
   const WindowReport *first = Analysis_win(a, from), *last = Analysis_win(a, from + n - 1);
   char l[64], r[64];
   if (!isnan(first->end_ms) && !isnan(last->end_ms)) {
      snprintf(l, sizeof l, "record %zu (%.0f s)", first->last, first->end_ms / 1000);
      snprintf(r, sizeof r, "record %zu (%.0f s)", last->last, last->end_ms / 1000);
   } else {
      snprintf(l, sizeof l, "record %zu", first->last);
      snprintf(r, sizeof r, "record %zu", last->last);
   }
   ui_put_clip(app, y, x, w, ROLE_C_DIM, l);
   ui_put_clip(app, y, x + w - (int)strlen(r), (int)strlen(r), ROLE_C_DIM, r);
}

static void draw(App *app, int top, int height) {
   const Analysis *a = &app->m->a;
   int w = app->cols - AXIS_W - 2, points = 2 * w;
   double *v = malloc((size_t)points * sizeof *v);
   if (!v)
      return;
   size_t n = Monitor_history(app->m, app->sel, v, (size_t)points), from = a->nwindows - n;
   const ColumnReport *c = &a->cols[app->sel];
   bool p = c->drift.scored && ds_drift_methods[c->drift.method].p_value;
   int h1 = (height - 6) * 3 / 5, h2 = height - 6 - h1;
   ui_put(app, top, 1, ROLE_C_TITLE, "Drift of %s (%s%s) per window; j/k feature", c->name,
          c->drift.scored ? ds_drift_methods[c->drift.method].name : "not scored", p ? ", -log10 p: up = drift" : "");
   if (!n) {
      ui_put(app, top + 2, 1, ROLE_C_DIM, "no window has ended yet (a window ends every %zu records)", a->stride);
      free(v);
      return;
   }
   double thr = p ? -log10(c->drift.threshold) : c->drift.threshold, hi = thr * 2;
   for (size_t i = 0; i < n; i++) {
      if (p && !isnan(v[i]))
         v[i] = -log10(fmax(v[i], 1e-300));
      if (!isnan(v[i]))
         hi = fmax(hi, v[i]);
   }
   char tl[16];
   snprintf(tl, sizeof tl, "%s%.3g", p ? "p " : "", c->drift.threshold);
   chart(app, v, n, 0, hi, thr, tl, top + 1, AXIS_W + 1, w, h1, ROLE_C_CURRENT);
   time_axis(app, from, n, top + 1 + h1, AXIS_W + 1, w);
   n = Monitor_share_history(app->m, v, (size_t)points);
   ui_put(app, top + 3 + h1, 1, ROLE_C_TITLE, "Dataset: share of features drifted per window (drift at %.0f%%)",
          100 * a->drift_share);
   chart(app, v, n, 0, 1, a->drift_share, "50%", top + 4 + h1, AXIS_W + 1, w, h2, ROLE_C_WARN);
   time_axis(app, from, n, top + 4 + h1 + h2, AXIS_W + 1, w);
   free(v);
}

static bool key(App *app, int ch) {
   (void)app;
   (void)ch;
   return false;
}

const View ds_view_drift = {"Drift", '3', draw, key};
