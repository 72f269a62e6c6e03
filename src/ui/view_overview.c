// SPDX-License-Identifier: MIT
/* View 1, Overview: the dataset verdict, the feature table with each
 * score's history, the prediction mix against the reference, model
 * quality and data quality. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "widgets.h"

#define SPARK_MAX 1024 /* cells of score history a row shows at most */

/* The prediction's (or target's) column with a verdict, or NULL. */
static const ColumnReport *output_column(const Analysis *a) {
   for (int i = 0; i < a->ncols; i++)
      if ((a->cols[i].role == ROLE_PRED || a->cols[i].role == ROLE_TRUTH) && !ColumnReport_why_not(&a->cols[i]))
         return &a->cols[i];
   return NULL;
}

/* No feature compared: why, or the model outputs' verdict when the stream
 * has nothing else (an Edge Impulse log). */
static void draw_no_features(App *app, int y, int width) {
   const ColumnReport *out = output_column(&app->m->a);
   bool error = app->assessed && app->assess.status == ASSESS_ERROR;
   if (out && !error) {
      ui_put(app, y, 1, out->drift.drifted ? ROLE_C_ALERT : ROLE_C_OK, "%s",
             out->drift.drifted ? (out->role == ROLE_PRED ? " PREDICTION DRIFT " : " TARGET DRIFT ")
                                : (out->role == ROLE_PRED ? " no prediction drift " : " no target drift "));
      char line[128];
      snprintf(line, sizeof line, "no features in this stream: %s %s %.3g", out->name,
               ds_drift_methods[out->drift.method].name, out->drift.score);
      ui_put_clip(app, y, 24, width - 24, ROLE_C_NORMAL, line);
      return;
   }
   ui_put(app, y, 1, error ? ROLE_C_ALERT : ROLE_C_DIM, "dataset drift: not measured%s (%zu records shown)",
          error ? "" : " yet", app->m->cursor);
}

/* Under the verdict: the first problem (alert) or note, in full. */
/* Under the verdict: a problem (in full in report; here what fits, whole
 * words), else drift in one line (a full window's), else a note. */
static void draw_assessment(App *app, int y, int width) {
   const Assessment *as = &app->assess;
   const Analysis *a = &app->m->a;
   char said[400];
   if (app->assessed && as->nproblems)
      ui_put_words(app, y, 1, width - 2, ROLE_C_ALERT, as->problems[0].text);
   else if (!(a->window && app->m->rows < a->window) &&
            ds_explain(said, sizeof said, a, app->m->cur->classes, !app->g->braille))
      ui_put_words(app, y, 1, width - 2, ROLE_C_ALERT, said);
   else if (app->assessed && as->nnotes)
      ui_put_words(app, y, 1, width - 2, ROLE_C_DIM, as->notes[0]);
}

/* "DATASET DRIFT" or "no dataset drift", the share against the threshold, and a bar. */
static void draw_verdict(App *app, int y, int width) {
   const Analysis *a = &app->m->a;
   draw_assessment(app, y + 2, width);
   if (a->features == 0) {
      draw_no_features(app, y, width);
      return;
   }
   bool judged = !app->assessed || app->assess.judged;
   /* the window still filling: its verdict is over fewer records than asked */
   bool warming = a->window && app->m->rows < a->window;
   ColorRole role = !judged ? ROLE_C_WARN : warming ? ROLE_C_DIM : a->dataset_drift ? ROLE_C_ALERT : ROLE_C_OK;
   char label[64];
   snprintf(label, sizeof label, "%s",
            !judged            ? " NOT JUDGED "
            : a->dataset_drift ? " DATASET DRIFT "
                               : " no dataset drift ");
   if (judged && warming)
      snprintf(label, sizeof label, " warming up %zu/%zu ", app->m->rows, a->window);
   ui_put(app, y, 1, role, "%s", label);
   char line[96];
   int lx = 2 + (int)strlen(label) > 20 ? 2 + (int)strlen(label) : 20;
   int len = snprintf(line, sizeof line, "%d/%d features drifted (%.0f%%, drift at %.0f%%)", a->drifted_features,
                      a->features, 100 * a->share, 100 * a->drift_share);
   if (lx + len > width - 1) /* narrow: the same figures, fewer words */
      len = snprintf(line, sizeof line, "%d/%d drifted (%.0f%%; at %.0f%%)", a->drifted_features, a->features,
                     100 * a->share, 100 * a->drift_share);
   ui_put_clip(app, y, lx, width - lx, ROLE_C_NORMAL, line);
   int top = Monitor_top_feature(app->m), wx = lx + 2 + len;
   if (top >= 0 && a->drifted_features && wx + 12 <= width - 1) {
      ui_put(app, y, wx, warming ? ROLE_C_DIM : ROLE_C_ALERT, "worst:");
      ui_put_name(app, y, wx + 7, width - 1 - wx - 7, warming ? ROLE_C_DIM : ROLE_C_ALERT, a->cols[top].name, false);
   }
   char win[256];
   int wl = snprintf(win, sizeof win, " window %zu-%zu", app->m->first,
                     app->m->rows ? app->m->first + app->m->rows - 1 : app->m->first);
   if (app->reference[0]) /* what it is compared with: the bar gives it room, down to 20 cells */
      snprintf(win + wl, sizeof win - (size_t)wl, " vs %s", app->reference);
   int bw = width - 30 < 60 ? width - 30 : 60;
   if (bw > width - 4 - ds_cells(win))
      bw = width - 4 - ds_cells(win) < 20 ? (bw < 20 ? bw : 20) : width - 4 - ds_cells(win);
   int filled = (int)lround(a->share * bw), mark = (int)lround(a->drift_share * bw);
   for (int i = 0; i < bw; i++)
      ui_put_clip(app, y + 1, 2 + i, 1,
                  i == mark    ? ROLE_C_THRESHOLD
                  : i < filled ? role
                               : ROLE_C_DIM,
                  i == mark    ? app->g->vline
                  : i < filled ? app->g->full
                               : app->g->hline);
   ui_put_name(app, y + 1, 3 + bw, width - 4 - bw, ROLE_C_DIM, ds_cells(win) <= width - 4 - bw ? win : "", false);
   if (ds_cells(win) > width - 4 - bw) {
      win[wl] = '\0';
      ui_put_clip(app, y + 1, 3 + bw, width - 4 - bw, ROLE_C_DIM, win);
   }
}

static void draw_spark(App *app, int y, int x, int width, int col, double threshold, bool p_value) {
   double v[SPARK_MAX];
   int lv[SPARK_MAX];
   if (width > SPARK_MAX)
      width = SPARK_MAX;
   size_t n = Monitor_history(app->m, col, v, (size_t)width);
   double thr = ui_drift_height(p_value, threshold);
   for (size_t i = 0; i < n; i++)
      v[i] = ui_drift_height(p_value, v[i]);
   ds_spark_levels(v, n, 0, 2 * thr, lv);
   /* warm-up windows (fewer records than the window) in a neutral colour: no verdict */
   size_t warm = Analysis_warmup_windows(&app->m->a), first = app->m->a.nwindows - n;
   for (size_t i = 0; i < n; i++) {
      bool over = v[i] >= thr;
      if (lv[i] >= 0)
         ui_put_clip(app, y, x + (int)i, 1,
                     first + i < warm ? ROLE_C_DIM
                     : over           ? ROLE_C_ALERT
                                      : ROLE_C_OK,
                     app->g->spark[lv[i]]);
   }
}

/* The first of n table rows to show in `shown` rows so that the selected
 * column (rows[i] == sel) is on screen. */
static int first_shown(const int *rows, int n, int sel, int shown) {
   for (int i = 0; i < n; i++)
      if (rows[i] == sel)
         return i >= shown ? i - (shown - 1) : 0;
   return 0;
}

/* One table row per compared column: features first, then the rest.
 * The columns that fit width: the name (as wide as the longest, within
 * limits), score and verdict always; the test and the threshold when
 * there is room; the score history in what is left. */
static int draw_table(App *app, int y, int height, int width) {
   const Analysis *a = &app->m->a;
   int rows[DS_MAX_COLUMNS], n = ui_shown_columns(app, rows, true);
   int namew = 6;
   for (int i = 0; i < n; i++)
      namew = ds_cells(a->cols[rows[i]].name) > namew ? ds_cells(a->cols[rows[i]].name) : namew;
   if (a->mv && !a->mv->why && namew < 12)
      namew = 12; /* "multivariate" */
   namew = namew > 24 ? 24 : namew;
   int need = 1 + 9 + 1 + 5; /* score, verdict and their gaps */
   if (1 + namew + need > width - 1)
      namew = width - 2 - need < 6 ? 6 : width - 2 - need;
   bool test = 1 + namew + need + 5 <= width - 1, thresh = 1 + namew + need + 5 + 7 <= width - 1;
   int x_test = 1 + namew + 1, x_score = x_test + (test ? 5 : 0), x_thr = x_score + 10,
       x_drift = x_thr + (thresh ? 7 : 0), x_hist = x_drift + 6, spark = width - 1 - x_hist;
   /* the name column's head says the order and the filter, when not the file's */
   char caption[96] = "";
   if (app->filter[0])
      snprintf(caption, sizeof caption, "/%s%s%s", app->filter, app->sort ? " by " : "",
               app->sort ? ui_sort_names[app->sort] : "");
   else if (app->sort)
      snprintf(caption, sizeof caption, "by %s", ui_sort_names[app->sort]);
   /* the caption beside the history's head where it fits, else as the name column's head */
   bool beside = caption[0] && spark >= 6 && 8 + 2 + ds_cells(caption) <= spark;
   ui_put_name(app, y, 1, namew, ROLE_C_TITLE, caption[0] && !beside ? caption : "column", false);
   if (beside)
      ui_put_clip(app, y, x_hist + 9, spark - 9, ROLE_C_TITLE, caption);
   if (!n)
      ui_put_clip(app, y + 1, 1, width - 2, ROLE_C_DIM,
                  width >= 46 ? "no column matches the filter (Esc clears it)" : "no match (Esc clears)");
   if (test)
      ui_put_clip(app, y, x_test, 4, ROLE_C_TITLE, "test");
   ui_put_clip(app, y, x_score, 9, ROLE_C_TITLE, "    score");
   if (thresh)
      ui_put_clip(app, y, x_thr, 6, ROLE_C_TITLE, "thresh");
   ui_put_clip(app, y, x_drift, 5, ROLE_C_TITLE, "drift");
   if (spark >= 6)
      ui_put_clip(app, y, x_hist, 7, ROLE_C_TITLE, "history");
   /* the multivariate row last, always shown (not under a filter: it names columns) */
   const Multivariate *mv = a->mv && !a->mv->why && !app->filter[0] ? a->mv : NULL;
   int room = height - 1 - (mv ? 1 : 0);
   int first = first_shown(rows, n, app->sel, room);
   for (int i = first; i < n && i - first < room; i++) {
      const ColumnReport *c = &a->cols[rows[i]];
      int row = y + 1 + i - first;
      char score[16], thr[16], cell[24];
      ui_fmt_score(score, sizeof score, c->drift.score);
      snprintf(thr, sizeof thr, "%.3g", c->drift.threshold);
      bool sel = rows[i] == app->sel;
      ColorRole base = sel ? ROLE_C_SELECTION : ROLE_C_NORMAL;
      if (sel)
         ui_fill(app, row, 0, width, ROLE_C_SELECTION);
      ui_put_name(app, row, 1, namew, base, c->name, false);
      if (test)
         ui_put_clip(app, row, x_test, 4, base, c->drift.scored ? ds_drift_methods[c->drift.method].brief : "-");
      snprintf(cell, sizeof cell, "%9s", c->drift.scored ? score : "-");
      ui_put_clip(app, row, x_score, 9, base, cell);
      if (thresh && c->drift.scored) {
         snprintf(cell, sizeof cell, "%6s", thr);
         ui_put_clip(app, row, x_thr, 6, base, cell);
      }
      if (c->drift.scored)
         ui_put_clip(app, row, x_drift, 5,
                     sel                ? base
                     : c->drift.drifted ? ROLE_C_ALERT
                                        : ROLE_C_OK,
                     c->drift.drifted ? "DRIFT" : "ok");
      if (spark >= 6 && c->drift.scored)
         draw_spark(app, row, x_hist, spark, rows[i], c->drift.threshold, ds_drift_methods[c->drift.method].p_value);
   }
   if (!mv || room < 1)
      return n;
   /* all features at once: the clusters' occupancy against the reference's */
   int row = y + 1 + (n - first < room ? n - first : room);
   const ColumnDrift *d = &mv->drift;
   char score[16], thr[16], cell[64];
   ui_put_name(app, row, 1, namew, ROLE_C_NORMAL, "multivariate", false);
   if (test)
      ui_put_clip(app, row, x_test, 4, ROLE_C_NORMAL, d->scored ? ds_drift_methods[d->method].brief : "-");
   ui_fmt_score(score, sizeof score, d->score);
   snprintf(cell, sizeof cell, "%9s", d->scored ? score : "-");
   ui_put_clip(app, row, x_score, 9, ROLE_C_NORMAL, cell);
   if (thresh && d->scored) {
      snprintf(thr, sizeof thr, "%.3g", d->threshold);
      snprintf(cell, sizeof cell, "%6s", thr);
      ui_put_clip(app, row, x_thr, 6, ROLE_C_NORMAL, cell);
   }
   if (d->scored)
      ui_put_clip(app, row, x_drift, 5, d->drifted ? ROLE_C_ALERT : ROLE_C_OK, d->drifted ? "DRIFT" : "ok");
   if (spark >= 11) {
      snprintf(cell, sizeof cell, spark >= 24 ? "k-means, %d clusters" : "k-means k %d", mv->k);
      ui_put_name(app, row, x_hist, spark, ROLE_C_DIM, cell, false);
   }
   return n + 1;
}

/* The prediction mix of the window against the reference's. */
static int draw_mix(App *app, int y, int x, int width, int height) {
   const Monitor *m = app->m;
   if (m->cur->pred_col < 0 && m->cur->truth_col < 0) {
      ui_put_clip(app, y, x, width, ROLE_C_DIM, "no prediction in this stream");
      return 1;
   }
   char head[96];
   snprintf(head, sizeof head, "%-*s  now   ref", width - 18, m->mix_target ? "label (target)" : "predicted");
   ui_put_clip(app, y, x, width, ROLE_C_TITLE, head);
   int row = y + 1;
   for (int c = 0; c < m->cur->classes->n && row < y + height; c++) {
      if (!m->mix_cur[c] && !m->mix_ref[c])
         continue;
      double now = m->mix_cur_n ? 100.0 * (double)m->mix_cur[c] / (double)m->mix_cur_n : 0;
      double ref = m->mix_ref_n ? 100.0 * (double)m->mix_ref[c] / (double)m->mix_ref_n : NAN;
      char line[96];
      int namew = width - 18; /* the shares and "fewer" take the rest */
      ui_put_name(app, row, x, namew, ui_class_role(c), ui_class_name(app, c), true);
      if (isnan(ref)) /* no reference to compare with */
         snprintf(line, sizeof line, " %3.0f%%     -", now);
      else
         snprintf(line, sizeof line, " %3.0f%% %4.0f%%", now, ref);
      ui_put_clip(app, row, x + namew, 11, ui_class_role(c), line);
      ui_put_clip(app, row, x + namew + 12, 5, now > ref + 10 ? ROLE_C_WARN : ROLE_C_DIM,
                  now > ref + 10   ? "more"
                  : now + 10 < ref ? "fewer"
                                   : "");
      row++;
   }
   return row - y;
}

/* One line of the side panel at *row, when above bottom. */
static void side_line(App *app, int *row, int bottom, int x, int width, ColorRole role, const char *text) {
   if (*row < bottom)
      ui_put_clip(app, *row, x, width, role, text);
   ++*row;
}

/* Model quality and data quality, in rows [y, bottom). */
static void draw_quality(App *app, int y, int bottom, int x, int width) {
   const Monitor *m = app->m;
   const Analysis *a = &m->a;
   char line[128];
   int row = y;
   side_line(app, &row, bottom, x, width, ROLE_C_TITLE, "model      window   all");
   if (a->has_truth && !isnan(m->win_accuracy)) {
      snprintf(line, sizeof line, "accuracy   %6.2f %5.2f", m->win_accuracy, a->accuracy);
      side_line(app, &row, bottom, x, width, ROLE_C_NORMAL, line);
      snprintf(line, sizeof line, "macro-F1   %6.2f %5.2f", m->win_macro_f1, a->macro_f1);
      side_line(app, &row, bottom, x, width, ROLE_C_NORMAL, line);
      snprintf(line, sizeof line, "DDM %s, P-Hinkley %s",
               a->regression        ? "-"
               : a->det.ddm.drifts  ? "DRIFT"
               : a->det.ddm.warning ? "warning"
                                    : "ok",
               a->det.ph.drifts ? "DRIFT" : "ok");
      side_line(app, &row, bottom, x, width, a->det.ddm.drifts || a->det.ph.drifts ? ROLE_C_ALERT : ROLE_C_OK, line);
   } else if (m->mix_target) {
      side_line(app, &row, bottom, x, width, ROLE_C_DIM, "no prediction: target drift");
   } else if (width >= 46) {
      side_line(app, &row, bottom, x, width, ROLE_C_DIM, "no ground truth (label segments: 6, v, Enter)");
   } else {
      side_line(app, &row, bottom, x, width, ROLE_C_DIM, "no ground truth");
      side_line(app, &row, bottom, x, width, ROLE_C_DIM, "label segments: 6, v, Enter");
   }
   if (app->labels.store && app->labels.store->n) {
      snprintf(line, sizeof line, "labelled %zu rec, %zu seg%s", app->labels.labelled, app->labels.store->n,
               app->labels.store->n == 1 ? "" : "s");
      side_line(app, &row, bottom, x, width, ROLE_C_NORMAL, line);
      if (app->labels.stream_truth)
         side_line(app, &row, bottom, x, width, ROLE_C_DIM, "(truth: the stream's own)");
   }
   size_t missing = 0, rows = 0, out = 0, present = 0;
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].role == ROLE_FEATURE) {
         rows += a->cols[i].s_rows;
         missing += a->cols[i].s_missing;
         out += a->cols[i].s_out_of_range;
         present += a->cols[i].s_rows - a->cols[i].s_missing;
      }
   side_line(app, &row, bottom, x, width, ROLE_C_TITLE, "data quality (all records)");
   snprintf(line, sizeof line, "missing %.1f%% outside %.1f%%", rows ? 100.0 * (double)missing / (double)rows : 0,
            present ? 100.0 * (double)out / (double)present : 0);
   side_line(app, &row, bottom, x, width, out ? ROLE_C_WARN : ROLE_C_NORMAL, line);
   snprintf(line, sizeof line, "bad lines %ld", app->bad_lines);
   side_line(app, &row, bottom, x, width, app->bad_lines ? ROLE_C_WARN : ROLE_C_NORMAL, line);
}

/* With room under the table: the dataset's drifted share per window. */
static void draw_share(App *app, int y, int height, int width) {
   int w = width - DS_AXIS_W - 2, h = height - 3;
   if (h < 4 || w < 20)
      return;
   double *v = malloc((size_t)(2 * w) * sizeof *v);
   if (!v)
      return;
   size_t n = Monitor_share_history(app->m, v, (size_t)(2 * w)), from = app->m->a.nwindows - n;
   char title[96];
   snprintf(title, sizeof title, "share of features drifted, per window (dataset drift at %.0f%%)",
            100 * app->m->a.drift_share);
   if (ds_cells(title) > width - 2)
      snprintf(title, sizeof title, "share of features drifted (drift at %.0f%%)", 100 * app->m->a.drift_share);
   ui_put_name(app, y, 1, width - 2, ROLE_C_TITLE, title, false);
   if (n) {
      char share_label[16];
      snprintf(share_label, sizeof share_label, "%.0f%%", 100 * app->m->a.drift_share);
      ui_chart(app, v, n, 0, 1, app->m->a.drift_share, share_label, y + 1, DS_AXIS_W + 1, w, h, ROLE_C_WARN);
      ui_time_axis(app, from, n, y + 1 + h, DS_AXIS_W + 1, w);
   }
   free(v);
}

/* No reference yet: what the stream's features hold in the window. */
static int draw_stream_table(App *app, int y, int height, int width) {
   const Monitor *m = app->m;
   const Table *t = m->cur;
   int rows[DS_MAX_COLUMNS], n = ui_shown_columns(app, rows, false), namew = 6;
   for (int i = 0; i < n; i++)
      namew = ds_cells(m->a.cols[rows[i]].name) > namew ? ds_cells(m->a.cols[rows[i]].name) : namew;
   /* the name, then as many of mean std min max missing as fit, 8 to 11 cells each */
   static const char *const head[] = {"mean", "std", "min", "max", "missing"};
   namew = namew > 24 ? 24 : namew;
   int stats = (width - 2 - namew) / 8;
   stats = stats > 5 ? 5 : stats < 1 ? 1 : stats;
   int cw = (width - 2 - namew) / stats;
   cw = cw > 11 ? 11 : cw;
   char line[256];
   int hk = snprintf(line, sizeof line, "%-*s", namew, "column");
   for (int j = 0; j < stats; j++)
      hk += snprintf(line + hk, sizeof line - (size_t)hk, "%*s", cw, head[j]);
   ui_put_clip(app, y, 1, width - 2, ROLE_C_TITLE, line);
   int first = first_shown(rows, n, app->sel, height - 1);
   for (int i = first; i < n && i - first < height - 1; i++) {
      const ColumnReport *c = &m->a.cols[rows[i]];
      double s = 0, q = 0, lo = INFINITY, hi = -INFINITY;
      size_t k = 0;
      for (size_t r = m->first; r < m->first + m->rows; r++) {
         double v = Table_value(t, c->cur_col, r);
         if (isnan(v))
            continue;
         s += v;
         q += v * v;
         lo = fmin(lo, v);
         hi = fmax(hi, v);
         k++;
      }
      double mean = k ? s / (double)k : NAN, sd = k ? sqrt(fmax(q / (double)k - mean * mean, 0)) : NAN;
      int row = y + 1 + i - first;
      bool sel = rows[i] == app->sel;
      ColorRole base = sel ? ROLE_C_SELECTION : ROLE_C_NORMAL;
      if (sel)
         ui_fill(app, row, 0, width, ROLE_C_SELECTION);
      ui_put_name(app, row, 1, namew, base, c->name, false);
      double v[5] = {mean, sd, k ? lo : NAN, k ? hi : NAN,
                     m->rows ? 100.0 * (double)(m->rows - k) / (double)m->rows : 0};
      int at = 0;
      for (int j = 0; j < stats; j++)
         at += j < 4 ? snprintf(line + at, sizeof line - (size_t)at, "%*.*g", cw, cw >= 10 ? 4 : 3, v[j])
                     : snprintf(line + at, sizeof line - (size_t)at, "%*.1f%%", cw - 1, v[j]);
      ui_put_clip(app, row, 1 + namew, width - 2 - namew, base, line);
   }
   return n;
}

/* No reference yet: said where the verdict goes, and how to take one. */
static void draw_no_reference(App *app, int y, int width) {
   ui_put(app, y, 1, ROLE_C_WARN, " NO REFERENCE ");
   ui_put_name(app, y, 16, width - 17, ROLE_C_NORMAL,
               width >= 90 ? "drift needs one: B takes the current window, --baseline N the first N records"
                           : "drift needs one: B takes this window",
               false);
   char line[128];
   snprintf(line, sizeof line, "window %zu-%zu: the stream's features below; labelling and recording work",
            app->m->first, app->m->rows ? app->m->first + app->m->rows - 1 : app->m->first);
   if (ds_cells(line) > width - 3)
      snprintf(line, sizeof line, "window %zu-%zu: the stream's features", app->m->first,
               app->m->rows ? app->m->first + app->m->rows - 1 : app->m->first);
   ui_put_name(app, y + 1, 2, width - 3, ROLE_C_DIM, line, false);
}

static void draw(App *app, const void *state, int top, int height) {
   (void)state;
   ui_panel(app, "verdict");
   if (app->no_reference) {
      draw_no_reference(app, top, app->cols);
      int side = app->cols >= 120 ? 40 : 28, left = app->cols - side - 1;
      ui_panel(app, "feature table");
      draw_stream_table(app, top + 3, height - 3, left);
      ui_panel(app, "prediction mix");
      int used = draw_mix(app, top + 3, left + 1, side, (height - 3) / 2);
      ui_panel(app, "model and data quality");
      draw_quality(app, top + 4 + used, top + height, left + 1, side);
      return;
   }
   draw_verdict(app, top, app->cols);
   int side = app->cols >= 120 ? 40 : 28, left = app->cols - side - 1, bottom = top + height;
   ui_panel(app, "feature table");
   int rows = draw_table(app, top + 3, height - 3, left);
   ui_panel(app, "share chart");
   if (height - 3 - (rows + 1) >= 8 && app->m->a.features)
      draw_share(app, top + 3 + rows + 2, height - 3 - rows - 2, left);
   int x = left + 1;
   ui_panel(app, "prediction mix");
   int used = draw_mix(app, top + 3, x, side, (height - 3) / 2);
   ui_panel(app, "model and data quality");
   draw_quality(app, top + 4 + used, bottom, x, side);
}

const View ds_view_overview = {.name = "Overview", .hotkey = '1', .draw = draw, .keys = NULL}; /* no keys of its own */
