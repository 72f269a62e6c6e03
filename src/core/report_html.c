// SPDX-License-Identifier: MIT
/* The HTML report: one self-contained page (inline CSS and SVG, no script,
 * nothing fetched) that reads on a phone, a laptop and paper. Sections: the
 * verdict and its one line, problems, the tests (check), the columns, each
 * feature's histogram against the reference's, drift over time, the
 * prediction mix, the confusion matrix, data quality, models and
 * detectors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/quality.h"
#include "driftscope/report.h"

#define HIST_BINS 20
#define TIME_POINTS 120 /* points per line of the over-time chart */
#define TIME_LINES 6    /* features drawn over time, the most drifted first */

static const char *const palette[TIME_LINES] = {"#d9480f", "#1971c2", "#2f9e44", "#9c36b5", "#e67700", "#0c8599"};

static void fmt(char *out, size_t n, double v) {
   if (isnan(v))
      snprintf(out, n, "–");
   else if (v != 0 && (fabs(v) < 1e-3 || fabs(v) >= 1e6))
      snprintf(out, n, "%.3g", v);
   else
      snprintf(out, n, "%.4g", v);
}

static void pct(char *out, size_t n, double v) {
   if (isnan(v))
      snprintf(out, n, "–");
   else
      snprintf(out, n, "%.1f%%", 100 * v);
}

static const char *class_name(const Classes *cl, int id) {
   return id >= 0 && id < cl->n ? cl->name[id] : "?";
}

static const char css[] =
   "body{font:15px/1.45 system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:0;color:#212529;background:#fff}"
   "main{max-width:1100px;margin:0 auto;padding:12px}"
   "h1{font-size:1.4em;margin:.3em 0}h2{font-size:1.15em;margin:1.4em 0 .5em;border-bottom:1px solid #dee2e6}"
   "h3{font-size:1em;margin:.2em 0}"
   ".verdict{display:inline-block;padding:.15em .6em;border-radius:4px;font-weight:bold;color:#fff}"
   ".pass{background:#2b8a3e}.drift,.fail,.error{background:#c92a2a}"
   ".line{font-size:1.05em;border-left:4px solid #c92a2a;padding:.3em .7em;background:#fff5f5}"
   ".problem{border-left:4px solid #c92a2a;padding:.2em .7em;margin:.3em 0}"
   ".note{border-left:4px solid #adb5bd;padding:.2em .7em;margin:.3em 0}"
   ".scroll{overflow-x:auto;max-width:100%}"
   "table{border-collapse:collapse;font-size:.9em}th,td{padding:.25em .6em;border-bottom:1px solid #e9ecef;"
   "text-align:right;white-space:nowrap}th:first-child,td:first-child{text-align:left}"
   "td.bad{color:#c92a2a;font-weight:bold}td.good{color:#2b8a3e}td.wrap{white-space:normal;text-align:left;"
   "min-width:16em}"
   ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:14px}"
   ".card{border:1px solid #dee2e6;border-radius:6px;padding:8px}.card.drifted{border-color:#c92a2a}"
   "svg{width:100%;height:auto;display:block;max-width:900px}svg text{font:10px 'DejaVu Sans',sans-serif;fill:#495057}"
   "svg.wide text{font-size:15px}"
   ".legend span{display:inline-block;margin-right:1em}.sw{display:inline-block;width:.9em;height:.9em;"
   "vertical-align:middle;margin-right:.3em}"
   ".muted{color:#6c757d}.test{margin:.35em 0;overflow-wrap:anywhere}.test b{display:inline-block;min-width:3.6em}"
   ".ko{color:#c92a2a}.ok{color:#2b8a3e}summary{cursor:pointer;margin:.5em 0}"
   "@media print{main{max-width:none}.card,table{break-inside:avoid}.line,.problem{background:none}"
   "details>*{display:block}}";

/* ---- numbers the charts need ---- */

/* The compared records' values of column c (NaN dropped) into out (capacity rows). */
static size_t scope_values(const Analysis *a, const Table *cur, const ColumnReport *c, double *out) {
   const Column *col = cur->cols[c->cur_col];
   if (!col->stored || a->scope_first < cur->base)
      return 0;
   const double *v = col->v + (a->scope_first - cur->base);
   size_t n = 0;
   for (size_t r = 0; r < a->scope_rows; r++)
      if (isfinite(v[r]))
         out[n++] = v[r];
   return n;
}

/* ---- SVG ---- */

/* Reference and current shares side by side over bins (labels: NULL for
 * numbers, whose range lo..hi is written under the axis). */
static void svg_bars(StrBuf *b, const double *ref, const double *cur, int k, double lo, double hi,
                     const char *const *labels) {
   const double W = 300, H = 130, top = 8, bottom = labels ? 34 : 18, left = 4;
   double most = 0;
   for (int i = 0; i < k; i++)
      most = fmax(most, fmax(ref[i], cur[i]));
   if (most <= 0)
      most = 1;
   double bw = (W - 2 * left) / k, ph = H - top - bottom;
   StrBuf_printf(b, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\">", W, H);
   for (int i = 0; i < k; i++) {
      double x = left + i * bw, hr = ph * ref[i] / most, hc = ph * cur[i] / most;
      StrBuf_printf(b,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#868e96\" "
                    "fill-opacity=\".55\"><title>reference %.1f%%</title></rect>",
                    x + bw * .08, top + ph - hr, bw * .42, hr, 100 * ref[i]);
      StrBuf_printf(b,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e8590c\"><title>current "
                    "%.1f%%</title></rect>",
                    x + bw * .5, top + ph - hc, bw * .42, hc, 100 * cur[i]);
      if (labels) {
         StrBuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x + bw / 2, H - bottom + 12);
         char shortl[12];
         snprintf(shortl, sizeof shortl, "%.*s", k > 6 ? 5 : 11, labels[i]);
         StrBuf_xml_text(b, shortl);
         StrBuf_puts(b, "</text>");
      }
   }
   StrBuf_printf(b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#adb5bd\"/>", left, top + ph,
                 W - left, top + ph);
   if (!labels) {
      char s1[32], s2[32];
      fmt(s1, sizeof s1, lo);
      fmt(s2, sizeof s2, hi);
      StrBuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">%s</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s</text>",
                    left, H - 4, s1, W - left, H - 4, s2);
   }
   StrBuf_puts(b, "</svg>");
}

/* Categories: a row each, its name, then the reference's share and the current one. */
static void svg_hbars(StrBuf *b, const double *ref, const double *cur, int k, const char *const *labels) {
   const double W = 300, row = 24, lab = 92, barw = 140;
   double most = 0;
   for (int i = 0; i < k; i++)
      most = fmax(most, fmax(ref[i], cur[i]));
   if (most <= 0)
      most = 1;
   StrBuf_printf(b, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\">", W, row * k + 4);
   for (int i = 0; i < k; i++) {
      double y = 2 + row * i;
      char shortl[16];
      snprintf(shortl, sizeof shortl, "%.14s", labels[i]);
      StrBuf_printf(b, "<text x=\"0\" y=\"%.1f\">", y + 14);
      StrBuf_xml_text(b, shortl);
      StrBuf_puts(b, "<title>");
      StrBuf_xml_text(b, labels[i]);
      StrBuf_printf(b,
                    "</title></text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"9\" "
                    "fill=\"#868e96\" fill-opacity=\".55\"/><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" "
                    "height=\"9\" fill=\"#e8590c\"/>",
                    lab, y + 1, barw * ref[i] / most, lab, y + 11, barw * cur[i] / most);
      StrBuf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.0f%% → %.0f%%</text>", W, y + 14,
                    100 * ref[i], 100 * cur[i]);
   }
   StrBuf_puts(b, "</svg>");
}

static void legend(StrBuf *b) {
   StrBuf_puts(b, "<p class=\"legend\"><span><i class=\"sw\" style=\"background:#868e96;opacity:.55\"></i>reference"
                  "</span><span><i class=\"sw\" style=\"background:#e8590c\"></i>current</span></p>");
}

/* One numeric column's card: the histogram of the reference and the compared records. */
static void numeric_card(StrBuf *b, const RefColumn *rc, const double *v, size_t n) {
   double lo = rc->n ? rc->min : INFINITY, hi = rc->n ? rc->max : -INFINITY;
   for (size_t i = 0; i < n; i++) {
      lo = fmin(lo, v[i]);
      hi = fmax(hi, v[i]);
   }
   double ref[HIST_BINS] = {0}, cur[HIST_BINS] = {0};
   int k = hi > lo ? HIST_BINS : 1;
   double w = hi > lo ? (hi - lo) / k : 1;
   for (size_t i = 0; i < rc->n; i++) {
      int j = (int)((rc->sorted[i] - lo) / w);
      ref[j < 0 ? 0 : j >= k ? k - 1 : j] += 1.0 / (double)rc->n;
   }
   for (size_t i = 0; i < n; i++) {
      int j = (int)((v[i] - lo) / w);
      cur[j < 0 ? 0 : j >= k ? k - 1 : j] += 1.0 / (double)n;
   }
   svg_bars(b, ref, cur, k, lo, hi, NULL);
}

/* A categorical column: each key's share in the reference and the records. */
static void categorical_card(StrBuf *b, const RefColumn *rc, const double *v, size_t n, const Classes *cl) {
   int nk = cl->n > 0 ? cl->n : 1;
   double *ref = calloc((size_t)nk * 2, sizeof *ref);
   const char **labels = calloc((size_t)nk, sizeof *labels);
   if (!ref || !labels) {
      StrBuf_puts(b, "<p class=\"muted\">out of memory drawing this chart</p>");
      free(ref);
      free(labels);
      return;
   }
   double *cur = ref + nk;
   for (size_t i = 0; i < rc->n_unique; i++) {
      int id = (int)rc->keys[i];
      if (id >= 0 && id < nk)
         ref[id] = rc->key_counts[i] / (double)rc->n;
   }
   for (size_t i = 0; i < n; i++) {
      int id = (int)v[i];
      if (id >= 0 && id < nk)
         cur[id] += 1.0 / (double)n;
   }
   int k = 0;
   for (int id = 0; id < nk; id++)
      if (ref[id] > 0 || cur[id] > 0) {
         ref[k] = ref[id];
         cur[k] = cur[id];
         labels[k++] = class_name(cl, id);
      }
   if (k)
      svg_hbars(b, ref, cur, k, labels);
   free(ref);
   free(labels);
}

/* The features over time: each window's mean in the reference's standard
 * deviations, the most drifted first, with each onset marked. */
static void over_time(StrBuf *b, const Analysis *a, const Table *cur) {
   int pick[TIME_LINES], np = 0;
   bool used[DS_MAX_COLUMNS] = {false};
   for (int pass = 0; pass < 2 && np < TIME_LINES; pass++)
      for (int i = 0; i < a->ncols && np < TIME_LINES; i++) {
         const ColumnReport *c = &a->cols[i];
         if (used[i] || c->role != ROLE_FEATURE || c->kind != KIND_NUMERIC || c->ref_index < 0 ||
             !(a->refs[c->ref_index].std > 0) || !cur->cols[c->cur_col]->stored)
            continue;
         if (pass == 0 && !c->drift.drifted)
            continue;
         used[i] = true;
         pick[np++] = i;
      }
   size_t first = cur->base, rows = cur->nrows - cur->base;
   if (!np || rows < 2) {
      StrBuf_puts(b, "<p class=\"muted\">No numeric feature to draw over time.</p>");
      return;
   }
   size_t pts = rows < TIME_POINTS ? rows : TIME_POINTS;
   double ys[TIME_LINES][TIME_POINTS];
   double ymin = -3, ymax = 3;
   for (int l = 0; l < np; l++) {
      const ColumnReport *c = &a->cols[pick[l]];
      const RefColumn *rc = &a->refs[c->ref_index];
      double mean = (double)(rc->prefix[rc->n] / rc->n);
      const double *v = cur->cols[c->cur_col]->v;
      for (size_t p = 0; p < pts; p++) {
         size_t s = rows * p / pts, e = rows * (p + 1) / pts;
         double sum = 0;
         size_t k = 0;
         for (size_t r = s; r < e; r++)
            if (isfinite(v[r])) {
               sum += v[r];
               k++;
            }
         ys[l][p] = k ? (sum / (double)k - mean) / rc->std : NAN;
         if (isfinite(ys[l][p])) {
            ymin = fmin(ymin, ys[l][p]);
            ymax = fmax(ymax, ys[l][p]);
         }
      }
   }
   const double W = 640, H = 240, left = 44, right = 8, top = 10, bottom = 26;
   double pw = W - left - right, ph = H - top - bottom;
#define X(rec) (left + pw * ((double)(rec) - (double)first) / (double)(rows > 1 ? rows - 1 : 1))
#define Y(val) (top + ph * (ymax - (val)) / (ymax - ymin))
   StrBuf_printf(b, "<svg class=\"wide\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">", W, H);
   for (int g = (int)ceil(ymin); g <= (int)floor(ymax); g++) {
      if (g % (ymax - ymin > 12 ? 5 : 1))
         continue;
      StrBuf_printf(b,
                    "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"%s\"/>"
                    "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%+dσ</text>",
                    left, Y(g), W - right, Y(g), g ? "#f1f3f5" : "#adb5bd", left - 3, Y(g) + 3, g);
   }
   for (int l = 0; l < np; l++) {
      const ColumnReport *c = &a->cols[pick[l]];
      StrBuf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", palette[l]);
      for (size_t p = 0; p < pts; p++)
         if (isfinite(ys[l][p]))
            StrBuf_printf(b, "%.1f,%.1f ", X(first + rows * p / pts + rows / pts / 2), Y(ys[l][p]));
      StrBuf_puts(b, "\"/>");
      if (c->change.found && c->change.record >= first) {
         double x = X(c->change.record);
         StrBuf_printf(b,
                       "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"%s\" stroke-dasharray=\"4 3\">"
                       "<title>",
                       x, top, x, top + ph, palette[l]);
         StrBuf_xml_text(b, c->name);
         StrBuf_printf(b, " drifted since record %zu</title></line>", c->change.record);
      }
   }
   StrBuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">record %zu</text>", left, H - 6, first);
   StrBuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%zu</text>", W - right, H - 6, cur->nrows - 1);
   StrBuf_puts(b, "</svg><p class=\"legend\">");
   for (int l = 0; l < np; l++) {
      StrBuf_printf(b, "<span><i class=\"sw\" style=\"background:%s\"></i>", palette[l]);
      StrBuf_xml_text(b, a->cols[pick[l]].name);
      StrBuf_puts(b, "</span>");
   }
   StrBuf_puts(b, "</p><p class=\"muted\">Each line is a feature's mean over a stretch of records, in the "
                  "reference's standard deviations from the reference's mean; a dashed line marks where it left the "
                  "reference to stay away.</p>");
#undef X
#undef Y
}

/* Each window's drifted share, the threshold dashed. */
static void windows_chart(StrBuf *b, const Analysis *a) {
   size_t from = a->first_window, to = a->nwindows < a->window_cap ? a->nwindows : a->window_cap;
   if (to <= from)
      return;
   const double W = 640, H = 170, left = 44, right = 8, top = 10, bottom = 26;
   double pw = W - left - right, ph = H - top - bottom;
   size_t n = to - from;
   StrBuf_printf(b, "<h3>Share of drifted features, window by window (%zu records, stride %zu)</h3>", a->window,
                 a->stride);
   StrBuf_printf(b, "<svg class=\"wide\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">", W, H);
   double ty = top + ph * (1 - a->drift_share);
   StrBuf_printf(b,
                 "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#c92a2a\" stroke-dasharray=\"5 3\"/>"
                 "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>"
                 "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">1</text><text x=\"%.0f\" y=\"%.0f\" "
                 "text-anchor=\"end\">0</text>",
                 left, ty, W - right, ty, left - 3, ty + 3, a->drift_share, left - 3, top + 8, left - 3, top + ph);
   StrBuf_puts(b, "<polyline fill=\"none\" stroke=\"#1971c2\" stroke-width=\"1.5\" points=\"");
   size_t step = n > 600 ? n / 600 : 1;
   for (size_t k = from; k < to; k += step) {
      const WindowReport *w = Analysis_win(a, k);
      double x = left + pw * (double)(k - from) / (double)(n > 1 ? n - 1 : 1);
      StrBuf_printf(b, "%.1f,%.1f ", x, top + ph * (1 - (isnan(w->share) ? 0 : w->share)));
   }
   StrBuf_printf(b,
                 "\"/><text x=\"%.0f\" y=\"%.0f\">window %zu</text><text x=\"%.0f\" y=\"%.0f\" "
                 "text-anchor=\"end\">%zu</text></svg>",
                 left, H - 6, from, W - right, H - 6, to - 1);
   StrBuf_printf(b, "<p>%zu windows, %zu with dataset drift (warm-up windows are not judged).</p>", a->nwindows,
                 a->windows_drifted);
}

/* ---- sections ---- */

static void summary(StrBuf *b, const ReportContext *ctx) {
   const Analysis *a = ctx->a;
   const char *status = ctx->assess ? ds_assess_status_name(ctx->assess->status) : "pass";
   StrBuf_printf(b, "<section id=\"summary\"><h1>driftscope report <span class=\"verdict %s\">%s</span></h1>", status,
                 status);
   char line[400];
   if (ds_explain(line, sizeof line, a, ctx->classes, false)) {
      StrBuf_puts(b, "<p class=\"line\">");
      StrBuf_xml_text(b, line);
      StrBuf_puts(b, "</p>");
   }
   StrBuf_puts(b, "<p>");
   for (int i = 0; i < ctx->nsources; i++) {
      StrBuf_puts(b, "Current <b>");
      StrBuf_xml_text(b, ctx->sources[i].path);
      StrBuf_printf(b, "</b>: %ld records (%s), %ld bad lines.<br>", ctx->sources[i].ingest->records,
                    ds_format_name(ctx->sources[i].ingest->format), ctx->sources[i].ingest->bad_lines);
   }
   StrBuf_puts(b, "Reference <b>");
   StrBuf_xml_text(b, ctx->reference_path);
   StrBuf_printf(b, "</b>: %ld records.<br>Compared: %s, records %zu–%zu.</p>", ctx->reference->records,
                 a->scope_window ? "the last window" : "the whole session", a->scope_first,
                 a->scope_rows ? a->scope_first + a->scope_rows - 1 : a->scope_first);
   if (a->features)
      StrBuf_printf(b, "<p>Dataset drift: <b>%s</b>: %d of %d features drifted (share %.2f, threshold %.2f).</p>",
                    a->dataset_drift ? "yes" : "no", a->drifted_features, a->features, a->share, a->drift_share);
   else
      StrBuf_puts(b, "<p>Dataset drift: not measured (no feature compared).</p>");
   StrBuf_puts(b, "<p class=\"muted\">driftscope ");
   StrBuf_xml_text(b, ctx->version);
   StrBuf_puts(b, "; drift tests as Evidently's defaults.</p></section>");
   const Assessment *as = ctx->assess;
   if (as && (as->nproblems || as->nnotes)) {
      StrBuf_puts(b, "<section id=\"problems\"><h2>Problems and notes</h2>");
      for (int i = 0; i < as->nproblems; i++) {
         StrBuf_puts(b, "<p class=\"problem\"><b>Problem:</b> ");
         StrBuf_xml_text(b, as->problems[i].text);
         StrBuf_puts(b, "</p>");
      }
      for (int i = 0; i < as->nnotes; i++) {
         StrBuf_puts(b, "<p class=\"note\">");
         StrBuf_xml_text(b, as->notes[i]);
         StrBuf_puts(b, "</p>");
      }
      StrBuf_puts(b, "</section>");
   }
}

static void test_item(StrBuf *b, const TestResult *t) {
   StrBuf_printf(b, "<div class=\"test\"><b class=\"%s\">%s</b> ", t->status == TEST_PASS ? "ok" : "ko",
                 t->status == TEST_PASS   ? "pass"
                 : t->status == TEST_FAIL ? "FAIL"
                                          : "ERROR");
   StrBuf_xml_text(b, t->name);
   StrBuf_puts(b, "<br><span class=\"muted\">");
   StrBuf_xml_text(b, t->detail);
   StrBuf_puts(b, "</span></div>");
}

/* What did not pass, each with its figure and condition; the passed ones folded. */
static void tests(StrBuf *b, const ReportContext *ctx) {
   const SuiteResults *r = ctx->tests;
   if (!r)
      return;
   StrBuf_printf(
      b, "<section id=\"tests\"><h2>Tests</h2><p>%d passed, <b>%d failed</b>, %d could not be computed, of %d (",
      r->passed, r->failed, r->errors, r->n);
   StrBuf_xml_text(b, ctx->tests_source);
   StrBuf_puts(b, ").</p>");
   for (int i = 0; i < r->n; i++)
      if (r->r[i].status != TEST_PASS)
         test_item(b, &r->r[i]);
   if (r->passed) {
      StrBuf_printf(b, "<details><summary>%d passed</summary>", r->passed);
      for (int i = 0; i < r->n; i++)
         if (r->r[i].status == TEST_PASS)
            test_item(b, &r->r[i]);
      StrBuf_puts(b, "</details>");
   }
   StrBuf_puts(b, "</section>");
}

/* The verdict second, where a phone shows it without scrolling. */
static void columns_table(StrBuf *b, const Analysis *a) {
   StrBuf_puts(b, "<section id=\"columns\"><h2>Columns</h2><div class=\"scroll\"><table><tr><th>column</th>"
                  "<th>drift</th><th>test</th><th>score</th><th>threshold</th><th>role</th></tr>");
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      char s1[32], s2[32];
      const char *why = ColumnReport_why_not(c);
      fmt(s1, sizeof s1, why ? NAN : c->drift.score);
      fmt(s2, sizeof s2, why ? NAN : c->drift.threshold);
      StrBuf_puts(b, "<tr><td>");
      StrBuf_xml_text(b, c->name);
      if (why) {
         StrBuf_puts(b, "</td><td class=\"wrap\">");
         StrBuf_xml_text(b, why);
      } else {
         StrBuf_printf(b, "</td><td class=\"%s\">%s", c->drift.drifted ? "bad" : "good",
                       c->drift.drifted ? "DRIFT" : "ok");
      }
      StrBuf_printf(b, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
                    why || c->drift.method < 0 ? "–" : ds_drift_methods[c->drift.method].name, s1, s2,
                    ds_role_name(c->role));
   }
   StrBuf_puts(b, "</table></div></section>");
}

static void histograms(StrBuf *b, const ReportContext *ctx) {
   const Analysis *a = ctx->a;
   double *v = malloc((a->scope_rows ? a->scope_rows : 1) * sizeof *v);
   StrBuf_puts(b, "<section id=\"histograms\"><h2>Distributions: reference and current</h2>");
   legend(b);
   if (!v) {
      StrBuf_puts(b, "<p class=\"muted\">out of memory drawing the histograms</p></section>");
      return;
   }
   StrBuf_puts(b, "<div class=\"grid\">");
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      if (c->ref_index < 0 || c->role == ROLE_PRED)
         continue;
      const RefColumn *rc = &a->refs[c->ref_index];
      size_t n = scope_values(a, ctx->cur, c, v);
      StrBuf_printf(b, "<div class=\"card%s\"><h3>", c->drift.drifted ? " drifted" : "");
      StrBuf_xml_text(b, c->name);
      char s1[32];
      fmt(s1, sizeof s1, c->drift.score);
      StrBuf_printf(b, "</h3><p class=\"muted\">%s %s%s</p>",
                    c->drift.scored ? ds_drift_methods[c->drift.method].name : "not scored", c->drift.scored ? s1 : "",
                    c->drift.drifted ? ": <b style=\"color:#c92a2a\">drift</b>" : "");
      if (c->kind == KIND_NUMERIC)
         numeric_card(b, rc, v, n);
      else
         categorical_card(b, rc, v, n, ctx->classes);
      StrBuf_puts(b, "</div>");
   }
   StrBuf_puts(b, "</div></section>");
   free(v);
}

static void prediction_mix(StrBuf *b, const ReportContext *ctx) {
   const Analysis *a = ctx->a;
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      if (c->role != ROLE_PRED || c->ref_index < 0 || c->kind != KIND_CATEGORICAL)
         continue;
      double *v = malloc((a->scope_rows ? a->scope_rows : 1) * sizeof *v);
      if (!v)
         return;
      size_t n = scope_values(a, ctx->cur, c, v);
      StrBuf_puts(b, "<section id=\"mix\"><h2>Prediction mix</h2>");
      legend(b);
      StrBuf_puts(b, "<div class=\"card\" style=\"max-width:520px\">");
      categorical_card(b, &a->refs[c->ref_index], v, n, ctx->classes);
      char s1[32];
      fmt(s1, sizeof s1, c->drift.score);
      StrBuf_printf(b, "</div><p>%s %s: %s.</p></section>",
                    c->drift.scored ? ds_drift_methods[c->drift.method].name : "not scored", c->drift.scored ? s1 : "",
                    c->drift.drifted ? "<b>the prediction mix drifted</b>" : "no drift");
      free(v);
      return;
   }
}

static void confusion(StrBuf *b, const ReportContext *ctx) {
   const Analysis *a = ctx->a;
   if (!a->has_truth || a->regression || !a->nclasses)
      return;
   StrBuf_printf(b,
                 "<section id=\"confusion\"><h2>Confusion matrix</h2><p>Accuracy %.4f, macro-F1 %.4f over %ld "
                 "records with truth (rows: truth, columns: predicted).</p>",
                 a->accuracy, a->macro_f1, a->confusion->total);
   if (a->dq && a->dq->scored)
      StrBuf_printf(b, "<p>From the class scores: ROC AUC %.4f, log loss %.4f over %ld records%s.</p>", a->dq->roc_auc,
                    a->dq->log_loss, a->dq->scored, a->scope_window ? " (the last window)" : "");
   StrBuf_puts(b, "<div class=\"scroll\"><table><tr><th>truth \\ predicted</th>");
   for (int j = 0; j < a->nclasses; j++) {
      StrBuf_puts(b, "<th>");
      StrBuf_xml_text(b, class_name(ctx->classes, a->classes[j]));
      StrBuf_puts(b, "</th>");
   }
   StrBuf_puts(b, "</tr>");
   for (int i = 0; i < a->nclasses; i++) {
      long row = 0;
      for (int j = 0; j < a->nclasses; j++)
         row += a->confusion->m[a->classes[i]][a->classes[j]];
      StrBuf_puts(b, "<tr><th>");
      StrBuf_xml_text(b, class_name(ctx->classes, a->classes[i]));
      StrBuf_puts(b, "</th>");
      for (int j = 0; j < a->nclasses; j++) {
         long m = a->confusion->m[a->classes[i]][a->classes[j]];
         double share = row ? (double)m / (double)row : 0;
         StrBuf_printf(b, "<td style=\"background:rgba(%s,%.2f)\">%ld</td>", i == j ? "43,138,62" : "201,42,42",
                       share * .6, m);
      }
      StrBuf_puts(b, "</tr>");
   }
   StrBuf_puts(b, "</table></div></section>");
}

static void quality(StrBuf *b, const ReportContext *ctx) {
   const Analysis *a = ctx->a;
   const DataQuality *q = a->dq && a->dq->col ? a->dq : NULL;
   StrBuf_puts(b, "<section id=\"quality\"><h2>Data quality</h2>");
   long lines = 0, bad = 0;
   for (int i = 0; i < ctx->nsources; i++) {
      lines += ctx->sources[i].ingest->lines;
      bad += ctx->sources[i].ingest->bad_lines;
   }
   StrBuf_printf(b, "<p>%ld lines read, %ld bad.", lines, bad);
   if (q)
      StrBuf_printf(b,
                    " %zu duplicated rows (over the %d features; %zu repeat the one before); %d of %d feature pairs "
                    "correlate differently than in the reference (Pearson, |Δr| &gt; %.2g).",
                    q->duplicated, q->dup_features, q->repeated, q->corr_changed, q->corr_pairs, DS_CORR_DIFF);
   StrBuf_puts(b, "</p>");
   for (int i = 0; q && i < a->ncols; i++) { /* what a board gets wrong, said before the table */
      const ColumnQuality *cq = &q->col[i];
      if (cq->stuck) {
         StrBuf_puts(b, "<p class=\"problem\"><b>Stuck sensor:</b> ");
         StrBuf_xml_text(b, a->cols[i].name);
         StrBuf_printf(b, " held %.6g for %zu records from record %zu (the reference's longest run: %zu).</p>",
                       cq->run_value, cq->run, cq->run_start, cq->ref_run);
      } else if (cq->almost_constant) {
         StrBuf_puts(b, "<p class=\"note\"><b>Almost constant:</b> ");
         StrBuf_xml_text(b, a->cols[i].name);
         StrBuf_printf(b, " is %.1f%% one value.</p>", 100 * cq->most_common_share);
      }
   }
   StrBuf_puts(b, "<div class=\"scroll\"><table><tr><th>column</th><th>missing</th><th>outside ref. range</th>"
                  "<th>mean</th><th>ref. mean</th><th>most common</th><th>longest run</th><th>stuck</th>"
                  "<th>new categories</th></tr>");
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      const ColumnQuality *cq = q ? &q->col[i] : NULL;
      char m[32], o[32], mean[32], rmean[32], common[32];
      pct(m, sizeof m, c->missing_share);
      pct(o, sizeof o, c->out_of_range_share);
      fmt(mean, sizeof mean, c->cur_mean);
      fmt(rmean, sizeof rmean, c->ref_mean);
      pct(common, sizeof common, cq ? cq->most_common_share : NAN);
      StrBuf_puts(b, "<tr><td>");
      StrBuf_xml_text(b, c->name);
      StrBuf_printf(b, "</td><td%s>%s</td><td%s>%s</td><td>%s</td><td>%s</td><td%s>%s</td>",
                    c->missing_share > 0 ? " class=\"bad\"" : "", m, c->out_of_range_share > 0 ? " class=\"bad\"" : "",
                    o, mean, rmean, cq && cq->almost_constant ? " class=\"bad\"" : "", common);
      if (cq)
         StrBuf_printf(b, "<td>%zu (reference %zu)</td><td%s>%s</td>", cq->run, cq->ref_run,
                       cq->stuck ? " class=\"bad\"" : "", cq->stuck ? "STUCK" : "no");
      else
         StrBuf_puts(b, "<td>–</td><td>–</td>");
      StrBuf_printf(b, "<td%s>", c->n_new ? " class=\"bad\"" : "");
      if (c->kind != KIND_CATEGORICAL || isnan(c->new_share))
         StrBuf_puts(b, "–");
      for (int k = 0; c->kind == KIND_CATEGORICAL && k < c->n_new && k < DS_CATEGORIES_LISTED; k++) {
         StrBuf_puts(b, k ? ", " : "");
         StrBuf_xml_text(b, class_name(ctx->classes, c->new_ids[k]));
      }
      if (c->kind == KIND_CATEGORICAL && !isnan(c->new_share) && !c->n_new)
         StrBuf_puts(b, "none");
      StrBuf_puts(b, "</td></tr>");
   }
   StrBuf_puts(b, "</table></div>");
   if (q && q->corr_changed) {
      StrBuf_puts(b,
                  "<h3>Correlations that changed</h3><div class=\"scroll\"><table><tr><th>pair</th><th>reference</th>"
                  "<th>current</th></tr>");
      for (int i = 0; i < q->corr_changed && i < DS_CORR_LISTED; i++) {
         StrBuf_puts(b, "<tr><td>");
         StrBuf_xml_text(b, a->cols[q->changed[i].a].name);
         StrBuf_puts(b, " · ");
         StrBuf_xml_text(b, a->cols[q->changed[i].b].name);
         StrBuf_printf(b, "</td><td>%+.3f</td><td>%+.3f</td></tr>", q->changed[i].reference, q->changed[i].current);
      }
      StrBuf_puts(b, "</table></div>");
   }
   if (q && q->nbalance) {
      StrBuf_puts(b, "<h3>Class balance of the truth</h3><div class=\"scroll\"><table><tr><th>class</th><th>reference"
                     "</th><th>current</th></tr>");
      for (int i = 0; i < q->nbalance; i++) {
         char r1[32], c1[32];
         pct(r1, sizeof r1, q->balance_ref[i]);
         pct(c1, sizeof c1, q->balance_cur[i]);
         StrBuf_puts(b, "<tr><td>");
         StrBuf_xml_text(b, class_name(ctx->classes, q->balance_class[i]));
         StrBuf_printf(b, "</td><td>%s</td><td>%s</td></tr>", r1, c1);
      }
      StrBuf_puts(b, "</table></div>");
   }
   StrBuf_puts(b, "</section>");
}

static void regression(StrBuf *b, const Analysis *a) {
   if (!a->has_truth || !a->regression)
      return;
   StrBuf_printf(b,
                 "<section id=\"regression\"><h2>Regression</h2><p>MAE %.6g, RMSE %.6g, MAPE %.4g, R² %.4f, mean "
                 "error %+.6g (prediction − truth) over %ld records.</p></section>",
                 Regression_mae(&a->reg), Regression_rmse(&a->reg), Regression_mape(&a->reg), Regression_r2(&a->reg),
                 Regression_bias(&a->reg), a->reg.n);
}

static void models(StrBuf *b, const Analysis *a) {
   if (!a->models)
      return;
   StrBuf_puts(b,
               "<section id=\"models\"><h2>Models</h2><div class=\"scroll\"><table><tr><th>model</th><th>records"
               "</th><th>labelled</th><th>accuracy</th><th>macro-F1</th><th>latency ms</th><th>confidence</th></tr>");
   for (int i = 0; i < a->models->n; i++) {
      const ModelFigures *f = &a->models->m[i];
      char acc[32], f1[32], lat[32], conf[32];
      fmt(acc, sizeof acc, f->accuracy);
      fmt(f1, sizeof f1, f->macro_f1);
      fmt(lat, sizeof lat, f->latency_ms);
      fmt(conf, sizeof conf, f->confidence);
      StrBuf_puts(b, "<tr><td>");
      StrBuf_xml_text(b, f->name);
      StrBuf_printf(b, "%s</td><td>%ld</td><td>%ld</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
                    i ? "" : " (champion)", f->predicted, f->labelled, acc, f1, lat, conf);
   }
   StrBuf_puts(b, "</table></div></section>");
}

static void detectors(StrBuf *b, const Analysis *a) {
   if (!a->has_truth && !a->has_confidence)
      return;
   StrBuf_puts(b, "<section id=\"detectors\"><h2>Change detectors</h2><ul>");
   if (a->has_truth && !a->regression)
      StrBuf_printf(b,
                    "<li>On the error stream (River's defaults): DDM %ld, EDDM %ld, HDDM_A %ld, HDDM_W %ld, "
                    "Page-Hinkley %ld, KSWIN %ld.</li>",
                    a->det.ddm.drifts, a->det.eddm.drifts, a->det.hddm_a.drifts, a->det.hddm_w.drifts, a->det.ph.drifts,
                    a->det.kswin.drifts);
   if (a->has_truth && a->regression)
      StrBuf_printf(b, "<li>On the absolute error: Page-Hinkley %ld, KSWIN %ld.</li>", a->det.ph.drifts,
                    a->det.kswin.drifts);
   if (a->has_confidence)
      StrBuf_printf(b, "<li>ADWIN on the model's confidence (no labels needed): %ld.</li>", a->det.adwin.drifts);
   StrBuf_puts(b, "</ul></section>");
}

void ds_report_html(StrBuf *b, const ReportContext *ctx) {
   const Analysis *a = ctx->a;
   StrBuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                  "<title>driftscope report: ");
   StrBuf_xml_text(b, ctx->nsources ? ctx->sources[0].path : "");
   StrBuf_puts(b, "</title><style>");
   StrBuf_puts(b, css);
   StrBuf_puts(b, "</style></head><body><main>\n");
   summary(b, ctx);
   tests(b, ctx);
   columns_table(b, a);
   histograms(b, ctx);
   StrBuf_puts(b, "<section id=\"overtime\"><h2>Drift over time</h2>");
   if (a->window)
      windows_chart(b, a);
   over_time(b, a, ctx->cur);
   StrBuf_puts(b, "</section>");
   prediction_mix(b, ctx);
   confusion(b, ctx);
   regression(b, a);
   quality(b, ctx);
   models(b, a);
   detectors(b, a);
   StrBuf_puts(b, "\n</main></body></html>\n");
}
