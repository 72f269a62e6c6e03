// SPDX-License-Identifier: MIT
/* The dashboard's arithmetic without a terminal: widget layout (sparkline
 * levels, histogram bins and bar heights, heat shades, braille dots) and
 * theme parsing and colour mapping, against hand-worked values. */
#include <stdlib.h>
#include <string.h>

#include "ui/theme.h"
#include "ui/widgets.h"
#include "testutil.h"

static void test_spark_levels(void **state) {
   (void)state;
   double v[] = {0, 0.5, 1, NAN, 2, -1, 0.124, 0.126};
   int out[8];
   ds_spark_levels(v, 8, 0, 1, out);
   /* level = floor(8 (v - lo) / (hi - lo)), clamped to 0..7 */
   int want[] = {0, 4, 7, -1, 7, 0, 0, 1};
   assert_memory_equal(out, want, sizeof want);
   ds_spark_levels(v, 1, 1, 1, out); /* empty scale */
   assert_int_equal(out[0], 0);
}

static void test_bin_counts(void **state) {
   (void)state;
   /* numpy.histogram(range(11), bins=5, range=(0, 10)) -> [2, 2, 2, 2, 3] */
   double v[11], c[5];
   for (int i = 0; i < 11; i++)
      v[i] = i;
   ds_bin_counts(v, 11, 0, 10, 5, c);
   double want[] = {2, 2, 2, 2, 3};
   assert_memory_equal(c, want, sizeof want);
   ds_bin_counts(v, 11, 2.5, 4.5, 2, c); /* 3 in [2.5, 3.5), 4 in [3.5, 4.5] */
   assert_rel(c[0], 1, 0);
   assert_rel(c[1], 1, 0);
}

static void test_bar_and_heat(void **state) {
   (void)state;
   assert_int_equal(ds_bar_eighths(0.5, 1, 4), 16); /* half of 4 rows of 8 eighths */
   assert_int_equal(ds_bar_eighths(1, 1, 4), 32);
   assert_int_equal(ds_bar_eighths(0.001, 1, 4), 1); /* 0.032 rounds to 0: shown as one eighth */
   assert_int_equal(ds_bar_eighths(0, 1, 4), 0);
   assert_int_equal(ds_bar_eighths(0.3, 0, 4), 0);
   /* shade 1 + floor(frac (levels - 1)), clamped; 0 only for nothing */
   assert_int_equal(ds_heat_level(0, 6), 0);
   assert_int_equal(ds_heat_level(0.01, 6), 1);
   assert_int_equal(ds_heat_level(0.5, 6), 3);
   assert_int_equal(ds_heat_level(1, 6), 5);
}

static void test_braille(void **state) {
   (void)state;
   Braille b;
   assert_true(Braille_init(&b, 2, 1));
   Braille_dot(&b, 0, 0);
   assert_int_equal(Braille_char(&b, 0, 0), 0x2801); /* dot 1 */
   Braille_dot(&b, 3, 3);
   assert_int_equal(Braille_char(&b, 1, 0), 0x2880); /* dot 8 of the second cell */
   Braille_dot(&b, 4, 0);                            /* outside: ignored */
   Braille_dot(&b, -1, 0);
   Braille_clear(&b);
   /* Bresenham from (0,0) to (1,3) sets (0,0) (0,1) (1,2) (1,3): dots 1, 2, 6, 8 */
   Braille_line(&b, 0, 0, 1, 3);
   assert_int_equal(Braille_char(&b, 0, 0), 0x2800 + 0x01 + 0x02 + 0x20 + 0x80);
   assert_int_equal(Braille_char(&b, 1, 0), 0x2800);
   Braille_done(&b);
   /* rows: 0 at the top; 5 dot rows from lo 0 to hi 1 */
   assert_int_equal(ds_scale_row(0.5, 0, 1, 5), 2);
   assert_int_equal(ds_scale_row(1, 0, 1, 5), 0);
   assert_int_equal(ds_scale_row(-3, 0, 1, 5), 4);
}

/* The bulk by hand: 1..10 and 1000; numpy's quartiles 3.5 and 8.5, IQR
 * 5, far fences -11.5 and 23.5: the bulk is 1..10, 1000 overflows above.
 * co2: quartiles 405 and 420, upper fence 465. */
static void test_bulk_range(void **state) {
   (void)state;
   double v[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1000}, lo, hi;
   ds_bulk_range(v, 11, &lo, &hi);
   assert_rel(lo, 1, 0);
   assert_rel(hi, 10, 0);
   double counts[3], below, above;
   ds_bin_counts_overflow(v, 11, 4, 9, 3, counts, &below, &above);
   assert_rel(below, 3, 0); /* 1 2 3 */
   assert_rel(above, 2, 0); /* 10 1000 */
   assert_rel(counts[0] + counts[1] + counts[2], 6, 0);
   double same[] = {5, 5, 5, 5}; /* no spread: the one value */
   ds_bulk_range(same, 4, &lo, &hi);
   assert_rel(lo, 5, 0);
   assert_rel(hi, 5, 0);
   /* co2 as the issue saw it: 400s and one 57,000 */
   double co2[] = {400, 400, 405, 410, 412, 415, 420, 430, 57000};
   ds_bulk_range(co2, 9, &lo, &hi);
   assert_rel(hi, 430, 0);
   assert_int_equal(ds_hist_bins(30, 24), 7);    /* 2 * 30^(1/3) = 6.2 */
   assert_int_equal(ds_hist_bins(1000, 24), 12); /* 20, but 12 two-cell bins fit */
   assert_int_equal(ds_hist_bins(2, 24), 4);
}

/* Middle ellipsis by hand: both ends kept, the width exact in cells. */
static void test_ellipsize(void **state) {
   (void)state;
   char out[64];
   ds_ellipsize(out, sizeof out, "accelerometer_x_mean", 10, "…");
   assert_string_equal(out, "accel…mean");
   assert_int_equal(ds_cells(out), 10);
   ds_ellipsize(out, sizeof out, "accelerometer_x_mean", 9, "~");
   assert_string_equal(out, "acce~mean");
   ds_ellipsize(out, sizeof out, "ax_mean", 7, "…");
   assert_string_equal(out, "ax_mean"); /* fits: unchanged */
   ds_ellipsize(out, sizeof out, "SITTING_DOWN", 1, "…");
   assert_string_equal(out, "S"); /* no room for an ellipsis and both ends */
   ds_ellipsize(out, sizeof out, "äöüßäöüß", 5, "…");
   assert_string_equal(out, "äö…üß");
   assert_int_equal(ds_cells("äö…üß"), 5);
}

/* Axis labels by hand: never cut, whole thousands as they are. */
static void test_axis_label(void **state) {
   (void)state;
   char l[16];
   ds_axis_label(l, sizeof l, 3413, 6);
   assert_string_equal(l, "  3413"); /* %6.3g gave 3.41e+03, cut to 3.41e+0 */
   ds_axis_label(l, sizeof l, -391, 6);
   assert_string_equal(l, "  -391");
   ds_axis_label(l, sizeof l, 0.000513, 7);
   assert_string_equal(l, "0.00051"); /* 0.000513 is 8: a digit fewer */
   ds_axis_label(l, sizeof l, 0.0000513, 7);
   assert_string_equal(l, "5.13e-5"); /* %.3g's 5.13e-05, the exponent short */
   ds_axis_label(l, sizeof l, 15000000, 6);
   assert_string_equal(l, " 1.5e7");
   ds_axis_label(l, sizeof l, 4.6109, 7);
   assert_string_equal(l, "   4.61");
}

/* Shortened at a word, by hand. */
static void test_shorten_words(void **state) {
   (void)state;
   char out[128];
   const char *s = "the stream has ground truth (label) but no prediction: its label mix is compared";
   ds_shorten_words(out, sizeof out, s, 40, "…");
   assert_string_equal(out, "the stream has ground truth (label) but…");
   ds_shorten_words(out, sizeof out, s, 60, "~");
   assert_string_equal(out, "the stream has ground truth (label) but no prediction: its~"); /* 59 cells and ~ */
   ds_shorten_words(out, sizeof out, "short", 40, "…");
   assert_string_equal(out, "short");
   ds_shorten_words(out, sizeof out, "unbreakable_single_word", 10, "…");
   assert_string_equal(out, "unbreakab…");
}

/* h:mm:ss.s by hand: tenths rounded, hours unbounded, NaN a dash. */
static void test_fmt_hms(void **state) {
   (void)state;
   char out[32];
   ds_fmt_hms(out, sizeof out, 0);
   assert_string_equal(out, "0:00:00.0");
   ds_fmt_hms(out, sizeof out, 8049.0);
   assert_string_equal(out, "0:00:08.0");
   ds_fmt_hms(out, sizeof out, 59960.0); /* 59.96 s rounds up to a minute */
   assert_string_equal(out, "0:01:00.0");
   ds_fmt_hms(out, sizeof out, 24181.0 * 60000 + 2000); /* the 24181:02 */
   assert_string_equal(out, "403:01:02.0");
   ds_fmt_hms(out, sizeof out, NAN);
   assert_string_equal(out, "-");
}

static void test_theme_parse(void **state) {
   (void)state;
   Theme t;
   Theme_default(&t);
   char err[128];
   assert_true(Theme_parse(&t, "# a comment\n\n  alert = #ff0000 default bold underline\nok = 34 bright-black\n", err,
                           sizeof err));
   assert_int_equal(t.role[ROLE_C_ALERT].fg, DS_RGB | 0xff0000);
   assert_int_equal(t.role[ROLE_C_ALERT].bg, -1);
   assert_int_equal(t.role[ROLE_C_ALERT].attrs, DS_ATTR_BOLD | DS_ATTR_UNDERLINE);
   assert_int_equal(t.role[ROLE_C_OK].fg, 34);
   assert_int_equal(t.role[ROLE_C_OK].bg, 8);
   Theme before = t;
   assert_false(Theme_parse(&t, "ok = red default\nfoo = red blue\n", err, sizeof err));
   assert_string_equal(err, "line 2: unknown role 'foo'");
   assert_memory_equal(&t, &before, sizeof t); /* the theme stands as it was */
   assert_false(Theme_parse(&t, "ok = #12345 default\n", err, sizeof err));
   assert_string_equal(err, "line 1: bad colour '#12345'");
   assert_false(Theme_parse(&t, "ok = 256 default\n", err, sizeof err));
   assert_string_equal(err, "line 1: bad colour '256'");
   assert_false(Theme_parse(&t, "ok = red default blink\n", err, sizeof err));
   assert_string_equal(err, "line 1: bad attribute 'blink'");
   assert_false(Theme_parse(&t, "ok = red\n", err, sizeof err));
   assert_false(Theme_parse(&t, "just words\n", err, sizeof err));
   assert_string_equal(err, "line 1: expected 'role = fg bg [attributes]'");
}

static void test_color_mapping(void **state) {
   (void)state;
   /* xterm-256: #ff0000 is 16 + 36*5 = 196; #5f87af is 16 + 36*1 + 6*2 + 3 = 67 */
   assert_int_equal(ds_map_color(DS_RGB | 0xff0000, 256), 196);
   assert_int_equal(ds_map_color(DS_RGB | 0x5f87af, 256), 67);
   /* 8 colours: the nearest of the base palette; bright colours lose their brightness */
   assert_int_equal(ds_map_color(DS_RGB | 0xff0000, 8), 1);
   assert_int_equal(ds_map_color(DS_RGB | 0x0a0a0a, 8), 0);
   assert_int_equal(ds_map_color(9, 8), 1);
   assert_int_equal(ds_map_color(8, 8), 7); /* grey: never black, which vanishes on a dark background */
   assert_int_equal(ds_map_color(196, 8), 1);
   assert_int_equal(ds_map_color(231, 8), 7); /* white from the cube */
   assert_int_equal(ds_map_color(12, 16), 12);
   assert_int_equal(ds_map_color(-1, 8), -1);
   int c;
   assert_true(ds_parse_color("bright-white", &c));
   assert_int_equal(c, 15);
   assert_true(ds_parse_color("Default", &c));
   assert_int_equal(c, -1);
   assert_false(ds_parse_color("purple", &c));
}

/* The shipped theme files parse, and default.theme says what the built-in default is. */
static void test_theme_files(void **state) {
   (void)state;
   const char *names[] = {"default", "light", "high-contrast", "mono"};
   for (size_t i = 0; i < 4; i++) {
      char path[64], text[8192], err[128];
      snprintf(path, sizeof path, "themes/%s.theme", names[i]);
      FILE *f = fopen(path, "r");
      assert_non_null(f);
      size_t n = fread(text, 1, sizeof text - 1, f);
      fclose(f);
      text[n] = '\0';
      Theme t, builtin;
      Theme_default(&t);
      Theme_default(&builtin);
      if (!Theme_parse(&t, text, err, sizeof err))
         fail_msg("%s: %s", path, err);
      if (i == 0)
         assert_memory_equal(t.role, builtin.role, sizeof t.role);
   }
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_spark_levels), cmocka_unit_test(test_bin_counts),    cmocka_unit_test(test_bar_and_heat),
      cmocka_unit_test(test_braille),      cmocka_unit_test(test_theme_parse),   cmocka_unit_test(test_color_mapping),
      cmocka_unit_test(test_theme_files),  cmocka_unit_test(test_ellipsize),     cmocka_unit_test(test_fmt_hms),
      cmocka_unit_test(test_bulk_range),   cmocka_unit_test(test_shorten_words), cmocka_unit_test(test_axis_label),
   };
   return cmocka_run_group_tests_name("ui", tests, NULL, NULL);
}
