// SPDX-License-Identifier: MIT
#include "driftscope/clock.h"

#include <math.h>
#include <stdio.h>

static bool fake;
static double fake_ms;
static time_t fake_epoch;

double ds_now_ms(void) {
   if (fake)
      return fake_ms;
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

time_t ds_wall_time(void) {
   return fake ? fake_epoch + (time_t)(fake_ms / 1000) : time(NULL);
}

void ds_wall_iso(char *buf, size_t n) {
   time_t now = ds_wall_time();
   struct tm tm;
   if (fake)
      gmtime_r(&now, &tm);
   else
      localtime_r(&now, &tm);
   strftime(buf, n, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

void ds_clock_fake(time_t wall_s) {
   fake = true;
   fake_ms = 0;
   fake_epoch = wall_s;
}

void ds_clock_waited(double ms) {
   if (fake && ms > 0)
      fake_ms += ms;
}

void ds_fmt_hms(char *out, size_t n, double ms) {
   if (!(ms >= 0)) {
      snprintf(out, n, "-");
      return;
   }
   long long tenths = llround(ms / 100);
   snprintf(out, n, "%lld:%02lld:%02lld.%lld", tenths / 36000, tenths / 600 % 60, tenths / 10 % 60, tenths % 10);
}
