// SPDX-License-Identifier: MIT
#include "driftscope/spectrum.h"

#include <kiss_fftr.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t ds_spectrum_nfft(size_t n) {
   if (n < DS_SPECTRUM_MIN_NFFT)
      return 0;
   size_t p = DS_SPECTRUM_MIN_NFFT;
   while (p * 2 <= n / DS_SPECTRUM_SEGMENTS && p * 2 <= DS_SPECTRUM_MAX_NFFT)
      p *= 2;
   return p;
}

void Spectrum_done(Spectrum *s) {
   free(s->power);
   memset(s, 0, sizeof *s);
}

static bool power_of_two(size_t n) {
   return n && (n & (n - 1)) == 0;
}

bool ds_welch(const double *x, size_t n, double rate, size_t nfft, Spectrum *out, char *err, size_t errlen) {
   memset(out, 0, sizeof *out);
   if (!power_of_two(nfft) || nfft < DS_SPECTRUM_MIN_NFFT || nfft > DS_SPECTRUM_MAX_NFFT || nfft > n) {
      snprintf(err, errlen, "%zu samples: need at least %d (segments of %zu)", n, DS_SPECTRUM_MIN_NFFT, nfft);
      return false;
   }
   if (!(rate > 0) || !isfinite(rate)) {
      snprintf(err, errlen, "unknown sample rate");
      return false;
   }
   size_t nbins = nfft / 2 + 1, step = nfft / 2;
   kiss_fftr_cfg cfg = kiss_fftr_alloc((int)nfft, 0, NULL, NULL);
   kiss_fft_scalar *seg = malloc(nfft * sizeof *seg);
   kiss_fft_cpx *bins = malloc(nbins * sizeof *bins);
   double *w = malloc(nfft * sizeof *w);
   out->power = calloc(nbins, sizeof *out->power);
   if (!cfg || !seg || !bins || !w || !out->power) {
      snprintf(err, errlen, "out of memory");
      free(cfg), free(seg), free(bins), free(w);
      Spectrum_done(out);
      return false;
   }
   double s2 = 0;
   for (size_t i = 0; i < nfft; i++) { /* periodic Hann, as scipy's get_window('hann', n) */
      w[i] = 0.5 - 0.5 * cos(2 * M_PI * (double)i / (double)nfft);
      s2 += w[i] * w[i];
   }
   size_t segments = (n - nfft) / step + 1;
   for (size_t k = 0; k < segments; k++) {
      const double *s = x + k * step;
      double mean = 0;
      for (size_t i = 0; i < nfft; i++)
         mean += s[i];
      mean /= (double)nfft;
      for (size_t i = 0; i < nfft; i++)
         seg[i] = (kiss_fft_scalar)((s[i] - mean) * w[i]);
      kiss_fftr(cfg, seg, bins);
      for (size_t b = 0; b < nbins; b++)
         out->power[b] += (double)bins[b].r * bins[b].r + (double)bins[b].i * bins[b].i;
   }
   double scale = 1.0 / (rate * s2 * (double)segments);
   for (size_t b = 0; b < nbins; b++)
      out->power[b] *= scale * (b == 0 || b == nbins - 1 ? 1.0 : 2.0);
   out->nbins = nbins;
   out->nfft = nfft;
   out->segments = segments;
   out->rate = rate;
   out->df = rate / (double)nfft;
   free(cfg);
   free(seg);
   free(bins);
   free(w);
   return true;
}

double ds_spectrum_dominant(const Spectrum *s, double lo, double hi) {
   size_t best = 0;
   for (size_t b = 1; b < s->nbins; b++) {
      double f = (double)b * s->df;
      if (f >= lo && f <= hi && (!best || s->power[b] > s->power[best]))
         best = b;
   }
   return best ? (double)best * s->df : NAN;
}

void ds_spectrum_band_edges(double rate, double edges[DS_SPECTRUM_BANDS + 1]) {
   edges[0] = 0;
   for (int i = DS_SPECTRUM_BANDS; i > 0; i--)
      edges[i] = i == DS_SPECTRUM_BANDS ? rate / 2 : edges[i + 1] / 2;
}

void ds_spectrum_bands(const Spectrum *s, double power[DS_SPECTRUM_BANDS]) {
   double edges[DS_SPECTRUM_BANDS + 1];
   ds_spectrum_band_edges(s->rate, edges);
   for (int i = 0; i < DS_SPECTRUM_BANDS; i++)
      power[i] = 0;
   int band = 0;
   for (size_t b = 0; b < s->nbins; b++) {
      double f = (double)b * s->df;
      while (band < DS_SPECTRUM_BANDS - 1 && f >= edges[band + 1])
         band++;
      power[band] += s->power[b] * s->df;
   }
}

double ds_spectrum_threshold(double calibrated) {
   return isnan(calibrated) ? DS_SPECTRUM_JS_DRIFT : fmax(DS_SPECTRUM_JS_DRIFT, calibrated);
}

double ds_spectrum_calibrate(const double *x, size_t n, size_t m, double rate, size_t nfft) {
   if (m > n / 2)
      m = n / 2;
   if (m < nfft || n - m < nfft)
      return NAN;
   size_t k = DS_SPECTRUM_CALIBRATION; /* overlapping when fewer than k fit side by side */
   double *rest = malloc((n - m) * sizeof *rest), worst = NAN;
   if (!rest)
      return NAN;
   for (size_t i = 0; i < k; i++) {
      size_t at = k > 1 ? i * (n - m) / (k - 1) : 0; /* stretch i: [at, at + m) */
      memcpy(rest, x, at * sizeof *x);
      memcpy(rest + at, x + at + m, (n - at - m) * sizeof *x);
      Spectrum a, b;
      char err[128];
      if (!ds_welch(x + at, m, rate, nfft, &a, err, sizeof err))
         continue;
      if (ds_welch(rest, n - m, rate, nfft, &b, err, sizeof err)) {
         double js = ds_spectrum_js(&a, &b);
         if (!isnan(js) && !(js <= worst))
            worst = js;
         Spectrum_done(&b);
      }
      Spectrum_done(&a);
   }
   free(rest);
   return worst;
}

double ds_spectrum_js(const Spectrum *a, const Spectrum *b) {
   if (a->nbins != b->nbins || !a->nbins)
      return NAN;
   double sa = 0, sb = 0;
   for (size_t k = 0; k < a->nbins; k++) {
      sa += a->power[k];
      sb += b->power[k];
   }
   if (!(sa > 0) || !(sb > 0))
      return NAN;
   double js = 0;
   for (size_t k = 0; k < a->nbins; k++) {
      double p = a->power[k] / sa, q = b->power[k] / sb, m = 0.5 * (p + q);
      if (p > 0)
         js += 0.5 * p * log(p / m);
      if (q > 0)
         js += 0.5 * q * log(q / m);
   }
   return sqrt(fmax(js, 0));
}
