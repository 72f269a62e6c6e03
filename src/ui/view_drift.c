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

static void draw(App *app, const void *state, int top, int height) {
   (void)state;
   const Analysis *a = &app->m->a;
   if (app->no_reference) {
      ui_put(app, top, 1, ROLE_C_TITLE, "Drift per window");
      ui_put(app, top + 2, 1, ROLE_C_WARN, "no reference: drift needs one");
      ui_put(app, top + 3, 1, ROLE_C_NORMAL, "B: the current window becomes the reference");
      ui_put(app, top + 4, 1, ROLE_C_NORMAL, "--baseline N: the first N records");
      ui_put(app, top + 5, 1, ROLE_C_NORMAL, "-r FILE: a reference file (the training data)");
      return;
   }
   int w = app->cols - DS_AXIS_W - 2, points = 2 * w;
   double *v = malloc((size_t)points * sizeof *v);
   if (!v)
      return;
   size_t n = Monitor_history(app->m, app->sel, v, (size_t)points), from = a->nwindows - n;
   const ColumnReport *c = &a->cols[app->sel];
   bool p = c->drift.scored && ds_drift_methods[c->drift.method].p_value;
   int h1 = (height - 6) * 3 / 5, h2 = height - 6 - h1;
   char title[256];
   ChangePoint on;
   char at[64] = "";
   if (ui_onset(c, &on)) {
      char rec[24];
      ds_thousands(rec, sizeof rec, on.record);
      snprintf(at, sizeof at, ", onset %s at record %s", app->g->vline, rec);
   }
   snprintf(title, sizeof title, "Drift of %s (%s%s) per window%s", c->name,
            c->drift.scored ? ds_drift_methods[c->drift.method].name : "not scored", p ? ", -log10 p: up = drift" : "",
            at);
   ui_title_hint(app, top, 1, app->cols - 2, title, "j/k feature");
   if (!n) {
      ui_put(app, top + 2, 1, ROLE_C_DIM, "no window has ended yet (a window ends every %zu records)", a->stride);
      free(v);
      return;
   }
   double thr = ui_drift_height(p, c->drift.threshold), hi = thr * 2;
   for (size_t i = 0; i < n; i++) {
      if (!isnan(v[i]))
         v[i] = ui_drift_height(p, v[i]);
      if (!isnan(v[i]))
         hi = fmax(hi, v[i]);
   }
   char tl[16];
   snprintf(tl, sizeof tl, "%s%.3g", p ? "p " : "", c->drift.threshold);
   ui_chart(app, v, n, 0, hi, thr, tl, top + 1, DS_AXIS_W + 1, w, h1, ROLE_C_CURRENT);
   ChangePoint cp;
   if (ui_onset(c, &cp)) /* the first window that holds the onset of the present state */
      for (size_t i = 0; i < n; i++)
         if (Analysis_window_end(a, from + i) > cp.record) {
            int dot = n > 1 ? (int)((double)i * (2 * w - 1) / (double)(n - 1)) : 0;
            ui_onset_mark(app, top + 1, DS_AXIS_W + 1 + dot / 2, h1);
            break;
         }
   ui_time_axis(app, from, n, top + 1 + h1, DS_AXIS_W + 1, w);
   ui_panel(app, "share chart");
   n = Monitor_share_history(app->m, v, (size_t)points);
   char share_label[16];
   snprintf(share_label, sizeof share_label, "%.0f%%", 100 * a->drift_share);
   snprintf(title, sizeof title, "Dataset: share of features drifted per window (drift at %.0f%%)",
            100 * a->drift_share);
   if (ds_cells(title) > app->cols - 2)
      snprintf(title, sizeof title, "Share of features drifted (drift at %.0f%%)", 100 * a->drift_share);
   ui_put_name(app, top + 3 + h1, 1, app->cols - 2, ROLE_C_TITLE, title, false);
   ui_chart(app, v, n, 0, 1, a->drift_share, share_label, top + 4 + h1, DS_AXIS_W + 1, w, h2, ROLE_C_WARN);
   ui_time_axis(app, from, n, top + 4 + h1 + h2, DS_AXIS_W + 1, w);
   free(v);
}

const View ds_view_drift = {.name = "Drift", .hotkey = '3', .draw = draw, .keys = NULL}; /* no keys of its own */
