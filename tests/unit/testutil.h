/* SPDX-License-Identifier: MIT */
/* Shared helpers for the cmocka unit tests. */
#ifndef DS_TESTUTIL_H
#define DS_TESTUTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

/* Fail unless |actual − expected| <= tol·|expected| (or both are 0). */
#define assert_rel(actual, expected, tol) assert_rel_at((actual), (expected), (tol), #actual, __FILE__, __LINE__)

static inline void assert_rel_at(double a, double e, double tol, const char *what, const char *file, int line) {
   double err = e == 0 ? fabs(a) : fabs(a - e) / fabs(e);
   if (!(err <= tol)) {
      print_error("%s = %.17g, expected %.17g (relative error %.3g > %.3g)\n", what, a, e, err, tol);
      _fail(file, line);
   }
}

#endif
