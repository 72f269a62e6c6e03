// SPDX-License-Identifier: MIT
/* View 6, Timeline: the selected feature over the most recent records as a
 * strip chart, a band of predicted classes and a band of ground truth
 * under it (one cell every two records), and a cursor (h/l) whose record
 * is spelled out. */
#include <curses.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui.h"
#include "widgets.h"

#define LABEL_W 7

/* One band: for each cell the class of its last record, as a coloured block. */
static void band(App *app, int col, size_t from, size_t n, int y, int x) {
   const Table *t = app->m->cur;
   (void)from;
   (void)n;
   for (int k = 0; k < app->tl_cells; k++) {
      double v = Table_value(t, col, ui_cell_last(app, k));
      if (isnan(v))
         continue;
      char s[2] = {ui_class_letter(app, (int)v), 0};
      ui_put_clip(app, y, x + k, 1, ui_class_role((int)v), s);
   }
}

/* The cursor's record (and its segment) from row y; returns the rows
 * used: two when the record needs them on a narrow screen. */
static int cursor_line(App *app, size_t r, int y) {
   const Table *t = app->m->cur;
   const LabelStore *ls = app->labels.store;
   const Segment *g =
      ls && r < app->r->n && r >= Replay_first(app->r) ? LabelStore_at(ls, Replay_time(app->r, r)) : NULL;
   const ColumnReport *c = &app->m->a.cols[app->sel];
   double tm = Table_value(t, t->time_col, r), p = Table_value(t, t->pred_col, r), tr = Table_value(t, t->truth_col, r);
   double v = Table_value(t, c->cur_col, r);
   char when[32] = "", date[40] = "";
   if (r >= Replay_first(app->r) && r < app->r->n) /* the session's time, the header's base */
      ui_fmt_time(when, sizeof when, Replay_time(app->r, r));
   if (tm >= 1e12 && tm < 1e13) { /* an epoch time column (ms): its wall-clock date too */
      time_t secs = (time_t)(tm / 1000);
      struct tm wall;
      if (gmtime_r(&secs, &wall))
         strftime(date, sizeof date, " (%Y-%m-%d %H:%M:%S UTC)", &wall);
   }
   const char *pn = isnan(p) ? "-" : ui_class_name(app, (int)p), *tn = isnan(tr) ? "-" : ui_class_name(app, (int)tr);
   char line[DS_NOTE_MAX + 256];
   int width = app->cols - 2;
   /* the same facts in fewer words where they do not fit; the date only where it does */
   snprintf(line, sizeof line, "cursor: record %zu at %s%s   %s = %.4g   predicted %s   truth %s", r, when, date,
            c->name, v, pn, tn);
   if (ds_cells(line) > width)
      snprintf(line, sizeof line, "cursor: record %zu at %s   %s = %.4g   predicted %s   truth %s", r, when, c->name, v,
               pn, tn);
   if (ds_cells(line) > width)
      snprintf(line, sizeof line, "cursor: record %zu at %s  %s=%.4g  pred %s  truth %s", r, when, c->name, v, pn, tn);
   int rows = 1;
   if (ds_cells(line) > width) { /* two lines rather than a shortened one */
      snprintf(line, sizeof line, "cursor: record %zu at %s   %s = %.4g", r, when, c->name, v);
      ui_put_name(app, y, 1, width, ROLE_C_NORMAL, line, false);
      snprintf(line, sizeof line, "predicted %s   truth %s", pn, tn);
      rows = 2;
   }
   ui_put_name(app, y + rows - 1, 1, width, ROLE_C_NORMAL, line, false);
   if (g) {
      snprintf(line, sizeof line, "segment %ld %s%s%s", g->id, g->label, g->note[0] ? ": " : "", g->note);
      ui_put_words(app, y + rows, 1, app->cols - 2, ROLE_C_NORMAL, line);
      rows++;
   }
   return rows;
}

static void legend(App *app, int y) {
   int x = 1;
   const Classes *cl = app->m->cur->classes;
   for (int k = 0; k < cl->n && x < app->cols - 12; k++) {
      ui_put(app, y, x, ui_class_role(k), "%c %s", ui_class_letter(app, k), cl->name[k]);
      x += (int)strlen(cl->name[k]) + 3;
   }
}

/* The strip chart of column col over records [from, from + n): one dot
 * column a record, scaled to the values shown, gaps where values are missing. */
static void strip(App *app, int col, size_t from, size_t n, int y, int w, int h) {
   size_t dots = 2 * (size_t)app->tl_cells; /* each record at the middle of its dot columns, under its band cells */
   const Table *t = app->m->cur;
   double lo = INFINITY, hi = -INFINITY;
   for (size_t i = 0; i < n; i++) {
      double v = Table_value(t, col, from + i);
      if (!isnan(v)) {
         lo = fmin(lo, v);
         hi = fmax(hi, v);
      }
   }
   Braille b;
   if (!Braille_init(&b, w, h))
      return;
   int px = -1, py = -1;
   for (size_t i = 0; i < n; i++) {
      double v = Table_value(t, col, from + i);
      if (isnan(v)) {
         px = -1;
         continue;
      }
      int cy = ds_scale_row(v, lo, hi, 4 * h), cx = (int)((2 * i + 1) * dots / (2 * n));
      if (px >= 0)
         Braille_line(&b, px, py, cx, cy);
      else
         Braille_dot(&b, cx, cy);
      px = cx;
      py = cy;
   }
   ui_braille(app, y, LABEL_W + 1, &b, ROLE_C_CURRENT);
   Braille_done(&b);
   char l[16];
   ui_axis_label(l, sizeof l, hi, LABEL_W - 1);
   ui_put_clip(app, y, 0, LABEL_W, ROLE_C_DIM, l);
   ui_axis_label(l, sizeof l, lo, LABEL_W - 1);
   ui_put_clip(app, y + h - 1, 0, LABEL_W, ROLE_C_DIM, l);
}

static void draw(App *app, const void *state, int top, int height) {
   (void)state;
   const Monitor *m = app->m;
   const ColumnReport *c = &m->a.cols[app->sel];
   int w = app->cols - LABEL_W - 2, h = height - 10;
   size_t base = m->cur->base, span = (size_t)(2 * w), end = m->cursor, from = end > base + span ? end - span : base;
   size_t r = ui_cursor_record(app);
   if (r != SIZE_MAX && r < from) { /* the cursor went back further: show it */
      from = r > base + span / 2 ? r - span / 2 : base;
      end = from + span < m->cursor ? from + span : m->cursor;
   }
   size_t n = end - from;
   char title[200], at[32];
   ChangePoint cp;
   bool onset = ui_onset(c, &cp);
   ds_thousands(at, sizeof at, cp.record);
   snprintf(title, sizeof title, "Timeline of %s, records %zu-%zu%s%s%s%s", c->name, from, end ? end - 1 : 0,
            onset ? ", onset " : "", onset ? app->g->vline : "", onset ? " at record " : "", onset ? at : "");
   ui_title_hint(app, top, 1, app->cols - 2, title, "j/k feature, h/l cursor, v select");
   if (!n) {
      ui_put(app, top + 2, 1, ROLE_C_DIM, "no record yet");
      return;
   }
   app->tl_from = from;
   app->tl_n = n;
   app->tl_cells = w; /* up to two records a cell; fewer stretch over the width */
   app->tl_x = LABEL_W + 1;
   app->tl_y0 = top + 1;
   app->tl_y1 = top + h + 3; /* the chart and its three bands */
   strip(app, c->cur_col, from, n, top + 1, w, h);
   if (onset && cp.record >= from && cp.record < end) /* where its present state began */
      ui_onset_mark(app, top + 1, LABEL_W + 1 + ui_record_cell(app, cp.record), h);
   ui_put_clip(app, top + h + 1, 0, LABEL_W, ROLE_C_DIM, "pred");
   band(app, m->cur->pred_col, from, n, top + h + 1, LABEL_W + 1);
   ui_put_clip(app, top + h + 2, 0, LABEL_W, ROLE_C_DIM, "truth");
   band(app, m->cur->truth_col, from, n, top + h + 2, LABEL_W + 1);
   ui_put_clip(app, top + h + 3, 0, LABEL_W, ROLE_C_DIM, "labels");
   ui_label_band(app, from, n, top + h + 3, LABEL_W + 1);
   int c0 = ui_record_cell(app, r), c1 = r + 1 < from + n ? ui_record_cell(app, r + 1) - 1 : app->tl_cells - 1;
   ui_put_clip(app, top + h + 4, LABEL_W + 1 + (c0 + (c1 > c0 ? c1 : c0)) / 2, 1, ROLE_C_SELECTION, app->g->cursor);
   ui_panel(app, "cursor line");
   int used = cursor_line(app, r, top + h + 5);
   ui_panel(app, "legend");
   if (used < 3) /* the legend where the cursor's lines left room */
      legend(app, top + h + 7);
}

static void cursor_back(App *app) {
   size_t held = app->m->cursor - app->m->cur->base;
   app->tl_back = app->tl_back + 1 < held ? app->tl_back + 1 : app->tl_back;
}

static void cursor_on(App *app) {
   app->tl_back = app->tl_back ? app->tl_back - 1 : 0;
}

static const KeyBinding keys[] = {
   {'h', "h l", "the cursor one record back / on (Left, Right)", cursor_back, NULL, NULL, NULL},
   {KEY_LEFT, NULL, NULL, cursor_back, NULL, NULL, NULL},
   {'l', NULL, NULL, cursor_on, NULL, NULL, NULL},
   {KEY_RIGHT, NULL, NULL, cursor_on, NULL, NULL, NULL},
   {0, NULL, NULL, NULL, NULL, NULL, NULL},
};

const View ds_view_timeline = {.name = "Timeline", .hotkey = '6', .draw = draw, .keys = keys};
