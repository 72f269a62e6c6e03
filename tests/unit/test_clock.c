// SPDX-License-Identifier: MIT
/* The fake clock tests use for golden screens: it starts at 0, moves only
 * by the waits that ran out, and its wall time is the epoch given plus
 * that (1764583200 is 2025-12-01 10:00:00 UTC, from `date -u -d @...`). */
#include <string.h>

#include "driftscope/clock.h"
#include "testutil.h"

static void real_clock_moves_forward(void **state) {
   (void)state;
   double a = ds_now_ms();
   struct timespec ts = {0, 2000000};
   nanosleep(&ts, NULL);
   double b = ds_now_ms();
   assert_true(b - a >= 2.0);
}

static void fake_clock_moves_only_by_waits(void **state) {
   (void)state;
   ds_clock_fake(1764583200);
   assert_true(ds_now_ms() == 0);
   struct timespec ts = {0, 2000000};
   nanosleep(&ts, NULL);
   assert_true(ds_now_ms() == 0);
   ds_clock_waited(50);
   ds_clock_waited(-1); /* a wait with no limit never runs out */
   ds_clock_waited(1950);
   assert_true(ds_now_ms() == 2000);
   assert_int_equal(ds_wall_time(), 1764583202);
   char iso[64];
   ds_wall_iso(iso, sizeof iso);
   assert_string_equal(iso, "2025-12-01T10:00:02+0000");
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(real_clock_moves_forward),
      cmocka_unit_test(fake_clock_moves_only_by_waits),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
