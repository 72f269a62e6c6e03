/* SPDX-License-Identifier: MIT */
/* The one clock: monotonic milliseconds for deadlines and rates, wall time
 * for stamps in files. Both can be replaced by a fake clock for tests
 * (DRIFTSCOPE_FAKE_CLOCK, read by the cli): its monotonic time starts at 0
 * and moves only when the event loop's wait runs out (by the wait's
 * timeout), so what is drawn after the same keys is the same on every run;
 * its wall time is a fixed epoch plus that. */
#ifndef DRIFTSCOPE_CLOCK_H
#define DRIFTSCOPE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Monotonic milliseconds (or the fake clock's). */
double ds_now_ms(void);
/* Seconds since the epoch (or the fake clock's). */
time_t ds_wall_time(void);
/* Local time as ISO 8601 with the offset: 2026-12-01T10:00:00+0000. */
void ds_wall_iso(char *buf, size_t n);
/* Switch to the fake clock at epoch seconds wall_s. */
void ds_clock_fake(time_t wall_s);
/* A wait of ms ran out: the fake clock moves by ms (the real one ignores it). */
void ds_clock_waited(double ms);

/* Session time ms as h:mm:ss.s (tenths rounded: "0:01:05.3"); "-" for NaN
 * or < 0. */
void ds_fmt_hms(char *out, size_t n, double ms);

#endif
