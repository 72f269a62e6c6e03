// SPDX-License-Identifier: MIT
/* View 5, Spectrum: the selected feature's Welch power spectrum over the
 * current window against the reference's (the same segment length), with
 * a frequency axis in Hz, linear or log (g), over --band's frequencies
 * (f/F halve and double the top one), the strongest peaks there marked
 * with their frequencies, the dominant frequencies there, the octave
 * bands' power against the reference's, the Jensen-Shannon distance of the
 * whole spectra with its verdict, and that distance per window. Spectra are
 * computed as the view is drawn (the core's spectrum.h); the reference's
 * is kept while its column, length and rate stay the same, and each
 * window's distance once it is done. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/spectrum.h"
#include "ui.h"
#include "widgets.h"

#define PEAKS 3
#define HISTORY_MAX 256

/* The reference column's samples and spectrum last used, and the JS
 * distance of each window done (windows do not change once done, so each
 * is computed once for a given column, segment length and rate). */
static struct {
   const Table *ref;
   int col;
   double *x; /* its samples */
   size_t n;
   size_t nfft;
   double rate;
   double ref_rate;        /* the reference's own (ds_sample_rate), NaN: the stream's */
   Spectrum s;             /* for nfft and rate; nbins 0 when not computed */
   double *js;             /* per window, for cur_col */
   size_t js0, njs, capjs; /* js[w - js0]: window w's JS distance, for js0 <= w < njs */
   int cur_col;
   const Monitor *m;
} cache;

/* The reference column's samples (cached); false on no memory. */
static bool reference_samples(const Table *ref, int col) {
   if (cache.ref == ref && cache.col == col && cache.x)
      return true;
   size_t n = ref->nrows - ref->base;
   free(cache.x);
   Spectrum_done(&cache.s);
   cache.njs = cache.js0;
   cache.x = malloc((n ? n : 1) * sizeof *cache.x);
   cache.ref = ref;
   cache.col = col;
   cache.n = cache.x ? ds_column_samples(ref, col, ref->base, n, cache.x) : 0;
   cache.ref_rate = ds_sample_rate(ref, ref->base, n);
   return cache.x != NULL;
}

/* The reference spectrum for segment length nfft at rate (cached). */
static const Spectrum *reference(size_t nfft, double rate) {
   if (cache.s.nbins && cache.nfft == nfft && cache.rate == rate)
      return &cache.s;
   Spectrum_done(&cache.s);
   cache.njs = cache.js0;
   cache.nfft = nfft;
   cache.rate = rate;
   char err[128];
   return ds_welch(cache.x, cache.n, rate, nfft, &cache.s, err, sizeof err) ? &cache.s : NULL;
}

static double shown(const App *app, double p) {
   return app->spec_log ? 10 * log10(fmax(p, 1e-30)) : p;
}

/* The JS distance of the windows done, the newest max of them; those not
 * cached yet are computed. */
static size_t history(App *app, int col, const Spectrum *ref, double rate, double *out, size_t max) {
   const Analysis *a = &app->m->a;
   const Table *t = app->m->cur;
   size_t n = a->nwindows, from = n > max ? n - max : 0;
   if (cache.cur_col != col || cache.m != app->m || from < cache.js0) {
      cache.njs = cache.js0 = from;
      cache.cur_col = col;
      cache.m = app->m;
   }
   if (from > cache.js0) { /* js[w - js0]: only the windows shown are kept */
      size_t drop = from - cache.js0, keep = cache.njs > from ? cache.njs - from : 0;
      memmove(cache.js, cache.js + (drop < cache.njs - cache.js0 ? drop : 0), keep * sizeof *cache.js);
      cache.js0 = from;
      cache.njs = from + keep;
   }
   if (n - cache.js0 > cache.capjs) {
      double *js = realloc(cache.js, (n - cache.js0) * 2 * sizeof *js);
      if (!js)
         return 0;
      cache.js = js;
      cache.capjs = (n - cache.js0) * 2;
   }
   double *x = cache.njs < n ? malloc((a->window ? a->window : 1) * sizeof *x) : NULL;
   for (size_t w = cache.njs; x && w < n; w++) {
      size_t first = Analysis_window_first(a, w), end = Analysis_window_end(a, w);
      double *js = &cache.js[w - cache.js0];
      *js = NAN; /* warm-up windows too: fewer records, a noisier spectrum */
      size_t m = first >= t->base ? ds_column_samples(t, col, first, end - first, x) : 0; /* gone: none */
      Spectrum s;
      char err[128];
      if (end - first >= a->window && m >= ref->nfft && ds_welch(x, m, rate, ref->nfft, &s, err, sizeof err)) {
         *js = ds_spectrum_js(&s, ref);
         Spectrum_done(&s);
      }
      cache.njs = w + 1;
   }
   free(x);
   size_t k = 0;
   for (size_t w = from; w < n && w < cache.njs; w++)
      out[k++] = cache.js[w - cache.js0];
   return k;
}

/* The PEAKS strongest local maxima in bins [from, to] (from >= 1),
 * strongest first. */
static int peaks(const Spectrum *s, size_t from, size_t to, size_t *out) {
   int n = 0;
   for (size_t b = from; b <= to && b < s->nbins; b++) {
      double p = s->power[b];
      if (p <= s->power[b - 1] || (b + 1 < s->nbins && p < s->power[b + 1]))
         continue;
      int at = n < PEAKS ? n++ : PEAKS;
      while (at > 0 && s->power[out[at - 1]] < p) {
         if (at < PEAKS)
            out[at] = out[at - 1];
         at--;
      }
      if (at < PEAKS)
         out[at] = b;
   }
   return n;
}

/* The octave bands' power, the window's over the reference's. */
static void bands(App *app, int y, const Spectrum *s, const Spectrum *rs) {
   double edges[DS_SPECTRUM_BANDS + 1], pw[DS_SPECTRUM_BANDS], pr[DS_SPECTRUM_BANDS];
   ds_spectrum_band_edges(s->rate, edges);
   ds_spectrum_bands(s, pw);
   ds_spectrum_bands(rs, pr);
   ui_put(app, y, 1, ROLE_C_DIM, "octave bands Hz");
   ui_put(app, y + 1, 1, ROLE_C_DIM, "window/reference");
   for (int i = 0; i < DS_SPECTRUM_BANDS; i++) {
      int x = 18 + 10 * i;
      char l[32];
      snprintf(l, sizeof l, "%.3g-%.3g", edges[i], edges[i + 1]);
      ui_put_clip(app, y, x, 9, ROLE_C_DIM, l);
      if (pr[i] > 0)
         snprintf(l, sizeof l, "x%.2g", pw[i] / pr[i]);
      else
         snprintf(l, sizeof l, "-");
      ui_put_clip(app, y + 1, x, 9, ROLE_C_NORMAL, l);
   }
}

static void draw(App *app, int top, int height) {
   const Monitor *m = app->m;
   int f[DS_MAX_COLUMNS];
   if (!ui_features(app, f)) {
      ui_put(app, top + 1, 1, ROLE_C_DIM, "no feature of the stream is in the reference");
      return;
   }
   const ColumnReport *c = &m->a.cols[app->sel];
   double rate = ds_spectrum_rate(m->cur, m->first, m->rows, app->spec.rate_hz);
   ui_put(app, top, 1, ROLE_C_TITLE, "Spectrum of %s, window %zu-%zu; j/k feature, g %s, f/F zoom in/out", c->name,
          m->first, m->rows ? m->first + m->rows - 1 : m->first, app->spec_log ? "linear" : "dB");
   int rc = Table_find(m->ref, c->ref_name[0] ? c->ref_name : c->name);
   double *x = malloc((m->rows ? m->rows : 1) * sizeof *x);
   size_t n = x && c->kind == KIND_NUMERIC ? ds_column_samples(m->cur, c->cur_col, m->first, m->rows, x) : 0;
   size_t nref = rc >= 0 && reference_samples(m->ref, rc) ? cache.n : 0, nfft = ds_spectrum_nfft(n < nref ? n : nref);
   if (!nfft || isnan(rate)) {
      if (!nfft)
         ui_put(app, top + 2, 1, ROLE_C_WARN, "too few samples for a spectrum: %zu in the window (need %d)", n,
                DS_SPECTRUM_MIN_NFFT);
      else
         ui_put(app, top + 2, 1, ROLE_C_WARN,
                "unknown sample rate: the stream has no time column or rx_ms; start "
                "with --rate HZ");
      free(x);
      return;
   }
   const Spectrum *rs = reference(nfft, isnan(cache.ref_rate) ? rate : cache.ref_rate);
   Spectrum s;
   char err[128];
   if (!rs || !ds_welch(x, n, rate, nfft, &s, err, sizeof err)) {
      ui_put(app, top + 2, 1, ROLE_C_WARN, "no spectrum: %s", rs ? err : "the reference has too few samples");
      free(x);
      return;
   }
   free(x);
   /* the band shown: --band's, its top halved and doubled by f/F (as a
    * power of two, so it follows a live stream's measured rate) */
   double nyq = rate / 2, lo = fmin(app->spec.band_lo, nyq), base = fmin(app->spec.band_hi, nyq);
   app->spec_zoom_min = -(int)ceil(log2(nyq / base) - 1e-9);
   app->spec_zoom_max = (int)fmax(floor(log2(base / (lo + 4 * s.df))), app->spec_zoom_min);
   app->spec_zoom = app->spec_zoom < app->spec_zoom_min   ? app->spec_zoom_min
                    : app->spec_zoom > app->spec_zoom_max ? app->spec_zoom_max
                                                          : app->spec_zoom;
   double hi = fmax(fmin(ldexp(base, -app->spec_zoom), nyq), lo + 4 * s.df);
   size_t b0 = (size_t)ceil(lo / s.df), b1 = (size_t)floor(fmin(hi, nyq) / s.df);
   if (b1 >= s.nbins)
      b1 = s.nbins - 1;
   size_t nb = b1 + 1 - b0;
   double *cur = malloc(nb * sizeof *cur), *ref = malloc(nb * sizeof *ref);
   double vlo = INFINITY, vhi = -INFINITY;
   for (size_t b = b0; cur && ref && b <= b1; b++) {
      cur[b - b0] = shown(app, s.power[b]);
      ref[b - b0] = shown(app, rs->power[b]);
      vlo = fmin(vlo, fmin(cur[b - b0], ref[b - b0]));
      vhi = fmax(vhi, fmax(cur[b - b0], ref[b - b0]));
   }
   if (!app->spec_log)
      vlo = 0;
   int w = app->cols - DS_AXIS_W - 2, h = height - 11, x0 = DS_AXIS_W + 1;
   char head[128];
   int hl = snprintf(head, sizeof head,
                     "density (%s), %zu-point segments, %.4g Hz:  ", app->spec_log ? "dB" : "units^2/Hz", nfft, rate);
   ui_put(app, top + 1, 1, ROLE_C_DIM, "%s", head);
   ui_put(app, top + 1, 1 + hl, ROLE_C_CURRENT, "%s window", app->g->full);
   ui_put(app, top + 1, 11 + hl, ROLE_C_REFERENCE, "%s reference", app->g->full);
   if (cur && ref && h >= 3) {
      ui_chart(app, ref, nb, vlo, vhi, NAN, "", top + 2, x0, w, h, ROLE_C_REFERENCE);
      ui_chart(app, cur, nb, vlo, vhi, NAN, "", top + 2, x0, w, h, ROLE_C_CURRENT);
      /* the frequency axis, and the peaks marked on it */
      char l[32];
      int ay = top + 2 + h;
      double f0 = (double)b0 * s.df, f1 = (double)b1 * s.df;
      snprintf(l, sizeof l, "%.4g Hz", f0);
      ui_put_clip(app, ay, x0, 10, ROLE_C_DIM, l);
      snprintf(l, sizeof l, "%.4g Hz", (f0 + f1) / 2);
      ui_put_clip(app, ay, x0 + w / 2 - 4, 12, ROLE_C_DIM, l);
      snprintf(l, sizeof l, "%.4g Hz", f1);
      ui_put_clip(app, ay, x0 + w - (int)strlen(l), (int)strlen(l), ROLE_C_DIM, l);
      size_t pk[PEAKS];
      int np = peaks(&s, b0 ? b0 : 1, b1, pk);
      char line[160];
      int k = snprintf(line, sizeof line, "peaks:");
      for (int i = 0; i < np; i++) {
         int px = x0 + (nb > 1 ? (int)((double)(pk[i] - b0) * (w - 1) / (double)(nb - 1)) : 0);
         ui_put_clip(app, ay + 1, px, 1, ROLE_C_CURRENT, app->g->cursor);
         if (k > 0 && (size_t)k < sizeof line)
            k += snprintf(line + k, sizeof line - (size_t)k, " %.4g Hz", (double)pk[i] * s.df);
      }
      ui_put_clip(app, ay + 2, 1, app->cols - 2, ROLE_C_NORMAL, line);
   }
   bands(app, top + height - 6, &s, rs);
   double js = ds_spectrum_js(&s, rs);
   bool drift = js >= DS_SPECTRUM_JS_DRIFT;
   char band[64] = "";
   if (b0 > 0 || b1 + 1 < s.nbins)
      snprintf(band, sizeof band, " in %.4g-%.4g Hz", (double)b0 * s.df, (double)b1 * s.df);
   ui_put(app, top + height - 4, 1, ROLE_C_NORMAL, "dominant%s: %.4g Hz (reference %.4g Hz)", band,
          ds_spectrum_dominant(&s, lo, hi), ds_spectrum_dominant(rs, lo, hi));
   ui_put(app, top + height - 3, 1, drift ? ROLE_C_ALERT : ROLE_C_OK,
          "Jensen-Shannon distance %.3f %s %.1f: %s (whole spectrum)", js, drift ? ">=" : "<", DS_SPECTRUM_JS_DRIFT,
          drift ? "SPECTRAL DRIFT" : "no spectral drift");
   double hist[HISTORY_MAX];
   int hw = app->cols - 22 < HISTORY_MAX ? app->cols - 22 : HISTORY_MAX;
   size_t nh = hw > 0 ? history(app, c->cur_col, rs, rate, hist, (size_t)hw) : 0;
   int lv[HISTORY_MAX];
   ds_spark_levels(hist, nh, 0, 2 * DS_SPECTRUM_JS_DRIFT, lv);
   ui_put(app, top + height - 2, 1, ROLE_C_DIM, "JS per window:");
   for (size_t i = 0; i < nh; i++)
      if (lv[i] >= 0)
         ui_put_clip(app, top + height - 2, 16 + (int)i, 1, hist[i] >= DS_SPECTRUM_JS_DRIFT ? ROLE_C_ALERT : ROLE_C_OK,
                     app->g->spark[lv[i]]);
   free(cur);
   free(ref);
   Spectrum_done(&s);
}

static void toggle_db(App *app) {
   app->spec_log = !app->spec_log;
}

/* Zoom in: the top frequency halved, down to a few bins above the bottom. */
static void zoom_in(App *app) {
   if (app->spec_zoom < app->spec_zoom_max)
      app->spec_zoom++;
}

/* Zoom out: doubled, up to the Nyquist frequency. */
static void zoom_out(App *app) {
   if (app->spec_zoom > app->spec_zoom_min)
      app->spec_zoom--;
}

static const KeyBinding keys[] = {
   {'g', "g", "power in dB / linear", toggle_db, NULL, NULL, NULL},
   {'f', "f F", "zoom in / out on the low frequencies", zoom_in, NULL, NULL, NULL},
   {'F', NULL, NULL, zoom_out, NULL, NULL, NULL},
   {0, NULL, NULL, NULL, NULL, NULL, NULL},
};

const View ds_view_spectrum = {"Spectrum", '5', draw, keys};
