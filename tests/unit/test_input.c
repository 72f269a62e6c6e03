// SPDX-License-Identifier: MIT
/* Line splitting, number parsing, format detection and the four parsers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/ingest.h"
#include "driftscope/linesplit.h"
#include "driftscope/numparse.h"
#include "driftscope/render.h"
#include "testutil.h"

/* --- line splitter ------------------------------------------------------- */

typedef struct Lines {
   char text[16][64];
   LineStatus st[16];
   long no[16];
   size_t len[16];
   int n;
} Lines;

static void collect(void *ctx, const char *s, size_t n, long lineno, LineStatus st) {
   Lines *l = ctx;
   if (l->n >= 16)
      return;
   size_t k = n < 63 ? n : 63;
   memcpy(l->text[l->n], s, k);
   l->text[l->n][k] = '\0';
   l->st[l->n] = st;
   l->no[l->n] = lineno;
   l->len[l->n] = n;
   l->n++;
}

static void test_line_endings(void **state) {
   (void)state;
   LineSplitter ls;
   Lines l = {0};
   assert_true(LineSplitter_init(&ls, 0));
   const char *in = "a\nb\r\nc\rd";
   LineSplitter_feed(&ls, in, strlen(in), collect, &l);
   LineSplitter_finish(&ls, collect, &l);
   assert_int_equal(l.n, 4);
   assert_string_equal(l.text[0], "a");
   assert_string_equal(l.text[1], "b");
   assert_string_equal(l.text[2], "c");
   assert_string_equal(l.text[3], "d");
   assert_int_equal(l.no[3], 4);
   LineSplitter_done(&ls);
}

/* "\r\n" split across two reads is one line end; a line split anywhere is whole */
static void test_pieces(void **state) {
   (void)state;
   LineSplitter ls;
   Lines l = {0};
   assert_true(LineSplitter_init(&ls, 0));
   const char *in = "abc,1\r\ndef,2\r\n";
   for (size_t i = 0; i < strlen(in); i++)
      LineSplitter_feed(&ls, in + i, 1, collect, &l);
   LineSplitter_finish(&ls, collect, &l);
   assert_int_equal(l.n, 2);
   assert_string_equal(l.text[0], "abc,1");
   assert_string_equal(l.text[1], "def,2");
   LineSplitter_done(&ls);
}

/* a tiny cap makes the overlong path run: the line is cut, flagged, and the next is fine */
static void test_too_long_and_binary(void **state) {
   (void)state;
   LineSplitter ls;
   Lines l = {0};
   assert_true(LineSplitter_init(&ls, 8));
   const char *in = "0123456789abcdef\nok\nx\001y\n\xc3\xa9t\xc3\xa9\n\xff\xfe\n";
   LineSplitter_feed(&ls, in, 10, collect, &l);
   LineSplitter_feed(&ls, in + 10, strlen(in) - 10, collect, &l);
   assert_int_equal(l.n, 5);
   assert_int_equal(l.st[0], LINE_TOO_LONG);
   assert_int_equal(l.len[0], 8);
   assert_int_equal(l.st[1], LINE_OK);
   assert_string_equal(l.text[1], "ok");
   assert_int_equal(l.st[2], LINE_BINARY);
   assert_int_equal(l.st[3], LINE_OK); /* "été" is valid UTF-8 */
   assert_int_equal(l.st[4], LINE_BAD_UTF8);
   LineSplitter_done(&ls);
}

static void test_nul_is_binary(void **state) {
   (void)state;
   char s[] = {'a', 0, 'b'};
   assert_int_equal(ds_classify_line(s, 3), LINE_BINARY);
   assert_int_equal(ds_classify_line("\xe2\x82", 2), LINE_BAD_UTF8); /* truncated sequence */
}

/* --- numbers ------------------------------------------------------------- */

static void test_numbers(void **state) {
   (void)state;
   const char *texts[] = {"0.1", "-12.5", "3", "1e-3", "  7.25 ", "0.30000000000000004", "123456789012345678901",
                          "1.7976931348623157e308", "4.9e-324", "-0", ".5", "5."};
   for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
      double v = -1;
      assert_int_equal(ds_parse_number(texts[i], strlen(texts[i]), &v), NUM_OK);
      assert_true(v == strtod(texts[i], NULL)); /* bit-exact with strtod */
   }
   double v;
   assert_int_equal(ds_parse_number("", 0, &v), NUM_MISSING);
   assert_int_equal(ds_parse_number("NaN", 3, &v), NUM_MISSING);
   assert_int_equal(ds_parse_number("-inf", 4, &v), NUM_MISSING);
   assert_int_equal(ds_parse_number("1e999", 5, &v), NUM_MISSING); /* overflows to inf */
   assert_int_equal(ds_parse_number("WALKING", 7, &v), NUM_TEXT);
   assert_int_equal(ds_parse_number("0x10", 4, &v), NUM_TEXT);
   assert_int_equal(ds_parse_number("1.2.3", 5, &v), NUM_TEXT);
   assert_int_equal(ds_parse_number("-", 1, &v), NUM_TEXT);
}

/* --- parsing whole inputs ------------------------------------------------- */

typedef struct Fixture {
   Classes cl;
   Table t;
   Ingest in;
} Fixture;

static Fixture *ingest(const char *text, DsFormat f) {
   Fixture *x = calloc(1, sizeof *x);
   Classes_init(&x->cl);
   assert_true(Table_init(&x->t, &x->cl, true));
   assert_true(Ingest_init(&x->in, &x->t, f, "test"));
   Ingest_feed(&x->in, text, strlen(text));
   Ingest_finish(&x->in);
   return x;
}

static void fixture_free(Fixture *x) {
   Ingest_done(&x->in);
   Table_done(&x->t);
   Classes_done(&x->cl);
   free(x);
}

static double val(Fixture *x, const char *col, size_t row) {
   int c = Table_find(&x->t, col);
   assert_true(c >= 0);
   return x->t.cols[c]->v[row];
}

static const char *cls(Fixture *x, double id) {
   return x->cl.name[(int)id];
}

static void test_csv_roles(void **state) {
   (void)state;
   Fixture *x = ingest("# source: test\nTime_ms,ax,score_idle,score_wave,Label,dsp_ms\n"
                       "10,0.5,0.9,0.1,idle,3\n20,NaN,0.2,0.8,wave,4\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_CSV);
   assert_int_equal(x->t.nrows, 2);
   assert_int_equal(x->t.cols[Table_find(&x->t, "time_ms")]->role, ROLE_TIME);
   assert_int_equal(x->t.cols[Table_find(&x->t, "label")]->role, ROLE_TRUTH);
   assert_int_equal(x->t.cols[Table_find(&x->t, "dsp_ms")]->role, ROLE_TELEMETRY);
   assert_int_equal(x->t.cols[Table_find(&x->t, "ax")]->role, ROLE_FEATURE);
   assert_rel(val(x, "ax", 0), 0.5, 0);
   assert_true(isnan(val(x, "ax", 1)));
   /* no prediction column: argmax of the scores, and the top score as confidence */
   assert_string_equal(cls(x, val(x, "pred", 0)), "idle");
   assert_string_equal(cls(x, val(x, "pred", 1)), "wave");
   assert_rel(val(x, "confidence", 1), 0.8, 0);
   assert_int_equal(x->in.comment_lines, 1);
   fixture_free(x);
}

/* every bad-input case: counted with its line, parsing goes on */
static void test_csv_bad_lines(void **state) {
   (void)state;
   Fixture *x = ingest("a,b,label\n"
                       "1,2,x\n"
                       "1,2\n"                /* 3: missing column */
                       "1,2,x,9\n"            /* 4: extra column */
                       "\"1,2,x\n"            /* 5: unterminated quote */
                       "3,4,y\n"              /* 6: good again */
                       "abc,5,z\n"            /* 7: text in a numeric column: a bad value */
                       "inf,-inf,y\n",        /* 8: infinities are missing */
                       DS_FORMAT_AUTO);
   assert_int_equal(x->t.nrows, 4);
   assert_int_equal(x->in.bad_lines, 3);
   assert_int_equal(x->in.bad_fields, 1);
   assert_int_equal(x->in.first_bad[0].lineno, 3);
   assert_int_equal(x->in.first_bad[1].lineno, 4);
   assert_int_equal(x->in.first_bad[2].lineno, 5);
   assert_non_null(strstr(x->in.first_bad[2].reason, "malformed"));
   assert_int_equal(x->in.first_bad[3].lineno, 7);
   assert_rel(val(x, "a", 1), 3, 0);
   assert_true(isnan(val(x, "a", 2)));
   assert_true(isnan(val(x, "b", 3)));
   fixture_free(x);
}

static void test_headerless(void **state) {
   (void)state;
   Fixture *x = ingest("0.1,0.2,0.3\n0.4\t0.5 0.6\n1,2,oops\n7,8,9,10\n", DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_NUMERIC);
   assert_int_equal(x->t.nrows, 3);
   assert_rel(val(x, "f1", 1), 0.5, 0);
   assert_rel(val(x, "f3", 2), 10, 0);
   assert_true(isnan(val(x, "f3", 0)));
   assert_int_equal(x->in.bad_lines, 1);
   assert_int_equal(x->in.first_bad[0].lineno, 3);
   fixture_free(x);
}

/* DESIGN §2: both generations of Edge Impulse output, with firmware noise */
static void test_edge_impulse(void **state) {
   (void)state;
   Fixture *x = ingest("Edge Impulse standalone inferencing (Arduino)\n"
                       "Starting inferencing in 2 seconds...\n"
                       "Predictions (DSP: 16 ms., Classification: 1 ms., Anomaly: 2 ms.): \n"
                       "    idle: 0.91016\n"
                       "    wave:\t0.08984\n"
                       "    anomaly score: -0.067\n"
                       "ERR: failed to allocate tensor arena\n"
                       "I (306) cpu_start: Starting scheduler on PRO CPU.\n"
                       "Timing: DSP 800 us, inference 1 ms, anomaly 0 ms\n"
                       "#Classification predictions:\n"
                       "  idle: 0.100000\n"
                       "  wave: 0.900000\n"
                       "Anomaly prediction: 0.123\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_EI);
   assert_int_equal(x->t.nrows, 2);
   assert_rel(val(x, "score_idle", 0), 0.91016, 0);
   assert_rel(val(x, "score_wave", 0), 0.08984, 0);
   assert_rel(val(x, "anomaly", 0), -0.067, 0);
   assert_rel(val(x, "dsp_ms", 0), 16, 0);
   assert_rel(val(x, "inference_ms", 0), 1, 0);
   assert_rel(val(x, "anomaly_ms", 0), 2, 0);
   assert_string_equal(cls(x, val(x, "pred", 0)), "idle");
   assert_rel(val(x, "dsp_ms", 1), 0.8, 1e-15); /* 800 us */
   assert_rel(val(x, "anomaly", 1), 0.123, 0);
   assert_string_equal(cls(x, val(x, "pred", 1)), "wave");
   assert_rel(val(x, "confidence", 1), 0.9, 0);
   assert_int_equal(x->in.noise_lines, 4);
   assert_int_equal(x->in.bad_lines, 0);
   fixture_free(x);
}

/* Live: an Edge Impulse record is complete at the blank line that ends
 * its block, before the next block starts (no waiting for more output). */
static void test_edge_impulse_live_block(void **state) {
   (void)state;
   Fixture *x = calloc(1, sizeof *x);
   Classes_init(&x->cl);
   assert_true(Table_init(&x->t, &x->cl, true));
   assert_true(Ingest_init(&x->in, &x->t, DS_FORMAT_EI, "live"));
   const char *block = "Predictions (DSP: 1 ms., Classification: 2 ms., Anomaly: 0 ms.): \n"
                       "    idle: 0.25\n"
                       "    wave: 0.75\n"
                       "    anomaly score: -0.125\n";
   Ingest_feed(&x->in, block, strlen(block));
   assert_int_equal(x->t.nrows, 0); /* more scores could follow */
   Ingest_feed(&x->in, "\n", 1);
   assert_int_equal(x->t.nrows, 1);
   assert_string_equal(cls(x, val(x, "pred", 0)), "wave");
   assert_rel(val(x, "anomaly", 0), -0.125, 0);
   assert_rel(val(x, "inference_ms", 0), 2, 0);
   Ingest_feed(&x->in, "\nStarting inferencing in 2 seconds...\n", 38);
   Ingest_finish(&x->in);
   assert_int_equal(x->t.nrows, 1); /* a second blank line makes no empty record */
   assert_int_equal(x->in.bad_lines, 0);
   fixture_free(x);
}

/* The Arduino library's banner (nine lines before the first block) is
 * noise, not bad lines; the first record's prediction is its argmax even
 * when that is not the first class (its column is derived mid-commit). */
static void test_edge_impulse_banner(void **state) {
   (void)state;
   Fixture *x = ingest("Edge Impulse Inferencing Demo\n"
                       "Inferencing settings:\n"
                       "\tInterval: 10.00 ms.\n"
                       "\tFrame size: 600\n"
                       "\tSample length: 2000 ms.\n"
                       "\tNo. of classes: 3\n"
                       "\n"
                       "Starting inferencing in 2 seconds...\n"
                       "Sampling...\n"
                       "Predictions (DSP: 0 ms., Classification: 0 ms., Anomaly: 0 ms.): \n"
                       "    SEATED: 0.1\n"
                       "    WALKING: 0.7\n"
                       "    TURNING: 0.2\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_EI);
   assert_int_equal(x->in.bad_lines, 0);
   assert_int_equal(x->in.noise_lines, 8); /* the blank line is not noise, just blank */
   assert_int_equal(x->t.nrows, 1);
   assert_string_equal(cls(x, val(x, "pred", 0)), "WALKING");
   assert_rel(val(x, "confidence", 0), 0.7, 0);
   fixture_free(x);
}

static void test_plotter(void **state) {
   (void)state;
   Fixture *x = ingest("ax:0.12,ay:-0.5 az: 9.81\nax:0.2\tay:0.1,az:9.7\n3.5 4.5\nax:abc\n", DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_PLOTTER);
   assert_int_equal(x->t.nrows, 3);
   assert_rel(val(x, "az", 0), 9.81, 0);
   assert_rel(val(x, "ay", 1), 0.1, 0);
   assert_rel(val(x, "value2", 2), 4.5, 0); /* unnamed values, as the Arduino IDE names them */
   assert_int_equal(x->in.bad_fields, 1);   /* ax:abc */
   fixture_free(x);
}

static void lengths(const char *const *lines, size_t *lens, int n) {
   for (int i = 0; i < n; i++)
      lens[i] = strlen(lines[i]);
}

static void test_detection(void **state) {
   (void)state;
   const char *csv[] = {"x,y,label"}, *num[] = {"1,2,3"}, *plot[] = {"a:1,b:2"}, *ei[] = {"Sampling...",
                                                                                            "Timing: DSP 1 ms, inference 1 ms, anomaly 0 ms"};
   size_t l1[] = {9}, l2[] = {5}, l3[] = {7}, l4[] = {11, 46};
   assert_int_equal(ds_detect_format(csv, l1, 1, true), DS_FORMAT_CSV);
   assert_int_equal(ds_detect_format(csv, l1, 1, false), DS_FORMAT_AUTO); /* a header waits for a record */
   assert_int_equal(ds_detect_format(num, l2, 1, false), DS_FORMAT_NUMERIC);
   assert_int_equal(ds_detect_format(plot, l3, 1, false), DS_FORMAT_PLOTTER);
   assert_int_equal(ds_detect_format(ei, l4, 2, false), DS_FORMAT_EI);
   const char *junk[] = {"hello world"};
   size_t l5[] = {11};
   assert_int_equal(ds_detect_format(junk, l5, 1, true), DS_FORMAT_AUTO);
   /* a log line with a comma before an Edge Impulse block is not a CSV header */
   const char *noisy[] = {"Sampling...", "[wifi] rssi -67 dBm, reconnecting...", "# comment", "",
                          "Predictions (DSP: 1 ms., Classification: 2 ms., Anomaly: 0 ms.):"};
   size_t l6[5];
   lengths(noisy, l6, 5);
   assert_int_equal(ds_detect_format(noisy, l6, 2, false), DS_FORMAT_AUTO);
   assert_int_equal(ds_detect_format(noisy, l6, 5, false), DS_FORMAT_EI);
   /* a header, a comment, then a record with as many fields (quoted comma inside) */
   const char *hdr[] = {"t,\"name, long\",y", "# unit: ms", "1,2,3"};
   size_t l7[3];
   lengths(hdr, l7, 3);
   assert_int_equal(ds_detect_format(hdr, l7, 3, false), DS_FORMAT_CSV);
   const char *mismatch[] = {"x,y", "1,2,3"};
   size_t l8[2];
   lengths(mismatch, l8, 2);
   /* "x,y" is no header of a 3-field record: the numbers are headerless */
   assert_int_equal(ds_detect_format(mismatch, l8, 2, false), DS_FORMAT_NUMERIC);
}

/* garbage bytes, NUL, a wrong baud rate's noise: all bad lines, nothing stops */
static void test_garbage(void **state) {
   (void)state;
   char in[] = "a,b\n1,2\n\x80\x81\xfe garbage\n\0\0\0\n\x1b[2J\n3,4\n";
   Fixture *x = calloc(1, sizeof *x);
   Classes_init(&x->cl);
   assert_true(Table_init(&x->t, &x->cl, true));
   assert_true(Ingest_init(&x->in, &x->t, DS_FORMAT_AUTO, "test"));
   Ingest_feed(&x->in, in, sizeof in - 1);
   Ingest_finish(&x->in);
   assert_int_equal(x->t.nrows, 2);
   assert_int_equal(x->in.bad_lines, 3);
   fixture_free(x);
}

/* more than 256 classes: a clear error per extra class, no crash */
static void test_class_explosion(void **state) {
   (void)state;
   size_t cap = 400 * 16;
   char *text = malloc(cap);
   size_t n = (size_t)snprintf(text, cap, "x,label\n");
   for (int i = 0; i < 300; i++)
      n += (size_t)snprintf(text + n, cap - n, "%d,c%d\n", i, i);
   Fixture *x = ingest(text, DS_FORMAT_AUTO);
   assert_int_equal(x->t.nrows, 300);
   assert_int_equal(x->cl.n, DS_MAX_CLASSES);
   assert_int_equal(x->in.bad_fields, 300 - DS_MAX_CLASSES);
   assert_non_null(strstr(x->in.last_bad.reason, "more than 256 classes"));
   free(text);
   fixture_free(x);
}

static void test_empty(void **state) {
   (void)state;
   Fixture *x = ingest("", DS_FORMAT_AUTO);
   assert_int_equal(x->t.nrows, 0);
   assert_int_equal(x->in.bad_lines, 0);
   fixture_free(x);
   x = ingest("just some words\n", DS_FORMAT_AUTO);
   assert_int_equal(x->t.nrows, 0);
   assert_int_equal(x->in.bad_lines, 1);
   fixture_free(x);
}

/* simulate's headerless numbers: the numeric features only (no time,
 * prediction or score), a missing value as nan in its place; read back by
 * format detection as f0, f1 with the same values. */
static void test_render_numeric(void **state) {
   (void)state;
   Fixture *x = ingest("time_ms,x,y,pred,score_a\n0,0.5,-2,a,0.9\n5,,3.25,a,0.8\n10,1e-3,4,a,0.7\n", DS_FORMAT_AUTO);
   assert_int_equal(x->t.nrows, 3);
   const char *why = NULL;
   assert_true(ds_render_can(&x->t, DS_FORMAT_NUMERIC, &why));
   StrBuf b;
   StrBuf_init(&b);
   ds_render_start(&b, &x->t, DS_FORMAT_NUMERIC);
   for (size_t r = 0; r < 3; r++)
      ds_render_record(&b, &x->t, r, DS_FORMAT_NUMERIC);
   assert_string_equal(b.data, "0.5,-2\nnan,3.25\n0.001,4\n");
   Fixture *y = ingest(b.data, DS_FORMAT_AUTO);
   assert_int_equal(y->in.format, DS_FORMAT_NUMERIC);
   assert_int_equal(y->t.nrows, 3);
   assert_true(val(y, "f0", 0) == 0.5 && isnan(val(y, "f0", 1)) && val(y, "f0", 2) == 0.001);
   assert_true(val(y, "f1", 0) == -2 && val(y, "f1", 1) == 3.25 && val(y, "f1", 2) == 4);
   StrBuf_done(&b);
   fixture_free(y);
   Fixture *z = ingest("time_ms,pred\n0,a\n", DS_FORMAT_AUTO);
   assert_false(ds_render_can(&z->t, DS_FORMAT_NUMERIC, &why));
   assert_string_equal(why, "headerless numbers need numeric features");
   fixture_free(z);
   fixture_free(x);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_line_endings), cmocka_unit_test(test_pieces),       cmocka_unit_test(test_too_long_and_binary),
      cmocka_unit_test(test_nul_is_binary), cmocka_unit_test(test_numbers),     cmocka_unit_test(test_csv_roles),
      cmocka_unit_test(test_csv_bad_lines), cmocka_unit_test(test_headerless),  cmocka_unit_test(test_edge_impulse),
      cmocka_unit_test(test_edge_impulse_banner),
      cmocka_unit_test(test_edge_impulse_live_block),
      cmocka_unit_test(test_plotter),       cmocka_unit_test(test_detection),   cmocka_unit_test(test_garbage),
      cmocka_unit_test(test_class_explosion), cmocka_unit_test(test_empty),
      cmocka_unit_test(test_render_numeric),
   };
   return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
