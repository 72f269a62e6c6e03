// SPDX-License-Identifier: MIT
/* Welch spectra with kissfft against analytic cases (a sine in its bin,
 * Parseval's relation, flat white noise), scipy.signal.welch's values, and
 * the Jensen-Shannon distance at its ends. The FFT is single precision:
 * tolerances are 1e-5 relative. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/spectrum.h"
#include "testutil.h"

static void test_nfft(void **state) {
   (void)state;
   assert_int_equal(ds_spectrum_nfft(7), 0);
   assert_int_equal(ds_spectrum_nfft(8), 8);
   assert_int_equal(ds_spectrum_nfft(100), 8);   /* 100 / 8 = 12 */
   assert_int_equal(ds_spectrum_nfft(1000), 64); /* 1000 / 8 = 125 */
   assert_int_equal(ds_spectrum_nfft(2048), 256);
   assert_int_equal(ds_spectrum_nfft(20000), 1024);
}

/* A sine at bin k's frequency: the dominant frequency is k * fs / nfft,
 * for several lengths and rates. */
static void test_sine_bin(void **state) {
   (void)state;
   const struct {
      double fs;
      size_t nfft, n, k;
   } c[] = {{100, 256, 1024, 31}, {200, 1024, 4000, 60}, {1000, 64, 64, 5}, {16, 8, 100, 3}};
   for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
      double *x = malloc(c[i].n * sizeof *x), f = (double)c[i].k * c[i].fs / (double)c[i].nfft;
      for (size_t t = 0; t < c[i].n; t++)
         x[t] = 3 * sin(2 * M_PI * f * (double)t / c[i].fs);
      Spectrum s;
      char err[128];
      assert_true(ds_welch(x, c[i].n, c[i].fs, c[i].nfft, &s, err, sizeof err));
      assert_int_equal(s.nbins, c[i].nfft / 2 + 1);
      assert_rel(ds_spectrum_dominant(&s, 0, INFINITY), f, 1e-12);
      Spectrum_done(&s);
      free(x);
   }
}

/* Parseval for the Welch density: the sum of PSD * df is the mean over
 * segments of sum((x - mean) w)^2 / sum(w^2). */
static void test_parseval(void **state) {
   (void)state;
   enum { N = 1000, NFFT = 256 };
   double x[N], w[NFFT], s2 = 0;
   srand(3);
   for (int i = 0; i < N; i++)
      x[i] = (double)rand() / RAND_MAX - 0.3 + 0.001 * i;
   for (int i = 0; i < NFFT; i++) {
      w[i] = 0.5 - 0.5 * cos(2 * M_PI * i / NFFT);
      s2 += w[i] * w[i];
   }
   double want = 0;
   int segs = (N - NFFT) / (NFFT / 2) + 1;
   for (int k = 0; k < segs; k++) {
      double mean = 0, e = 0;
      for (int i = 0; i < NFFT; i++)
         mean += x[k * NFFT / 2 + i] / NFFT;
      for (int i = 0; i < NFFT; i++)
         e += pow((x[k * NFFT / 2 + i] - mean) * w[i], 2);
      want += e / s2 / segs;
   }
   Spectrum s;
   char err[128];
   assert_true(ds_welch(x, N, 50, NFFT, &s, err, sizeof err));
   assert_int_equal(s.segments, segs);
   double got = 0;
   for (size_t b = 0; b < s.nbins; b++)
      got += s.power[b] * s.df;
   assert_rel(got, want, 1e-5);
   Spectrum_done(&s);
}

/* White noise of variance v: the one-sided density is 2 v / fs in every bin. */
static void test_white_noise(void **state) {
   (void)state;
   enum { N = 256 * 200, NFFT = 256 };
   double *x = malloc(N * sizeof *x), sigma = 2, fs = 100;
   srand(11);
   for (int i = 0; i < N; i += 2) { /* Box-Muller */
      double u = ((double)rand() + 1) / ((double)RAND_MAX + 2), v = ((double)rand() + 1) / ((double)RAND_MAX + 2);
      x[i] = sigma * sqrt(-2 * log(u)) * cos(2 * M_PI * v);
      x[i + 1] = sigma * sqrt(-2 * log(u)) * sin(2 * M_PI * v);
   }
   Spectrum s;
   char err[128];
   assert_true(ds_welch(x, N, fs, NFFT, &s, err, sizeof err));
   double level = 2 * sigma * sigma / fs, mean = 0;
   for (size_t b = 1; b + 1 < s.nbins; b++) {
      assert_true(fabs(s.power[b] / level - 1) < 0.3); /* ~400 segments: a bin within 30% */
      mean += s.power[b] / (double)(s.nbins - 2);
   }
   assert_true(fabs(mean / level - 1) < 0.03);
   Spectrum_done(&s);
   free(x);
}

/* scipy 1.10: welch(sin(0.3 i) + 0.5 cos(1.1 i) + 0.01 i, fs=50, nperseg=64), i < 300 */
static void test_scipy_welch(void **state) {
   (void)state;
   double x[300];
   for (int i = 0; i < 300; i++)
      x[i] = sin(0.3 * i) + 0.5 * cos(1.1 * i) + 0.01 * i;
   Spectrum s;
   char err[128];
   assert_true(ds_welch(x, 300, 50, 64, &s, err, sizeof err));
   assert_int_equal(s.nbins, 33);
   assert_rel(s.power[0], 0.00012699185676245652, 1e-4); /* DC after the mean is gone: float noise shows */
   assert_rel(s.power[1], 0.010049299136767184, 1e-5);
   assert_rel(s.power[5], 4.8764457548541755e-05, 1e-4);
   assert_rel(s.power[10], 0.013171130797096486, 1e-5);
   assert_rel(ds_spectrum_dominant(&s, 0, INFINITY), 2.34375, 0);
   Spectrum_done(&s);
}

/* Octave bands at 200 Hz, and two sines on bins of a 256-point segment
 * (df = 0.78125 Hz): A = 2 at 37.5 Hz (bin 48) and B = 0.5 at 5.46875 Hz
 * (bin 7). On a bin, the periodic Hann window gives the sine's power
 * A^2/2 exactly, spread over bins k-1, k, k+1 as 1/6, 4/6, 1/6 (the
 * window's transform is 1/2 at 0 and -1/4 at +-1 bin). So band 25-50 Hz
 * holds 2, band 3.125-6.25 holds 5/6 of 0.125 and band 6.25-12.5 the
 * other 1/6: bin 8 is at 6.25 Hz, the next band's lower edge. */
static void test_bands_and_dominant_band(void **state) {
   (void)state;
   double e[DS_SPECTRUM_BANDS + 1], want_e[] = {0, 3.125, 6.25, 12.5, 25, 50, 100};
   ds_spectrum_band_edges(200, e);
   for (int i = 0; i <= DS_SPECTRUM_BANDS; i++)
      assert_rel(e[i], want_e[i], 0);
   enum { N = 2048, NFFT = 256 };
   double *x = malloc(N * sizeof *x);
   for (int t = 0; t < N; t++)
      x[t] = 2 * sin(2 * M_PI * 37.5 * t / 200) + 0.5 * cos(2 * M_PI * 5.46875 * t / 200);
   Spectrum s;
   char err[128];
   assert_true(ds_welch(x, N, 200, NFFT, &s, err, sizeof err));
   double p[DS_SPECTRUM_BANDS];
   ds_spectrum_bands(&s, p);
   double want[] = {0, 0.125 * 5 / 6, 0.125 / 6, 0, 2, 0};
   for (int i = 0; i < DS_SPECTRUM_BANDS; i++)
      assert_true(fabs(p[i] - want[i]) <= 1e-5 * 2);
   assert_rel(ds_spectrum_dominant(&s, 0, INFINITY), 37.5, 0);
   assert_rel(ds_spectrum_dominant(&s, 0, 25), 5.46875, 0);            /* below the stronger line */
   assert_rel(ds_spectrum_dominant(&s, 5.46875, 5.46875), 5.46875, 0); /* both ends included */
   assert_true(isnan(ds_spectrum_dominant(&s, 100.5, 200)));           /* no bin in the band */
   Spectrum_done(&s);
   free(x);
}

/* Receive times of a 100 Hz board: one record a read; three a read every
 * 30 ms (records 1-2 came with record 0, before the span: 6 records in
 * 60 ms); the same with a 5 s gap (a pulled cable) in the middle; no
 * span at all. */
static void test_rx_rate(void **state) {
   (void)state;
   double one[50], batched[] = {0, 0, 0, 30, 30, 30, 60, 60, 60},
                   gap[] = {0, 0, 0, 30, 30, 30, 5030, 5030, 5030, 5060, 5060, 5060}, same[] = {7, 7, 7};
   for (int i = 0; i < 50; i++)
      one[i] = 1000 + 10.0 * i;
   assert_rel(ds_rx_rate(one, 50), 100, 1e-12);
   assert_rel(ds_rx_rate(batched, 9), 100, 1e-12);
   assert_rel(ds_rx_rate(gap, 12), 100, 1e-12);
   assert_true(isnan(ds_rx_rate(same, 3)));
   assert_true(isnan(ds_rx_rate(one, 1)));
}

static void test_js_and_refusals(void **state) {
   (void)state;
   double pa[5] = {0, 0, 0, 4, 0}, pb[5] = {0, 0, 0, 0, 1}, pc[5] = {0, 0, 0, 8, 0};
   Spectrum a = {pa, 5, 8, 1, 8, 1}, b = {pb, 5, 8, 1, 8, 1}, c = {pc, 5, 8, 1, 8, 1};
   assert_rel(ds_spectrum_js(&a, &c), 0, 0);                  /* the same shape at any level */
   assert_rel(ds_spectrum_js(&a, &b), sqrt(log(2.0)), 1e-15); /* no bin in common */
   double x[100] = {0};
   Spectrum s;
   char err[128];
   assert_false(ds_welch(x, 100, 50, 100, &s, err, sizeof err)); /* not a power of two: kissfft is not asked */
   assert_false(ds_welch(x, 100, 50, 128, &s, err, sizeof err)); /* longer than the signal */
   assert_false(ds_welch(x, 100, 0, 64, &s, err, sizeof err));
   assert_string_equal(err, "unknown sample rate");
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nfft),
      cmocka_unit_test(test_sine_bin),
      cmocka_unit_test(test_parseval),
      cmocka_unit_test(test_white_noise),
      cmocka_unit_test(test_scipy_welch),
      cmocka_unit_test(test_js_and_refusals),
      cmocka_unit_test(test_bands_and_dominant_band),
      cmocka_unit_test(test_rx_rate),
   };
   return cmocka_run_group_tests_name("spectrum", tests, NULL, NULL);
}
