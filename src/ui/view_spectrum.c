// SPDX-License-Identifier: MIT
/* View 5, Spectrum: the selected feature's Welch power spectrum over the
 * current window against the reference's (the same segment length), with
 * a frequency axis in Hz, linear or log (g), over --band's frequencies
 * (f/F halve and double the top one), the strongest peaks there marked
 * with their frequencies, the dominant frequencies there, the octave
 * bands' power against the reference's, the Jensen-Shannon distance of the
 * whole spectra with its verdict, and that distance per window. update
 * computes the spectra (the core's spectrum.h) when the window or the
 * feature changes; the reference's is kept while its column, length and
 * rate stay the same, and each window's distance once it is done. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/spectrum.h"
#include "ui.h"
#include "widgets.h"

#define PEAKS 3
#define HISTORY_MAX 256

typedef struct SpectrumState {
   /* keys */
   bool db;                /* power in dB (g) */
   int zoom;               /* the top frequency is --band's (or Nyquist's) / 2^zoom (f/F) */
   int zoom_min, zoom_max; /* its range: up to Nyquist, down to a few bins */
   /* the reference column's samples and spectrum last used */
   const Table *ref;
   int ref_col;
   double *x;
   size_t n;
   double ref_rate; /* the reference's own (ds_sample_rate), NaN: the stream's */
   size_t rs_nfft;
   double rs_rate;
   Spectrum rs; /* nbins 0 when not computed */
   /* the JS distance of each window done: js[w - js0] for js0 <= w < njs */
   double *js;
   size_t js0, njs, capjs;
   int js_col;
   /* the window's, computed by update */
   unsigned long version; /* 1 + the Monitor version computed; 0: none */
   int col, hist_w;
   const char *why; /* no spectrum: why (err holds the details) */
   char err[160];
   double rate;
   size_t nfft;
   Spectrum s;
   double js_now;
   /* the threshold: the reference against itself (ds_spectrum_calibrate)
    * for windows of cal_m samples at cal_nfft (kept while they stay) */
   double cal, threshold;
   size_t cal_m, cal_nfft;
   int cal_col;
   double hist[HISTORY_MAX];
   size_t nh;
} SpectrumState;

/* The reference column's samples (kept while it is the same); false on no memory. */
static bool reference_samples(SpectrumState *st, const Table *ref, int col) {
   if (st->ref == ref && st->ref_col == col && st->x)
      return true;
   size_t n = ref->nrows - ref->base;
   free(st->x);
   Spectrum_done(&st->rs);
   st->njs = st->js0;
   st->x = malloc((n ? n : 1) * sizeof *st->x);
   st->ref = ref;
   st->ref_col = col;
   st->n = st->x ? ds_column_samples(ref, col, ref->base, n, st->x) : 0;
   st->ref_rate = ds_sample_rate(ref, ref->base, n);
   return st->x != NULL;
}

/* The reference spectrum for segment length nfft at rate (kept). */
static const Spectrum *reference(SpectrumState *st, size_t nfft, double rate) {
   if (st->rs.nbins && st->rs_nfft == nfft && st->rs_rate == rate)
      return &st->rs;
   Spectrum_done(&st->rs);
   st->njs = st->js0;
   st->rs_nfft = nfft;
   st->rs_rate = rate;
   char err[128];
   return ds_welch(st->x, st->n, rate, nfft, &st->rs, err, sizeof err) ? &st->rs : NULL;
}

/* The JS distance of the windows done, the newest max of them; those not
 * kept yet are computed (a window whose records are gone: none). */
static size_t history(App *app, SpectrumState *st, int col, const Spectrum *ref, double rate, double *out, size_t max) {
   const Analysis *a = &app->m->a;
   const Table *t = app->m->cur;
   size_t n = a->nwindows, from = n > max ? n - max : 0;
   if (st->js_col != col || from < st->js0) {
      st->njs = st->js0 = from;
      st->js_col = col;
   }
   if (from > st->js0) { /* only the windows shown are kept */
      size_t drop = from - st->js0, keep = st->njs > from ? st->njs - from : 0;
      if (keep) /* (none kept yet: no array to move) */
         memmove(st->js, st->js + (drop < st->njs - st->js0 ? drop : 0), keep * sizeof *st->js);
      st->js0 = from;
      st->njs = from + keep;
   }
   if (n - st->js0 > st->capjs) {
      double *js = realloc(st->js, (n - st->js0) * 2 * sizeof *js);
      if (!js)
         return 0;
      st->js = js;
      st->capjs = (n - st->js0) * 2;
   }
   double *x = st->njs < n ? malloc((a->window ? a->window : 1) * sizeof *x) : NULL;
   for (size_t w = st->njs; x && w < n; w++) {
      size_t first = Analysis_window_first(a, w), end = Analysis_window_end(a, w);
      double *js = &st->js[w - st->js0];
      *js = NAN; /* warm-up windows too: fewer records, a noisier spectrum */
      size_t m = first >= t->base ? ds_column_samples(t, col, first, end - first, x) : 0;
      Spectrum s;
      char err[128];
      if (end - first >= a->window && m >= ref->nfft && ds_welch(x, m, rate, ref->nfft, &s, err, sizeof err)) {
         *js = ds_spectrum_js(&s, ref);
         Spectrum_done(&s);
      }
      st->njs = w + 1;
   }
   free(x);
   size_t k = 0;
   for (size_t w = from; w < n && w < st->njs; w++)
      out[k++] = st->js[w - st->js0];
   return k;
}

/* The samples a full window holds (what the threshold is calibrated for). */
static size_t m_window(const App *app) {
   const Analysis *a = &app->m->a;
   return a->window ? a->window : app->m->rows;
}

/* The window's spectrum against the reference's, the zoom's range, the
 * distance per window: once for each window, feature and width. */
static void update(App *app, void *state) {
   SpectrumState *st = state;
   const Monitor *m = app->m;
   int f[DS_MAX_COLUMNS], hw = app->cols - 22 < HISTORY_MAX ? app->cols - 22 : HISTORY_MAX;
   if (st->version == m->version + 1 && st->col == app->sel && st->hist_w == hw)
      return;
   st->version = m->version + 1;
   st->col = app->sel;
   st->hist_w = hw;
   Spectrum_done(&st->s);
   st->why = NULL;
   if (!ui_features(app, f)) {
      st->why = "no feature of the stream is in the reference";
      return;
   }
   const ColumnReport *c = &m->a.cols[app->sel];
   st->rate = ds_spectrum_rate(m->cur, m->first, m->rows, app->spec.rate_hz);
   int rc = Table_find(m->ref, c->ref_name[0] ? c->ref_name : c->name);
   double *x = malloc((m->rows ? m->rows : 1) * sizeof *x);
   size_t n = x && c->kind == KIND_NUMERIC ? ds_column_samples(m->cur, c->cur_col, m->first, m->rows, x) : 0;
   size_t nref = rc >= 0 && reference_samples(st, m->ref, rc) ? st->n : 0;
   st->nfft = ds_spectrum_nfft(n < nref ? n : nref);
   const Spectrum *rs = NULL;
   if (!st->nfft) {
      st->why = "too few samples";
      snprintf(st->err, sizeof st->err, "too few samples for a spectrum: %zu in the window (need %d)", n,
               DS_SPECTRUM_MIN_NFFT);
   } else if (isnan(st->rate)) {
      st->why = "no rate";
      snprintf(st->err, sizeof st->err,
               "unknown sample rate: the stream has no time column or rx_ms; start with --rate HZ");
   } else if (!(rs = reference(st, st->nfft, isnan(st->ref_rate) ? st->rate : st->ref_rate))) {
      st->why = "no reference spectrum";
      snprintf(st->err, sizeof st->err, "no spectrum: the reference has too few samples");
   } else if (!ds_welch(x, n, st->rate, st->nfft, &st->s, st->err + 13, sizeof st->err - 13)) {
      st->why = "no spectrum";
      memcpy(st->err, "no spectrum: ", 13);
   }
   free(x);
   if (st->why)
      return;
   /* the band shown: --band's, its top halved and doubled by f/F (as a
    * power of two, so it follows a live stream's measured rate) */
   double nyq = st->rate / 2, lo = fmin(app->spec.band_lo, nyq), base = fmin(app->spec.band_hi, nyq);
   st->zoom_min = -(int)ceil(log2(nyq / base) - 1e-9);
   st->zoom_max = (int)fmax(floor(log2(base / (lo + 4 * st->s.df))), st->zoom_min);
   st->zoom = st->zoom < st->zoom_min ? st->zoom_min : st->zoom > st->zoom_max ? st->zoom_max : st->zoom;
   st->js_now = ds_spectrum_js(&st->s, rs);
   size_t wn = m_window(app);
   if (st->cal_m != wn || st->cal_nfft != st->nfft || st->cal_col != rc || isnan(st->threshold) || !st->threshold) {
      st->cal = ds_spectrum_calibrate(st->x, st->n, wn, rs->rate, st->nfft);
      st->threshold = ds_spectrum_threshold(st->cal);
      st->cal_m = wn;
      st->cal_nfft = st->nfft;
      st->cal_col = rc;
   }
   st->nh = hw > 0 ? history(app, st, c->cur_col, rs, st->rate, st->hist, (size_t)hw) : 0;
}

static void done(void *state) {
   SpectrumState *st = state;
   free(st->x);
   free(st->js);
   Spectrum_done(&st->rs);
   Spectrum_done(&st->s);
}

static double shown(const SpectrumState *st, double p) {
   return st->db ? 10 * log10(fmax(p, 1e-30)) : p;
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

/* The octave bands' power, the window's over the reference's: the band
 * edges on the first line, each band's ratio between its edges under it. */
static void bands(App *app, int y, const Spectrum *s, const Spectrum *rs) {
   double edges[DS_SPECTRUM_BANDS + 1], pw[DS_SPECTRUM_BANDS], pr[DS_SPECTRUM_BANDS];
   ds_spectrum_band_edges(s->rate, edges);
   ds_spectrum_bands(s, pw);
   ds_spectrum_bands(rs, pr);
   bool brief = app->cols < 90; /* too narrow for the words: fewer */
   int x0 = brief ? 13 : 18, step = (app->cols - 2 - x0 - 6) / DS_SPECTRUM_BANDS;
   step = step > 12 ? 12 : step;
   ui_put(app, y, 1, ROLE_C_DIM, "%s", brief ? "octaves, Hz" : "octave bands, Hz");
   ui_put(app, y + 1, 1, ROLE_C_DIM, "%s", brief ? "window/ref" : "window/reference");
   for (int i = 0; i <= DS_SPECTRUM_BANDS; i++) {
      char l[32];
      /* three significant digits where they fit, else two (whole Hz from 10 up) */
      if (snprintf(l, sizeof l, "%.3g", edges[i]) > step - 1) {
         if (edges[i] >= 10)
            snprintf(l, sizeof l, "%.0f", edges[i]);
         else
            snprintf(l, sizeof l, "%.2g", edges[i]);
      }
      ui_put_clip(app, y, x0 + step * i, step - 1, ROLE_C_DIM, l);
      if (i == DS_SPECTRUM_BANDS)
         break;
      double ratio = pr[i] > 0 ? pw[i] / pr[i] : NAN;
      if (ratio >= 100) { /* x160, x4.2e3: whole, or a short exponent, never cut */
         char v[16];
         ds_axis_label(v, sizeof v, ratio, step - 2 < 6 ? step - 2 : 6);
         snprintf(l, sizeof l, "x%s", v + strspn(v, " "));
      } else if (pr[i] > 0)
         snprintf(l, sizeof l, "x%.*g", ratio < 0.1 && step < 8 ? 1 : 2, ratio);
      else
         snprintf(l, sizeof l, "-");
      ui_put_clip(app, y + 1, x0 + step * i + step / 2 - 2, step - 1, ROLE_C_NORMAL, l);
   }
}

static void draw(App *app, const void *state, int top, int height) {
   const SpectrumState *st = state;
   const Monitor *m = app->m;
   if (app->no_reference) {
      ui_put(app, top, 1, ROLE_C_TITLE, "Spectrum");
      ui_put(app, top + 2, 1, ROLE_C_WARN, "no reference: a spectrum is compared with the reference's");
      ui_put(app, top + 3, 1, ROLE_C_NORMAL, "B: the current window becomes the reference");
      ui_put(app, top + 4, 1, ROLE_C_NORMAL, "--baseline N: the first N records");
      return;
   }
   if (st->why && !strcmp(st->why, "no feature of the stream is in the reference")) {
      ui_put(app, top + 1, 1, ROLE_C_DIM, "%s", st->why);
      return;
   }
   const ColumnReport *c = &m->a.cols[app->sel];
   double rate = st->rate;
   char title[160], hint[64];
   snprintf(title, sizeof title, "Spectrum of %s, window %zu-%zu", c->name, m->first,
            m->rows ? m->first + m->rows - 1 : m->first);
   snprintf(hint, sizeof hint, "j/k feature, g %s, f/F zoom in/out", st->db ? "linear" : "dB");
   ui_title_hint(app, top, 1, app->cols - 2, title, hint);
   if (st->why) {
      ui_put(app, top + 2, 1, ROLE_C_WARN, "%s", st->err);
      return;
   }
   const Spectrum *rs = &st->rs, *sp = &st->s;
   double nyq = rate / 2, lo = fmin(app->spec.band_lo, nyq), base = fmin(app->spec.band_hi, nyq);
   double hi = fmax(fmin(ldexp(base, -st->zoom), nyq), lo + 4 * sp->df);
   size_t b0 = (size_t)ceil(lo / sp->df), b1 = (size_t)floor(fmin(hi, nyq) / sp->df);
   if (b1 >= sp->nbins)
      b1 = sp->nbins - 1;
   size_t nb = b1 + 1 - b0;
   double *cur = malloc(nb * sizeof *cur), *ref = malloc(nb * sizeof *ref);
   double vlo = INFINITY, vhi = -INFINITY;
   for (size_t b = b0; cur && ref && b <= b1; b++) {
      cur[b - b0] = shown(st, sp->power[b]);
      ref[b - b0] = shown(st, rs->power[b]);
      vlo = fmin(vlo, fmin(cur[b - b0], ref[b - b0]));
      vhi = fmax(vhi, fmax(cur[b - b0], ref[b - b0]));
   }
   if (!st->db)
      vlo = 0;
   int w = app->cols - DS_AXIS_W - 2, h = height - 11, x0 = DS_AXIS_W + 1;
   char head[128];
   int hl = snprintf(head, sizeof head, "density (%s), %zu-point segments, %.4g Hz:  ", st->db ? "dB" : "units^2/Hz",
                     st->nfft, rate);
   if (hl + 26 > app->cols - 2)
      hl = snprintf(head, sizeof head, "%s, %zu-pt, %.4g Hz: ", st->db ? "dB" : "lin", st->nfft, rate);
   ui_put(app, top + 1, 1, ROLE_C_DIM, "%s", head);
   /* the window a solid line, the reference a dotted one: distinct without colours */
   ui_put(app, top + 1, 1 + hl, ROLE_C_CURRENT, "%s%s window", app->g->hline, app->g->hline);
   ui_put(app, top + 1, 12 + hl, ROLE_C_REFERENCE, "%s reference", app->g->braille ? "⠂⠂" : "++");
   if (cur && ref && h >= 3) {
      ui_chart_dotted(app, ref, nb, vlo, vhi, top + 2, x0, w, h, ROLE_C_REFERENCE);
      ui_chart(app, cur, nb, vlo, vhi, NAN, "", top + 2, x0, w, h, ROLE_C_CURRENT);
      /* the frequency axis, and the peaks marked on it */
      char l[32];
      int ay = top + 2 + h;
      double f0 = (double)b0 * sp->df, f1 = (double)b1 * sp->df;
      snprintf(l, sizeof l, "%.4g Hz", f0);
      ui_put_clip(app, ay, x0, 10, ROLE_C_DIM, l);
      snprintf(l, sizeof l, "%.4g Hz", (f0 + f1) / 2);
      ui_put_clip(app, ay, x0 + w / 2 - 4, 12, ROLE_C_DIM, l);
      snprintf(l, sizeof l, "%.4g Hz", f1);
      ui_put_clip(app, ay, x0 + w - (int)strlen(l), (int)strlen(l), ROLE_C_DIM, l);
      size_t pk[PEAKS];
      int np = peaks(sp, b0 ? b0 : 1, b1, pk);
      char line[160];
      int k = snprintf(line, sizeof line, "peaks:");
      for (int i = 0; i < np; i++) {
         int px = x0 + (nb > 1 ? (int)((double)(pk[i] - b0) * (w - 1) / (double)(nb - 1)) : 0);
         ui_put_clip(app, ay + 1, px, 1, ROLE_C_CURRENT, app->g->cursor);
         if (k > 0 && (size_t)k < sizeof line)
            k += snprintf(line + k, sizeof line - (size_t)k, " %.4g Hz", (double)pk[i] * sp->df);
      }
      ui_put_clip(app, ay + 2, 1, app->cols - 2, ROLE_C_NORMAL, line);
   }
   ui_panel(app, "octave bands");
   bands(app, top + height - 6, sp, rs);
   ui_panel(app, "spectral verdict");
   double js = st->js_now;
   double thr = st->threshold;
   bool drift = js >= thr;
   char band[64] = "";
   if (b0 > 0 || b1 + 1 < sp->nbins)
      snprintf(band, sizeof band, " in %.4g-%.4g Hz", (double)b0 * sp->df, (double)b1 * sp->df);
   ui_put(app, top + height - 4, 1, ROLE_C_NORMAL, "dominant%s: %.4g Hz (reference %.4g Hz)", band,
          ds_spectrum_dominant(sp, lo, hi), ds_spectrum_dominant(rs, lo, hi));
   char verdict[160];
   char why[64];
   if (isnan(st->cal))
      snprintf(why, sizeof why, "reference too short to calibrate");
   else
      snprintf(why, sizeof why, "reference vs itself %.3f", st->cal);
   snprintf(verdict, sizeof verdict, "Jensen-Shannon distance %.3f %s threshold %.3f (%s): %s", js, drift ? ">=" : "<",
            thr, why, drift ? "SPECTRAL DRIFT" : "no spectral drift");
   if (ds_cells(verdict) > app->cols - 2)
      snprintf(verdict, sizeof verdict, "JS distance %.3f %s %.3f: %s", js, drift ? ">=" : "<", thr,
               drift ? "SPECTRAL DRIFT" : "no spectral drift");
   ui_put_name(app, top + height - 3, 1, app->cols - 2, drift ? ROLE_C_ALERT : ROLE_C_OK, verdict, false);
   const double *hist = st->hist;
   size_t nh = st->nh;
   int lv[HISTORY_MAX];
   ds_spark_levels(hist, nh, 0, 2 * thr, lv);
   ui_put(app, top + height - 2, 1, ROLE_C_DIM, "JS per window:");
   for (size_t i = 0; i < nh; i++)
      if (lv[i] >= 0)
         ui_put_clip(app, top + height - 2, 16 + (int)i, 1, hist[i] >= thr ? ROLE_C_ALERT : ROLE_C_OK,
                     app->g->spark[lv[i]]);
   free(cur);
   free(ref);
}

static void toggle_db(App *app) {
   SpectrumState *st = ui_view_state(app);
   st->db = !st->db;
}

/* Zoom in: the top frequency halved, down to a few bins above the bottom. */
static void zoom_in(App *app) {
   SpectrumState *st = ui_view_state(app);
   if (st->zoom < st->zoom_max)
      st->zoom++;
}

/* Zoom out: doubled, up to the Nyquist frequency. */
static void zoom_out(App *app) {
   SpectrumState *st = ui_view_state(app);
   if (st->zoom > st->zoom_min)
      st->zoom--;
}

static const KeyBinding keys[] = {
   {'g', "g", "power in dB / linear", toggle_db, NULL, NULL, NULL},
   {'f', "f F", "zoom in / out on the low frequencies", zoom_in, NULL, NULL, NULL},
   {'F', NULL, NULL, zoom_out, NULL, NULL, NULL},
   {0, NULL, NULL, NULL, NULL, NULL, NULL},
};

const View ds_view_spectrum = {.name = "Spectrum",
                               .hotkey = '5',
                               .state_size = sizeof(SpectrumState),
                               .update = update,
                               .draw = draw,
                               .done = done,
                               .keys = keys};
