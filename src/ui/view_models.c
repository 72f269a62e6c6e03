// SPDX-License-Identifier: MIT
/* View 7, Models: champion vs challenger, side by side, over every record
 * so far: each model's records, accuracy, macro-F1, latency, confidence
 * and its prediction's drift over the window; then each challenger
 * against the champion: agreement, Cohen's kappa, the records only one of
 * the two got right and McNemar's verdict (models.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "widgets.h"

/* "0.8312", or "-" for NaN. */
static void figure(char *out, size_t n, const char *fmt, double v) {
   if (isnan(v))
      snprintf(out, n, "-");
   else
      snprintf(out, n, fmt, v);
}

/* The window's verdict on column cur_col: "DRIFT 0.31", "ok 0.02", "-". */
static ColorRole drift_cell(const Analysis *a, int cur_col, char *out, size_t n) {
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      if (c->cur_col != cur_col || cur_col < 0 || ColumnReport_why_not(c))
         continue;
      bool p = ds_drift_methods[c->drift.method].p_value;
      if (p && c->drift.score == 0) /* under the smallest double */
         snprintf(out, n, "%s p ~0", c->drift.drifted ? "DRIFT" : "ok");
      else
         snprintf(out, n, p ? "%s p %.2g" : "%s %.3g", c->drift.drifted ? "DRIFT" : "ok", c->drift.score);
      return c->drift.drifted ? ROLE_C_ALERT : ROLE_C_OK;
   }
   snprintf(out, n, "-");
   return ROLE_C_DIM;
}

/* The table's columns, in their order; where the terminal is narrow the
 * ones with the highest drop number go first. */
enum { C_RECORDS, C_LABELLED, C_ACCURACY, C_F1, C_LATENCY, C_CONFIDENCE, C_DRIFT, NCOLS };
static const struct {
   const char *head;
   int width, drop;
} cols[NCOLS] = {
   [C_RECORDS] = {"records", 8, 3},    [C_LABELLED] = {"labelled", 8, 6}, [C_ACCURACY] = {"accuracy", 8, 0},
   [C_F1] = {"macro-F1", 8, 1},        [C_LATENCY] = {"lat. ms", 8, 4},   [C_CONFIDENCE] = {"confidence", 10, 5},
   [C_DRIFT] = {"pred. drift", 16, 2},
};

/* Which columns fit beside names namew wide in width cells. */
static void fit_columns(bool *shown, int namew, int width) {
   int used = namew;
   for (int c = 0; c < NCOLS; c++) {
      shown[c] = true;
      used += 1 + cols[c].width;
   }
   for (int drop = NCOLS - 1; drop >= 0 && used > width; drop--)
      for (int c = 0; c < NCOLS; c++)
         if (cols[c].drop == drop && shown[c]) {
            shown[c] = false;
            used -= 1 + cols[c].width;
         }
}

/* One model's row. */
static void model_row(App *app, const Models *ms, int i, int y, int namew, const bool *shown) {
   const ModelFigures *f = &ms->m[i];
   char cell[NCOLS][24];
   snprintf(cell[C_RECORDS], sizeof cell[0], "%ld", f->predicted);
   snprintf(cell[C_LABELLED], sizeof cell[0], "%ld", f->labelled);
   figure(cell[C_ACCURACY], sizeof cell[0], "%.4f", f->accuracy);
   figure(cell[C_F1], sizeof cell[0], "%.4f", f->macro_f1);
   figure(cell[C_LATENCY], sizeof cell[0], "%.2f", f->latency_ms);
   figure(cell[C_CONFIDENCE], sizeof cell[0], "%.3f", f->confidence);
   ColorRole dr = drift_cell(&app->m->a, f->pred_col, cell[C_DRIFT], sizeof cell[0]);
   ui_put_name(app, y, 1, namew, i ? ROLE_C_NORMAL : ROLE_C_TITLE, f->name, true);
   int x = 1 + namew;
   for (int c = 0; c < NCOLS; c++) {
      if (!shown[c])
         continue;
      char s[32];
      snprintf(s, sizeof s, c == C_DRIFT ? " %-*s" : " %*s", cols[c].width, cell[c]);
      ui_put_clip(app, y, x, cols[c].width + 1, c == C_DRIFT ? dr : ROLE_C_NORMAL, s);
      x += cols[c].width + 1;
   }
}

static void draw(App *app, const void *state, int top, int height) {
   (void)state;
   const Monitor *m = app->m;
   const Models *ms = m->a.models;
   char title[128];
   snprintf(title, sizeof title, "Models, all records 0-%zu (the first is the champion)",
            m->cursor ? m->cursor - 1 : 0);
   ui_title(app, top, 1, app->cols - 2, title);
   if (!ms) {
      ui_put_wrapped(app, top + 2, 1, app->cols - 2, height - 2, ROLE_C_DIM,
                     "one model in this stream. A stream with pred_<model> columns (and score_<model>_<class>, "
                     "inference_ms_<model>) compares each model with the first, side by side, here.");
      return;
   }
   int namew = 6;
   for (int i = 0; i < ms->n; i++)
      namew = ds_cells(ms->m[i].name) + 1 > namew ? ds_cells(ms->m[i].name) + 1 : namew;
   namew = namew > 20 ? 20 : namew;
   bool shown[NCOLS];
   fit_columns(shown, namew, app->cols - 2);
   ui_panel(app, "models");
   ui_put_name(app, top + 2, 1, namew, ROLE_C_TITLE, "model", true);
   for (int c = 0, x = 1 + namew; c < NCOLS; c++)
      if (shown[c]) {
         char h[32];
         snprintf(h, sizeof h, c == C_DRIFT ? " %-*s" : " %*s", cols[c].width, cols[c].head);
         ui_put_clip(app, top + 2, x, cols[c].width + 1, ROLE_C_TITLE, h);
         x += cols[c].width + 1;
      }
   int y = top + 3;
   for (int i = 0; i < ms->n && y < top + height; i++, y++)
      model_row(app, ms, i, y, namew, shown);
   ui_panel(app, "comparisons");
   y++;
   for (int i = 0; i + 1 < ms->n && y + 2 < top + height; i++) {
      const ModelPair *p = &ms->pair[i];
      char line[400], kappa[16];
      Models_line(line, sizeof line, ms, i);
      y += ui_put_wrapped(app, y, 1, app->cols - 2, 3, p->better >= 0 ? ROLE_C_ALERT : ROLE_C_NORMAL, line);
      if (p->both && !ms->regression) {
         figure(kappa, sizeof kappa, "%.3f", p->kappa);
         snprintf(line, sizeof line, "agree on %.1f%% of %ld records, Cohen's kappa %s; right alone: %s %ld, %s %ld",
                  100 * p->agreement, p->both, kappa, ms->m[p->champion].name, p->a_only, ms->m[p->challenger].name,
                  p->b_only);
         y += ui_put_wrapped(app, y, 1, app->cols - 2, 2, ROLE_C_DIM, line);
      }
      y++;
   }
}

const View ds_view_models = {.name = "Models", .hotkey = '7', .draw = draw, .keys = NULL}; /* no keys of its own */
