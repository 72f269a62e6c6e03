// SPDX-License-Identifier: MIT
/* The human-readable reports: Markdown (--markdown) and the plain-text
 * summary printed by `report`. Both list the same facts as the JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "driftscope/quality.h"
#include "driftscope/report.h"

const TextMarks ds_marks_plain = {"", "", ""};

static void fmt_num(char *out, size_t n, double v) {
   if (isnan(v))
      snprintf(out, n, "-");
   else if (v == 0)
      snprintf(out, n, "0");
   else if (fabs(v) < 1e-3 || fabs(v) >= 1e6)
      snprintf(out, n, "%.3e", v);
   else
      snprintf(out, n, "%.4f", v);
}

static const char *method_of(const ColumnReport *c) {
   return c->ref_index >= 0 && c->drift.scored ? ds_drift_methods[c->drift.method].name : "-";
}

static long total_bad(const ReportContext *ctx) {
   long bad = 0;
   for (int i = 0; i < ctx->nsources; i++)
      bad += ctx->sources[i].ingest->bad_lines;
   return bad;
}

/* What the columns and the dataset verdict compare, e.g. "the last window
 * (records 180-209)" or "all 219 records". */
static void scope_text(char *out, size_t n, const Analysis *a) {
   if (a->scope_window)
      snprintf(out, n, "the last window (records %zu-%zu)", a->scope_first, a->scope_first + a->scope_rows - 1);
   else
      snprintf(out, n, "all %zu records", a->scope_rows);
}

/* The first column with a spectrum, or NULL. */
static const SpectrumReport *first_spectrum(const Analysis *a) {
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].spectrum.done)
         return &a->cols[i].spectrum;
   return NULL;
}

static bool any_spectrum(const Analysis *a) {
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].spectrum.done || a->cols[i].spectrum.why)
         return true;
   return false;
}

/* "the whole spectrum" or "0-25 Hz": where the dominant frequency was
 * looked for. */
static void band_text(char *out, size_t n, const SpectrumReport *s) {
   if (s->band_lo_hz > 0 || isfinite(s->band_hi_hz))
      snprintf(out, n, "%.4g-%.4g Hz", s->band_lo_hz, s->band_hi_hz);
   else
      snprintf(out, n, "the whole spectrum");
}

/* A band's window power over the reference's: "4.2", or "-". */
static void ratio_text(char *out, size_t n, double w, double r) {
   if (isnan(w) || isnan(r) || !(r > 0))
      snprintf(out, n, "-");
   else
      snprintf(out, n, "%.2g", w / r);
}

static void markdown_spectra(StrBuf *b, const Analysis *a) {
   if (!any_spectrum(a))
      return;
   const SpectrumReport *f = first_spectrum(a);
   char band[64] = "the whole spectrum", s1[32], s2[32], s3[32], s4[32];
   if (f)
      band_text(band, sizeof band, f);
   StrBuf_printf(b,
                 "\n## Spectrum\n\nWelch power spectra of the compared records against the reference's; "
                 "dominant frequencies in %s; spectral drift when the Jensen-Shannon distance is at least the "
                 "threshold: the larger of %.1f and the largest distance a stretch of the reference as long as the "
                 "compared records reaches from the rest of it (the reference against itself).\n\n",
                 band, DS_SPECTRUM_JS_DRIFT);
   StrBuf_puts(b, "| column | rate Hz | segment | dominant Hz | reference dominant Hz | JS distance | threshold | "
                  "spectral drift |\n"
                  "|---|---:|---:|---:|---:|---:|---:|---|\n");
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      const SpectrumReport *s = &c->spectrum;
      if (!s->done && !s->why)
         continue;
      fmt_num(s1, sizeof s1, s->sample_rate_hz);
      fmt_num(s2, sizeof s2, s->dominant_hz);
      fmt_num(s3, sizeof s3, s->reference_dominant_hz);
      fmt_num(s4, sizeof s4, s->js_distance);
      char s5[32];
      fmt_num(s5, sizeof s5, s->done ? s->js_threshold : NAN);
      StrBuf_printf(b, "| %s | %s | %zu | %s | %s | %s | %s | %s |\n", c->name, s1, s->nfft, s2, s3, s4, s5,
                    s->why       ? s->why
                    : s->drifted ? "**yes**"
                                 : "no");
   }
   if (!f)
      return;
   StrBuf_puts(b, "\nOctave band power, the window's over the reference's:\n\n| column |");
   for (int k = 0; k < DS_SPECTRUM_BANDS; k++)
      StrBuf_printf(b, " %.3g-%.3g Hz |", f->band_edges_hz[k], f->band_edges_hz[k + 1]);
   StrBuf_puts(b, "\n|---|");
   for (int k = 0; k < DS_SPECTRUM_BANDS; k++)
      StrBuf_puts(b, "---:|");
   StrBuf_putc(b, '\n');
   for (int i = 0; i < a->ncols; i++) {
      const SpectrumReport *s = &a->cols[i].spectrum;
      if (!s->done)
         continue;
      StrBuf_printf(b, "| %s |", a->cols[i].name);
      for (int k = 0; k < DS_SPECTRUM_BANDS; k++) {
         ratio_text(s1, sizeof s1, s->band_power[k], s->reference_band_power[k]);
         StrBuf_printf(b, " %s |", s1);
      }
      StrBuf_putc(b, '\n');
   }
}

static int output_verdicts(StrBuf *b, const Analysis *a, const TextMarks *mk, bool markdown);

/* The first error of an assessment (nothing to judge), or NULL. */
static const Problem *first_error(const Assessment *as) {
   for (int i = 0; as && i < as->nproblems; i++)
      if (as->problems[i].error)
         return &as->problems[i];
   return NULL;
}

/* Whether the dataset verdict stands (no assessment: it does). */
static bool judged(const ReportContext *ctx) {
   return !ctx->assess || ctx->assess->judged;
}

static void markdown_assessment(StrBuf *b, const Assessment *as) {
   if (!as)
      return;
   if (as->nproblems) {
      StrBuf_printf(b, "## Problems (%s)\n\n",
                    as->status == ASSESS_ERROR ? "nothing to judge: check exits 2" : "check fails: exit 1");
      for (int i = 0; i < as->nproblems; i++)
         StrBuf_printf(b, "- **%s**\n", as->problems[i].text);
      StrBuf_putc(b, '\n');
   }
   if (as->nnotes) {
      StrBuf_puts(b, "## Notes\n\n");
      for (int i = 0; i < as->nnotes; i++)
         StrBuf_printf(b, "- %s\n", as->notes[i]);
      StrBuf_putc(b, '\n');
   }
}

/* ADWIN on the anomaly score and the columns asked for (--adwin). */
static void adwin_lines(StrBuf *b, const Analysis *a, bool markdown) {
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      if (!c->adwin)
         continue;
      char said[64];
      if (c->adwin_det.nat)
         snprintf(said, sizeof said, "%ld, first at record %ld", c->adwin_det.drifts, c->adwin_det.at[0]);
      else
         snprintf(said, sizeof said, "none");
      if (markdown)
         StrBuf_printf(b, "\nChange in `%s` (ADWIN): %s.\n", c->name, said);
      else
         StrBuf_printf(b, "change in %s (ADWIN): %s\n", c->name, said);
   }
}

static void wrapped(StrBuf *b, const char *text, int indent);

/* Text in a Markdown table cell: '|' escaped, newlines as spaces. */
static void md_cell(StrBuf *b, const char *s) {
   for (; *s; s++) {
      if (*s == '|')
         StrBuf_puts(b, "\\|");
      else
         StrBuf_putc(b, *s == '\n' ? ' ' : *s);
   }
}

/* check's tests: the counts, then every test that did not pass (Markdown:
 * every test, in a table). */
static void tests_section(StrBuf *b, const ReportContext *ctx, bool markdown, const TextMarks *mk) {
   const SuiteResults *r = ctx->tests;
   const char *src = ctx->tests_source;
   if (markdown) {
      StrBuf_printf(b,
                    "\n## Tests (%s)\n\n%d passed, %d failed, %d errors of %d.\n\n| test | result | detail |\n"
                    "|---|---|---|\n",
                    src, r->passed, r->failed, r->errors, r->n);
      for (int i = 0; i < r->n; i++) {
         StrBuf_puts(b, "| ");
         md_cell(b, r->r[i].name);
         StrBuf_printf(b, " | %s | ",
                       r->r[i].status == TEST_PASS   ? "pass"
                       : r->r[i].status == TEST_FAIL ? "**FAIL**"
                                                     : "**ERROR**");
         md_cell(b, r->r[i].detail);
         StrBuf_puts(b, " |\n");
      }
      return;
   }
   bool bad = r->failed || r->errors;
   StrBuf_printf(b, "\ntests (%s): %s%d passed, %d failed, %d errors%s of %d\n", src, bad ? mk->bad : mk->good,
                 r->passed, r->failed, r->errors, mk->off, r->n);
   for (int i = 0; i < r->n; i++) {
      if (r->r[i].status == TEST_PASS)
         continue;
      char line[DS_SUITE_TEXT * 2 + 700];
      snprintf(line, sizeof line, "%s: %s", r->r[i].name, r->r[i].detail);
      StrBuf_printf(b, "  %s%-5s%s ", mk->bad, r->r[i].status == TEST_FAIL ? "FAIL" : "ERROR", mk->off);
      wrapped(b, line, 8);
   }
}

/* Champion vs challenger: each model's figures, then each challenger's verdict. */
static void models_section(StrBuf *b, const Models *ms, bool markdown, const TextMarks *mk) {
   char acc[32], f1[32], lat[32], conf[32], line[400];
   StrBuf_puts(b, markdown ? "\n## Models\n\n| model | records | labelled | accuracy | macro-F1 | latency ms | "
                             "confidence |\n|---|---:|---:|---:|---:|---:|---:|\n"
                           : "\nmodels (the first is the champion)\n");
   if (!markdown)
      StrBuf_printf(b, "  %-16s %8s %8s %8s %8s %10s %10s\n", "model", "records", "labelled", "accuracy", "macro-F1",
                    "latency ms", "confidence");
   for (int i = 0; i < ms->n; i++) {
      const ModelFigures *f = &ms->m[i];
      fmt_num(acc, sizeof acc, f->accuracy);
      fmt_num(f1, sizeof f1, f->macro_f1);
      fmt_num(lat, sizeof lat, f->latency_ms);
      fmt_num(conf, sizeof conf, f->confidence);
      if (markdown)
         StrBuf_printf(b, "| %s%s | %ld | %ld | %s | %s | %s | %s |\n", f->name, i ? "" : " (champion)", f->predicted,
                       f->labelled, acc, f1, lat, conf);
      else
         StrBuf_printf(b, "  %-16.16s %8ld %8ld %8s %8s %10s %10s\n", f->name, f->predicted, f->labelled, acc, f1, lat,
                       conf);
   }
   if (markdown)
      StrBuf_putc(b, '\n');
   for (int i = 0; i + 1 < ms->n; i++) {
      const ModelPair *p = &ms->pair[i];
      Models_line(line, sizeof line, ms, i);
      bool loud = p->better >= 0;
      if (markdown)
         StrBuf_printf(b, "%s%s%s%s\n", i ? "\n" : "", loud ? "**" : "", line, loud ? "**" : "");
      else {
         StrBuf_printf(b, "  %s", loud ? mk->bad : "");
         wrapped(b, line, 2);
         StrBuf_puts(b, loud ? mk->off : "");
      }
      if (p->both && p->labelled && !ms->regression) { /* the agreement, said where the line did not */
         fmt_num(acc, sizeof acc, p->kappa);
         StrBuf_printf(b, "%s%s and %s agree on %.1f%% of %ld records (Cohen's kappa %s)\n", markdown ? "\n" : "  ",
                       ms->m[p->champion].name, ms->m[p->challenger].name, 100 * p->agreement, p->both, acc);
      }
   }
}

/* Markdown: the data quality beyond the columns' table (quality.h). */
static void markdown_quality(StrBuf *b, const Analysis *a, const Classes *cl) {
   const DataQuality *q = a->dq;
   if (!q || !q->col)
      return;
   StrBuf_printf(
      b, "\n## Data quality\n\n- %zu duplicated rows over the %d features (%zu repeat the one before), of %zu.\n",
      q->duplicated, q->dup_features, q->repeated, q->rows);
   for (int i = 0; i < q->ncols; i++) {
      const ColumnQuality *cq = &q->col[i];
      if (cq->stuck)
         StrBuf_printf(b,
                       "- **Stuck sensor**: %s held %.6g for %zu records from record %zu (the reference's longest run: "
                       "%zu).\n",
                       a->cols[i].name, cq->run_value, cq->run, cq->run_start, cq->ref_run);
      else if (cq->almost_constant)
         StrBuf_printf(b, "- %s is almost constant: %.1f%% one value.\n", a->cols[i].name, 100 * cq->most_common_share);
   }
   StrBuf_printf(b, "- %d of %d feature pairs correlate differently than in the reference (Pearson, |Δr| > %.2g).\n",
                 q->corr_changed, q->corr_pairs, DS_CORR_DIFF);
   if (q->corr_changed) {
      StrBuf_puts(b, "\n| pair | reference r | current r |\n|---|---:|---:|\n");
      for (int i = 0; i < q->corr_changed && i < DS_CORR_LISTED; i++)
         StrBuf_printf(b, "| %s · %s | %+.3f | %+.3f |\n", a->cols[q->changed[i].a].name, a->cols[q->changed[i].b].name,
                       q->changed[i].reference, q->changed[i].current);
   }
   if (q->nbalance) {
      StrBuf_puts(b, "\n| class (truth) | reference | current |\n|---|---:|---:|\n");
      for (int i = 0; i < q->nbalance; i++)
         StrBuf_printf(b, "| %s | %.1f%% | %.1f%% |\n", cl->name[q->balance_class[i]], 100 * q->balance_ref[i],
                       100 * q->balance_cur[i]);
   }
}

void ds_report_markdown(StrBuf *b, const ReportContext *ctx) {
   const Analysis *a = ctx->a;
   char s1[32], s2[32], s3[32], s4[32], s5[32], s6[32];
   char line[400];
   StrBuf_printf(b, "# driftscope report\n\n");
   if (ds_explain(line, sizeof line, a, ctx->classes, false)) /* drift in one line, first */
      StrBuf_printf(b, "**%s**\n\n", line);
   StrBuf_printf(b, "Current: ");
   for (int i = 0; i < ctx->nsources; i++)
      StrBuf_printf(b, "%s`%s` (%ld rows, %s)", i ? ", " : "", ctx->sources[i].path, ctx->sources[i].ingest->records,
                    ds_format_name(ctx->sources[i].ingest->format));
   StrBuf_printf(b, "  \nReference: `%s` (%ld rows)\n\n", ctx->reference_path, ctx->reference->records);
   markdown_assessment(b, ctx->assess);
   fmt_num(s1, sizeof s1, a->share);
   char sc[96];
   scope_text(sc, sizeof sc, a);
   const Problem *err = first_error(ctx->assess);
   if (err || a->features == 0)
      StrBuf_printf(b, "## Dataset drift: not measured\n\n%s.\n\n",
                    err ? err->text : "The stream has no features, only the model's outputs");
   else
      StrBuf_printf(
         b, "## Dataset drift: %s\n\n%sOver %s: %d of %d feature columns drifted (share %s, threshold %.2f).\n\n",
         !judged(ctx)       ? "not judged"
         : a->dataset_drift ? "**DETECTED**"
                            : "not detected",
         judged(ctx) ? "" : "The data quality failed (see Problems): this is over the records that were read. ", sc,
         a->drifted_features, a->features, s1, a->drift_share);
   if (output_verdicts(b, a, &ds_marks_plain, true))
      StrBuf_putc(b, '\n');
   if (a->warning)
      StrBuf_printf(b, "Note: %s.\n\n", a->warning);
   StrBuf_puts(b, "| column | role | method | score | threshold | drifted | KS p | Wasserstein | PSI | JS | missing | "
                  "out of range |\n");
   StrBuf_puts(b, "|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      const ColumnDrift *d = &c->drift;
      fmt_num(s1, sizeof s1, d->score);
      fmt_num(s2, sizeof s2, d->threshold);
      fmt_num(s3, sizeof s3, d->ks_pvalue);
      fmt_num(s4, sizeof s4, d->wasserstein_norm);
      fmt_num(s5, sizeof s5, d->psi);
      fmt_num(s6, sizeof s6, d->jensenshannon);
      const char *why = ColumnReport_why_not(c);
      StrBuf_printf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f%% | ", c->name, ds_role_name(c->role),
                    method_of(c), s1, s2,
                    why          ? why
                    : d->drifted ? "**yes**"
                                 : "no",
                    s3, s4, s5, s6, 100 * c->missing_share);
      if (isnan(c->out_of_range_share))
         StrBuf_puts(b, "- |\n");
      else
         StrBuf_printf(b, "%.1f%% |\n", 100 * c->out_of_range_share);
   }
   if (a->mv && !a->mv->why) {
      const Multivariate *mv = a->mv;
      fmt_num(s1, sizeof s1, mv->drift.scored ? mv->drift.score : NAN);
      fmt_num(s2, sizeof s2, mv->drift.scored ? mv->drift.threshold : NAN);
      StrBuf_printf(b, "| multivariate | all features | %s | %s | %s | %s | - | - | - | - | - | - |\n",
                    mv->drift.scored ? ds_drift_methods[mv->drift.method].name : "-", s1, s2,
                    !mv->drift.scored   ? "not scored"
                    : mv->drift.drifted ? "**yes**"
                                        : "no");
   }
   if (a->mv) {
      Multivariate_line(line, sizeof line, a->mv);
      StrBuf_printf(b, "\nMultivariate (all features at once): %s.\n", line);
   }
   markdown_quality(b, a, ctx->classes);
   if (a->has_truth && !a->regression) {
      fmt_num(s1, sizeof s1, a->accuracy);
      fmt_num(s2, sizeof s2, a->macro_f1);
      StrBuf_printf(b, "\n## Classification\n\nAccuracy %s, macro-F1 %s over %ld records.\n\n", s1, s2,
                    a->confusion->total);
      if (a->dq && a->dq->scored)
         StrBuf_printf(b, "From the class scores: ROC AUC %.4f, log loss %.4f over %ld records%s.\n\n", a->dq->roc_auc,
                       a->dq->log_loss, a->dq->scored, a->scope_window ? " (the last window)" : "");
      StrBuf_puts(b, "| truth \\ predicted |");
      for (int j = 0; j < a->nclasses; j++)
         StrBuf_printf(b, " %s |", ctx->classes->name[a->classes[j]]);
      StrBuf_puts(b, "\n|---|");
      for (int j = 0; j < a->nclasses; j++)
         StrBuf_puts(b, "---:|");
      StrBuf_putc(b, '\n');
      for (int i = 0; i < a->nclasses; i++) {
         StrBuf_printf(b, "| %s |", ctx->classes->name[a->classes[i]]);
         for (int j = 0; j < a->nclasses; j++)
            StrBuf_printf(b, " %ld |", a->confusion->m[a->classes[i]][a->classes[j]]);
         StrBuf_putc(b, '\n');
      }
      StrBuf_puts(b, "\n| class | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n");
      for (int i = 0; i < a->nclasses; i++) {
         ClassMetrics m = Confusion_class(a->confusion, ctx->classes->n, a->classes[i]);
         StrBuf_printf(b, "| %s | %.4f | %.4f | %.4f | %ld |\n", ctx->classes->name[a->classes[i]], m.precision,
                       m.recall, m.f1, m.support);
      }
   }
   if (a->has_truth && a->regression)
      StrBuf_printf(b,
                    "\n## Regression\n\nMAE %.6g, RMSE %.6g, MAPE %.4g, R² %.4f, mean error %+.6g over %ld records.\n",
                    Regression_mae(&a->reg), Regression_rmse(&a->reg), Regression_mape(&a->reg), Regression_r2(&a->reg),
                    Regression_bias(&a->reg), a->reg.n);
   if (a->has_truth && !a->regression)
      StrBuf_printf(b,
                    "\nConcept drift on the error stream: DDM fired %ld times (%ld warnings), EDDM %ld, HDDM_A %ld, "
                    "HDDM_W %ld, Page-Hinkley %ld, KSWIN %ld times.\n",
                    a->det.ddm.drifts, a->det.ddm.warnings, a->det.eddm.drifts, a->det.hddm_a.drifts,
                    a->det.hddm_w.drifts, a->det.ph.drifts, a->det.kswin.drifts);
   if (a->has_truth && a->regression)
      StrBuf_printf(b,
                    "\nConcept drift on the absolute error: Page-Hinkley fired %ld times, KSWIN %ld (DDM, EDDM and "
                    "the HDDMs read classification error bits only and are not run).\n",
                    a->det.ph.drifts, a->det.kswin.drifts);
   if (a->has_confidence && a->det.adwin.nat)
      StrBuf_printf(b,
                    "\nChange in the model's confidence (ADWIN, no labels needed): fired %ld time%s, first at record "
                    "%ld.\n",
                    a->det.adwin.drifts, a->det.adwin.drifts == 1 ? "" : "s", a->det.adwin.at[0]);
   else if (a->has_confidence)
      StrBuf_printf(b, "\nChange in the model's confidence (ADWIN, no labels needed): none.\n");
   adwin_lines(b, a, true);
   if (ctx->tests)
      tests_section(b, ctx, true, &ds_marks_plain);
   if (a->models)
      models_section(b, a->models, true, &ds_marks_plain);
   if (a->window) {
      StrBuf_printf(b, "\n## Windows (%zu records, stride %zu)\n\n%zu windows, %zu with dataset drift.", a->window,
                    a->stride, a->nwindows, a->windows_drifted);
      size_t warm = Analysis_warmup_windows(a);
      if (warm)
         StrBuf_printf(b,
                       " The first %zu %s warm-up, not judged: %s fewer records, as at the stream's start (marked "
                       "*warming up*).",
                       warm, warm == 1 ? "is a" : "are", warm == 1 ? "it holds" : "they hold");
      StrBuf_puts(b, "\n\n");
      StrBuf_puts(b, "| records | start ms | end ms | drifted share | dataset drift |\n|---|---:|---:|---:|---|\n");
      for (size_t k = 0; k < a->nwindows; k++) {
         const WindowReport *w = Analysis_win(a, k);
         fmt_num(s1, sizeof s1, w->share);
         char state[48];
         if (k < warm)
            snprintf(state, sizeof state, "*warming up %zu/%zu*", w->last - w->first + 1, a->window);
         StrBuf_printf(b, "| %zu–%zu | %.0f | %.0f | %s | %s |\n", w->first, w->last, w->start_ms, w->end_ms, s1,
                       k < warm           ? state
                       : w->dataset_drift ? "**yes**"
                                          : "no");
      }
   }
   markdown_spectra(b, a);
   StrBuf_printf(b, "\nBad lines: %ld.\n", total_bad(ctx));
}

static const char *short_role(ColumnRole r) {
   return r == ROLE_FEATURE ? "feat" : r == ROLE_TELEMETRY ? "telem" : r == ROLE_TRUTH ? "targ" : "pred";
}

#define TEXT_WIDTH 80

/* Append item to a "label: a; b; c" list, wrapping before TEXT_WIDTH
 * with continuation lines indented under the first item. */
static void list_item(StrBuf *b, size_t *line_start, size_t indent, const char *item) {
   size_t len = strlen(item);
   bool first = b->len == *line_start + indent;
   if (!first && b->len - *line_start + 2 + len > TEXT_WIDTH) {
      StrBuf_puts(b, ";\n");
      *line_start = b->len;
      StrBuf_printf(b, "%*s", (int)indent, "");
   } else if (!first)
      StrBuf_puts(b, "; ");
   StrBuf_puts(b, item);
}

/* Constant columns and the bad-line count, when there are, as
 * "data quality: x is constant; 8 bad lines". */
static void quality_summary(StrBuf *b, const ReportContext *ctx) {
   const Analysis *a = ctx->a;
   static const char label[] = "data quality: ";
   size_t line_start = b->len, indent = sizeof label - 1;
   char item[DS_NAME_MAX + 128];
   bool any = false;
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].constant) {
         if (!any)
            StrBuf_puts(b, label);
         any = true;
         snprintf(item, sizeof item, "%s is constant", a->cols[i].name);
         list_item(b, &line_start, indent, item);
      }
   const DataQuality *q = a->dq;
   for (int i = 0; q && q->col && i < q->ncols; i++) {
      const ColumnQuality *cq = &q->col[i];
      item[0] = '\0';
      if (cq->stuck)
         snprintf(item, sizeof item, "%s stuck at %.6g for %zu records from %zu", a->cols[i].name, cq->run_value,
                  cq->run, cq->run_start);
      else if (cq->almost_constant && !a->cols[i].constant)
         snprintf(item, sizeof item, "%s is %.0f%% one value", a->cols[i].name, 100 * cq->most_common_share);
      if (!item[0])
         continue;
      if (!any)
         StrBuf_puts(b, label);
      any = true;
      list_item(b, &line_start, indent, item);
   }
   if (q && q->col && (q->duplicated || q->repeated)) {
      if (!any)
         StrBuf_puts(b, label);
      any = true;
      snprintf(item, sizeof item, "%zu duplicated rows (%zu repeat the one before)", q->duplicated, q->repeated);
      list_item(b, &line_start, indent, item);
   }
   if (q && q->col && q->corr_changed) {
      if (!any)
         StrBuf_puts(b, label);
      any = true;
      snprintf(item, sizeof item, "%d of %d feature pairs correlate differently (|Δr| > %.2g)", q->corr_changed,
               q->corr_pairs, DS_CORR_DIFF);
      list_item(b, &line_start, indent, item);
   }
   long bad = total_bad(ctx);
   if (bad) {
      if (!any)
         StrBuf_puts(b, label);
      any = true;
      snprintf(item, sizeof item, "%ld bad line%s", bad, bad == 1 ? "" : "s");
      list_item(b, &line_start, indent, item);
   }
   if (any)
      StrBuf_putc(b, '\n');
}

#define STRIP_MAX 100 /* windows drawn one character each; more are grouped */

/* "windows: N × W records, stride S" and a strip with one mark per window
 * (or per group of windows: '#' when any in it drifted), then where drift
 * began. */
static void window_summary(StrBuf *b, const Analysis *a) {
   if (a->features == 0) {
      StrBuf_printf(b, "windows: %zu × %zu records, stride %zu (dataset drift not measured)\n", a->nwindows, a->window,
                    a->stride);
      return;
   }
   StrBuf_printf(b, "windows: %zu × %zu records, stride %zu, %zu with dataset drift\n", a->nwindows, a->window,
                 a->stride, a->windows_drifted);
   if (!a->nwindows)
      return;
   size_t warm = Analysis_warmup_windows(a);
   char over[96] = "";
   if (a->warmup_windows_drifted)
      snprintf(over, sizeof over, " (%zu over the share, not counted)", a->warmup_windows_drifted);
   if (warm == 1)
      StrBuf_printf(b, "  window 0 is a warm-up, not judged: records 0-%zu, all there were%s\n",
                    Analysis_win(a, 0)->last, over);
   else if (warm > 1)
      StrBuf_printf(b, "  windows 0-%zu are warm-ups, not judged: fewer records, all there were%s\n", warm - 1, over);
   size_t per = (a->nwindows + STRIP_MAX - 1) / STRIP_MAX;
   StrBuf_puts(b, "  ");
   for (size_t k = 0; k < a->nwindows; k += per) {
      bool any = false, judged = false;
      for (size_t i = k; i < k + per && i < a->nwindows; i++) {
         judged |= i >= warm;
         any |= i >= warm && Analysis_win(a, i)->dataset_drift;
      }
      StrBuf_putc(b, !judged ? '~' : any ? '#' : '.');
   }
   StrBuf_printf(b, "   ('#' dataset drift, '.' none%s; %zu window%s a mark)\n", warm ? ", '~' warm-up" : "", per,
                 per == 1 ? "" : "s");
   if (!a->windows_drifted)
      return;
   const WindowReport *w = Analysis_win(a, a->first_drifted_window);
   StrBuf_printf(b, "  first drift in records %zu-%zu", w->first, w->last);
   if (!isnan(w->start_ms) && !isnan(w->end_ms))
      StrBuf_printf(b, " (%.1f-%.1f s)", w->start_ms / 1000.0, w->end_ms / 1000.0);
   StrBuf_putc(b, '\n');
}

/* Each feature's spectrum: rate, dominant frequencies, JS distance and
 * verdict, then the octave bands' power, the window's over the
 * reference's. */
static void text_spectra(StrBuf *b, const Analysis *a, const TextMarks *mk) {
   if (!any_spectrum(a))
      return;
   const SpectrumReport *f = first_spectrum(a);
   char band[64] = "the whole spectrum", s1[32], s2[32], s3[32];
   if (f)
      band_text(band, sizeof band, f);
   StrBuf_printf(b,
                 "\nspectra (Welch; dominant frequency in %s; drift when JS >= the threshold: the larger of %.1f and "
                 "the reference against itself)\n",
                 band, DS_SPECTRUM_JS_DRIFT);
   StrBuf_printf(b, "%-16s %8s %5s %11s %11s %7s %9s  %s\n", "column", "rate Hz", "nfft", "dominant Hz", "reference",
                 "JS", "threshold", "spectral drift");
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      const SpectrumReport *s = &c->spectrum;
      if (!s->done && !s->why)
         continue;
      snprintf(s1, sizeof s1, isnan(s->dominant_hz) ? "-" : "%.4g", s->dominant_hz);
      snprintf(s2, sizeof s2, isnan(s->reference_dominant_hz) ? "-" : "%.4g", s->reference_dominant_hz);
      snprintf(s3, sizeof s3, isnan(s->js_distance) ? "-" : "%.4f", s->js_distance);
      char s4[32];
      snprintf(s4, sizeof s4, s->done ? "%.4f" : "-", s->js_threshold);
      StrBuf_printf(b, "%-16.16s %8.4g %5zu %11s %11s %7s %9s  %s%s%s\n", c->name, s->sample_rate_hz, s->nfft, s1, s2,
                    s3, s4, s->drifted ? mk->bad : "",
                    s->why       ? s->why
                    : s->drifted ? "DRIFT"
                                 : "ok",
                    s->drifted ? mk->off : "");
   }
   if (!f)
      return;
   StrBuf_puts(b, "octave band power, window / reference, Hz:\n");
   StrBuf_printf(b, "%-16s", "");
   for (int k = 0; k < DS_SPECTRUM_BANDS; k++) {
      snprintf(s1, sizeof s1, "%.3g-%.3g", f->band_edges_hz[k], f->band_edges_hz[k + 1]);
      StrBuf_printf(b, " %9s", s1);
   }
   StrBuf_putc(b, '\n');
   for (int i = 0; i < a->ncols; i++) {
      const SpectrumReport *s = &a->cols[i].spectrum;
      if (!s->done)
         continue;
      StrBuf_printf(b, "%-16.16s", a->cols[i].name);
      for (int k = 0; k < DS_SPECTRUM_BANDS; k++) {
         ratio_text(s1, sizeof s1, s->band_power[k], s->reference_band_power[k]);
         StrBuf_printf(b, " %9s", s1);
      }
      StrBuf_putc(b, '\n');
   }
}

/* text, wrapped at TEXT_WIDTH with continuation lines indented by indent. */
static void wrapped(StrBuf *b, const char *text, int indent) {
   int col = indent;
   const char *p = text;
   while (*p) {
      const char *sp = strchr(p, ' ');
      int word = sp ? (int)(sp - p) : (int)strlen(p);
      if (col > indent && col + 1 + word > TEXT_WIDTH) {
         StrBuf_printf(b, "\n%*s", indent, "");
         col = indent;
      } else if (col > indent) {
         StrBuf_putc(b, ' ');
         col++;
      }
      StrBuf_append(b, p, (size_t)word);
      col += word;
      p += word;
      while (*p == ' ')
         p++;
   }
   StrBuf_putc(b, '\n');
}

/* The prediction's drift (or the target's, without a prediction): the
 * verdict of a stream of model outputs, and worth a line beside any.
 * Returns how many lines. */
static int output_verdicts(StrBuf *b, const Analysis *a, const TextMarks *mk, bool markdown) {
   int n = 0;
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      if ((c->role != ROLE_PRED && c->role != ROLE_TRUTH) || ColumnReport_why_not(c))
         continue;
      char s1[32];
      fmt_num(s1, sizeof s1, c->drift.score);
      const char *on = *mk->off ? (c->drift.drifted ? mk->bad : mk->good) : markdown && c->drift.drifted ? "**" : "";
      const char *off = *mk->off ? mk->off : markdown && c->drift.drifted ? "**" : "";
      char of[DS_NAME_MAX + 8] = "";
      if (a->models && c->role == ROLE_PRED)
         snprintf(of, sizeof of, " (%s)", c->name);
      StrBuf_printf(b, "%s drift%s: %s%s%s (%s %s, threshold %.3g)%s\n",
                    c->role == ROLE_PRED ? (markdown ? "Prediction" : "prediction") : (markdown ? "Target" : "target"),
                    of, on, c->drift.drifted ? "YES" : "no", off, ds_drift_methods[c->drift.method].name, s1,
                    c->drift.threshold, markdown ? "  " : "");
      n++;
   }
   return n;
}

/* The problems (red) and notes, before anything else is read. */
static void text_assessment(StrBuf *b, const Assessment *as, const TextMarks *mk) {
   if (!as || (!as->nproblems && !as->nnotes))
      return;
   for (int i = 0; i < as->nproblems; i++) {
      StrBuf_printf(b, "%sPROBLEM%s  ", mk->bad, mk->off);
      wrapped(b, as->problems[i].text, 9);
   }
   for (int i = 0; i < as->nnotes; i++) {
      StrBuf_puts(b, "note     ");
      wrapped(b, as->notes[i], 9);
   }
   StrBuf_putc(b, '\n');
}

void ds_report_text(StrBuf *b, const ReportContext *ctx, const TextMarks *mk) {
   const Analysis *a = ctx->a;
   char s1[32], s2[32], line[400];
   if (ds_explain(line, sizeof line, a, ctx->classes, false)) { /* drift in one line, first (wrapped at 80) */
      StrBuf_puts(b, mk->bad);
      wrapped(b, line, 2);
      StrBuf_printf(b, "%s\n", mk->off);
   }
   for (int i = 0; i < ctx->nsources; i++)
      StrBuf_printf(b, "current    %s: %ld rows (%s), %ld bad lines\n", ctx->sources[i].path,
                    ctx->sources[i].ingest->records, ds_format_name(ctx->sources[i].ingest->format),
                    ctx->sources[i].ingest->bad_lines);
   StrBuf_printf(b, "reference  %s: %ld rows\n", ctx->reference_path, ctx->reference->records);
   char sc[96];
   scope_text(sc, sizeof sc, a);
   StrBuf_printf(b, "compared   %s\n\n", sc);
   text_assessment(b, ctx->assess, mk);
   if (a->warning)
      StrBuf_printf(b, "note: %s\n\n", a->warning);
   StrBuf_printf(b, "%-16s %-5s %-13s %9s %9s %7s %7s  %s\n", "column", "role", "method", "score", "threshold",
                 "missing", "outside", "drift");
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      char miss[16], out[16];
      fmt_num(s1, sizeof s1, c->drift.score);
      fmt_num(s2, sizeof s2, c->drift.threshold);
      snprintf(miss, sizeof miss, isnan(c->missing_share) ? "-" : "%.1f%%", 100 * c->missing_share);
      snprintf(out, sizeof out, isnan(c->out_of_range_share) ? "-" : "%.1f%%", 100 * c->out_of_range_share);
      const char *why = ColumnReport_why_not(c), *verdict = why ? why : c->drift.drifted ? "DRIFT" : "ok";
      StrBuf_printf(b, "%-16.16s %-5s %-13s %9s %9s %7s %7s  %s%s%s\n", c->name, short_role(c->role), method_of(c), s1,
                    s2, miss, out, c->drift.drifted ? mk->bad : "", verdict, c->drift.drifted ? mk->off : "");
   }
   if (a->mv && !a->mv->why) {
      const Multivariate *mv = a->mv;
      fmt_num(s1, sizeof s1, mv->drift.scored ? mv->drift.score : NAN);
      fmt_num(s2, sizeof s2, mv->drift.scored ? mv->drift.threshold : NAN);
      bool dr = mv->drift.scored && mv->drift.drifted;
      StrBuf_printf(b, "%-16s %-5s %-13s %9s %9s %7s %7s  %s%s%s\n", "multivariate", "all",
                    mv->drift.scored ? ds_drift_methods[mv->drift.method].name : "-", s1, s2, "-", "-",
                    dr ? mk->bad : "",
                    !mv->drift.scored ? "not scored"
                    : dr              ? "DRIFT"
                                      : "ok",
                    dr ? mk->off : "");
   }
   StrBuf_puts(b, "(role: feat(ure), pred(iction), targ(et), telem(etry); missing: rows without\n"
                  " a value; outside: values outside the reference's range)\n");
   const Problem *err = first_error(ctx->assess);
   if (err || a->features == 0)
      StrBuf_printf(b, "\ndataset drift: %snot measured%s (%s)\n", mk->bad, mk->off,
                    err
                       ? (err->kind == PROBLEM_NO_RECORDS ? "no records" : "no feature compared: see the PROBLEM above")
                       : "the stream has no features, only the model's outputs");
   else if (!judged(ctx))
      StrBuf_printf(b,
                    "\ndataset drift: %snot judged%s: the data quality failed (above); over the records read, "
                    "%d of %d features drifted (share %.2f, threshold %.2f)\n",
                    mk->bad, mk->off, a->drifted_features, a->features, a->share, a->drift_share);
   else
      StrBuf_printf(b, "\ndataset drift: %s%s%s (%d of %d features drifted, share %.2f, threshold %.2f)\n",
                    a->dataset_drift ? mk->bad : mk->good, a->dataset_drift ? "YES" : "no", mk->off,
                    a->drifted_features, a->features, a->share, a->drift_share);
   output_verdicts(b, a, mk, false);
   if (a->mv) {
      char mline[480];
      Multivariate_line(line, sizeof line, a->mv);
      snprintf(mline, sizeof mline, "multivariate (all features at once): %s", line);
      StrBuf_puts(b, a->mv->drift.drifted ? mk->bad : "");
      wrapped(b, mline, 2);
      StrBuf_puts(b, a->mv->drift.drifted ? mk->off : "");
   }
   quality_summary(b, ctx);
   if (a->has_truth && !a->regression && a->dq && a->dq->scored)
      StrBuf_printf(b, "class scores: ROC AUC %.4f, log loss %.4f over %ld records%s\n", a->dq->roc_auc,
                    a->dq->log_loss, a->dq->scored, a->scope_window ? " (last window)" : "");
   if (a->has_truth && !a->regression)
      StrBuf_printf(b,
                    "accuracy %.4f, macro-F1 %.4f over all %ld records with truth\n"
                    "concept drift on the errors: DDM signalled %ld, EDDM %ld, HDDM_A %ld, HDDM_W %ld,\n"
                    "  Page-Hinkley %ld, KSWIN %ld\n",
                    a->accuracy, a->macro_f1, a->confusion->total, a->det.ddm.drifts, a->det.eddm.drifts,
                    a->det.hddm_a.drifts, a->det.hddm_w.drifts, a->det.ph.drifts, a->det.kswin.drifts);
   if (a->has_truth && a->regression)
      StrBuf_printf(b,
                    "MAE %.6g, RMSE %.6g, MAPE %.4g, R² %.4f, mean error %+.6g over %ld records\n"
                    "concept drift on the absolute error: Page-Hinkley signalled %ld, KSWIN %ld (DDM: classification "
                    "only)\n",
                    Regression_mae(&a->reg), Regression_rmse(&a->reg), Regression_mape(&a->reg), Regression_r2(&a->reg),
                    Regression_bias(&a->reg), a->reg.n, a->det.ph.drifts, a->det.kswin.drifts);
   if (a->has_confidence && a->det.adwin.nat)
      StrBuf_printf(b, "change in the model's confidence (ADWIN, no labels needed): %ld, first at record %ld\n",
                    a->det.adwin.drifts, a->det.adwin.at[0]);
   else if (a->has_confidence)
      StrBuf_printf(b, "change in the model's confidence (ADWIN, no labels needed): none\n");
   adwin_lines(b, a, false);
   if (a->models)
      models_section(b, a->models, false, mk);
   if (a->window)
      window_summary(b, a);
   text_spectra(b, a, mk);
   if (ctx->tests)
      tests_section(b, ctx, false, mk);
}
