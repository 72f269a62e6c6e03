// SPDX-License-Identifier: MIT
/* Spectra of a report's features (Analysis_spectra) and sample rates. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/analysis.h"
#include "driftscope/spectrum.h"
#include "driftscope/stats.h"

static int cmp_double(const void *a, const void *b) {
   double x = *(const double *)a, y = *(const double *)b;
   return (x > y) - (x < y);
}

static double median_step(const Table *t, int c, size_t first, size_t n) {
   if (c < 0 || !t->cols[c]->stored || n < 2)
      return NAN;
   double *d = malloc((n - 1) * sizeof *d);
   if (!d)
      return NAN;
   size_t k = 0;
   for (size_t r = first + 1; r < first + n; r++) {
      double a = Table_at(t, c, r - 1), b = Table_at(t, c, r);
      if (!isnan(a) && !isnan(b) && b > a)
         d[k++] = b - a;
   }
   qsort(d, k, sizeof *d, cmp_double);
   double m = k ? (k % 2 ? d[k / 2] : 0.5 * (d[k / 2 - 1] + d[k / 2])) : NAN;
   free(d);
   return m;
}

double ds_rx_rate(const double *t, size_t n) {
   /* records read together share a time, the time their last one came:
    * those read with the first one (or the first after a gap) were sampled
    * before the span began, so they are not counted */
   double span = 0;
   size_t count = 0;
   bool start = true;
   for (size_t i = 1; i < n; i++) {
      double d = t[i] - t[i - 1];
      if (isnan(d) || d < 0 || d > DS_RX_GAP_MS) {
         start = true;
      } else if (d > 0) {
         span += d;
         count++;
         start = false;
      } else if (!start) {
         count++;
      }
   }
   return span > 0 ? 1000.0 * (double)count / span : NAN;
}

double ds_sample_rate(const Table *t, size_t first, size_t n) {
   double step = median_step(t, t->time_col, first, n);
   if (!isnan(step))
      return step > 0 ? 1000.0 / step : NAN;
   if (t->rx_col < 0 || !t->cols[t->rx_col]->stored || n < 2)
      return NAN;
   double *rx = malloc(n * sizeof *rx);
   if (!rx)
      return NAN;
   for (size_t r = 0; r < n; r++)
      rx[r] = Table_at(t, t->rx_col, first + r);
   double rate = ds_rx_rate(rx, n);
   free(rx);
   return rate;
}

double ds_spectrum_rate(const Table *t, size_t first, size_t n, double fallback) {
   double rate = ds_sample_rate(t, first, n);
   return isnan(rate) ? fallback : rate;
}

size_t ds_column_samples(const Table *t, int c, size_t first, size_t n, double *out) {
   size_t k = 0;
   for (size_t r = first; r < first + n; r++) {
      double v = Table_at(t, c, r);
      if (!isnan(v))
         out[k++] = v;
   }
   return k;
}

void SpectrumOptions_default(SpectrumOptions *o) {
   o->rate_hz = NAN;
   o->band_lo = 0;
   o->band_hi = INFINITY;
}

bool ds_raw_samples(const Table *cur) {
   for (int c = 0; c < cur->ncols; c++) {
      ColumnRole r = cur->cols[c]->role;
      if (r == ROLE_PRED || r == ROLE_SCORE || r == ROLE_TRUTH)
         return false;
   }
   return true;
}

static bool one(ColumnReport *cr, const Table *ref, const Table *cur, size_t first, size_t rows, double rate,
                double ref_rate, const SpectrumOptions *o) {
   SpectrumReport *s = &cr->spectrum;
   memset(s, 0, sizeof *s);
   s->sample_rate_hz = rate;
   s->dominant_hz = s->reference_dominant_hz = s->js_distance = s->js_calibrated = NAN;
   s->js_threshold = DS_SPECTRUM_JS_DRIFT;
   s->band_lo_hz = o->band_lo;
   s->band_hi_hz = isnan(rate) ? o->band_hi : fmin(o->band_hi, rate / 2);
   for (int i = 0; i < DS_SPECTRUM_BANDS; i++)
      s->band_power[i] = s->reference_band_power[i] = NAN;
   for (int i = 0; i <= DS_SPECTRUM_BANDS; i++)
      s->band_edges_hz[i] = NAN;
   int rc = Table_find(ref, cr->ref_name[0] ? cr->ref_name : cr->name);
   if (isnan(rate)) {
      s->why = "unknown sample rate: no time column or rx_ms; give --rate HZ";
      return true;
   }
   if (rc < 0 || !ref->cols[rc]->stored)
      return true;
   size_t nr = ref->nrows - ref->base;
   double *xc = malloc((rows ? rows : 1) * sizeof *xc), *xr = malloc((nr ? nr : 1) * sizeof *xr);
   if (!xc || !xr) {
      free(xc);
      free(xr);
      return false;
   }
   size_t ncur = ds_column_samples(cur, cr->cur_col, first, rows, xc);
   size_t nref = ds_column_samples(ref, rc, ref->base, nr, xr);
   size_t nfft = ds_spectrum_nfft(ncur < nref ? ncur : nref);
   Spectrum a, b;
   char err[128];
   if (!nfft) {
      s->why = "too few samples for a spectrum (fewer than 8)";
   } else if (ds_welch(xc, ncur, rate, nfft, &a, err, sizeof err)) {
      if (ds_welch(xr, nref, ref_rate, nfft, &b, err, sizeof err)) {
         s->done = true;
         s->nfft = nfft;
         s->dominant_hz = ds_spectrum_dominant(&a, o->band_lo, o->band_hi);
         s->reference_dominant_hz = ds_spectrum_dominant(&b, o->band_lo, o->band_hi);
         ds_spectrum_band_edges(rate, s->band_edges_hz);
         ds_spectrum_bands(&a, s->band_power);
         if (fabs(ref_rate / rate - 1) <= 0.01) {
            s->js_distance = ds_spectrum_js(&a, &b);
            s->js_calibrated = ds_spectrum_calibrate(xr, nref, ncur, ref_rate, nfft);
            s->js_threshold = ds_spectrum_threshold(s->js_calibrated);
            s->drifted = s->js_distance >= s->js_threshold;
            ds_spectrum_bands(&b, s->reference_band_power);
         } else {
            s->why = "the reference's sample rate differs: spectra not compared";
         }
         Spectrum_done(&b);
      }
      Spectrum_done(&a);
   }
   free(xc);
   free(xr);
   return true;
}

bool Analysis_spectra(Analysis *a, const Table *ref, const Table *cur, const SpectrumOptions *o) {
   double rate = ds_spectrum_rate(cur, a->scope_first, a->scope_rows, o->rate_hz);
   double ref_rate = ds_spectrum_rate(ref, ref->base, ref->nrows - ref->base, rate);
   for (int i = 0; i < a->ncols; i++) {
      ColumnReport *cr = &a->cols[i];
      if (cr->role != ROLE_FEATURE || cr->kind != KIND_NUMERIC || cr->ref_index < 0)
         continue;
      if (!one(cr, ref, cur, a->scope_first, a->scope_rows, rate, ref_rate, o))
         return false;
   }
   return true;
}
