// SPDX-License-Identifier: MIT
/* The label journal (replay, undo/redo, a torn tail, bad rows) and the
 * mapping of segments to records, against hand-written expectations. */
#include <stdlib.h>
#include <string.h>

#include "driftscope/export.h"
#include "driftscope/labels.h"
#include "testutil.h"

#define T0 "2026-11-23T10:00:00+0000"

static const Segment *nth(const LabelStore *s, size_t i) {
   assert_true(i < s->n);
   return &s->seg[i];
}

/* Add, edit, delete, undo, redo: the segments, and the journal rows
 * written for each, exactly. */
static void test_operations_and_rows(void **state) {
   (void)state;
   LabelStore s;
   LabelStore_init(&s);
   StrBuf j;
   StrBuf_init(&j);
   assert_int_equal(LabelStore_add(&s, 5000, 1200, "WALKING", "it calls this TURNING", T0, &j), 1); /* swapped */
   assert_int_equal(LabelStore_add(&s, 0, 900, "SEATED, still", "a \"quiet\" start", T0, &j), 2);
   assert_int_equal(LabelStore_add(&s, 100, 50, "", "", T0, &j), 0); /* no label: refused, no row */
   assert_int_equal(s.n, 2);
   assert_string_equal(nth(&s, 0)->label, "SEATED, still"); /* ordered by start */
   assert_rel(nth(&s, 1)->start_ms, 1200, 0);
   assert_true(LabelStore_edit(&s, 1, 1200, 6000.5, "WALKING", "", T0, &j));
   assert_false(LabelStore_edit(&s, 9, 0, 1, "X", "", T0, &j));
   assert_true(LabelStore_delete(&s, 2, T0, &j));
   assert_int_equal(s.n, 1);
   assert_true(LabelStore_undo(&s, T0, &j)); /* the delete */
   assert_int_equal(s.n, 2);
   assert_true(LabelStore_undo(&s, T0, &j)); /* the edit */
   assert_rel(LabelStore_find(&s, 1)->end_ms, 5000, 0);
   assert_string_equal(LabelStore_find(&s, 1)->note, "it calls this TURNING");
   assert_true(LabelStore_redo(&s, T0, &j)); /* the edit again */
   assert_rel(LabelStore_find(&s, 1)->end_ms, 6000.5, 0);
   assert_string_equal(j.data, "add,1,1200,5000,WALKING,it calls this TURNING," T0 "\n"
                               "add,2,0,900,\"SEATED, still\",\"a \"\"quiet\"\" start\"," T0 "\n"
                               "edit,1,1200,6000.5,WALKING,," T0 "\n"
                               "delete,2,0,900,\"SEATED, still\",\"a \"\"quiet\"\" start\"," T0 "\n"
                               "undo,,,,,," T0 "\n"
                               "undo,,,,,," T0 "\n"
                               "redo,,,,,," T0 "\n");
   /* a new operation drops what could be redone */
   assert_true(LabelStore_undo(&s, T0, &j));
   assert_int_equal(LabelStore_add(&s, 7000, 8000, "RUN", "", T0, &j), 3);
   assert_false(LabelStore_redo(&s, T0, &j));
   StrBuf_done(&j);
   LabelStore_done(&s);
}

/* Loading the journal gives the same segments, and the same undo/redo
 * history: a crash loses nothing. */
static void test_replay(void **state) {
   (void)state;
   LabelStore a, b;
   LabelStore_init(&a);
   LabelStore_init(&b);
   StrBuf j;
   StrBuf_init(&j);
   StrBuf_puts(&j, DS_LABELS_HEADER "\n");
   LabelStore_add(&a, 0, 1000, "A", "first", T0, &j);
   LabelStore_add(&a, 2000, 3000, "B", "", T0, &j);
   LabelStore_edit(&a, 2, 2000, 3500, "C", "renamed", T0, &j);
   LabelStore_delete(&a, 1, T0, &j);
   LabelStore_undo(&a, T0, &j);
   LabelStore_undo(&a, T0, &j);
   LabelLoad info;
   assert_true(LabelStore_load(&b, j.data, j.len, &info));
   assert_int_equal(info.rows, 6);
   assert_int_equal(info.bad_rows, 0);
   assert_false(info.torn);
   assert_int_equal(b.n, a.n);
   for (size_t i = 0; i < a.n; i++)
      assert_memory_equal(&a.seg[i], &b.seg[i], sizeof a.seg[i]);
   assert_string_equal(LabelStore_find(&b, 2)->label, "B"); /* the edit was undone */
   assert_true(LabelStore_redo(&b, T0, NULL));              /* and can be redone after the reload */
   assert_string_equal(LabelStore_find(&b, 2)->label, "C");
   assert_int_equal(LabelStore_add(&b, 9, 10, "D", "", T0, NULL), 3); /* ids go on */
   StrBuf_done(&j);
   LabelStore_done(&a);
   LabelStore_done(&b);
}

/* Power lost mid-write: the cut last line is left out and said; a row
 * that is not an operation is skipped with its line number. */
static void test_torn_and_bad(void **state) {
   (void)state;
   const char *text = DS_LABELS_HEADER "\n"
                                       "add,1,0,1000,A,,t\n"
                                       "frobnicate,1,0,1,A,,t\n"
                                       "edit,7,0,1,A,,t\n"
                                       "add,2,5,x,B,,t\n"
                                       "add,3,2000,3000,C,,t\n"
                                       "add,4,4000,50";
   LabelStore s;
   LabelStore_init(&s);
   LabelLoad info;
   assert_true(LabelStore_load(&s, text, strlen(text), &info));
   assert_true(info.torn);
   assert_int_equal(info.torn_bytes, strlen("add,4,4000,50"));
   assert_int_equal(info.rows, 2);
   assert_int_equal(info.bad_rows, 3); /* unknown op, unknown id, not a number */
   assert_int_equal(info.first_bad_line, 3);
   assert_int_equal(s.n, 2);
   assert_string_equal(nth(&s, 1)->label, "C");
   assert_int_equal(LabelStore_add(&s, 0, 1, "D", "", T0, NULL), 4);
   LabelStore_done(&s);
}

/* Segment -> records: both ends included, equal times all in, gaps. */
static void test_segment_records(void **state) {
   (void)state;
   const double t[] = {0, 100, 100, 200, 300, 1000, 1000, 1100};
   size_t first, n = 8;
   assert_int_equal(ds_segment_records(t, n, 100, 200, &first), 3); /* 100, 100, 200 */
   assert_int_equal(first, 1);
   assert_int_equal(ds_segment_records(t, n, 150, 250, &first), 1); /* only 200 */
   assert_int_equal(first, 3);
   assert_int_equal(ds_segment_records(t, n, 400, 900, &first), 0);   /* in the gap */
   assert_int_equal(ds_segment_records(t, n, 1000, 1000, &first), 2); /* a point: both records at it */
   assert_int_equal(first, 5);
   assert_int_equal(ds_segment_records(t, n, -50, 5000, &first), 8);
   assert_int_equal(first, 0);
   assert_int_equal(ds_segment_records(t, n, 1200, 1300, &first), 0);
}

static void test_at_and_limits(void **state) {
   (void)state;
   LabelStore s;
   LabelStore_init(&s);
   LabelStore_add(&s, 0, 1000, "A", "", T0, NULL);
   LabelStore_add(&s, 500, 700, "B", "", T0, NULL);
   assert_string_equal(LabelStore_at(&s, 600)->label, "B"); /* the later one where they overlap */
   assert_string_equal(LabelStore_at(&s, 1000)->label, "A");
   assert_null(LabelStore_at(&s, 1000.5));
   char note[600];
   memset(note, 'x', sizeof note);
   strcpy(note + DS_NOTE_MAX - 2, "\xc3\xa9tail"); /* é across the cut */
   long id = LabelStore_add(&s, 0, 1, "C", note, T0, NULL);
   size_t len = strlen(LabelStore_find(&s, id)->note);
   assert_int_equal(len, DS_NOTE_MAX - 2); /* cut before the é, not inside it */
   char path[64];
   ds_labels_path(path, sizeof path, "run.csv");
   assert_string_equal(path, "run.csv.labels.csv");
   LabelStore_done(&s);
}

/* Edge Impulse sample names: the label as the uploader reads it (up to the
 * first dot; letters, digits, space, - and _), the session's base name. */
static void test_ei_names(void **state) {
   (void)state;
   Classes cl;
   Classes_init(&cl);
   Table t;
   assert_true(Table_init(&t, &cl, true));
   int x = Table_add_column(&t, "x", ROLE_FEATURE, KIND_NUMERIC, -1);
   for (int i = 0; i < 4; i++) {
      Table_row_begin(&t);
      Table_row_set(&t, x, i);
      assert_true(Table_row_commit(&t, NULL));
   }
   const double tms[] = {0, 100, 200, 300};
   LabelStore s;
   LabelStore_init(&s);
   LabelStore_add(&s, 100, 200, "odd/label.v2", "", T0, NULL);
   size_t n;
   EiSample *v = ds_export_ei_samples(&t, tms, &s, "dir/my.session.csv", true, &n);
   assert_non_null(v);
   assert_int_equal(n, 3); /* the segment, then the unlabelled runs before and after it */
   assert_string_equal(v[0].name, "odd_label_v2.my.1");
   assert_int_equal(v[0].first, 1);
   assert_int_equal(v[0].count, 2);
   assert_string_equal(v[1].name, "unlabelled.my.u1");
   assert_int_equal(v[2].first, 3);
   StrBuf b;
   StrBuf_init(&b);
   ds_export_ei_csv(&b, &t, tms, &v[0]);
   assert_string_equal(b.data, "timestamp,x\n0,1\n100,2\n");
   StrBuf_done(&b);
   free(v);
   LabelStore_done(&s);
   Table_done(&t);
   Classes_done(&cl);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_operations_and_rows), cmocka_unit_test(test_replay),
      cmocka_unit_test(test_torn_and_bad),        cmocka_unit_test(test_segment_records),
      cmocka_unit_test(test_at_and_limits),       cmocka_unit_test(test_ei_names),
   };
   return cmocka_run_group_tests_name("labels", tests, NULL, NULL);
}
