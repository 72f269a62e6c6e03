// SPDX-License-Identifier: MIT
/* make bench: the cost of the spectrum view's update: 8 features, each a
 * 1024-sample window's Welch spectrum (kissfft) and its Jensen-Shannon
 * distance to the (kept) reference spectrum. Prints the CPU time of one
 * update and the share of a core at 10 updates a second. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "driftscope/spectrum.h"

#define FEATURES 8
#define N 1024

static double cpu_s(void) {
   struct timespec ts;
   clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
   return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void) {
   static double x[FEATURES][N], r[FEATURES][4 * N];
   srand(5);
   for (int f = 0; f < FEATURES; f++) {
      for (int i = 0; i < N; i++)
         x[f][i] = sin(0.1 * (f + 1) * i) + (double)rand() / RAND_MAX;
      for (int i = 0; i < 4 * N; i++)
         r[f][i] = sin(0.1 * (f + 1) * i) + (double)rand() / RAND_MAX;
   }
   size_t nfft = ds_spectrum_nfft(N);
   Spectrum ref[FEATURES];
   char err[128];
   for (int f = 0; f < FEATURES; f++)
      if (!ds_welch(r[f], 4 * N, 200, nfft, &ref[f], err, sizeof err))
         return fprintf(stderr, "%s\n", err), 1;
   long updates = 0;
   double js = 0, t0 = cpu_s();
   while (cpu_s() - t0 < 2.0) {
      for (int f = 0; f < FEATURES; f++) {
         Spectrum s;
         if (!ds_welch(x[f], N, 200, nfft, &s, err, sizeof err))
            return fprintf(stderr, "%s\n", err), 1;
         js += ds_spectrum_js(&s, &ref[f]);
         Spectrum_done(&s);
      }
      updates++;
   }
   double per = (cpu_s() - t0) / (double)updates;
   printf("spectrum: %d features x %d-sample windows (%zu-point segments): %.3f ms an update, "
          "%.3f%% of a core at 10 Hz (target <= 2%%)   [checksum %.3f]\n",
          FEATURES, N, nfft, per * 1e3, per * 10 * 100, js / (double)updates);
   for (int f = 0; f < FEATURES; f++)
      Spectrum_done(&ref[f]);
   return 0;
}
