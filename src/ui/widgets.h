/* SPDX-License-Identifier: MIT */
/* The arithmetic of the dashboard's widgets, apart from drawing (no
 * curses), so it is tested headless: sparkline levels, histogram bins and
 * bar heights, heat-map shades, and a braille canvas (2×4 dots a cell). */
#ifndef DRIFTSCOPE_UI_WIDGETS_H
#define DRIFTSCOPE_UI_WIDGETS_H

#include "driftscope/clock.h" /* ds_fmt_hms */
#include <stddef.h>
#include <stdint.h>

#define DS_SPARK_LEVELS 8 /* ▁▂▃▄▅▆▇█ */

/* Level (0..DS_SPARK_LEVELS-1) of each value between lo and hi (clamped);
 * -1 for NaN. With hi <= lo every value is level 0. */
void ds_spark_levels(const double *v, size_t n, double lo, double hi, int *out);

/* Counts of sorted values v[0..n) in nbins equal bins over [lo, hi] (the
 * last bin closed, as numpy.histogram); values outside are not counted. */
void ds_bin_counts(const double *v, size_t n, double lo, double hi, int nbins, double *counts);

/* The bulk of sorted values v[0..n): the smallest and largest values
 * within Tukey's far fences (3 interquartile ranges beyond the quartiles,
 * numpy's linear quantiles), so one outlier does not stretch an axis.
 * n 0: NaN, NaN. */
void ds_bulk_range(const double *v, size_t n, double *lo, double *hi);

/* Counts of v[0..n) in nbins equal bins over [lo, hi] (as ds_bin_counts),
 * and of those below lo and above hi (the overflow bins). */
void ds_bin_counts_overflow(const double *v, size_t n, double lo, double hi, int nbins, double *counts, double *below,
                            double *above);

/* Bins for a histogram of n values in width cells, two cells a bin (the
 * window's bar and the reference's): Rice's rule, 2 n^(1/3), rounded up,
 * at least 4 and at most width / 2. */
int ds_hist_bins(size_t n, int width);

/* Height in eighths of a cell of a bar for share (0..1) of peak, in a
 * column rows cells tall: 0 only for a zero share (a non-zero share shows
 * at least one eighth). */
int ds_bar_eighths(double share, double peak, int rows);

/* Shade (0..levels-1) of a heat-map cell holding frac (0..1) of the row
 * or table maximum; 0 only for exactly 0. */
int ds_heat_level(double frac, int levels);

/* A canvas of w×h cells, (2w)×(4h) dots; (0,0) is the top left dot. */
typedef struct Braille {
   int w, h;
   uint8_t *cells;
} Braille;

int Braille_init(Braille *b, int w, int h); /* 0 on no memory */
void Braille_done(Braille *b);
void Braille_clear(Braille *b);
void Braille_dot(Braille *b, int x, int y); /* ignored outside */
void Braille_line(Braille *b, int x0, int y0, int x1, int y1);
/* The Unicode code point of cell (cx, cy): U+2800 + its dot bits. */
unsigned Braille_char(const Braille *b, int cx, int cy);

/* Dot row (0 at the top, height-1 at the bottom) of value v on a scale
 * from lo (bottom) to hi (top), clamped. */
int ds_scale_row(double v, double lo, double hi, int height);

/* Cells (code points) of UTF-8 text s. */
int ds_cells(const char *s);

/* s shortened to width cells by the middle (the start and the end kept,
 * ell between: "acc_x_me…_std"), into out (n bytes); s itself when it
 * fits. Names differ most at their ends, so both stay. */
void ds_ellipsize(char *out, size_t n, const char *s, int width, const char *ell);

/* Text s in width cells: itself when it fits, else cut after the last
 * whole word that leaves room for ell ("the stream has ground truth…"),
 * never in a word (a first word longer than width is cut, ell last). */
void ds_shorten_words(char *out, size_t n, const char *s, int width, const char *ell);

/* v right-aligned in width cells: three significant digits, whole numbers
 * from 1000 up to a million as they are (3413, not 3.41e+03), the exponent
 * without + or leading zeros (5.13e-4), fewer digits when still too wide. */
void ds_axis_label(char *l, size_t n, double v, int width);

#endif
