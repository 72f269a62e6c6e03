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
   const char *texts[] = {"0.1",
                          "-12.5",
                          "3",
                          "1e-3",
                          "  7.25 ",
                          "0.30000000000000004",
                          "123456789012345678901",
                          "1.7976931348623157e308",
                          "4.9e-324",
                          "-0",
                          ".5",
                          "5."};
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
                       "1,2\n"         /* 3: missing column */
                       "1,2,x,9\n"     /* 4: extra column */
                       "\"1,2,x\n"     /* 5: unterminated quote */
                       "3,4,y\n"       /* 6: good again */
                       "abc,5,z\n"     /* 7: text in a numeric column: a bad value */
                       "inf,-inf,y\n", /* 8: infinities are missing */
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
   const char *csv[] = {"x,y,label"}, *num[] = {"1,2,3"}, *plot[] = {"a:1,b:2"},
              *ei[] = {"Sampling...", "Timing: DSP 1 ms, inference 1 ms, anomaly 0 ms"};
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
   /* every Edge Impulse header, with or without '#' */
   const char *eis[] = {"Classification predictions:",       "#Classification results:", "Regression prediction: 1.5",
                        "#Object detection bounding boxes:", "Visual anomalies:",        "Object tracking results:"};
   for (size_t i = 0; i < sizeof eis / sizeof eis[0]; i++) {
      size_t l = strlen(eis[i]);
      assert_int_equal(ds_detect_format(&eis[i], &l, 1, false), DS_FORMAT_EI);
   }
   const char *json[] = {"{\"ax\":1,\"pred\":\"a\"}"}, *euro[] = {"t;temp", "1;31,98"}, *one[] = {"temp", "31.98"};
   size_t lj = strlen(json[0]), le[] = {6, 7}, lo[] = {4, 5};
   assert_int_equal(ds_detect_format(json, &lj, 1, false), DS_FORMAT_JSON);
   const char *vec[] = {"[0.5, 1, \"2\"]"};
   size_t lv = strlen(vec[0]);
   assert_int_equal(ds_detect_format(vec, &lv, 1, false), DS_FORMAT_JSON); /* a line that is an array: f0, f1, f2 */
   assert_int_equal(ds_detect_format(euro, le, 2, false), DS_FORMAT_CSV);
   assert_int_equal(ds_detect_format(one, lo, 2, false), DS_FORMAT_CSV);
   assert_int_equal(ds_detect_format(one, lo, 1, false), DS_FORMAT_AUTO); /* a lone name waits */
   int first;
   const char *banner[] = {"Data forwarder ready", "1,2,3"};
   size_t lb[] = {20, 5};
   assert_int_equal(ds_detect_format_at(banner, lb, 2, false, &first), DS_FORMAT_NUMERIC);
   assert_int_equal(first, 1);
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
   assert_int_equal(x->in.bad_lines, 2); /* the escape sequence alone is a blank line once stripped */
   assert_int_equal(x->in.blank_lines, 1);
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

/* A UTF-8 byte order mark does not rename the first column; terminal
 * colours around values are not part of them. */
static void test_bom_and_colours(void **state) {
   (void)state;
   Fixture *x = ingest("\xef\xbb\xbftime_ms,x,label\r\n"
                       "\x1b[0;32m10,1.5,idle\x1b[0m\r\n"
                       "20,\x1b[1m2.5\x1b[22m,\x1b]0;title\x07wave\r\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_CSV);
   assert_int_equal(x->t.nrows, 2);
   assert_int_equal(x->in.bad_lines, 0);
   assert_int_equal(x->t.time_col, Table_find(&x->t, "time_ms"));
   assert_int_equal(x->t.cols[x->t.time_col]->role, ROLE_TIME);
   assert_rel(val(x, "time_ms", 1), 20, 0);
   assert_rel(val(x, "x", 0), 1.5, 0);
   assert_rel(val(x, "x", 1), 2.5, 0);
   assert_string_equal(cls(x, val(x, "label", 1)), "wave");
   assert_int_equal(x->in.ls.escaped, 2);
   fixture_free(x);
   /* a UTF-16 file: every line bad, with the reason and what to do */
   static const char u16[] = "\xff\xfex\0,\0y\0\n\0001\0,\0002\0\n\0";
   x = calloc(1, sizeof *x);
   Classes_init(&x->cl);
   assert_true(Table_init(&x->t, &x->cl, true));
   assert_true(Ingest_init(&x->in, &x->t, DS_FORMAT_AUTO, "u16"));
   Ingest_feed(&x->in, u16, sizeof u16 - 1);
   Ingest_finish(&x->in);
   assert_int_equal(x->t.nrows, 0);
   assert_int_equal(x->in.bad_lines, 3);
   assert_string_equal(x->in.last_bad.reason, "UTF-16 text: save the file as UTF-8");
   fixture_free(x);
   char out[64];
   assert_int_equal(ds_strip_ansi("a\x1b[31;1mb\x1b"
                                  "c\x1b",
                                  11, out),
                    2);
   assert_memory_equal(out, "ab", 2);
}

/* ESP-IDF and Zephyr log prefixes: stripped; their time is the record's
 * time_ms; a prefixed line that is no record is a log message (noise). */
static void test_log_prefixes(void **state) {
   (void)state;
   double ms;
   assert_int_equal(ds_log_prefix("I (25907) data: 1,2", 19, &ms), 16);
   assert_rel(ms, 25907, 0);
   assert_int_equal(ds_log_prefix("W (12:34:56.789) tag: x", 23, &ms), 22);
   assert_rel(ms, ((12 * 60 + 34) * 60 + 56) * 1000.0 + 789, 0);
   assert_int_equal(ds_log_prefix("[00:00:01.234,567] <inf> main: ax:1", 35, &ms), 31);
   assert_rel(ms, 1234.567, 1e-12);
   assert_int_equal(ds_log_prefix("[00012345] <dbg> mod: x", 23, &ms), 22);
   assert_true(isnan(ms)); /* ticks, not a time */
   assert_int_equal(ds_log_prefix("I (abc) tag: x", 14, &ms), 0);
   assert_int_equal(ds_log_prefix("Info: something", 15, &ms), 0);
   assert_int_equal(ds_log_prefix("E (1) has space: x", 18, &ms), 0);
   Fixture *x = ingest("I (25900) boot: ESP-IDF v5.1 2nd stage bootloader\n"
                       "I (25907) data: ax,ay\n"
                       "I (25917) data: 0.5,1\n"
                       "I (25927) wifi: connected to ap SSID:lab\n"
                       "\x1b[0;33mW (25937) data: 0.625,2\x1b[0m\n"
                       "0.75,3\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_CSV);
   assert_int_equal(x->t.nrows, 3);
   assert_int_equal(x->in.bad_lines, 0);
   assert_int_equal(x->in.noise_lines, 2); /* the boot and wifi messages */
   assert_int_equal(x->in.log_lines, 5);
   assert_rel(val(x, "time_ms", 0), 25917, 0);
   assert_rel(val(x, "time_ms", 1), 25937, 0);
   assert_true(isnan(val(x, "time_ms", 2))); /* no prefix, no time */
   assert_rel(val(x, "ax", 1), 0.625, 0);
   fixture_free(x);
   x = ingest("[00:00:01.234,567] <inf> main: ax:0.5,ay:1\n[00:00:01.244,567] <inf> main: ax:0.25,ay:2\n",
              DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_PLOTTER);
   assert_int_equal(x->t.nrows, 2);
   assert_rel(val(x, "time_ms", 1), 1244.567, 1e-12);
   assert_rel(val(x, "ay", 1), 2, 0);
   fixture_free(x);
   /* the stream's own time column wins over the prefix's */
   x = ingest("I (100) d: t,ax\nI (110) d: 5,0.5\n", DS_FORMAT_AUTO);
   assert_rel(val(x, "t", 0), 5, 0);
   assert_int_equal(Table_find(&x->t, "time_ms"), -1);
   fixture_free(x);
}

static int row_count(Fixture *x) {
   return (int)x->t.nrows;
}

/* ei_print_results.h as the SDK prints it today: "Timing:" with us below
 * 1 ms and postprocessing, "Classification predictions:" without '#',
 * two-space scores, "Anomaly prediction:"; CRLF, colours and a log line. */
static void test_ei_sdk_classification(void **state) {
   (void)state;
   Fixture *x = ingest("\x1b[33m[SER]\x1b[0m Started inferencing, press CTRL+C to stop...\r\n"
                       "Timing: DSP 14 ms, inference 812 us, anomaly 0 ms\r\n"
                       "Classification predictions:\r\n"
                       "  idle: 0.90625\r\n"
                       "  snake: 0.02734\r\n"
                       "  updown: 0.01953\r\n"
                       "  wave: 0.04687\r\n"
                       "Anomaly prediction: -0.29403\r\n"
                       "Timing: DSP 15 ms, inference 2 ms, anomaly 1 ms, postprocessing 310 us\r\n"
                       "#Classification predictions:\r\n"
                       "  idle: 0.01172\r\n"
                       "  snake: 0.00391\r\n"
                       "  updown: 0.03516\r\n"
                       "  wave: 0.94922\r\n"
                       "Anomaly prediction: 0.12500\r\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_EI);
   assert_int_equal(row_count(x), 2);
   assert_int_equal(x->in.bad_lines, 0);
   assert_int_equal(x->in.noise_lines, 1);
   assert_rel(val(x, "dsp_ms", 0), 14, 0);
   assert_rel(val(x, "inference_ms", 0), 0.812, 1e-15);
   assert_rel(val(x, "score_snake", 0), 0.02734, 0);
   assert_rel(val(x, "anomaly", 0), -0.29403, 0);
   assert_string_equal(cls(x, val(x, "pred", 0)), "idle");
   assert_rel(val(x, "postprocessing_ms", 1), 0.31, 1e-15);
   assert_rel(val(x, "anomaly_ms", 1), 1, 0);
   assert_string_equal(cls(x, val(x, "pred", 1)), "wave");
   assert_rel(val(x, "confidence", 1), 0.94922, 0);
   assert_true(isnan(val(x, "postprocessing_ms", 0)));
   fixture_free(x);
}

/* The examples' display_results: "Predictions (...)" then
 * "#Classification results:" (4-space scores, "0ms." without a space),
 * status lines between blocks; the Linux example's unindented scores;
 * the newer Arduino examples' "Timing:" then "Predictions:". */
static void test_ei_example_forms(void **state) {
   (void)state;
   Fixture *x = ingest("Predictions (DSP: 19.000000 ms., Classification: 0 ms., Anomaly: 1.000000ms.): \n"
                       "#Classification results:\n"
                       "    idle: 0.996094\n"
                       "    wave: 0.003906\n"
                       "Anomaly prediction: -0.356135\n"
                       "92% idle\n"
                       "Predictions (DSP: 18.000000 ms., Classification: 1.000000 ms., Anomaly: 0ms.): \n"
                       "#Classification results:\n"
                       "    idle: 0.000000\n"
                       "    wave: 0.992188\n"
                       "Anomaly prediction: 0.010583\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(row_count(x), 2);
   assert_int_equal(x->in.bad_lines, 0);
   assert_rel(val(x, "dsp_ms", 0), 19, 0);
   assert_rel(val(x, "anomaly_ms", 0), 1, 0);
   assert_rel(val(x, "inference_ms", 1), 1, 0);
   assert_rel(val(x, "anomaly", 1), 0.010583, 0);
   assert_string_equal(cls(x, val(x, "pred", 1)), "wave");
   fixture_free(x);
   x = ingest("Predictions (DSP: 2 ms., Classification: 1 ms., Anomaly: 0 ms.): \n"
              "#Classification results:\n"
              "noise: 0.25000\n"
              "speech: 0.75000\n",
              DS_FORMAT_AUTO);
   assert_int_equal(row_count(x), 1);
   assert_string_equal(cls(x, val(x, "pred", 0)), "speech");
   fixture_free(x);
   x = ingest("Timing: DSP 3 ms, inference 1 ms, anomaly 0 ms\r\n"
              "Predictions:\r\n"
              "  fall: 0.10000\r\n"
              "  stand: 0.90000\r\n",
              DS_FORMAT_AUTO);
   assert_int_equal(row_count(x), 1);
   assert_rel(val(x, "dsp_ms", 0), 3, 0); /* "Predictions:" continues the timing line's block */
   assert_string_equal(cls(x, val(x, "pred", 0)), "stand");
   fixture_free(x);
}

/* Regression: the number is the prediction (numeric), both spellings. */
static void test_ei_regression(void **state) {
   (void)state;
   Fixture *x = ingest("Timing: DSP 1 ms, inference 0 ms, anomaly 0 ms\n"
                       "Regression prediction: 12.50000\n"
                       "Timing: DSP 1 ms, inference 0 ms, anomaly 0 ms\n"
                       "#Regression prediction: 13.25000\n"
                       "Predictions (DSP: 1 ms., Classification: 0 ms., Anomaly: 0 ms.): \n"
                       "#Regression results:\n"
                       "    value: -3.75000\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_EI);
   assert_int_equal(row_count(x), 3);
   assert_int_equal(x->in.bad_lines, 0);
   int p = Table_find(&x->t, "pred");
   assert_int_equal(x->t.cols[p]->kind, KIND_NUMERIC);
   assert_int_equal(x->t.cols[p]->role, ROLE_PRED);
   assert_rel(val(x, "pred", 0), 12.5, 0);
   assert_rel(val(x, "pred", 1), 13.25, 0);
   assert_rel(val(x, "pred", 2), -3.75, 0);
   assert_int_equal(Table_find(&x->t, "confidence"), -1);
   fixture_free(x);
}

/* Object detection: per block the boxes per label (0 when none, also in
 * blocks before a label first appears), the top confidence, the mean box
 * area; "No objects found"; tracking lines. */
static void test_ei_objects(void **state) {
   (void)state;
   Fixture *x = ingest("Timing: DSP 5 ms, inference 80 ms, anomaly 0 ms, postprocessing 2 ms\n"
                       "Object detection bounding boxes:\n"
                       "  person (0.91016) [ x: 8, y: 16, width: 8, height: 8 ]\n"
                       "  person (0.50000) [ x: 40, y: 16, width: 16, height: 8 ]\n"
                       "  cat (0.58984) [ x: 24, y: 0, width: 16, height: 16 ]\n"
                       "Timing: DSP 5 ms, inference 81 ms, anomaly 0 ms\n"
                       "#Object detection results:\n"
                       "    No objects found\n"
                       "Timing: DSP 5 ms, inference 79 ms, anomaly 0 ms\n"
                       "Object detection bounding boxes:\n"
                       "  dog (0.75000) [ x: 0, y: 0, width: 10, height: 10 ]\n"
                       "Timing: DSP 5 ms, inference 79 ms, anomaly 0 ms\n"
                       "Object tracking results:\n"
                       "  person (ID 3) [ x: 8, y: 16, width: 4, height: 4 ]\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_EI);
   assert_int_equal(row_count(x), 4);
   assert_int_equal(x->in.bad_lines, 0);
   assert_rel(val(x, "objects", 0), 3, 0);
   assert_rel(val(x, "objects_person", 0), 2, 0);
   assert_rel(val(x, "objects_cat", 0), 1, 0);
   assert_rel(val(x, "object_confidence", 0), 0.91016, 0);
   assert_rel(val(x, "object_area", 0), (64 + 128 + 256) / 3.0, 1e-15);
   assert_rel(val(x, "postprocessing_ms", 0), 2, 0);
   assert_rel(val(x, "objects", 1), 0, 0);
   assert_rel(val(x, "objects_person", 1), 0, 0);
   assert_true(isnan(val(x, "object_confidence", 1)));
   assert_rel(val(x, "objects_dog", 2), 1, 0);
   assert_rel(val(x, "objects_dog", 0), 0, 0); /* backfilled: no dog then */
   assert_rel(val(x, "objects_dog", 1), 0, 0);
   assert_rel(val(x, "objects_person", 3), 1, 0);
   assert_rel(val(x, "object_area", 3), 16, 0);
   assert_true(isnan(val(x, "object_confidence", 3))); /* tracks carry no confidence */
   int c = Table_find(&x->t, "objects_dog");
   assert_int_equal(x->t.cols[c]->role, ROLE_TELEMETRY);
   assert_int_equal(x->t.cols[c]->n_missing, 0);
   assert_int_equal(Table_find(&x->t, "pred"), -1); /* no made-up prediction */
   fixture_free(x);
}

/* Visual anomaly detection, both spellings; an anomaly-only impulse. */
static void test_ei_visual_anomaly(void **state) {
   (void)state;
   Fixture *x = ingest("Timing: DSP 2 ms, inference 40 ms, anomaly 3 ms\n"
                       "Visual anomalies:\n"
                       "  anomaly (0.87000) [ x: 0, y: 0, width: 32, height: 32 ]\n"
                       "Visual anomaly mean: 0.12000, max: 0.87000\n"
                       "Predictions (DSP: 2 ms., Classification: 40 ms., Anomaly: 3 ms.): \n"
                       "#Visual anomaly grid results:\n"
                       "Visual anomaly values: Mean 0.100 Max 0.300\n"
                       "Timing: DSP 2 ms, inference 40 ms, anomaly 3 ms\n"
                       "Visual anomalies:\n"
                       "  anomaly (0.87000) [ x: 0, y: 0, width: 32, height: 32 ]\n", /* cut before its values */
                       DS_FORMAT_AUTO);
   assert_int_equal(row_count(x), 2);
   assert_int_equal(x->in.bad_lines, 1);
   assert_rel(val(x, "visual_anomaly_mean", 0), 0.12, 0);
   assert_rel(val(x, "visual_anomaly_max", 0), 0.87, 0);
   assert_rel(val(x, "visual_anomaly_max", 1), 0.3, 0);
   assert_non_null(strstr(x->in.last_bad.reason, "no visual anomaly values"));
   fixture_free(x);
   x = ingest("Timing: DSP 1 ms, inference 0 ms, anomaly 1 ms\n"
              "Anomaly prediction: 0.50000\n"
              "Timing: DSP 1 ms, inference 0 ms, anomaly 1 ms\n"
              "Anomaly prediction: 1.25000\n",
              DS_FORMAT_AUTO);
   assert_int_equal(row_count(x), 2);
   assert_rel(val(x, "anomaly", 1), 1.25, 0);
   assert_int_equal(x->in.bad_lines, 0);
   fixture_free(x);
}

static const char *block4(void) {
   return "Timing: DSP 1 ms, inference 1 ms, anomaly 0 ms\n"
          "Classification predictions:\n"
          "  a: 0.10000\n"
          "  b: 0.20000\n"
          "  c: 0.30000\n"
          "  d: 0.40000\n"
          "Anomaly prediction: 0.01000\n";
}

/* An incomplete block is one bad line, never a record completed by
 * guessing: scores missing (lines lost), an anomaly line missing, a score
 * that is not a number, an unreadable line in the block, a cable pulled. */
static void test_ei_incomplete(void **state) {
   (void)state;
   char text[2048];
   snprintf(text, sizeof text,
            "%s"                                               /* lines 1-7: complete, the schema */
            "Timing: DSP 1 ms, inference 1 ms, anomaly 0 ms\n" /* 8 */
            "Classification predictions:\n"
            "  a: 0.10000\n"
            "  b: 0.90000\n"                                   /* 11: c and d never came */
            "%s"                                               /* 12-18: complete */
            "Timing: DSP 1 ms, inference 1 ms, anomaly 0 ms\n" /* 19 */
            "Classification predictions:\n"
            "  a: 0.10000\n"
            "  b: 0.2x000\n" /* 22: a score gone bad */
            "  c: 0.30000\n"
            "  d: 0.40000\n"
            "Anomaly prediction: 0.01000\n"
            "Timing: DSP 1 ms, inference 1 ms, anomaly 0 ms\n" /* 26 */
            "Classification predictions:\n"
            "  a: 0.10000\n"
            "  b: 0.20000\n"
            "  c: 0.3\xff\xfe\n" /* 30: unreadable */
            "  d: 0.40000\n"
            "Anomaly prediction: 0.01000\n"
            "Timing: DSP 1 ms, inference 1 ms, anomaly 0 ms\n" /* 33 */
            "Classification predictions:\n"
            "  a: 0.10000\n"
            "  b: 0.20000\n"
            "  c: 0.30000\n"
            "  d: 0.40000\n" /* 38: no anomaly line */
            "\n"
            "%s", /* 40-46: complete */
            block4(), block4(), block4());
   Fixture *x = ingest(text, DS_FORMAT_AUTO);
   assert_int_equal(row_count(x), 3);
   assert_int_equal(x->in.bad_lines, 5); /* 4 blocks, and the unreadable line itself */
   assert_int_equal(x->in.first_bad[0].lineno, 8);
   assert_non_null(
      strstr(x->in.first_bad[0].reason, "incomplete Edge Impulse block (lines 8-11): no score for 'c', 'd'"));
   assert_non_null(strstr(x->in.first_bad[0].reason, "no anomaly line"));
   assert_int_equal(x->in.first_bad[1].lineno, 19);
   assert_non_null(strstr(x->in.first_bad[1].reason, "the score of 'b' is not a number: '0.2x000'"));
   assert_int_equal(x->in.first_bad[2].lineno, 30);
   assert_int_equal(x->in.first_bad[3].lineno, 26);
   assert_non_null(strstr(x->in.first_bad[3].reason, "line 30 could not be read"));
   assert_int_equal(x->in.first_bad[4].lineno, 33);
   assert_non_null(strstr(x->in.first_bad[4].reason, "no anomaly line"));
   /* every record that was kept is whole */
   for (int r = 0; r < 3; r++) {
      assert_rel(val(x, "score_d", (size_t)r), 0.4, 0);
      assert_rel(val(x, "anomaly", (size_t)r), 0.01, 0);
   }
   fixture_free(x);

   /* a cable pulled in the middle of a block: the block is bad, the session goes on */
   x = calloc(1, sizeof *x);
   Classes_init(&x->cl);
   assert_true(Table_init(&x->t, &x->cl, true));
   assert_true(Ingest_init(&x->in, &x->t, DS_FORMAT_EI, "live"));
   Ingest_feed(&x->in, block4(), strlen(block4()));
   const char *cut =
      "Timing: DSP 1 ms, inference 1 ms, anomaly 0 ms\nClassification predictions:\n  a: 0.10000\n  b: 0.2";
   Ingest_feed(&x->in, cut, strlen(cut));
   Ingest_break(&x->in, "the disconnect");
   Ingest_feed(&x->in, block4(), strlen(block4()));
   Ingest_finish(&x->in);
   assert_int_equal(row_count(x), 2);
   assert_int_equal(x->in.bad_lines, 2); /* the cut line and its block */
   assert_non_null(strstr(x->in.last_bad.reason, "cut off by the disconnect"));
   fixture_free(x);
}

/* A one-column file with a header, as pandas writes it: text or numbers. */
static void test_one_column_csv(void **state) {
   (void)state;
   Fixture *x = ingest("temp\n31.98\n32.01\n\n31.5\n", DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_CSV);
   assert_int_equal(x->t.nrows, 3);
   assert_int_equal(x->in.bad_lines, 0);
   assert_rel(val(x, "temp", 2), 31.5, 0);
   assert_int_equal(x->t.cols[Table_find(&x->t, "temp")]->role, ROLE_FEATURE);
   fixture_free(x);
   x = ingest("pred\nwave\nidle\nwave\n", DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_CSV);
   assert_int_equal(x->t.nrows, 3);
   assert_string_equal(cls(x, val(x, "pred", 1)), "idle");
   fixture_free(x);
   x = ingest("temp\n", DS_FORMAT_AUTO); /* a header alone: CSV, no records */
   assert_int_equal(x->in.format, DS_FORMAT_CSV);
   assert_int_equal(x->t.nrows, 0);
   assert_int_equal(x->in.bad_lines, 0);
   fixture_free(x);
   /* a boot message before a headerless stream is noise, not the header */
   x = ingest("ready\n0.5,1\n0.75,2\n", DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_NUMERIC);
   assert_int_equal(x->t.nrows, 2);
   assert_int_equal(x->in.noise_lines, 1);
   assert_int_equal(x->in.bad_lines, 0);
   fixture_free(x);
}

/* A European spreadsheet export: ';' separates, ',' is the decimal point;
 * every value read as the number it is, and counted. */
static void test_decimal_comma(void **state) {
   (void)state;
   Fixture *x = ingest("timestamp;temp;humd;co2\n"
                       "11454236;31,98;36,32;439\n"
                       "11454486;-0,5;36,31;436\n"
                       "11454736;32;1,5e3;441\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_CSV);
   assert_int_equal(x->t.nrows, 3);
   assert_int_equal(x->in.bad_lines, 0);
   assert_int_equal(x->in.bad_fields, 0);
   assert_rel(val(x, "temp", 0), 31.98, 0);
   assert_rel(val(x, "temp", 1), -0.5, 0);
   assert_rel(val(x, "humd", 2), 1500, 0);
   assert_rel(val(x, "co2", 2), 441, 0);
   assert_int_equal(x->t.cols[Table_find(&x->t, "temp")]->kind, KIND_NUMERIC);
   assert_int_equal(x->in.decimal_commas, 5);
   assert_int_equal(ds_csv_delimiter("a;b;c", 5), ';');
   assert_int_equal(ds_csv_delimiter("a,b;c", 5), ',');
   assert_int_equal(ds_csv_delimiter("\"a;b\",c", 7), ',');
   assert_int_equal(ds_csv_delimiter("a\tb\tc,d", 7), '\t');
   fixture_free(x);
   /* a thousands separator is text: a bad value, not a guess */
   x = ingest("a;b\n1,5;2\n1.234,5;3\n", DS_FORMAT_AUTO);
   assert_int_equal(x->in.bad_fields, 1);
   assert_int_equal(x->t.cols[Table_find(&x->t, "a")]->n_bad, 1);
   fixture_free(x);
}

static Fixture *ingest_with(const char *text, DsFormat f, const char *const *names, int nnames, bool given,
                            const char *const *classes, int nclasses) {
   Fixture *x = calloc(1, sizeof *x);
   Classes_init(&x->cl);
   assert_true(Table_init(&x->t, &x->cl, true));
   assert_true(Ingest_init(&x->in, &x->t, f, "test"));
   x->in.names = names;
   x->in.nnames = nnames;
   x->in.names_given = given;
   x->in.class_names = classes;
   x->in.nclass_names = nclasses;
   Ingest_feed(&x->in, text, strlen(text));
   Ingest_finish(&x->in);
   return x;
}

/* JSON Lines as ArduinoJson prints them: roles by key, classes as text,
 * null missing, booleans 1/0, nested objects flattened, arrays indexed. */
static void test_json_lines(void **state) {
   (void)state;
   Fixture *x = ingest("{\"t\":10,\"ax\":0.5,\"ok\":true,\"pred\":\"wave\",\"score_wave\":0.9,\"score_idle\":0.1,"
                       "\"imu\":{\"gx\":1.5},\"mag\":[1,2]}\n"
                       "{\"t\":20,\"ax\":null,\"ok\":false,\"pred\":\"idle\",\"score_wave\":0.2,\"score_idle\":0.8,"
                       "\"imu\":{\"gx\":-1},\"mag\":[3,4]}\n"
                       "{\"t\":30,\"ax\":0.25,\n"
                       "{\"t\":40,,\"ax\":1}\n"
                       "[1,2]\n"
                       "{}\n"
                       "{\"t\":50}{\"t\":60}\n"
                       "42\n",
                       DS_FORMAT_AUTO);
   assert_int_equal(x->in.format, DS_FORMAT_JSON);
   assert_int_equal(x->t.nrows, 3); /* the array line is a record of f0, f1 */
   assert_int_equal(x->in.bad_lines, 5);
   assert_non_null(strstr(x->in.first_bad[0].reason, "not one whole JSON object or array"));
   assert_int_equal(x->in.first_bad[1].lineno, 4);
   assert_non_null(strstr(x->in.first_bad[1].reason, "invalid JSON at column 9"));
   assert_non_null(strstr(x->in.first_bad[2].reason, "no value"));
   assert_non_null(strstr(x->in.first_bad[3].reason, "one object or array"));
   assert_non_null(strstr(x->in.first_bad[4].reason, "not one whole JSON object or array"));
   assert_int_equal(x->t.time_col, Table_find(&x->t, "t"));
   assert_rel(val(x, "ax", 0), 0.5, 0);
   assert_true(isnan(val(x, "ax", 1)));
   assert_rel(val(x, "ok", 0), 1, 0);
   assert_rel(val(x, "ok", 1), 0, 0);
   assert_string_equal(cls(x, val(x, "pred", 1)), "idle");
   assert_rel(val(x, "confidence", 1), 0.8, 0);
   assert_rel(val(x, "imu.gx", 1), -1, 0);
   assert_rel(val(x, "mag_1", 1), 4, 0);
   assert_rel(val(x, "f1", 2), 2, 0);
   fixture_free(x);
}

/* SensiML's recognition output: the class id named by --classes, the
 * feature vector (numbers written as strings) as f0..fn, or as the
 * reference's features by position; an id --classes does not name is a
 * bad value. */
static void test_json_sensiml(void **state) {
   (void)state;
   static const char *const classes[] = {"Unknown", "idle", "wave"};
   const char *text =
      "{\"ModelNumber\":0,\"Classification\":2,\"FeatureLength\":3,\"FeatureVector\":[\"2\",\"0\",\"253\"]}\n"
      "{\"ModelNumber\":0,\"Classification\":1,\"FeatureLength\":3,\"FeatureVector\":[\"5\",\"1\",\"250\"]}\n"
      "{\"ModelNumber\":0,\"Classification\":7,\"FeatureLength\":3,\"FeatureVector\":[\"5\",\"1\",\"250\"]}\n";
   Fixture *x = ingest_with(text, DS_FORMAT_AUTO, NULL, 0, false, classes, 3);
   assert_int_equal(x->in.format, DS_FORMAT_JSON);
   assert_int_equal(x->t.nrows, 3);
   int p = Table_find(&x->t, "Classification");
   assert_int_equal(x->t.cols[p]->role, ROLE_PRED);
   assert_string_equal(cls(x, val(x, "Classification", 0)), "wave");
   assert_string_equal(cls(x, val(x, "Classification", 1)), "idle");
   assert_true(isnan(val(x, "Classification", 2)));
   assert_int_equal(x->t.cols[p]->n_bad, 1);
   assert_non_null(strstr(x->in.last_bad.reason, "class id 7: --classes names 3 (0 to 2)"));
   assert_rel(val(x, "f2", 0), 253, 0);
   assert_rel(val(x, "f0", 1), 5, 0);
   fixture_free(x);
   /* no --classes: the id is the class's name */
   x = ingest_with(text, DS_FORMAT_AUTO, NULL, 0, false, NULL, 0);
   assert_string_equal(cls(x, val(x, "Classification", 0)), "2");
   fixture_free(x);
   /* the reference's features by position */
   static const char *const ref[] = {"mean_x", "std_x", "peak"};
   x = ingest_with(text, DS_FORMAT_AUTO, ref, 3, false, classes, 3);
   assert_int_equal(x->in.by_position, 1);
   assert_rel(val(x, "peak", 1), 250, 0);
   assert_int_equal(Table_find(&x->t, "f0"), -1);
   fixture_free(x);
}

/* Headerless numbers: --names names them whatever their count; the
 * reference's names only when a record has as many values. */
static void test_headerless_names(void **state) {
   (void)state;
   static const char *const names[] = {"t", "ax", "ay"};
   Fixture *x = ingest_with("10, 0.5, 1\n20, 0.25, 2\n", DS_FORMAT_AUTO, names, 3, true, NULL, 0);
   assert_int_equal(x->t.time_col, Table_find(&x->t, "t")); /* a name keeps its role */
   assert_rel(val(x, "ay", 1), 2, 0);
   fixture_free(x);
   x = ingest_with("10, 0.5, 1, 7\n", DS_FORMAT_AUTO, names, 3, true, NULL, 0);
   assert_rel(val(x, "f3", 0), 7, 0); /* more values than names */
   fixture_free(x);
   x = ingest_with("0.5, 1\n0.25, 2\n", DS_FORMAT_AUTO, names, 3, false, NULL, 0);
   assert_int_equal(x->in.by_position, -1);
   assert_rel(val(x, "f1", 1), 2, 0);
   fixture_free(x);
}

/* 255 columns and class scores: the prediction and confidence the table
 * derives do not fit; ingestion stops with that reason, not "out of memory". */
static void test_column_cap(void **state) {
   (void)state;
   size_t cap = 256 * 16 * 2 + 64;
   char *text = malloc(cap);
   size_t n = 0;
   for (int i = 0; i < 254; i++)
      n += (size_t)snprintf(text + n, cap - n, "c%d,", i);
   n += (size_t)snprintf(text + n, cap - n, "score_a\n");
   for (int i = 0; i < 255; i++)
      n += (size_t)snprintf(text + n, cap - n, i < 254 ? "%d," : "0.5\n", i);
   Fixture *x = ingest(text, DS_FORMAT_AUTO);
   assert_true(x->in.failed);
   assert_int_equal(x->t.nrows, 0);
   assert_non_null(strstr(x->in.error.msg, "255 columns: driftscope keeps at most 256, counting the prediction and "
                                           "confidence it derives from the class scores; drop 1 of them"));
   assert_null(strstr(x->in.error.msg, "memory"));
   fixture_free(x);
   free(text);
}

/* Several models: pred_<model> names a model; its score_<model>_<class>
 * columns (before or after it, in a header or a JSON line) are its own,
 * each model gets its confidence and, where it printed none, its argmax
 * prediction; the champion is the stream's own model, else the first. */
static void test_models(void **state) {
   (void)state;
   Fixture *x = ingest("t,score_big_idle,score_big_wave,pred_tiny,score_tiny_idle,score_tiny_wave,pred_big,"
                       "inference_ms_tiny,label\n"
                       "10,0.2,0.8,,0.7,0.3,,4,wave\n20,0.6,0.4,wave,0.9,0.1,,5,idle\n",
                       DS_FORMAT_AUTO);
   Table *t = &x->t;
   assert_int_equal(t->nmodels, 2);
   assert_string_equal(t->model[0], "tiny"); /* the order of the pred_<model> columns */
   assert_string_equal(t->model[1], "big");
   int s = Table_find(t, "score_big_wave");
   assert_int_equal(t->cols[s]->role, ROLE_SCORE);
   assert_int_equal(t->cols[s]->model, 1);
   assert_string_equal(x->cl.name[t->cols[s]->score_class], "wave");
   int l = Table_find(t, "inference_ms_tiny");
   assert_int_equal(t->cols[l]->role, ROLE_TELEMETRY);
   assert_int_equal(t->cols[l]->model, 0);
   assert_string_equal(cls(x, val(x, "pred_big", 0)), "wave"); /* argmax */
   assert_string_equal(cls(x, val(x, "pred_tiny", 0)), "idle");
   assert_string_equal(cls(x, val(x, "pred_tiny", 1)), "wave"); /* printed: kept */
   assert_rel(val(x, "confidence_big", 1), 0.6, 0);
   assert_rel(val(x, "confidence_tiny", 1), 0.9, 0);
   assert_int_equal(t->pred_col, Table_find(t, "pred_tiny")); /* no own model: the first named one */
   assert_int_equal(t->conf_col, Table_find(t, "confidence_tiny"));
   assert_int_equal(Table_find(t, "confidence"), -1);
   fixture_free(x);
   /* a JSON line: the scores come first, the model is named after them */
   x = ingest("{\"score_a_x\": 0.3, \"score_a_y\": 0.7, \"pred_a\": \"y\", \"pred\": \"x\", \"score_x\": 0.6, "
              "\"score_y\": 0.4}\n"
              "{\"score_a_x\": 0.8, \"score_a_y\": 0.2, \"pred_a\": \"x\", \"pred\": \"y\", \"score_x\": 0.1, "
              "\"score_y\": 0.9}\n",
              DS_FORMAT_AUTO);
   t = &x->t;
   assert_int_equal(t->nmodels, 1);
   assert_int_equal(t->cols[Table_find(t, "score_a_x")]->model, 0);
   assert_int_equal(t->pred_col, Table_find(t, "pred")); /* the stream's own model is the champion */
   assert_int_equal(t->conf_col, Table_find(t, "confidence"));
   assert_rel(val(x, "confidence", 1), 0.9, 0);
   assert_rel(val(x, "confidence_a", 1), 0.8, 0);
   fixture_free(x);
}

/* An Edge Impulse multi-impulse build (edgeimpulse/multi-impulse-
 * deployment-block's main.cpp): each impulse's block after its
 * "process_impulse for project P returned: R" line; one record a round,
 * each impulse a model. A block short of a score, or an impulse that
 * returned an error, makes its record one bad line. Live, once the first
 * record told the impulses, a record is complete when the last one's
 * block ends (here at the blank line), before the next round begins. */
static void test_ei_multi_impulse(void **state) {
   (void)state;
   static const char *const block[] = {
      "process_impulse for project 12345 returned: %d\n"
      "Timing: DSP 2 ms, inference %d ms, anomaly 0 ms\n"
      "Predictions:\n  idle: %.1f\n%s"
      "Anomaly prediction: 0.25\n",
      "process_impulse for project 67890 returned: 0\n"
      "Timing: DSP 3 ms, inference 11 ms, anomaly 0 ms\n"
      "Predictions:\n  idle: %.1f\n  wave: %.1f\n",
   };
   char text[4096];
   size_t n = 0;
   /* rounds: whole; whole; 12345 lacks 'wave'; 12345 returned -5; whole */
   const int ret[] = {0, 0, 0, -5, 0};
   const double a_idle[] = {0.9, 0.2, 0.2, 0.2, 0.7}, b_idle[] = {0.3, 0.1, 0.6, 0.6, 0.6};
   for (int r = 0; r < 5; r++) {
      char wave[32];
      snprintf(wave, sizeof wave, r == 2 ? "" : "  wave: %.1f\n", 1 - a_idle[r]);
      n += (size_t)snprintf(text + n, sizeof text - n, block[0], ret[r], 5 + r, a_idle[r], wave);
      n += (size_t)snprintf(text + n, sizeof text - n, block[1], b_idle[r], 1 - b_idle[r]);
   }
   Fixture *x = ingest(text, DS_FORMAT_AUTO);
   Table *t = &x->t;
   assert_int_equal(x->in.format, DS_FORMAT_EI);
   assert_int_equal(t->nrows, 3);
   assert_int_equal(x->in.bad_lines, 2);
   assert_int_equal(t->nmodels, 2);
   assert_string_equal(t->model[0], "12345");
   assert_string_equal(t->model[1], "67890");
   assert_int_equal(t->cols[Table_find(t, "score_67890_wave")]->model, 1);
   assert_int_equal(t->cols[Table_find(t, "inference_ms_12345")]->role, ROLE_TELEMETRY);
   assert_int_equal(t->cols[Table_find(t, "anomaly_12345")]->model, 0);
   assert_rel(val(x, "inference_ms_12345", 2), 9, 0); /* the fifth round */
   assert_rel(val(x, "inference_ms_67890", 1), 11, 0);
   assert_string_equal(cls(x, val(x, "pred_12345", 0)), "idle");
   assert_string_equal(cls(x, val(x, "pred_67890", 0)), "wave");
   assert_string_equal(cls(x, val(x, "pred_67890", 2)), "idle");
   assert_rel(val(x, "confidence_67890", 1), 0.9, 1e-15);
   assert_int_equal(t->pred_col, Table_find(t, "pred_12345"));
   fixture_free(x);

   /* live: two rounds and a blank line are two records before the input ends */
   x = calloc(1, sizeof *x);
   Classes_init(&x->cl);
   assert_true(Table_init(&x->t, &x->cl, true));
   assert_true(Ingest_init(&x->in, &x->t, DS_FORMAT_EI, "test"));
   n = 0;
   for (int r = 0; r < 2; r++) {
      n += (size_t)snprintf(text + n, sizeof text - n, block[0], 0, 5, 0.9, "  wave: 0.1\n");
      n += (size_t)snprintf(text + n, sizeof text - n, block[1], 0.3, 0.7);
   }
   n += (size_t)snprintf(text + n, sizeof text - n, "\n");
   Ingest_feed(&x->in, text, n);
   assert_int_equal(x->t.nrows, 2);
   Ingest_finish(&x->in);
   assert_int_equal(x->t.nrows, 2);
   assert_int_equal(x->in.bad_lines, 0);
   fixture_free(x);
}

/* A two-model stream printed as Edge Impulse output is a multi-impulse
 * build's, and reads back as the same models and values. */
static void test_render_ei_models(void **state) {
   (void)state;
   Fixture *x = ingest("pred_a,score_a_idle,score_a_wave,inference_ms_a,pred_b,score_b_idle,score_b_wave,"
                       "inference_ms_b,anomaly_b\n"
                       "idle,0.8,0.2,4,wave,0.4,0.6,12,0.5\nwave,0.1,0.9,5,wave,0.3,0.7,13,0.25\n",
                       DS_FORMAT_AUTO);
   StrBuf b;
   StrBuf_init(&b);
   for (size_t r = 0; r < 2; r++)
      ds_render_record(&b, &x->t, r, DS_FORMAT_EI);
   Fixture *y = ingest(b.data, DS_FORMAT_AUTO);
   assert_int_equal(y->in.format, DS_FORMAT_EI);
   assert_int_equal(y->t.nrows, 2);
   assert_int_equal(y->in.bad_lines, 0);
   assert_int_equal(y->t.nmodels, 2);
   const char *cols[] = {"score_a_idle", "score_a_wave",   "inference_ms_a",
                         "score_b_wave", "inference_ms_b", "anomaly_b"};
   for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
      for (size_t r = 0; r < 2; r++)
         assert_rel(val(y, cols[i], r), val(x, cols[i], r), 1e-12);
   assert_string_equal(cls(y, val(y, "pred_a", 1)), "wave");
   assert_string_equal(cls(y, val(y, "pred_b", 0)), "wave");
   StrBuf_done(&b);
   fixture_free(y);
   fixture_free(x);
}

/* A model column (long format), no time column: a round ends when a
 * model comes round again, and once the first round told the models, as
 * soon as each has its line; a line with no model is a bad line. */
static void test_csv_model_column(void **state) {
   (void)state;
   const char *text = "x,model,pred,score_u,score_v,latency_ms\n"
                      "1,a,u,0.9,0.1,3\n1,b,,0.2,0.8,7\n"
                      "2,a,u,0.6,0.4,3\n2,b,,0.7,0.3,8\n"
                      "3,,u,0.6,0.4,3\n"
                      "4,b,,0.1,0.9,9\n4,a,v,0.5,0.5,4\n";
   Classes cl;
   Table t;
   Ingest in;
   Classes_init(&cl);
   assert_true(Table_init(&t, &cl, true));
   assert_true(Ingest_init(&in, &t, DS_FORMAT_CSV, "test"));
   Ingest_feed(&in, text, strlen(text));
   assert_int_equal(t.nrows, 3); /* the last round is complete at its second line */
   Ingest_finish(&in);
   assert_int_equal(t.nrows, 3);
   assert_int_equal(in.bad_lines, 1);
   assert_int_equal(t.nmodels, 2);
   assert_int_equal(Table_find(&t, "model"), -1);
   assert_int_equal(Table_find(&t, "pred"), -1);
   int pb = Table_find(&t, "pred_b"), lb = Table_find(&t, "latency_ms_b"), x = Table_find(&t, "x");
   assert_true(pb >= 0 && lb >= 0 && x >= 0);
   assert_int_equal(t.cols[lb]->model, 1);
   assert_string_equal(cl.name[(int)t.cols[pb]->v[0]], "v"); /* argmax of b's scores */
   assert_string_equal(cl.name[(int)t.cols[pb]->v[1]], "u");
   assert_rel(t.cols[lb]->v[2], 9, 0);
   assert_rel(t.cols[x]->v[2], 4, 0);
   assert_string_equal(cl.name[(int)t.cols[Table_find(&t, "pred_a")]->v[2]], "v");
   Ingest_done(&in);
   Table_done(&t);
   Classes_done(&cl);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv_model_column),
      cmocka_unit_test(test_render_ei_models),
      cmocka_unit_test(test_ei_multi_impulse),
      cmocka_unit_test(test_models),
      cmocka_unit_test(test_line_endings),
      cmocka_unit_test(test_pieces),
      cmocka_unit_test(test_too_long_and_binary),
      cmocka_unit_test(test_nul_is_binary),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_csv_roles),
      cmocka_unit_test(test_csv_bad_lines),
      cmocka_unit_test(test_headerless),
      cmocka_unit_test(test_edge_impulse),
      cmocka_unit_test(test_edge_impulse_banner),
      cmocka_unit_test(test_edge_impulse_live_block),
      cmocka_unit_test(test_plotter),
      cmocka_unit_test(test_detection),
      cmocka_unit_test(test_garbage),
      cmocka_unit_test(test_class_explosion),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_render_numeric),
      cmocka_unit_test(test_bom_and_colours),
      cmocka_unit_test(test_log_prefixes),
      cmocka_unit_test(test_ei_sdk_classification),
      cmocka_unit_test(test_ei_example_forms),
      cmocka_unit_test(test_ei_regression),
      cmocka_unit_test(test_ei_objects),
      cmocka_unit_test(test_ei_visual_anomaly),
      cmocka_unit_test(test_ei_incomplete),
      cmocka_unit_test(test_one_column_csv),
      cmocka_unit_test(test_decimal_comma),
      cmocka_unit_test(test_json_lines),
      cmocka_unit_test(test_json_sensiml),
      cmocka_unit_test(test_headerless_names),
      cmocka_unit_test(test_column_cap),
   };
   return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
