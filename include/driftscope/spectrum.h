/* SPDX-License-Identifier: MIT */
/* Spectrum (DESIGN §6): Welch's power spectral density of a signal, with
 * kissfft's real FFT (float build), as scipy.signal.welch computes it by
 * default: periodic Hann window, segments of nfft samples overlapping by
 * half, each segment's mean removed, one-sided density scaling
 * (units²/Hz: 2|X_k|² / (fs Σw²), DC and Nyquist not doubled), the mean
 * over segments. Plus what the Spectrum view and report need from it: the
 * dominant frequency, and the Jensen-Shannon distance between two spectra
 * normalised to sum 1 (natural log, so 0 for the same shape and sqrt(ln 2)
 * for spectra with no bin in common). */
#ifndef DRIFTSCOPE_SPECTRUM_H
#define DRIFTSCOPE_SPECTRUM_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/table.h"

#define DS_SPECTRUM_MIN_NFFT 8
#define DS_SPECTRUM_MAX_NFFT 1024
#define DS_SPECTRUM_SEGMENTS 8   /* segments of at most n / 8 samples: about 15 to average */
#define DS_SPECTRUM_JS_DRIFT 0.1 /* spectral drift when the JS distance is at least this */
#define DS_SPECTRUM_BANDS 6      /* octave bands below the Nyquist frequency */

typedef struct Spectrum {
   double *power; /* nbins densities, bin k at k * df Hz */
   size_t nbins;  /* nfft / 2 + 1 */
   size_t nfft, segments;
   double rate, df; /* Hz */
} Spectrum;

/* The segment length for n samples: the largest power of two <= n / 8 (so
 * about 15 half-overlapping segments are averaged and two estimates of the
 * same process are close), within DS_SPECTRUM_MIN_NFFT..MAX_NFFT; 0 when
 * n < DS_SPECTRUM_MIN_NFFT. */
size_t ds_spectrum_nfft(size_t n);
/* Welch's estimate of x[0..n) sampled at rate Hz with segments of nfft
 * (a power of two, DS_SPECTRUM_MIN_NFFT..DS_SPECTRUM_MAX_NFFT, <= n; checked
 * before kissfft is asked). NaN samples are not allowed (the caller drops
 * them). Returns false with the reason in err. */
bool ds_welch(const double *x, size_t n, double rate, size_t nfft, Spectrum *out, char *err, size_t errlen);
void Spectrum_done(Spectrum *s);
/* The frequency (Hz) of the strongest bin above DC within [lo, hi] Hz (0,
 * INFINITY: the whole spectrum); NaN when no bin is in that band. */
double ds_spectrum_dominant(const Spectrum *s, double lo, double hi);
/* The edges (Hz) of the DS_SPECTRUM_BANDS octave bands of a signal sampled
 * at rate: 0, N/32, N/16, N/8, N/4, N/2, N for the Nyquist frequency N. */
void ds_spectrum_band_edges(double rate, double edges[DS_SPECTRUM_BANDS + 1]);
/* The power (units², the density times df summed over the band's bins) in
 * each octave band: bin k at k df is in band i when edges[i] <= k df <
 * edges[i + 1], the last band including the Nyquist bin. The bands add up
 * to the spectrum's total power, about the signal's variance. */
void ds_spectrum_bands(const Spectrum *s, double power[DS_SPECTRUM_BANDS]);
/* Jensen-Shannon distance of the two spectra's shapes (same nfft and rate). */
double ds_spectrum_js(const Spectrum *a, const Spectrum *b);

/* The distance a spectrum of m samples reaches, by chance alone, from the
 * reference's x[0..n) when the signal has not changed: the largest JS
 * distance between a stretch of m reference samples and the rest of the
 * reference (DS_SPECTRUM_CALIBRATION stretches evenly spread from the
 * start to the end, overlapping when fewer fit; m is at most n / 2), at segment length nfft. Spectral drift is a
 * distance at least the larger of this and DS_SPECTRUM_JS_DRIFT (ds_spectrum_threshold), so a stationary signal's noisy
 * estimate does not fire. NaN when the reference is too short for two stretches of nfft. */
#define DS_SPECTRUM_CALIBRATION 8
double ds_spectrum_calibrate(const double *x, size_t n, size_t m, double rate, size_t nfft);
/* The threshold a distance is judged by: max(DS_SPECTRUM_JS_DRIFT, calibrated). */
double ds_spectrum_threshold(double calibrated);

/* Column c's values of records [first, first + n) of t, missing ones left
 * out, in order, into out (room for n); returns how many. */
size_t ds_column_samples(const Table *t, int c, size_t first, size_t n, double *out);

/* The sample rate (Hz) of records [first, first + n) of t: 1000 / the
 * median step of its time column (ms), else ds_rx_rate of its rx_ms; NaN
 * when there is neither or no step. */
double ds_sample_rate(const Table *t, size_t first, size_t n);
#define DS_RX_GAP_MS 1000.0 /* a longer step between receive times is a pause, not sampling */
/* The sample rate (Hz) of records received at times t[0..n) (ms): the
 * records over the time they took, steps longer than DS_RX_GAP_MS (a
 * pulled cable, a paused board) left out. Records read from the port
 * together share one receive time, so a median step would be the reads'
 * spacing, not the samples'; those read with the first record (or the
 * first after a gap) came before the span and are not counted. NaN
 * without a positive span. */
double ds_rx_rate(const double *t, size_t n);
/* The sample rate a spectrum of records [first, first + n) of t uses:
 * ds_sample_rate's (the time column, else rx_ms: a recorded or live
 * stream's receive times), else fallback (--rate, or NaN). */
double ds_spectrum_rate(const Table *t, size_t first, size_t n, double fallback);

#endif
