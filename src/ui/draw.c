// SPDX-License-Identifier: MIT
/* Drawing helpers the views share: clipped UTF-8 text in a role's
 * attributes, titles, braille canvases, class names and colours. */
#include <ctype.h>
#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "widgets.h"

/* Bytes of the UTF-8 sequence starting with c. */
static int utf8_len(unsigned char c) {
   return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
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
   attrset(app->attr[role]);
   for (int i = x; i < x + width && i < app->cols; i++)
      mvaddch(y, i, ' ');
   attrset(app->attr[ROLE_C_NORMAL]);
}

void ui_title(App *app, int y, int x, int width, const char *title) {
   ui_put_clip(app, y, x, width, ROLE_C_TITLE, title);
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

/* ASCII stand-in for a braille cell: '*' where any dot is set. */
void ui_braille(App *app, int y, int x, const void *canvas, ColorRole role) {
   const Braille *b = canvas;
   for (int cy = 0; cy < b->h; cy++)
      for (int cx = 0; cx < b->w; cx++) {
         unsigned u = Braille_char(b, cx, cy);
         if (u == 0x2800)
            continue;
         char s[5];
         if (app->g->braille)
            utf8(u, s);
         else
            strcpy(s, (u - 0x2800) & 0x0f ? ((u - 0x2800) & 0xf0 ? ":" : "'") : ".");
         ui_put_clip(app, y + cy, x + cx, 1, role, s);
      }
}

int ui_features(const App *app, int *out) {
   int n = 0;
   const Analysis *a = &app->m->a;
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].role == ROLE_FEATURE && a->cols[i].ref_index >= 0)
         out[n++] = i;
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
static void axis_label(char l[16], double v) {
   char t[32];
   for (int digits = 3; digits >= 1; digits--) {
      snprintf(t, sizeof t, "%.*g", digits, v);
      char *e = strchr(t, 'e');
      if (e) {
         char *d = e + 1, *from = e + 1;
         if (*from == '-')
            *d++ = *from++;
         else if (*from == '+')
            from++;
         while (*from == '0' && from[1])
            from++;
         memmove(d, from, strlen(from) + 1);
      }
      if ((int)strlen(t) <= DS_AXIS_W - 1)
         break;
   }
   snprintf(l, 16, "%*.*s", DS_AXIS_W - 1, DS_AXIS_W - 1, t);
}

/* Plot v[0..n) (NaN skipped) scaled to [lo, hi] on a braille canvas of
 * w×h cells at (y, x), with a dashed line at thr (if finite). */
void ui_chart(App *app, const double *v, size_t n, double lo, double hi, double thr, const char *thr_label, int y,
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
