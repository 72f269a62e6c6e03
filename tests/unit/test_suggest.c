// SPDX-License-Identifier: MIT
/* Suggestions on a hand-made stream: each kind found where it is, scored
 * by hand, ranked; labelled records left out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/suggest.h"
#include "testutil.h"

/* 12 records. pred: A A B A B A A A A A A A (changes at records 2-5);
 * confidence 0.9 except 0.5 and 0.3 at records 2 and 3; truth only at
 * 8, 9 (B: the prediction A disagrees) and 10 (A: agrees). */
static void stream(Table *t, Classes *cl) {
   Classes_init(cl);
   assert_true(Table_init(t, cl, true));
   int A = Classes_intern(cl, "A", 1), B = Classes_intern(cl, "B", 1);
   int p = Table_add_column(t, "pred", ROLE_PRED, KIND_CATEGORICAL, -1);
   int y = Table_add_column(t, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
   int sa = Table_add_column(t, "score_A", ROLE_SCORE, KIND_NUMERIC, A);
   const char *pred = "AABABAAAAAAA";
   for (int r = 0; r < 12; r++) {
      double conf = r == 2 ? 0.5 : r == 3 ? 0.3 : 0.9;
      Table_row_begin(t);
      Table_row_set(t, p, pred[r] == 'A' ? A : B);
      Table_row_set(t, y, r == 8 || r == 9 ? B : r == 10 ? A : NAN);
      Table_row_set(t, sa, conf);
      assert_true(Table_row_commit(t, NULL));
   }
}

static void test_kinds_and_ranking(void **state) {
   (void)state;
   Classes cl;
   Table t;
   stream(&t, &cl);
   size_t n;
   Suggestion *s = ds_suggest(&t, NULL, NULL, 12, &n);
   assert_non_null(s);
   assert_int_equal(n, 3);
   /* flapping: windows ending at 4..11 hold >= 3 changes; the stretch runs
    * from the first window's start (0) to the end: 4 changes, 2 points */
   assert_int_equal(s[0].kind, SUGGEST_FLAPPING);
   assert_int_equal(s[0].first, 0);
   assert_int_equal(s[0].count, 12);
   assert_rel(s[0].score, 2.0, 1e-15);
   /* disagreement: records 8-9, 1 point each; ties rank by position */
   assert_int_equal(s[1].kind, SUGGEST_DISAGREE);
   assert_int_equal(s[1].first, 8);
   assert_int_equal(s[1].count, 2);
   assert_rel(s[1].score, 2.0, 1e-15);
   /* low confidence at 2-3: (0.6-0.5)/0.6 + (0.6-0.3)/0.6 = 2/3, mean 0.4 */
   assert_int_equal(s[2].kind, SUGGEST_LOW_CONFIDENCE);
   assert_int_equal(s[2].first, 2);
   assert_rel(s[2].score, 2.0 / 3.0, 1e-12);
   assert_rel(s[2].value, 0.4, 1e-12);
   free(s);

   /* record 2 labelled: low confidence only at 3; no flapping from record 2 on */
   bool labelled[12] = {false};
   labelled[2] = true;
   s = ds_suggest(&t, NULL, labelled, 12, &n);
   bool low = false;
   for (size_t i = 0; i < n; i++)
      if (s[i].kind == SUGGEST_LOW_CONFIDENCE) {
         low = true;
         assert_int_equal(s[i].first, 3);
         assert_rel(s[i].score, 0.5, 1e-12);
      }
   assert_true(low);
   free(s);
   /* only the first 5 records: no disagreement yet */
   s = ds_suggest(&t, NULL, NULL, 5, &n);
   for (size_t i = 0; i < n; i++)
      assert_int_not_equal(s[i].kind, SUGGEST_DISAGREE);
   free(s);
   Table_done(&t);
   Classes_done(&cl);
}

/* Two models (pred and pred_b) over 8 records: they differ at 1-3 and 6;
 * record 2 has truth and record 6 a label, so the stretches worth
 * labelling are 1 and 3 (2 points each) and they rank first, above a
 * truth disagreement (record 2: 1 point). */
static void test_models_disagree(void **state) {
   (void)state;
   Classes cl;
   Table t;
   Classes_init(&cl);
   assert_true(Table_init(&t, &cl, true));
   int A = Classes_intern(&cl, "A", 1), B = Classes_intern(&cl, "B", 1);
   int p = Table_add_named(&t, "pred"), q = Table_add_named(&t, "pred_b"), y = Table_add_named(&t, "label");
   const char *pa = "AAAAAAAA", *pb = "ABBBAABA";
   for (int r = 0; r < 8; r++) {
      Table_row_begin(&t);
      Table_row_set(&t, p, pa[r] == 'A' ? A : B);
      Table_row_set(&t, q, pb[r] == 'A' ? A : B);
      Table_row_set(&t, y, r == 2 ? B : NAN);
      assert_true(Table_row_commit(&t, NULL));
   }
   bool labelled[8] = {false};
   labelled[6] = true;
   size_t n;
   Suggestion *s = ds_suggest(&t, NULL, labelled, 8, &n);
   assert_non_null(s);
   assert_true(n >= 3);
   assert_int_equal(s[0].kind, SUGGEST_MODELS_DISAGREE);
   assert_int_equal(s[0].first, 1);
   assert_int_equal(s[0].count, 1);
   assert_rel(s[0].score, 2.0, 1e-15);
   assert_int_equal(s[1].kind, SUGGEST_MODELS_DISAGREE);
   assert_int_equal(s[1].first, 3);
   assert_int_equal(s[1].count, 1);
   assert_int_equal(s[2].kind, SUGGEST_DISAGREE);
   assert_int_equal(s[2].first, 2);
   for (size_t i = 2; i < n; i++)
      assert_int_not_equal(s[i].kind, SUGGEST_MODELS_DISAGREE);
   free(s);
   Table_done(&t);
   Classes_done(&cl);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_kinds_and_ranking),
      cmocka_unit_test(test_models_disagree),
   };
   return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
