// SPDX-License-Identifier: MIT
/* make bench: the cost of the spectrum view's update: 8 features, each a
 * window's Welch spectrum (kissfft), its Jensen-Shannon distance to the
 * (kept) reference spectrum, the dominant frequency in a band and the
 * octave bands; for 1024-sample windows and for 8192-sample ones (1024-
 * point segments). Prints the CPU time of one update and the share of a
 * core at 10 updates a second. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "driftscope/spectrum.h"

#define FEATURES 8

static double cpu_s(void) {
   struct timespec ts;
   clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
   return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One configuration: FEATURES windows of n samples against references of
 * 4 n; prints its line, returns false on an error. */
static bool run(size_t n) {
   double *x = malloc(FEATURES * n * sizeof *x), *r = malloc(FEATURES * 4 * n * sizeof *r);
   if (!x || !r)
      return false;
   srand(5);
   for (int f = 0; f < FEATURES; f++) {
      for (size_t i = 0; i < n; i++)
         x[f * n + i] = sin(0.1 * (f + 1) * (double)i) + (double)rand() / RAND_MAX;
      for (size_t i = 0; i < 4 * n; i++)
         r[f * 4 * n + i] = sin(0.1 * (f + 1) * (double)i) + (double)rand() / RAND_MAX;
   }
   size_t nfft = ds_spectrum_nfft(n);
   Spectrum ref[FEATURES];
   char err[128];
   for (int f = 0; f < FEATURES; f++)
      if (!ds_welch(r + f * 4 * n, 4 * n, 200, nfft, &ref[f], err, sizeof err))
         return fprintf(stderr, "%s\n", err), false;
   long updates = 0;
   double sum = 0, t0 = cpu_s();
   while (cpu_s() - t0 < 2.0) {
      for (int f = 0; f < FEATURES; f++) { /* what view 5 and report compute per feature */
         Spectrum s;
         double bands[DS_SPECTRUM_BANDS];
         if (!ds_welch(x + f * n, n, 200, nfft, &s, err, sizeof err))
            return fprintf(stderr, "%s\n", err), false;
         sum += ds_spectrum_js(&s, &ref[f]) + ds_spectrum_dominant(&s, 0, 25);
         ds_spectrum_bands(&s, bands);
         sum += bands[0];
         Spectrum_done(&s);
      }
      updates++;
   }
   double per = (cpu_s() - t0) / (double)updates;
   printf("spectrum: %d features x %zu-sample windows (%zu-point segments): %.3f ms an update, "
          "%.3f%% of a core at 10 Hz (target <= 2%%)   [checksum %.3f]\n",
          FEATURES, n, nfft, per * 1e3, per * 10 * 100, sum / (double)updates);
   for (int f = 0; f < FEATURES; f++)
      Spectrum_done(&ref[f]);
   free(x);
   free(r);
   return true;
}

int main(void) {
   /* 1024-sample windows, and windows long enough for 1024-point segments */
   return run(1024) && run(8 * DS_SPECTRUM_MAX_NFFT) ? 0 : 1;
}
