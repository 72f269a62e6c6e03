// SPDX-License-Identifier: MIT
/* Drawing helpers the views share: clipped UTF-8 text in a role's
 * attributes, titles, braille canvases, class names and colours. */
#include <ctype.h>
#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui.h"
#include "widgets.h"

/* Bytes of the UTF-8 sequence starting with c. */
static int utf8_len(unsigned char c) {
   return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

void ui_panel(App *app, const char *name) {
   if (!app->layout.on)
      return;
   if (!name) {
      app->layout.panel = 0;
      return;
   }
   int n = app->layout.npanels < 63 ? ++app->layout.npanels : 63;
   app->layout.names[n] = name;
   app->layout.panel = n;
}

void ui_layout_frame(App *app) {
   if (!app->layout.on)
      return;
   if (app->layout.rows != app->rows || app->layout.cols != app->cols) {
      free(app->layout.owner);
      app->layout.owner = calloc((size_t)app->rows * (size_t)app->cols, 1);
      app->layout.rows = app->layout.owner ? app->rows : 0;
      app->layout.cols = app->layout.owner ? app->cols : 0;
   }
   if (app->layout.owner)
      memset(app->layout.owner, 0, (size_t)app->layout.rows * (size_t)app->layout.cols);
   app->layout.npanels = app->layout.panel = 0;
}

/* Keep what in list (8 of 200 bytes) unless its first key bytes are there. */
static void remember(char list[][200], int *n, const char *what, size_t key) {
   for (int i = 0; i < *n; i++)
      if (!strncmp(list[i], what, key))
         return;
   if (*n < 8)
      snprintf(list[(*n)++], 200, "%s", what);
}

/* The current panel writes cells [x, x + n) of row y: another panel's
 * cell is an overlap (the first one is kept, named). */
static void mark(App *app, int y, int x, int n) {
   int p = app->layout.panel;
   if (!app->layout.on || !p || !app->layout.owner || y >= app->layout.rows)
      return;
   for (int i = x; i < x + n && i < app->layout.cols; i++) {
      unsigned char *o = &app->layout.owner[(size_t)y * (size_t)app->layout.cols + (size_t)i];
      if (*o && *o != p) {
         char what[200];
         int k = snprintf(what, sizeof what, "%s over %s (%dx%d)", app->layout.names[p], app->layout.names[*o],
                          app->cols, app->rows);
         snprintf(what + k, sizeof what - (size_t)k, " at row %d column %d", y, i);
         app->layout.overlaps++;
         remember(app->layout.overlap, &app->layout.noverlap, what, (size_t)k);
      }
      *o = (unsigned char)p;
   }
}

void ui_put_clip(App *app, int y, int x, int width, ColorRole role, const char *s) {
   if (y < 0 || y >= app->rows || x >= app->cols || width <= 0)
      return;
   if (x + width > app->cols)
      width = app->cols - x;
   size_t bytes = 0;
   int cells = 0;
   while (s[bytes] && cells < width) {
      bytes += (size_t)utf8_len((unsigned char)s[bytes]);
      cells++;
   }
   if (app->layout.on && app->layout.panel) {
      bool cut = false;
      for (size_t b = bytes; s[b] && !cut; b++)
         cut = s[b] != ' ';
      if (cut) {
         char what[200];
         snprintf(what, sizeof what, "%s: \"%s\" cut to %d cells (%dx%d)", app->layout.names[app->layout.panel], s,
                  width, app->cols, app->rows);
         app->layout.cuts++;
         remember(app->layout.cut, &app->layout.ncut, what, sizeof what);
      }
      int used = cells;
      while (used > 0 && s[bytes - 1] == ' ' && bytes > 0 && (unsigned char)s[bytes - 1] < 0x80) {
         used--; /* trailing blanks are padding, not a claim */
         bytes--;
      }
      mark(app, y, x, used);
      bytes = 0;
      for (int c = 0; c < cells; c++)
         bytes += (size_t)utf8_len((unsigned char)s[bytes]);
   }
   attrset(app->attr[role]);
   mvaddnstr(y, x, s, (int)bytes);
   attrset(app->attr[ROLE_C_NORMAL]);
}

void ui_put(App *app, int y, int x, ColorRole role, const char *fmt, ...) {
   char buf[512];
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(buf, sizeof buf, fmt, ap);
   va_end(ap);
   ui_put_clip(app, y, x, app->cols - x, role, buf);
}

void ui_fill(App *app, int y, int x, int width, ColorRole role) {
   if (y < 0 || y >= app->rows)
      return;
   if (x >= 0)
      mark(app, y, x, width);
   attrset(app->attr[role]);
   for (int i = x; i < x + width && i < app->cols; i++)
      mvaddch(y, i, ' ');
   attrset(app->attr[ROLE_C_NORMAL]);
}

void ui_put_name(App *app, int y, int x, int width, ColorRole role, const char *name, bool pad) {
   char buf[256];
   ds_ellipsize(buf, sizeof buf, name, width, app->g->ellipsis);
   if (pad) {
      size_t len = strlen(buf);
      for (int c = ds_cells(buf); c < width && len + 1 < sizeof buf; c++)
         buf[len++] = ' ';
      buf[len] = '\0';
   }
   ui_put_clip(app, y, x, width, role, buf);
}

void ui_put_words(App *app, int y, int x, int width, ColorRole role, const char *text) {
   char buf[512];
   ds_shorten_words(buf, sizeof buf, text, width, app->g->ellipsis);
   ui_put_clip(app, y, x, width, role, buf);
}

bool ui_onset(const ColumnReport *c, ChangePoint *cp) {
   cp->found = false;
   if (!c->track || c->track->failed || !c->drift.drifted)
      return false;
   ChangeTrack_onset(c->track, cp);
   return cp->found;
}

void ui_onset_mark(App *app, int y, int x, int h) {
   for (int i = 0; i < h; i++)
      ui_put_clip(app, y + i, x, 1, ROLE_C_WARN, app->g->vline);
}

int ui_put_wrapped(App *app, int y, int x, int width, int rows, ColorRole role, const char *text) {
   int used = 0;
   while (*text && used < rows) {
      while (*text == ' ')
         text++;
      size_t len = strlen(text), cut = len;
      if (ds_cells(text) > width) { /* the last space that leaves the line within the width */
         cut = 0;
         for (size_t i = 0; i < len; i++) {
            char part[512];
            if (text[i] != ' ' || i >= sizeof part)
               continue;
            memcpy(part, text, i);
            part[i] = '\0';
            if (ds_cells(part) > width)
               break;
            cut = i;
         }
      }
      if (cut == 0 || used == rows - 1) { /* no space to break at, or the last row: shortened */
         ui_put_words(app, y + used, x, width, role, text);
         return used + 1;
      }
      char line[512];
      snprintf(line, sizeof line, "%.*s", (int)cut, text);
      ui_put_clip(app, y + used, x, width, role, line);
      text += cut;
      used++;
   }
   return used;
}

void ui_fmt_time(char *buf, size_t n, double ms) {
   ds_fmt_hms(buf, n, ms);
}

void ui_title(App *app, int y, int x, int width, const char *title) {
   ui_put_clip(app, y, x, width, ROLE_C_TITLE, title);
}

void ui_title_hint(App *app, int y, int x, int width, const char *title, const char *hint) {
   char line[512];
   snprintf(line, sizeof line, "%s; %s", title, hint);
   ui_put_name(app, y, x, width, ROLE_C_TITLE, ds_cells(line) <= width ? line : title, false);
}

/* Encode code point u as UTF-8 into out (5 bytes). */
static void utf8(unsigned u, char *out) {
   if (u < 0x80) {
      out[0] = (char)u;
      out[1] = 0;
   } else if (u < 0x800) {
      out[0] = (char)(0xc0 | u >> 6);
      out[1] = (char)(0x80 | (u & 0x3f));
      out[2] = 0;
   } else {
      out[0] = (char)(0xe0 | u >> 12);
      out[1] = (char)(0x80 | (u >> 6 & 0x3f));
      out[2] = (char)(0x80 | (u & 0x3f));
      out[3] = 0;
   }
}

/* ASCII stand-in for a braille cell: ' . or : by where its dots are;
 * mark, when not 0, for every cell (a second curve, told apart). */
static void braille_as(App *app, int y, int x, const void *canvas, ColorRole role, char mark) {
   const Braille *b = canvas;
   for (int cy = 0; cy < b->h; cy++)
      for (int cx = 0; cx < b->w; cx++) {
         unsigned u = Braille_char(b, cx, cy);
         if (u == 0x2800)
            continue;
         char s[5];
         if (app->g->braille)
            utf8(u, s);
         else if (mark)
            snprintf(s, sizeof s, "%c", mark);
         else
            strcpy(s, (u - 0x2800) & 0x0f ? ((u - 0x2800) & 0xf0 ? ":" : "'") : ".");
         ui_put_clip(app, y + cy, x + cx, 1, role, s);
      }
}

void ui_braille(App *app, int y, int x, const void *canvas, ColorRole role) {
   braille_as(app, y, x, canvas, role, 0);
}

bool ui_shows_column(const App *app, const ColumnReport *c) {
   return c->ref_index >= 0 || (app->no_reference && c->kind == KIND_NUMERIC && c->cur_col >= 0);
}

int ui_features(const App *app, int *out) {
   int n = 0;
   const Analysis *a = &app->m->a;
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].role == ROLE_FEATURE && ui_shows_column(app, &a->cols[i]))
         out[n++] = i;
   return n;
}

const char *const ui_sort_names[SORT_COUNT] = {"file order", "drift", "name", "missing"};

double ui_drift_ratio(const ColumnReport *c) {
   if (!c->drift.scored || isnan(c->drift.score))
      return -1;
   bool p = ds_drift_methods[c->drift.method].p_value;
   double s = ui_drift_height(p, c->drift.score), t = ui_drift_height(p, c->drift.threshold);
   return t > 0 ? s / t : s;
}

static double missing_share(const ColumnReport *c) {
   return c->s_rows ? (double)c->s_missing / (double)c->s_rows : 0;
}

/* Whether name holds the filter, letters of either case alike. */
static bool name_matches(const char *name, const char *filter) {
   size_t n = strlen(filter);
   for (const char *p = name; n && *p; p++)
      if (!strncasecmp(p, filter, n))
         return true;
   return !n;
}

static const Analysis *sort_a;
static int sort_by;

/* Worst first for drift and missing share, A-Z for names; ties in file order. */
static int cmp_columns(const void *x, const void *y) {
   int i = *(const int *)x, j = *(const int *)y;
   const ColumnReport *a = &sort_a->cols[i], *b = &sort_a->cols[j];
   int c = 0;
   if (sort_by == SORT_DRIFT) {
      double u = ui_drift_ratio(a), v = ui_drift_ratio(b);
      c = (u < v) - (u > v);
   } else if (sort_by == SORT_MISSING) {
      double u = missing_share(a), v = missing_share(b);
      c = (u < v) - (u > v);
   } else if (sort_by == SORT_NAME) {
      c = strcasecmp(a->name, b->name);
   }
   return c ? c : (i > j) - (i < j);
}

int ui_shown_columns(const App *app, int *out, bool outputs) {
   const Analysis *a = &app->m->a;
   int n = 0;
   for (int pass = 0; pass < 1 + outputs; pass++) {
      int from = n;
      for (int i = 0; i < a->ncols; i++)
         if ((a->cols[i].role == ROLE_FEATURE) == !pass &&
             (pass ? a->cols[i].ref_index >= 0 : ui_shows_column(app, &a->cols[i])) &&
             name_matches(a->cols[i].name, app->filter))
            out[n++] = i;
      if (app->sort != SORT_FILE) {
         sort_a = a;
         sort_by = app->sort;
         qsort(out + from, (size_t)(n - from), sizeof *out, cmp_columns);
      }
   }
   return n;
}

ColorRole ui_class_role(int cls) {
   return (ColorRole)(ROLE_C_CLASS0 + (cls < 0 ? 0 : cls % DS_CLASS_COLORS));
}

const char *ui_class_name(const App *app, int cls) {
   const Classes *c = app->m->cur->classes;
   return cls >= 0 && cls < c->n ? c->name[cls] : "?";
}

char ui_class_letter(const App *app, int cls) {
   const Classes *c = app->m->cur->classes;
   if (cls < 0 || cls >= c->n)
      return '?';
   bool used[128] = {false};
   char mine = '?';
   for (int k = 0; k <= cls; k++) {
      char pick = '?';
      for (const char *p = c->name[k]; *p; p++) {
         int u = toupper((unsigned char)*p);
         if (u < 128 && isalnum(u) && !used[u]) {
            pick = (char)u;
            break;
         }
      }
      if (pick != '?')
         used[(int)pick] = true;
      mine = pick;
   }
   return mine;
}

double ui_drift_height(bool p_value, double score) {
   return p_value && !isnan(score) ? -log10(fmax(score, 1e-300)) : score; /* NaN: not scored, stays NaN */
}

void ui_fmt_score(char *buf, size_t n, double score) {
   if (isnan(score))
      snprintf(buf, n, "-");
   else if (score != 0 && fabs(score) < 1e-3)
      snprintf(buf, n, "%.1e", score);
   else
      snprintf(buf, n, "%.4f", score);
}

/* v in at most DS_AXIS_W - 1 characters, right-aligned: three significant
 * digits, the exponent without its sign's + or leading zeros (5.13e-4),
 * fewer digits when that is still too wide. */
void ui_axis_label(char *l, size_t n, double v, int width) {
   ds_axis_label(l, n, v, width);
}

static void axis_label(char l[16], double v) {
   ui_axis_label(l, 16, v, DS_AXIS_W - 1);
}

/* Plot v[0..n) (NaN skipped) scaled to [lo, hi] on a braille canvas of
 * w×h cells at (y, x), with a dashed line at thr (if finite). */
/* v's line on canvas b (solid, or a dot every third dot column). */
static void plot(Braille *b, const double *v, size_t n, double lo, double hi, bool dotted) {
   int H = 4 * b->h, W = 2 * b->w, px = -1, py = -1;
   for (size_t i = 0; i < n; i++) {
      if (isnan(v[i]))
         continue;
      int cx = n > 1 ? (int)((double)i * (W - 1) / (double)(n - 1)) : 0, cy = ds_scale_row(v[i], lo, hi, H);
      if (dotted) {
         if (px >= 0) /* the line's dots, one column in three */
            for (int x = px + 1; x <= cx; x++)
               if (x % 3 == 0)
                  Braille_dot(b, x, py + (cy - py) * (x - px) / (cx - px));
      } else if (px >= 0) {
         Braille_line(b, px, py, cx, cy);
      } else {
         Braille_dot(b, cx, cy);
      }
      px = cx;
      py = cy;
   }
}

void ui_chart_dotted(App *app, const double *v, size_t n, double lo, double hi, int y, int x, int w, int h,
                     ColorRole role) {
   Braille b;
   if (!Braille_init(&b, w, h))
      return;
   plot(&b, v, n, lo, hi, true);
   braille_as(app, y, x, &b, role, '+'); /* ASCII: + where the other curve has ' . : */
   Braille_done(&b);
}

void ui_chart(App *app, const double *v, size_t n, double lo, double hi, double thr, const char *thr_label, int y,
              int x, int w, int h, ColorRole role) {
   Braille b;
   if (!Braille_init(&b, w, h))
      return;
   int H = 4 * h;
   plot(&b, v, n, lo, hi, false);
   char l[16];
   axis_label(l, hi);
   ui_put_clip(app, y, x - DS_AXIS_W, DS_AXIS_W - 1, ROLE_C_DIM, l);
   axis_label(l, lo);
   ui_put_clip(app, y + h - 1, x - DS_AXIS_W, DS_AXIS_W - 1, ROLE_C_DIM, l);
   if (isfinite(thr)) { /* the threshold's label wins over lo's or hi's */
      int ty = ds_scale_row(thr, lo, hi, H) / 4;
      for (int cx = 0; cx < w; cx += 2)
         ui_put_clip(app, y + ty, x + cx, 1, ROLE_C_THRESHOLD, app->g->hline);
      snprintf(l, sizeof l, "%7s", thr_label);
      ui_put_clip(app, y + ty, x - DS_AXIS_W, DS_AXIS_W - 1, ROLE_C_THRESHOLD, l);
   }
   ui_braille(app, y, x, &b, role);
   Braille_done(&b);
}

/* The record span of the windows shown, under a chart. */
void ui_time_axis(App *app, size_t from, size_t n, int y, int x, int w) {
   if (!n)
      return;
   const Analysis *a = &app->m->a;
   const WindowReport *first = Analysis_win(a, from), *last = Analysis_win(a, from + n - 1);
   char l[64], r[64], tl[32], tr[32];
   size_t held = Replay_first(app->r);
   bool times = first->last >= held && last->last < app->r->n;
   if (times) { /* session time, as the header and the cursor show it */
      ui_fmt_time(tl, sizeof tl, Replay_time(app->r, first->last));
      ui_fmt_time(tr, sizeof tr, Replay_time(app->r, last->last));
   }
   snprintf(l, sizeof l, "record %zu%s%s", first->last, times ? " at " : "", times ? tl : "");
   snprintf(r, sizeof r, "record %zu%s%s", last->last, times ? " at " : "", times ? tr : "");
   if ((int)(strlen(l) + strlen(r)) + 2 > w) { /* the two would run together: records only */
      snprintf(l, sizeof l, "record %zu", first->last);
      snprintf(r, sizeof r, "record %zu", last->last);
   }
   if ((int)(strlen(l) + strlen(r)) + 2 <= w || n == 1)
      ui_put_clip(app, y, x, w, ROLE_C_DIM, l);
   if (n > 1 && (int)strlen(r) <= w)
      ui_put_clip(app, y, x + w - (int)strlen(r), (int)strlen(r), ROLE_C_DIM, r);
}
