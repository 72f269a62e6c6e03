// SPDX-License-Identifier: MIT
/* View 4, Confusion: the confusion matrix as a heat map (rows truth,
 * columns prediction; counts, or row shares with %), per-class precision,
 * recall, F1 and support, accuracy, over the window or the whole session
 * so far (w), and the concept-drift detectors (DDM, EDDM, HDDM_A and
 * Page-Hinkley on the errors, ADWIN on the confidence). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "widgets.h"

#define CELL 7 /* a matrix cell at least: up to 6 digits and a gap */

/* The matrix's geometry: the row names' width and a cell's, as wide as
 * the longest class name where the terminal has the room. */
typedef struct Geometry {
   int namew, cell;
} Geometry;

typedef struct ConfusionState {
   bool percent; /* row shares, not counts (%) */
   bool session; /* the whole session, not the window (w) */
} ConfusionState;

static const Confusion *shown(const App *app, const ConfusionState *st, int *classes, int *n) {
   const Monitor *m = app->m;
   const Confusion *c = st->session ? m->a.confusion : m->win_conf;
   *n = c ? Confusion_classes(c, m->cur->classes->n, classes) : 0;
   return c;
}

/* A cell's shade: its share of its truth row. */
static void draw_row(App *app, Geometry g, bool percent, const Confusion *c, const int *cls, int n, int i, int y,
                     int x) {
   long row = 0;
   for (int j = 0; j < n; j++)
      row += c->m[cls[i]][cls[j]];
   ui_put_name(app, y, x, g.namew - 1, ui_class_role(cls[i]), ui_class_name(app, cls[i]), false);
   for (int j = 0; j < n; j++) {
      long v = c->m[cls[i]][cls[j]];
      double frac = row ? (double)v / (double)row : 0;
      int lvl = ds_heat_level(frac, DS_HEAT_LEVELS + 1);
      char cell[16];
      if (percent)
         snprintf(cell, sizeof cell, "%*.0f%%", g.cell - 2, 100 * frac);
      else
         snprintf(cell, sizeof cell, "%*ld", g.cell - 1, v);
      ui_put_clip(app, y, x + g.namew + j * g.cell, g.cell - 1, lvl ? (ColorRole)(ROLE_C_HEAT1 + lvl - 1) : ROLE_C_DIM,
                  cell);
   }
}

static void draw_matrix(App *app, Geometry g, bool percent, const Confusion *c, const int *cls, int n, int y, int x) {
   ui_put(app, y, x, ROLE_C_DIM, "truth \\ predicted");
   for (int j = 0; j < n; j++) {
      char h[64], pad[80];
      ds_ellipsize(h, sizeof h, ui_class_name(app, cls[j]), g.cell - 1, app->g->ellipsis);
      snprintf(pad, sizeof pad, "%*s%s", g.cell - 1 - ds_cells(h), "", h); /* right-aligned over the counts */
      ui_put_clip(app, y + 1, x + g.namew + j * g.cell, g.cell - 1, ui_class_role(cls[j]), pad);
   }
   for (int i = 0; i < n; i++)
      draw_row(app, g, percent, c, cls, n, i, y + 2 + i, x);
}

static void draw_metrics(App *app, Geometry g, const Confusion *c, const int *cls, int n, int y, int x) {
   int nclasses = app->m->cur->classes->n;
   ui_put(app, y, x, ROLE_C_TITLE, "%-*s %9s %6s %6s %7s", g.namew - 1, "class", "precision", "recall", "F1",
          "support");
   for (int i = 0; i < n; i++) {
      ClassMetrics cm = Confusion_class(c, nclasses, cls[i]);
      ui_put_name(app, y + 1 + i, x, g.namew - 1, ui_class_role(cls[i]), ui_class_name(app, cls[i]), true);
      ui_put(app, y + 1 + i, x + g.namew - 1, ui_class_role(cls[i]), " %9.2f %6.2f %6.2f %7ld", cm.precision, cm.recall,
             cm.f1, cm.support);
   }
   ui_put(app, y + 2 + n, x, ROLE_C_NORMAL, "accuracy %.4f   macro-F1 %.4f   over %ld records", Confusion_accuracy(c),
          Confusion_macro_f1(c, nclasses), c->total);
}

/* One detector's line: its state, its count, the record it first fired at. */
static void detector_line(App *app, int y, int x, const char *name, const DetectorReport *d, bool warns) {
   char first[40] = "";
   if (d->nat)
      snprintf(first, sizeof first, ", first at record %ld", d->at[0]);
   ui_put(app, y, x,
          d->drift              ? ROLE_C_ALERT
          : warns && d->warning ? ROLE_C_WARN
                                : ROLE_C_OK,
          "%-13s %-10s drifts %ld%s", name,
          d->drift              ? "DRIFT"
          : warns && d->warning ? "warning"
                                : "in control",
          d->drifts, first);
}

/* A detector in a word, for the summary line. */
static const char *state_word(const DetectorReport *d, bool warns) {
   return d->drift ? "DRIFT" : warns && d->warning ? "warning" : "ok";
}

/* The detectors, one a line where rows allow, else in a wrapped summary. */
static void draw_detectors(App *app, int y, int x, int rows) {
   const Analysis *a = &app->m->a;
   const SessionDetectors *d = &a->det;
   if (rows < 2)
      return;
   ui_put(app, y, x, ROLE_C_TITLE, "change detectors (all records so far)");
   int followed = 0; /* ADWIN on the anomaly score, the columns --adwin names */
   for (int i = 0; i < a->ncols; i++)
      followed += a->cols[i].adwin != NULL;
   int need = (a->regression ? 3 : 6 + a->has_confidence) + followed;
   if (rows - 1 < need) {
      char line[256];
      if (a->regression)
         snprintf(line, sizeof line, "Page-Hinkley %s, KSWIN %s (DDM, EDDM, HDDMs: classification only)",
                  state_word(&d->ph, false), state_word(&d->kswin, false));
      else
         snprintf(line, sizeof line, "DDM %s, EDDM %s, HDDM_A %s, HDDM_W %s, Page-Hinkley %s, KSWIN %s%s%s",
                  state_word(&d->ddm, true), state_word(&d->eddm, true), state_word(&d->hddm_a, true),
                  state_word(&d->hddm_w, true), state_word(&d->ph, false), state_word(&d->kswin, false),
                  a->has_confidence ? ", ADWIN on the confidence " : "",
                  a->has_confidence ? state_word(&d->adwin, false) : "");
      bool alert = d->ddm.drift || d->eddm.drift || d->hddm_a.drift || d->hddm_w.drift || d->ph.drift ||
                   d->kswin.drift || d->adwin.drift;
      for (int i = 0; i < a->ncols; i++)
         alert |= a->cols[i].adwin && a->cols[i].adwin_det.drift;
      ui_put_wrapped(app, y + 1, x, app->cols - 2 * x, rows - 1, alert ? ROLE_C_ALERT : ROLE_C_OK, line);
      return;
   }
   int row;
   if (a->regression) {
      ui_put(app, y + 1, x, ROLE_C_DIM, "DDM, EDDM, HDDMs: not run (they read classification error bits)");
      detector_line(app, y + 2, x, "Page-Hinkley", &d->ph, false);
      detector_line(app, y + 3, x, "KSWIN", &d->kswin, false);
      row = y + 4;
   } else {
      detector_line(app, y + 1, x, "DDM", &d->ddm, true);
      detector_line(app, y + 2, x, "EDDM", &d->eddm, true);
      detector_line(app, y + 3, x, "HDDM_A", &d->hddm_a, true);
      detector_line(app, y + 4, x, "HDDM_W", &d->hddm_w, true);
      detector_line(app, y + 5, x, "Page-Hinkley", &d->ph, false);
      detector_line(app, y + 6, x, "KSWIN", &d->kswin, false);
      row = y + 7;
      if (a->has_confidence)
         detector_line(app, row++, x, "ADWIN (conf.)", &d->adwin, false);
   }
   for (int i = 0; i < a->ncols; i++) /* ADWIN on the anomaly score, the columns --adwin names */
      if (a->cols[i].adwin) {
         char name[24];
         snprintf(name, sizeof name, "ADWIN %.7s", a->cols[i].name);
         detector_line(app, row++, x, name, &a->cols[i].adwin_det, false);
      }
}

static void draw(App *app, const void *state, int top, int height) {
   const ConfusionState *st = state;
   int cls[DS_MAX_CLASSES], n;
   const Confusion *c = shown(app, st, cls, &n);
   const Monitor *m = app->m;
   char title[128], hint[96];
   if (st->session)
      snprintf(title, sizeof title, "Confusion, all records 0-%zu", m->cursor ? m->cursor - 1 : 0);
   else
      snprintf(title, sizeof title, "Confusion, window records %zu-%zu", m->first,
               m->rows ? m->first + m->rows - 1 : m->first);
   snprintf(hint, sizeof hint, "w %s, %% %s", st->session ? "window" : "all records",
            st->percent ? "counts" : "row shares");
   ui_title_hint(app, top, 1, app->cols - 2, title, hint);
   if (!c || c->total == 0) {
      ui_put(app, top + 2, 1, ROLE_C_DIM, "%s",
             m->cur->truth_col < 0  ? "no ground truth in this stream (no label column)"
             : m->cur->pred_col < 0 ? "no prediction in this stream: a confusion matrix needs one"
                                    : "no records with truth and prediction yet");
      return;
   }
   int shown_n = n > height - 14 ? height - 14 : n;
   if (shown_n < 1)
      shown_n = 1;
   int longest = 5;
   for (int i = 0; i < n; i++)
      longest = ds_cells(ui_class_name(app, cls[i])) > longest ? ds_cells(ui_class_name(app, cls[i])) : longest;
   Geometry g = {.namew = longest + 1 > 24  ? 24
                          : longest + 1 < 9 ? 9
                                            : longest + 1,
                 .cell = longest + 1 > 16     ? 16
                         : longest + 1 < CELL ? CELL
                                              : longest + 1};
   const int metrics_w = 8 + 9 + 7 + 7 + 8 + g.namew;    /* draw_metrics' width */
   if (2 + g.namew + g.cell * n + metrics_w > app->cols) /* not beside: the cells as wide as fit */
      g.cell = (app->cols - 2 - g.namew) / n < CELL     ? CELL
               : (app->cols - 2 - g.namew) / n > g.cell ? g.cell
                                                        : (app->cols - 2 - g.namew) / n;
   ui_panel(app, "matrix");
   draw_matrix(app, g, st->percent, c, cls, shown_n, top + 2, 1);
   int y = top + 3 + shown_n + 1, wide = app->cols >= 2 + g.namew + g.cell * n + metrics_w;
   int mx = wide ? 3 + g.namew + g.cell * n : 1, my = wide ? top + 2 : y;
   ui_panel(app, "metrics");
   draw_metrics(app, g, c, cls, shown_n, my, mx);
   ui_panel(app, "detectors");
   int dy = my + shown_n + 4;
   draw_detectors(app, dy, 1, top + height - dy);
}

static void toggle_percent(App *app) {
   ConfusionState *st = ui_view_state(app);
   st->percent = !st->percent;
}

static void toggle_scope(App *app) {
   ConfusionState *st = ui_view_state(app);
   st->session = !st->session;
}

static const KeyBinding keys[] = {
   {'%', "%", "counts / percent of each true class", toggle_percent, NULL, NULL, NULL},
   {'w', "w", "the current window / the whole session", toggle_scope, NULL, NULL, NULL},
   {0, NULL, NULL, NULL, NULL, NULL, NULL},
};

const View ds_view_confusion = {
   .name = "Confusion", .hotkey = '4', .state_size = sizeof(ConfusionState), .draw = draw, .keys = keys};
