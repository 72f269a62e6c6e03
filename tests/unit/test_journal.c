// SPDX-License-Identifier: MIT
/* The label journal (io/journal): a new file gets the header, each row is
 * on disk when Journal_append returns, a second opener reads it and cannot
 * write, a cut last line is kept and skipped, a row the file refuses is
 * kept and written later. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/journal.h"
#include "testutil.h"

static char *file_text(const char *path) {
   FILE *f = fopen(path, "rb");
   assert_non_null(f);
   static char buf[4096];
   size_t n = fread(buf, 1, sizeof buf - 1, f);
   buf[n] = '\0';
   fclose(f);
   return buf;
}

static void add(Journal *j, LabelStore *ls, const char *label, bool ok) {
   StrBuf row;
   StrBuf_init(&row);
   assert_true(LabelStore_add(ls, 100, 200, label, "", "2026-12-01T00:00:00Z", &row) > 0);
   char msg[300] = "";
   assert_int_equal(Journal_append(j, &row, msg, sizeof msg), ok);
   if (!ok)
      assert_non_null(strstr(msg, "kept in memory"));
   StrBuf_done(&row);
}

static void test_journal(void **state) {
   (void)state;
   char path[] = "/tmp/ds-journal-XXXXXX";
   int fd = mkstemp(path);
   assert_true(fd >= 0);
   close(fd);
   Journal j, k;
   LabelStore ls, ls2;
   LabelStore_init(&ls);
   Journal_init(&j);
   Journal_open(&j, path, &ls);
   assert_null(j.readonly);
   assert_string_equal(file_text(path), DS_LABELS_HEADER "\n");
   add(&j, &ls, "walk", true);
   assert_non_null(strstr(file_text(path), ",walk,"));

   /* a second opener: loaded, read-only */
   LabelStore_init(&ls2);
   Journal_init(&k);
   Journal_open(&k, path, &ls2);
   assert_non_null(k.readonly);
   assert_non_null(strstr(k.readonly, "read-only"));
   assert_int_equal(ls2.n, 1);
   Journal_close(&k);
   LabelStore_done(&ls2);

   /* the file refuses (its fd made read-only): the row waits, then goes */
   int saved = j.fd;
   j.fd = open(path, O_RDONLY);
   add(&j, &ls, "run", false);
   assert_true(Journal_pending(&j));
   assert_null(strstr(file_text(path), ",run,"));
   close(j.fd);
   j.fd = saved;
   assert_true(Journal_flush(&j, NULL, 0));
   assert_false(Journal_pending(&j));
   assert_non_null(strstr(file_text(path), ",run,"));
   Journal_close(&j);
   LabelStore_done(&ls);

   /* a crash mid-row: the cut line is kept, skipped, and ended */
   FILE *f = fopen(path, "a");
   fputs("add,3,100,2", f);
   fclose(f);
   LabelStore_init(&ls);
   Journal_init(&j);
   Journal_open(&j, path, &ls);
   assert_true(j.load.torn);
   assert_int_equal(j.load.torn_bytes, 11);
   assert_int_equal(ls.n, 2);
   add(&j, &ls, "sit", true);
   assert_non_null(strstr(file_text(path), "add,3,100,2\nadd,"));
   Journal_close(&j);
   LabelStore_done(&ls);
   unlink(path);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_journal),
   };
   return cmocka_run_group_tests_name("journal", tests, NULL, NULL);
}
