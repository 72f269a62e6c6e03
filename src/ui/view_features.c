// SPDX-License-Identifier: MIT
/* View 2, Features: a grid of histograms, the current window's bars
 * against the reference's outline on shared bins; Enter zooms the selected
 * feature: a full histogram, summary statistics and every test's value. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "widgets.h"

#define MAX_BINS 128
#define CELL_W 26
#define CELL_H 6 /* at least: a title, four rows of bars, the range */

/* What the view shows of each compared column (index into a.cols): its
 * window values, clean and sorted, and their mean and standard deviation,
 * computed by update once for each Monitor version. */
typedef struct FeaturesState {
   unsigned long version; /* 1 + the Monitor version computed; 0: none */
   bool oom;
   double *v[DS_MAX_COLUMNS];
   size_t n[DS_MAX_COLUMNS], cap[DS_MAX_COLUMNS];
   double mean[DS_MAX_COLUMNS], sd[DS_MAX_COLUMNS];         /* the window's */
   double ref_mean[DS_MAX_COLUMNS], ref_sd[DS_MAX_COLUMNS]; /* the reference's */
   /* without a reference: the session so far (at most SOFAR_MAX records,
    * evenly spread), sorted, in its place */
   double *so[DS_MAX_COLUMNS];
   size_t son[DS_MAX_COLUMNS], socap[DS_MAX_COLUMNS];
} FeaturesState;

#define SOFAR_MAX 20000

static int cmp_double(const void *a, const void *b) {
   double x = *(const double *)a, y = *(const double *)b;
   return (x > y) - (x < y);
}

/* What column i is compared with, sorted: the reference's, or the session so far. */
static const double *compared(const App *app, const FeaturesState *st, int i, size_t *n) {
   int r = app->m->a.cols[i].ref_index;
   if (r >= 0) {
      *n = app->m->a.refs[r].n;
      return app->m->a.refs[r].sorted;
   }
   *n = st->son[i];
   return st->so[i];
}

/* The session so far of column i (records kept up to the cursor), at most
 * SOFAR_MAX of them evenly spread, clean and sorted; false on no memory. */
static bool session_so_far(FeaturesState *st, const Monitor *m, int i) {
   const Table *t = m->cur;
   int c = m->a.cols[i].cur_col;
   size_t from = t->base, n = m->cursor > from ? m->cursor - from : 0, step = n > SOFAR_MAX ? n / SOFAR_MAX + 1 : 1;
   size_t want = n / step + 1;
   if (st->socap[i] < want) {
      double *v = realloc(st->so[i], want * sizeof *v);
      if (!v)
         return false;
      st->so[i] = v;
      st->socap[i] = want;
   }
   size_t k = 0;
   for (size_t r = from; r < from + n; r += step) {
      double v = Table_value(t, c, r);
      if (!isnan(v))
         st->so[i][k++] = v;
   }
   qsort(st->so[i], k, sizeof *st->so[i], cmp_double);
   st->son[i] = k;
   return true;
}

/* Summary statistics of a sample. */
static void summary(const double *v, size_t n, double *mean, double *sd) {
   double s = 0, q = 0;
   for (size_t i = 0; i < n; i++)
      s += v[i];
   *mean = n ? s / (double)n : NAN;
   for (size_t i = 0; i < n; i++)
      q += (v[i] - *mean) * (v[i] - *mean);
   *sd = n ? sqrt(q / (double)n) : NAN;
}

static void update(App *app, void *state) {
   FeaturesState *st = state;
   const Monitor *m = app->m;
   if (st->version == m->version + 1)
      return;
   int f[DS_MAX_COLUMNS], nf = ui_features(app, f);
   st->oom = false;
   for (int k = 0; k < nf; k++) {
      int i = f[k];
      if (st->cap[i] < m->rows) {
         double *v = realloc(st->v[i], m->rows * sizeof *v);
         if (!v) {
            st->n[i] = 0;
            st->oom = true;
            continue;
         }
         st->v[i] = v;
         st->cap[i] = m->rows;
      }
      const Column *c = m->cur->cols[m->a.cols[i].cur_col];
      st->n[i] = m->rows ? ds_clean_sorted(c->v + (m->first - m->cur->base), m->rows, st->v[i]) : 0;
      summary(st->v[i], st->n[i], &st->mean[i], &st->sd[i]);
      if (m->a.cols[i].ref_index < 0 && !session_so_far(st, m, i)) {
         st->oom = true;
         continue;
      }
      size_t rn;
      const double *rs = compared(app, st, i, &rn);
      summary(rs, rn, &st->ref_mean[i], &st->ref_sd[i]);
   }
   st->version = m->version + 1;
}

static void done(void *state) {
   FeaturesState *st = state;
   for (int i = 0; i < DS_MAX_COLUMNS; i++) {
      free(st->v[i]);
      free(st->so[i]);
   }
}

/* One bar of a histogram: share of peak in a column h cells tall, from
 * row y + h - 1 up, at cell x: the window's in full blocks and eighths,
 * the reference's shaded (its top eighths in its colour), so the two stay
 * apart without colours. */
static void bar(App *app, double share, double peak, bool reference, int y, int x, int h) {
   int e = ds_bar_eighths(share, peak, h);
   for (int r = 0; r < h && e > r * 8; r++) {
      int part = e - r * 8;
      if (reference && part < 8 && !app->color) { /* no colour: the reference all shade, to the nearest cell */
         if (part >= 4 || r == 0)
            ui_put_clip(app, y + h - 1 - r, x, 1, ROLE_C_REFERENCE, app->g->shade);
         break;
      }
      const char *g = part >= 8 ? (reference ? app->g->shade : app->g->full) : app->g->eighth[part];
      ui_put_clip(app, y + h - 1 - r, x, 1, reference ? ROLE_C_REFERENCE : ROLE_C_CURRENT, g);
   }
}

/* Draw the histogram of column i in a box of w×h cells at (y, x): bins
 * over the bulk of both samples (ds_bulk_range: outliers do not stretch
 * the axis), each bin the window's bar beside the reference's, heights as
 * shares of each sample; values beyond the bulk in overflow bins at the
 * edges, marked < and > on the range line under it. */
static void histogram(App *app, const FeaturesState *st, int i, int y, int x, int w, int h) {
   size_t rcn;
   const double *rcs = compared(app, st, i, &rcn);
   const double *buf = st->v[i];
   size_t n = st->n[i];
   double lo, hi, wlo, whi;
   ds_bulk_range(rcs, rcn, &lo, &hi);
   if (n) {
      ds_bulk_range(buf, n, &wlo, &whi);
      lo = rcn ? fmin(lo, wlo) : wlo;
      hi = rcn ? fmax(hi, whi) : whi;
   }
   bool left = (n && buf[0] < lo) || (rcn && rcs[0] < lo);
   bool right = (n && buf[n - 1] > hi) || (rcn && rcs[rcn - 1] > hi);
   int inner = w - 3 * left - 3 * right, x0 = x + 3 * left; /* an overflow bin: two bars and a gap */
   int bins = ds_hist_bins(n > rcn ? rcn : n, inner);
   bins = bins > MAX_BINS ? MAX_BINS : bins < 1 ? 1 : bins;
   double cur[MAX_BINS], ref[MAX_BINS], peak = 0, cb, ca, rb, ra;
   ds_bin_counts_overflow(buf, n, lo, hi, bins, cur, &cb, &ca);
   ds_bin_counts_overflow(rcs, rcn, lo, hi, bins, ref, &rb, &ra);
   double cn = n ? (double)n : 1, rn = rcn ? (double)rcn : 1;
   for (int b = 0; b < bins; b++)
      peak = fmax(peak, fmax(cur[b] / cn, ref[b] / rn));
   peak = fmax(peak, fmax(fmax(cb / cn, ca / cn), fmax(rb / rn, ra / rn)));
   for (int b = 0; b < bins; b++) {
      int bx = x0 + b * inner / bins, bw = (b + 1) * inner / bins - b * inner / bins, half = bw / 2 ? bw / 2 : 1;
      for (int k = 0; k < half; k++) {
         bar(app, cur[b] / cn, peak, false, y, bx + k, h);
         if (half + k < bw)
            bar(app, ref[b] / rn, peak, true, y, bx + half + k, h);
      }
   }
   if (left) {
      bar(app, cb / cn, peak, false, y, x, h);
      bar(app, rb / rn, peak, true, y, x + 1, h);
   }
   if (right) {
      bar(app, ca / cn, peak, false, y, x + w - 3 + 1, h);
      bar(app, ra / rn, peak, true, y, x + w - 3 + 2, h);
   }
   char l[32], r[32], a[24], b[24];
   int digits = 3; /* more where three would make the two ends read the same (101.5 and 102.4: 102) */
   do {
      snprintf(a, sizeof a, "%.*g", digits, lo);
      snprintf(b, sizeof b, "%.*g", digits, hi);
   } while (lo != hi && !strcmp(a, b) && ++digits <= 7);
   snprintf(l, sizeof l, "%s%s", left ? "<" : "", a);
   snprintf(r, sizeof r, "%s%s", b, right ? ">" : "");
   ui_put_clip(app, y + h, x, w, ROLE_C_DIM, l);
   if ((int)(strlen(l) + strlen(r)) + 1 <= w)
      ui_put_clip(app, y + h, x + w - (int)strlen(r), (int)strlen(r), ROLE_C_DIM, r);
}

static void cell_title(App *app, int i, int y, int x, int w, bool sel) {
   const ColumnReport *c = &app->m->a.cols[i];
   char score[16], line[64];
   ui_fmt_score(score, sizeof score, c->drift.score);
   int namew = w - 15 < 4 ? 4 : w - 15;
   ColorRole role = sel ? ROLE_C_SELECTION : c->drift.drifted ? ROLE_C_ALERT : ROLE_C_TITLE;
   if (sel)
      ui_fill(app, y, x, w, role);
   ui_put_name(app, y, x, namew, role, c->name, false);
   snprintf(line, sizeof line, "%7s %s", score, !c->drift.scored ? "" : c->drift.drifted ? "DRIFT" : "ok");
   ui_put_clip(app, y, x + namew + 1, w - namew - 1, role, line);
}

/* The grid's shape: per_row cells across, each cell_w wide and cell_h
 * tall (with its title and range rows). The shape whose cells are the
 * largest (by the smaller of width and three times height, so cells keep
 * a histogram's proportions) among those that show every feature; when
 * none does, the smallest cells, scrolled to the selection. */
static void grid_shape(int n, int cols, int height, int *per_row, int *cell_w, int *cell_h) {
   int best = -1;
   for (int pr = 1; pr <= n && pr <= cols / CELL_W; pr++) {
      int rows = (n + pr - 1) / pr, cw = cols / pr, ch = height / rows - 1;
      if (ch < CELL_H)
         continue;
      int size = cw < 3 * ch ? cw : 3 * ch;
      if (size > best) {
         best = size;
         *per_row = pr;
         *cell_w = cw;
         *cell_h = ch;
      }
   }
   if (best < 0) {
      *per_row = cols / CELL_W > 0 ? cols / CELL_W : 1;
      *cell_w = cols / *per_row;
      *cell_h = CELL_H;
   }
}

static void draw_grid(App *app, const FeaturesState *st, int top, int height) {
   int f[DS_MAX_COLUMNS], n = ui_shown_columns(app, f, false);
   int per_row, cell_w, cell_h;
   grid_shape(n, app->cols, height - 1, &per_row, &cell_w, &cell_h);
   int grid_rows = (height - 1) / (cell_h + 1);
   if (grid_rows < 1)
      return;
   int sel_at = 0;
   for (int k = 0; k < n; k++)
      if (f[k] == app->sel)
         sel_at = k;
   int first_row = sel_at / per_row >= grid_rows ? sel_at / per_row - grid_rows + 1 : 0;
   ui_panel(app, "legend");
   char title[160];
   int tl = snprintf(title, sizeof title, "Features, window %zu-%zu", app->m->first,
                     app->m->rows ? app->m->first + app->m->rows - 1 : app->m->first);
   if (app->sort)
      tl += snprintf(title + tl, sizeof title - (size_t)tl, ", by %s", ui_sort_names[app->sort]);
   if (app->filter[0])
      tl += snprintf(title + tl, sizeof title - (size_t)tl, ", /%s: %d", app->filter, n);
   ui_put_name(app, top, 1, app->cols - 2, ROLE_C_TITLE, title, false);
   int x = 2 + ds_cells(title) + 2;
   if (x + 38 <= app->cols) {
      ui_put(app, top, x, ROLE_C_CURRENT, "%s now", app->g->full);
      ui_put(app, top, x + 7, ROLE_C_REFERENCE, "%s %s", app->g->shade, app->no_reference ? "so far" : "reference");
      if (x + 45 + 22 <= app->cols)
         ui_put(app, top, x + 21, ROLE_C_DIM, "j/k select, Enter zoom");
   }
   if (!n)
      ui_put(app, top + 2, 1, ROLE_C_DIM, "no feature matches the filter '%s' (Esc clears it)", app->filter);
   for (int k = first_row * per_row; k < n && k / per_row - first_row < grid_rows; k++) {
      int gy = top + 1 + (k / per_row - first_row) * (cell_h + 1), gx = (k % per_row) * cell_w;
      ui_panel(app, app->m->a.cols[f[k]].name);
      cell_title(app, f[k], gy, gx + 1, cell_w - 2, f[k] == app->sel);
      histogram(app, st, f[k], gy + 1, gx + 1, cell_w - 2, cell_h - 2);
   }
}

static void draw_zoom(App *app, const FeaturesState *st, int top, int height) {
   const ColumnReport *c = &app->m->a.cols[app->sel];
   size_t rcn;
   const double *rcs = compared(app, st, app->sel, &rcn);
   cell_title(app, app->sel, top, 1, app->cols - 2, false);
   ui_put(app, top, app->cols - 24, ROLE_C_DIM, "Enter/Esc back  j/k next");
   int hh = height - 11 > 4 ? height - 11 : 4;
   histogram(app, st, app->sel, top + 1, 1, app->cols - 2, hh);
   const double *buf = st->v[app->sel];
   size_t n = st->n[app->sel];
   double cm = st->mean[app->sel], cs = st->sd[app->sel], rm = st->ref_mean[app->sel], rs = st->ref_sd[app->sel];
   int y = top + hh + 2;
   ui_panel(app, "statistics");
   int cw = (app->cols - 2 - 10 - 9) / 4; /* the statistics' columns: as wide as the screen allows */
   cw = cw > 11 ? 11 : cw < 9 ? 9 : cw;
   ui_put(app, y, 1, ROLE_C_TITLE, "%-10s %8s %*s %*s %*s %*s", "", "n", cw, "mean", cw, "std", cw, "min", cw, "max");
   ui_put(app, y + 1, 1, ROLE_C_REFERENCE, "%-10s %8zu %*.4g %*.4g %*.4g %*.4g",
          c->ref_index >= 0 ? "reference" : "so far", rcn, cw, rm, cw, rs, cw, rcn ? rcs[0] : NAN, cw,
          rcn ? rcs[rcn - 1] : NAN);
   ui_put(app, y + 2, 1, ROLE_C_CURRENT, "%-10s %8zu %*.4g %*.4g %*.4g %*.4g", "window", n, cw, cm, cw, cs, cw,
          n ? buf[0] : NAN, cw, n ? buf[n - 1] : NAN);
   const ColumnDrift *d = &c->drift;
   if (c->ref_index < 0) {
      ui_put(app, y + 4, 1, ROLE_C_DIM, "no reference: drift needs one (B takes the current window)");
      return;
   }
   char tests[256];
   snprintf(tests, sizeof tests, "KS D %.4f  p %.3g   Wasserstein (norm.) %.4f   PSI %.4f   Jensen-Shannon %.4f",
            d->ks_statistic, d->ks_pvalue, d->wasserstein_norm, d->psi, d->jensenshannon);
   int row = y + 4;
   if (ds_cells(tests) <= app->cols - 2) {
      ui_put(app, row++, 1, ROLE_C_NORMAL, "%s", tests);
   } else { /* two lines rather than a cut one */
      ui_put(app, row++, 1, ROLE_C_NORMAL, "KS D %.4f  p %.3g   Wasserstein (norm.) %.4f", d->ks_statistic,
             d->ks_pvalue, d->wasserstein_norm);
      ui_put(app, row++, 1, ROLE_C_NORMAL, "PSI %.4f   Jensen-Shannon %.4f", d->psi, d->jensenshannon);
   }
   if (!d->scored)
      ui_put(app, row, 1, ROLE_C_DIM, "verdict: not scored yet (no window has records)");
   else
      ui_put(app, row, 1, d->drifted ? ROLE_C_ALERT : ROLE_C_OK, "verdict: %s by %s (score %.4g, threshold %.3g)",
             d->drifted ? "DRIFT" : "no drift", ds_drift_methods[d->method].name, d->score, d->threshold);
}

static void draw(App *app, const void *state, int top, int height) {
   const FeaturesState *st = state;
   int f[DS_MAX_COLUMNS];
   if (!ui_features(app, f)) {
      ui_put(app, top + 1, 1, ROLE_C_DIM, "no feature of the stream is in the reference");
      return;
   }
   if (st->oom) {
      ui_put(app, top + 1, 1, ROLE_C_ALERT, "out of memory");
      return;
   }
   if (app->zoom && ui_shows_column(app, &app->m->a.cols[app->sel]))
      draw_zoom(app, st, top, height);
   else
      draw_grid(app, st, top, height);
}

static void toggle_zoom(App *app) {
   app->zoom = !app->zoom;
}

/* Esc leaves the zoom; without one it is the labelling layer's. */
static bool unzoom(App *app, int ch) {
   (void)ch;
   if (!app->zoom)
      return false;
   app->zoom = false;
   return true;
}

static const KeyBinding keys[] = {
   {'\r', "Enter", "zoom on the selected feature: every statistic (Esc leaves)", toggle_zoom, NULL, NULL, NULL},
   {'\n', NULL, NULL, toggle_zoom, NULL, NULL, NULL},
   {KEY_ENTER, NULL, NULL, toggle_zoom, NULL, NULL, NULL},
   {27, NULL, NULL, NULL, unzoom, NULL, NULL},
   {0, NULL, NULL, NULL, NULL, NULL, NULL},
};

const View ds_view_features = {.name = "Features",
                               .hotkey = '2',
                               .state_size = sizeof(FeaturesState),
                               .update = update,
                               .draw = draw,
                               .done = done,
                               .keys = keys};
