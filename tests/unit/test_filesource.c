// SPDX-License-Identifier: MIT
/* Reading files: the two-thread CSV path must give exactly what the serial
 * path gives (values, class ids, counters, line numbers of bad lines). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/filesource.h"
#include "testutil.h"

/* A CSV over DS_SPLIT_MIN_BYTES with bad lines in both halves and classes
 * that first appear only in the second half. */
static char *make_file(void) {
   static char path[] = "/tmp/ds-split-XXXXXX";
   int fd = mkstemp(path);
   assert_true(fd >= 0);
   FILE *f = fdopen(fd, "w");
   fprintf(f, "x,y,label,pred\n");
   unsigned s = 7;
   long rows = 0;
   while (ftell(f) < (long)DS_SPLIT_MIN_BYTES + 200000) {
      s = s * 1103515245u + 12345u;
      if (rows == 10)
         fprintf(f, "1,2\n"); /* too few fields */
      if (rows == 190000)
         fprintf(f, "\"unterminated,1,a,b\n");
      if (rows == 200000)
         fprintf(f, "\x01\x02\n");
      const char *lab = rows > 180000 && rows % 997 == 0 ? (rows % 2 ? "late_one" : "late_two")
                        : (s >> 8) % 2                   ? "a"
                                                         : "b";
      fprintf(f, "%u.%03u,%s,%s,%s\n", (s >> 4) % 100, (s >> 12) % 1000, rows == 195000 ? "oops" : "0.5", lab,
              (s >> 16) % 3 ? "a" : "c");
      rows++;
   }
   fclose(f);
   return path;
}

static void test_split_equals_serial(void **state) {
   (void)state;
   char *path = make_file();
   Classes c1, c2;
   Table t1, t2;
   Ingest i1, i2;
   DsError e;
   Classes_init(&c1);
   Classes_init(&c2);
   assert_true(Table_init(&t1, &c1, false));
   assert_true(Table_init(&t2, &c2, false));
   assert_true(Ingest_init(&i1, &t1, DS_FORMAT_AUTO, path));
   assert_true(Ingest_init(&i2, &t2, DS_FORMAT_AUTO, path));
   assert_true(ds_ingest_file(path, &i1, &e));
   assert_true(ds_ingest_file_split(path, &i2, &e));
   assert_int_equal(t1.nrows, t2.nrows);
   assert_int_equal(t1.ncols, t2.ncols);
   assert_int_equal(c1.n, c2.n);
   assert_int_equal(c1.n, 5); /* a, b, c, late_two, late_one in order of appearance */
   for (int c = 0; c < c1.n; c++)
      assert_string_equal(c1.name[c], c2.name[c]);
   for (int k = 0; k < t1.ncols; k++)
      for (size_t r = 0; r < t1.nrows; r++) {
         double a = t1.cols[k]->v[r], b = t2.cols[k]->v[r];
         if (!(a == b || (isnan(a) && isnan(b))))
            fail_msg("column %s row %zu: %g vs %g", t1.cols[k]->name, r, a, b);
      }
   assert_int_equal(i1.lines, i2.lines);
   assert_int_equal(i1.bad_lines, 3);
   assert_int_equal(i2.bad_lines, 3);
   assert_int_equal(i2.bad_fields, 1);
   assert_int_equal(i1.nfirst_bad, i2.nfirst_bad);
   for (int k = 0; k < i1.nfirst_bad; k++)
      assert_int_equal(i1.first_bad[k].lineno, i2.first_bad[k].lineno);
   assert_int_equal(i1.last_bad.lineno, i2.last_bad.lineno);
   Ingest_done(&i1);
   Ingest_done(&i2);
   Table_done(&t1);
   Table_done(&t2);
   Classes_done(&c1);
   Classes_done(&c2);
   unlink(path);
}

/* Joining halves: a class of the second half that did not fit under the
 * cap (remap -1) is missing, as the serial parse leaves it; new ids move. */
static void test_append_remap(void **state) {
   (void)state;
   Classes shared, local;
   Table a, b;
   Classes_init(&shared);
   Classes_init(&local);
   assert_int_equal(Classes_intern(&shared, "x", 1), 0);
   assert_true(Classes_copy(&local, &shared));
   assert_true(Table_init(&a, &shared, false));
   assert_true(Table_init(&b, &local, false));
   int ca = Table_add_column(&a, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   assert_true(Table_clone_schema(&b, &a));
   int y = Classes_intern(&local, "y", 1), z = Classes_intern(&local, "z", 1);
   double vals[] = {0, y, z};
   for (int i = 0; i < 3; i++) {
      Table_row_begin(&b);
      Table_row_set(&b, ca, vals[i]);
      assert_true(Table_row_commit(&b, NULL));
   }
   int remap[] = {5, -1}; /* y -> 5, z past the cap */
   assert_true(Table_append(&a, &b, 1, remap));
   assert_int_equal(a.nrows, 3);
   assert_rel(a.cols[ca]->v[0], 0, 0);
   assert_rel(a.cols[ca]->v[1], 5, 0);
   assert_true(isnan(a.cols[ca]->v[2]));
   Table_done(&a);
   Table_done(&b);
   Classes_done(&shared);
   Classes_done(&local);
}

static void test_missing_file(void **state) {
   (void)state;
   Classes c;
   Table t;
   Ingest in;
   DsError e;
   Classes_init(&c);
   assert_true(Table_init(&t, &c, false));
   assert_true(Ingest_init(&in, &t, DS_FORMAT_AUTO, "nope"));
   assert_false(ds_ingest_file_split("/nonexistent/file.csv", &in, &e));
   assert_non_null(strstr(e.msg, "cannot open"));
   Ingest_done(&in);
   Table_done(&t);
   Classes_done(&c);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_split_equals_serial),
      cmocka_unit_test(test_append_remap),
      cmocka_unit_test(test_missing_file),
   };
   return cmocka_run_group_tests_name("filesource", tests, NULL, NULL);
}
