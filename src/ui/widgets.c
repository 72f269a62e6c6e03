// SPDX-License-Identifier: MIT
#include "widgets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ds_spark_levels(const double *v, size_t n, double lo, double hi, int *out) {
   for (size_t i = 0; i < n; i++) {
      if (isnan(v[i])) {
         out[i] = -1;
         continue;
      }
      double f = hi > lo ? (v[i] - lo) / (hi - lo) : 0;
      f = f < 0 ? 0 : f > 1 ? 1 : f;
      int l = (int)(f * DS_SPARK_LEVELS);
      out[i] = l >= DS_SPARK_LEVELS ? DS_SPARK_LEVELS - 1 : l;
   }
}

void ds_bin_counts(const double *v, size_t n, double lo, double hi, int nbins, double *counts) {
   for (int b = 0; b < nbins; b++)
      counts[b] = 0;
   double width = (hi - lo) / nbins;
   for (size_t i = 0; i < n; i++) {
      if (!(v[i] >= lo && v[i] <= hi))
         continue;
      int b = width > 0 ? (int)((v[i] - lo) / width) : 0;
      counts[b >= nbins ? nbins - 1 : b]++;
   }
}

/* numpy.quantile's linear interpolation over sorted v. */
static double quantile(const double *v, size_t n, double q) {
   double at = q * (double)(n - 1);
   size_t i = (size_t)at;
   return i + 1 < n ? v[i] + (at - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

void ds_bulk_range(const double *v, size_t n, double *lo, double *hi) {
   if (!n) {
      *lo = *hi = NAN;
      return;
   }
   double q1 = quantile(v, n, 0.25), q3 = quantile(v, n, 0.75), iqr = q3 - q1;
   double flo = q1 - 3 * iqr, fhi = q3 + 3 * iqr;
   size_t a = 0, b = n - 1;
   while (a < b && v[a] < flo)
      a++;
   while (b > a && v[b] > fhi)
      b--;
   *lo = v[a];
   *hi = v[b];
}

void ds_bin_counts_overflow(const double *v, size_t n, double lo, double hi, int nbins, double *counts, double *below,
                            double *above) {
   ds_bin_counts(v, n, lo, hi, nbins, counts);
   *below = *above = 0;
   for (size_t i = 0; i < n; i++) {
      *below += v[i] < lo;
      *above += v[i] > hi;
   }
}

int ds_hist_bins(size_t n, int width) {
   int rice = (int)ceil(2 * cbrt((double)n)), most = width / 2;
   rice = rice < 4 ? 4 : rice;
   return rice < most ? rice : most > 1 ? most : 1;
}

int ds_bar_eighths(double share, double peak, int rows) {
   if (!(share > 0) || !(peak > 0))
      return 0;
   int e = (int)lround(share / peak * rows * 8);
   return e < 1 ? 1 : e > rows * 8 ? rows * 8 : e;
}

int ds_heat_level(double frac, int levels) {
   if (!(frac > 0))
      return 0;
   int l = 1 + (int)(frac * (levels - 1));
   return l >= levels ? levels - 1 : l;
}

int Braille_init(Braille *b, int w, int h) {
   b->w = w > 0 ? w : 1;
   b->h = h > 0 ? h : 1;
   b->cells = calloc((size_t)b->w * (size_t)b->h, 1);
   return b->cells != NULL;
}

void Braille_done(Braille *b) {
   free(b->cells);
   b->cells = NULL;
}

void Braille_clear(Braille *b) {
   memset(b->cells, 0, (size_t)b->w * (size_t)b->h);
}

/* Dot bits of a braille cell by (column, row): U+2800's numbering. */
static const uint8_t dot_bit[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};

void Braille_dot(Braille *b, int x, int y) {
   if (x < 0 || y < 0 || x >= 2 * b->w || y >= 4 * b->h)
      return;
   b->cells[(y / 4) * b->w + x / 2] |= dot_bit[x % 2][y % 4];
}

void Braille_line(Braille *b, int x0, int y0, int x1, int y1) {
   int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
   for (;;) {
      Braille_dot(b, x0, y0);
      if (x0 == x1 && y0 == y1)
         return;
      int e2 = 2 * err;
      if (e2 >= dy) {
         err += dy;
         x0 += sx;
      }
      if (e2 <= dx) {
         err += dx;
         y0 += sy;
      }
   }
}

unsigned Braille_char(const Braille *b, int cx, int cy) {
   return 0x2800u + b->cells[cy * b->w + cx];
}

int ds_scale_row(double v, double lo, double hi, int height) {
   double f = hi > lo ? (v - lo) / (hi - lo) : 0;
   f = f < 0 ? 0 : f > 1 ? 1 : f;
   return (height - 1) - (int)lround(f * (height - 1));
}

static int utf8_bytes(unsigned char c) {
   return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

int ds_cells(const char *s) {
   int cells = 0;
   for (size_t b = 0; s[b]; cells++)
      for (int k = utf8_bytes((unsigned char)s[b]); k > 0 && s[b]; k--)
         b++;
   return cells;
}

/* Bytes of the first `cells` code points of s. */
static size_t prefix_bytes(const char *s, int cells) {
   size_t b = 0;
   for (; cells > 0 && s[b]; cells--)
      for (int k = utf8_bytes((unsigned char)s[b]); k > 0 && s[b]; k--)
         b++;
   return b;
}

void ds_ellipsize(char *out, size_t n, const char *s, int width, const char *ell) {
   int cells = ds_cells(s), ew = ds_cells(ell);
   if (!n)
      return;
   if (cells <= width || width <= 0) {
      snprintf(out, n, "%s", width <= 0 ? "" : s);
      return;
   }
   if (width <= ew) { /* no room for both ends: the start */
      snprintf(out, n, "%.*s", (int)prefix_bytes(s, width), s);
      return;
   }
   int keep = width - ew, head = (keep + 1) / 2, tail = keep - head;
   size_t hb = prefix_bytes(s, head), tb = prefix_bytes(s, cells - tail);
   snprintf(out, n, "%.*s%s%s", (int)hb, s, ell, s + tb);
}

void ds_shorten_words(char *out, size_t n, const char *s, int width, const char *ell) {
   int cells = ds_cells(s), ew = ds_cells(ell);
   if (cells <= width || width <= ew) {
      snprintf(out, n, "%.*s", (int)prefix_bytes(s, width > 0 ? width : 0), s);
      return;
   }
   size_t room = prefix_bytes(s, width - ew), cut = room;
   while (cut > 0 && s[cut] != ' ')
      cut--;
   while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == ',' || s[cut - 1] == ';' || s[cut - 1] == ':'))
      cut--; /* no dangling blank or comma before the ellipsis */
   if (cut == 0)
      cut = room;
   snprintf(out, n, "%.*s%s", (int)cut, s, ell);
}

void ds_axis_label(char *l, size_t n, double v, int width) {
   char t[32];
   if (fabs(v) >= 1000 && fabs(v) < 1e6 && snprintf(t, sizeof t, "%.0f", v) <= width) { /* 3410, not 3.41e3 */
      snprintf(l, n, "%*s", width, t);
      return;
   }
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
      if ((int)strlen(t) <= width)
         break;
   }
   snprintf(l, n, "%*.*s", width, width, t);
}
