// SPDX-License-Identifier: MIT
/* The JSON report. Keys listed in the core-engine issue are a contract. */
#include <math.h>
#include <stdio.h>

#include "driftscope/quality.h"
#include "driftscope/report.h"

static void key(StrBuf *b, const char *k) {
   StrBuf_json_string(b, k);
   StrBuf_putc(b, ':');
}

static void num(StrBuf *b, const char *k, double v) {
   key(b, k);
   StrBuf_json_number(b, v);
}

static void boolean(StrBuf *b, const char *k, bool v) {
   key(b, k);
   StrBuf_puts(b, v ? "true" : "false");
}

static void boolean_after(StrBuf *b, const char *k, bool v) {
   StrBuf_putc(b, ',');
   boolean(b, k, v);
}

static void num_after(StrBuf *b, const char *k, double v) {
   StrBuf_putc(b, ',');
   num(b, k, v);
}

static void str(StrBuf *b, const char *k, const char *v) {
   key(b, k);
   if (v)
      StrBuf_json_string(b, v);
   else
      StrBuf_puts(b, "null");
}

static void str_after(StrBuf *b, const char *k, const char *v) {
   StrBuf_putc(b, ',');
   str(b, k, v);
}

static const char *kind_name(ColumnKind k) {
   return k == KIND_NUMERIC ? "numeric" : "categorical";
}

static const char *method_name(const ColumnDrift *d, bool scored) {
   return scored && d->method >= 0 ? ds_drift_methods[d->method].name : NULL;
}

/* {"class", "reference_share", "share"} */
static void class_share(StrBuf *b, const char *k, const Classes *cl, int id, double ref, double cur) {
   key(b, k);
   StrBuf_putc(b, '{');
   str(b, "class", id >= 0 && id < cl->n ? cl->name[id] : NULL);
   num_after(b, "reference_share", ref);
   num_after(b, "share", cur);
   StrBuf_putc(b, '}');
}

/* The names of ids[0..n), of which the first DS_CATEGORIES_LISTED are
 * known ("..." closes a longer list). */
static void class_list(StrBuf *b, const Classes *cl, const int *ids, int n) {
   StrBuf_putc(b, '[');
   for (int i = 0; i < n && i <= DS_CATEGORIES_LISTED; i++) {
      if (i)
         StrBuf_putc(b, ',');
      if (i == DS_CATEGORIES_LISTED)
         StrBuf_json_string(b, "...");
      else if (ids[i] >= 0 && ids[i] < cl->n)
         StrBuf_json_string(b, cl->name[ids[i]]);
      else
         StrBuf_printf(b, "\"%d\"", ids[i]);
   }
   StrBuf_putc(b, ']');
}

static void column(StrBuf *b, const ColumnReport *c, const Classes *cl, const DataQuality *dq, int index) {
   const ColumnDrift *d = &c->drift;
   bool scored = c->ref_index >= 0 && d->scored;
   StrBuf_putc(b, '{');
   str(b, "role", ds_role_name(c->role));
   str_after(b, "kind", kind_name(c->kind));
   num_after(b, "n_reference", (double)d->n_ref);
   num_after(b, "n_current", (double)d->n_cur);
   num_after(b, "n_unique", scored ? (double)d->n_unique : NAN);
   str_after(b, "method", method_name(d, scored));
   num_after(b, "score", scored ? d->score : NAN);
   num_after(b, "threshold", scored ? d->threshold : NAN);
   boolean_after(b, "drifted", scored && d->drifted);
   boolean_after(b, "scored", scored);
   str_after(b, "not_scored", ColumnReport_why_not(c));
   str_after(b, "reference_column", c->ref_name[0] ? c->ref_name : NULL);
   StrBuf_puts(b, ",\"stats\":{");
   num(b, "ks_statistic", d->ks_statistic);
   num_after(b, "ks_pvalue", d->ks_pvalue);
   num_after(b, "wasserstein_norm", d->wasserstein_norm);
   num_after(b, "psi", d->psi);
   num_after(b, "jensenshannon", d->jensenshannon);
   if (!isnan(d->chisquare_pvalue)) {
      num_after(b, "chisquare_pvalue", d->chisquare_pvalue);
   }
   if (!isnan(d->z_pvalue)) {
      num_after(b, "z_pvalue", d->z_pvalue);
   }
   if (scored && d->method >= DRIFT_HELLINGER) { /* a further test, chosen: its score and statistic */
      num_after(b, ds_drift_methods[d->method].name, d->score);
      char k[48];
      snprintf(k, sizeof k, "%s_statistic", ds_drift_methods[d->method].name);
      num_after(b, k, d->statistic);
   }
   StrBuf_puts(b, "},\"quality\":{");
   num(b, "missing_share", c->missing_share);
   num_after(b, "out_of_range_share", c->out_of_range_share);
   boolean_after(b, "constant", c->constant);
   num_after(b, "mean", c->cur_mean);
   num_after(b, "reference_mean", c->ref_mean);
   const ColumnQuality *cq = dq && dq->col ? &dq->col[index] : NULL;
   if (cq) {
      num_after(b, "most_common_share", cq->most_common_share);
      boolean_after(b, "almost_constant", cq->almost_constant);
      StrBuf_puts(b, ",\"longest_run\":{");
      num(b, "records", (double)cq->run);
      num_after(b, "first_record", cq->run ? (double)cq->run_start : NAN);
      num_after(b, "value", c->kind == KIND_NUMERIC ? cq->run_value : NAN);
      num_after(b, "reference_records", (double)cq->ref_run);
      num_after(b, "stuck_at", (double)cq->stuck_min);
      StrBuf_putc(b, '}');
      boolean_after(b, "stuck", cq->stuck);
   }
   if (c->kind == KIND_CATEGORICAL) {
      num_after(b, "new_category_share", c->new_share);
      StrBuf_puts(b, ",\"new_categories\":");
      class_list(b, cl, c->new_ids, c->n_new);
      StrBuf_puts(b, ",\"missing_categories\":");
      class_list(b, cl, c->gone_ids, c->n_gone);
   }
   StrBuf_putc(b, '}');
   if (!isnan(c->moved_q)) { /* how far it moved */
      StrBuf_puts(b, ",\"effect\":{");
      num(b, "mean_shift", c->cur_mean - c->ref_mean);
      num_after(b, "mean_shift_sigma", c->mean_shift_sigma);
      num_after(b, "std", c->cur_std);
      num_after(b, "reference_std", c->ref_std);
      num_after(b, "std_ratio", c->std_ratio);
      num_after(b, "outside_reference_range", c->out_of_range_share);
      StrBuf_puts(b, ",\"quantile_moved_most\":{");
      num(b, "q", c->moved_q);
      num_after(b, "reference", c->moved_ref);
      num_after(b, "current", c->moved_cur);
      StrBuf_puts(b, "}}");
   }
   if (c->gained >= 0 || c->lost >= 0) { /* a mix: the class that gained most, the one that lost most */
      StrBuf_puts(b, ",\"effect\":{");
      if (c->gained >= 0)
         class_share(b, "gained_most", cl, c->gained, c->gained_ref, c->gained_cur);
      if (c->lost >= 0) {
         if (c->gained >= 0)
            StrBuf_putc(b, ',');
         class_share(b, "lost_most", cl, c->lost, c->lost_ref, c->lost_cur);
      }
      StrBuf_putc(b, '}');
   }
   if (c->track) { /* since when */
      const ChangePoint *cp = &c->change;
      StrBuf_puts(b, ",\"change\":{");
      boolean(b, "found", cp->found);
      if (cp->found) {
         StrBuf_printf(b, ",\"record\":%zu,\"record_low\":%zu,\"record_high\":%zu,", cp->record, cp->record_lo,
                       cp->record_hi);
         num(b, "time_ms", cp->ms);
         num_after(b, "time_ms_low", cp->ms_lo);
         num_after(b, "time_ms_high", cp->ms_hi);
         num_after(b, "since_ms", cp->since_ms);
         num_after(b, "before_sigma", cp->before_sigma);
         num_after(b, "after_sigma", cp->after_sigma);
         num_after(b, "likelihood_ratio", cp->lr);
      }
      StrBuf_putc(b, '}');
   }
   StrBuf_puts(b, ",\"session_quality\":{");
   num(b, "rows", (double)c->s_rows);
   num_after(b, "missing_share", c->session_missing_share);
   num_after(b, "out_of_range_share", c->session_out_of_range_share);
   StrBuf_putc(b, '}');
   const SpectrumReport *sp = &c->spectrum;
   if (sp->done || sp->why) {
      StrBuf_puts(b, ",\"spectrum\":{");
      num(b, "sample_rate_hz", sp->sample_rate_hz);
      num_after(b, "dominant_hz", sp->dominant_hz);
      num_after(b, "reference_dominant_hz", sp->reference_dominant_hz);
      StrBuf_puts(b, ",\"band_hz\":[");
      StrBuf_json_number(b, sp->band_lo_hz);
      StrBuf_putc(b, ',');
      StrBuf_json_number(b, sp->band_hi_hz);
      StrBuf_puts(b, "],");
      num(b, "js_distance", sp->js_distance);
      num_after(b, "js_calibrated", sp->js_calibrated);
      num_after(b, "js_threshold", sp->done ? sp->js_threshold : NAN);
      boolean_after(b, "drifted", sp->drifted);
      num_after(b, "nfft", sp->done ? (double)sp->nfft : NAN);
      if (sp->done) {
         StrBuf_puts(b, ",\"bands\":[");
         for (int k = 0; k < DS_SPECTRUM_BANDS; k++) {
            StrBuf_puts(b, k ? ",{" : "{");
            num(b, "lo_hz", sp->band_edges_hz[k]);
            num_after(b, "hi_hz", sp->band_edges_hz[k + 1]);
            num_after(b, "power", sp->band_power[k]);
            num_after(b, "reference_power", sp->reference_band_power[k]);
            StrBuf_putc(b, '}');
         }
         StrBuf_putc(b, ']');
      }
      if (sp->why) {
         str_after(b, "note", sp->why);
      }
      StrBuf_putc(b, '}');
   }
   StrBuf_putc(b, '}');
}

/* Which records the top-level columns and dataset verdict compare. */
static void scope(StrBuf *b, const Analysis *a) {
   StrBuf_puts(b, "\"scope\":{");
   str(b, "records", a->scope_window ? "last_window" : "session");
   num_after(b, "first_record", (double)a->scope_first);
   num_after(b, "last_record", a->scope_rows ? (double)(a->scope_first + a->scope_rows - 1) : NAN);
   num_after(b, "rows", (double)a->scope_rows);
   StrBuf_putc(b, '}');
}

static void bad_list(StrBuf *b, const Ingest *in) {
   StrBuf_putc(b, '[');
   for (int i = 0; i < in->nfirst_bad; i++) {
      if (i)
         StrBuf_putc(b, ',');
      StrBuf_putc(b, '{');
      num(b, "line", (double)in->first_bad[i].lineno);
      str_after(b, "reason", in->first_bad[i].reason);
      StrBuf_putc(b, '}');
   }
   StrBuf_putc(b, ']');
}

/* Headerless columns as the stream's f<i> → the names they were given. */
static void column_names(StrBuf *b, const Ingest *in) {
   StrBuf_puts(b, ",\"headerless_names\":");
   if (!in->nnames || (!in->names_given && in->by_position <= 0)) {
      StrBuf_puts(b, "null");
      boolean_after(b, "matched_by_position", false);
      return;
   }
   StrBuf_puts(b, "{");
   for (int i = 0; i < in->nnames; i++) {
      char f[16];
      snprintf(f, sizeof f, "f%d", i);
      if (i)
         StrBuf_putc(b, ',');
      str(b, f, in->names[i]);
   }
   StrBuf_puts(b, "}");
   boolean_after(b, "matched_by_position", !in->names_given);
}

static void ingest_counts(StrBuf *b, const Ingest *in) {
   num(b, "rows", (double)in->records);
   num_after(b, "lines", (double)in->lines);
   num_after(b, "bad_lines", (double)in->bad_lines);
   num_after(b, "noise_lines", (double)in->noise_lines);
   num_after(b, "bad_fields", (double)in->bad_fields);
   num_after(b, "bad_line_rate", in->lines ? (double)in->bad_lines / (double)in->lines : 0);
   str_after(b, "format", ds_format_name(in->format));
   num_after(b, "decimal_commas", (double)in->decimal_commas);
   num_after(b, "log_prefixed_lines", (double)in->log_lines);
   column_names(b, in);
   StrBuf_puts(b, ",\"first_bad_lines\":");
   bad_list(b, in);
}

static void input(StrBuf *b, const ReportContext *ctx) {
   long lines = 0, bad = 0, noise = 0, fields = 0;
   for (int i = 0; i < ctx->nsources; i++) {
      lines += ctx->sources[i].ingest->lines;
      bad += ctx->sources[i].ingest->bad_lines;
      noise += ctx->sources[i].ingest->noise_lines;
      fields += ctx->sources[i].ingest->bad_fields;
   }
   StrBuf_puts(b, "\"input\":{");
   num(b, "rows", (double)ctx->a->rows);
   num_after(b, "lines", (double)lines);
   num_after(b, "bad_lines", (double)bad);
   num_after(b, "noise_lines", (double)noise);
   num_after(b, "bad_fields", (double)fields);
   num_after(b, "bad_line_rate", lines ? (double)bad / (double)lines : 0);
   str_after(b, "format", ctx->nsources ? ds_format_name(ctx->sources[0].ingest->format) : NULL);
   StrBuf_puts(b, ",\"first_bad_lines\":");
   bad_list(b, ctx->sources[0].ingest);
   StrBuf_puts(b, ",\"sources\":[");
   for (int i = 0; i < ctx->nsources; i++) {
      StrBuf_puts(b, i ? ",{" : "{");
      str(b, "path", ctx->sources[i].path);
      StrBuf_putc(b, ',');
      ingest_counts(b, ctx->sources[i].ingest);
      StrBuf_putc(b, '}');
   }
   StrBuf_puts(b, "]}");
}

/* The assessment: status, problems, notes, missing features, data quality. */
/* Data quality beyond the assessment (quality.h), inside "data_quality". */
static void quality_figures(StrBuf *b, const Analysis *a, const Classes *cl) {
   const DataQuality *q = a->dq;
   if (!q || !q->col)
      return;
   num_after(b, "rows", (double)q->rows);
   num_after(b, "duplicate_features", q->dup_features);
   num_after(b, "duplicated_rows", (double)q->duplicated);
   num_after(b, "duplicated_share", q->rows ? (double)q->duplicated / (double)q->rows : NAN);
   num_after(b, "repeated_rows", (double)q->repeated);
   const char *lists[] = {"constant_columns", "almost_constant_columns", "stuck_columns"};
   for (int l = 0; l < 3; l++) {
      StrBuf_puts(b, ",");
      key(b, lists[l]);
      StrBuf_putc(b, '[');
      bool first = true;
      for (int i = 0; i < q->ncols; i++) {
         const ColumnQuality *cq = &q->col[i];
         bool in = l == 0   ? a->cols[i].constant && a->cols[i].drift.n_cur > 0
                   : l == 1 ? cq->almost_constant
                            : cq->stuck;
         if (!in)
            continue;
         if (!first)
            StrBuf_putc(b, ',');
         first = false;
         StrBuf_json_string(b, a->cols[i].name);
      }
      StrBuf_putc(b, ']');
   }
   StrBuf_printf(b,
                 ",\"correlation\":{\"method\":\"pearson\",\"threshold\":%g,\"pairs\":%d,\"changed\":%d,"
                 "\"changes\":[",
                 DS_CORR_DIFF, q->corr_pairs, q->corr_changed);
   for (int i = 0; i < q->corr_changed && i < DS_CORR_LISTED; i++) {
      StrBuf_puts(b, i ? ",{" : "{");
      str(b, "a", a->cols[q->changed[i].a].name);
      str_after(b, "b", a->cols[q->changed[i].b].name);
      num_after(b, "reference", q->changed[i].reference);
      num_after(b, "current", q->changed[i].current);
      StrBuf_putc(b, '}');
   }
   StrBuf_puts(b, "]}");
   if (q->nbalance) {
      StrBuf_puts(b, ",\"class_balance\":{");
      for (int i = 0; i < q->nbalance; i++) {
         if (i)
            StrBuf_putc(b, ',');
         key(b, cl->name[q->balance_class[i]]);
         StrBuf_putc(b, '{');
         num(b, "reference_share", q->balance_ref[i]);
         num_after(b, "share", q->balance_cur[i]);
         StrBuf_putc(b, '}');
      }
      StrBuf_putc(b, '}');
   }
}

static void assessment(StrBuf *b, const Assessment *as, const Analysis *a, const Classes *cl) {
   str(b, "status", ds_assess_status_name(as->status));
   StrBuf_puts(b, ",\"problems\":[");
   for (int i = 0; i < as->nproblems; i++) {
      StrBuf_puts(b, i ? ",{" : "{");
      str(b, "kind", ds_problem_name(as->problems[i].kind));
      boolean_after(b, "error", as->problems[i].error);
      str_after(b, "message", as->problems[i].text);
      StrBuf_putc(b, '}');
   }
   StrBuf_puts(b, "],\"notes\":[");
   for (int i = 0; i < as->nnotes; i++) {
      if (i)
         StrBuf_putc(b, ',');
      StrBuf_json_string(b, as->notes[i]);
   }
   StrBuf_puts(b, "],\"missing_features\":[");
   for (int i = 0; i < as->nmissing; i++) {
      if (i)
         StrBuf_putc(b, ',');
      StrBuf_json_string(b, as->missing[i]);
   }
   StrBuf_puts(b, "],\"data_quality\":{");
   bool passed = true;
   for (int i = 0; i < as->nproblems; i++)
      passed &= as->problems[i].kind != PROBLEM_BAD_LINES && as->problems[i].kind != PROBLEM_UNREADABLE_COLUMN;
   boolean(b, "passed", passed);
   num_after(b, "bad_line_share", as->bad_share);
   quality_figures(b, a, cl);
   StrBuf_puts(b, "},");
}

static void dataset(StrBuf *b, const Analysis *a, const Assessment *as) {
   StrBuf_puts(b, "\"dataset\":{");
   num(b, "columns", a->features);
   num_after(b, "drifted_columns", a->drifted_features);
   num_after(b, "share", a->share);
   num_after(b, "drift_share_threshold", a->drift_share);
   boolean_after(b, "dataset_drift", a->dataset_drift);
   boolean_after(b, "judged", as ? as->judged : true);
   StrBuf_putc(b, '}');
}

static void classification(StrBuf *b, const Analysis *a, const Classes *cl) {
   StrBuf_puts(b, "\"classification\":{\"classes\":[");
   for (int i = 0; i < a->nclasses; i++) {
      if (i)
         StrBuf_putc(b, ',');
      StrBuf_json_string(b, cl->name[a->classes[i]]);
   }
   StrBuf_puts(b, "],\"confusion\":[");
   for (int i = 0; i < a->nclasses; i++) {
      StrBuf_puts(b, i ? ",[" : "[");
      for (int j = 0; j < a->nclasses; j++)
         StrBuf_printf(b, j ? ",%ld" : "%ld", a->confusion->m[a->classes[i]][a->classes[j]]);
      StrBuf_putc(b, ']');
   }
   StrBuf_puts(b, "],");
   num(b, "n", (double)a->confusion->total);
   num_after(b, "accuracy", a->accuracy);
   num_after(b, "macro_f1", a->macro_f1);
   if (a->dq && a->dq->scored) { /* from the class scores, over the compared records (scope) */
      StrBuf_puts(b, ",\"from_scores\":{");
      str(b, "records", a->scope_window ? "last_window" : "session");
      num_after(b, "rows", (double)a->dq->scored);
      num_after(b, "roc_auc", a->dq->roc_auc);
      num_after(b, "log_loss", a->dq->log_loss);
      StrBuf_putc(b, '}');
   }
   StrBuf_puts(b, ",\"per_class\":{");
   for (int i = 0; i < a->nclasses; i++) {
      ClassMetrics m = Confusion_class(a->confusion, cl->n, a->classes[i]);
      if (i)
         StrBuf_putc(b, ',');
      key(b, cl->name[a->classes[i]]);
      StrBuf_putc(b, '{');
      num(b, "precision", m.precision);
      num_after(b, "recall", m.recall);
      num_after(b, "f1", m.f1);
      num_after(b, "support", (double)m.support);
      StrBuf_putc(b, '}');
   }
   StrBuf_puts(b, "}}");
}

static void detector(StrBuf *b, const char *name, const DetectorReport *d, bool has_warning) {
   key(b, name);
   StrBuf_putc(b, '{');
   if (has_warning) {
      boolean(b, "warning", d->warning);
      num_after(b, "warnings", (double)d->warnings);
      StrBuf_putc(b, ',');
   }
   boolean(b, "drift", d->drift);
   num_after(b, "drifts", (double)d->drifts);
   StrBuf_puts(b, ",\"drift_records\":[");
   for (int i = 0; i < d->nat; i++)
      StrBuf_printf(b, i ? ",%ld" : "%ld", d->at[i]);
   StrBuf_puts(b, "]}");
}

/* The drift of the compared column cur_col: {method, score, drifted}, or null. */
static void column_drift(StrBuf *b, const char *k, const Analysis *a, int cur_col) {
   key(b, k);
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      if (c->cur_col != cur_col || cur_col < 0 || ColumnReport_why_not(c))
         continue;
      StrBuf_putc(b, '{');
      str(b, "column", c->name);
      str_after(b, "method", method_name(&c->drift, true));
      num_after(b, "score", c->drift.score);
      boolean_after(b, "drifted", c->drift.drifted);
      StrBuf_putc(b, '}');
      return;
   }
   StrBuf_puts(b, "null");
}

static void matrix(StrBuf *b, const char *k, const double *v, int rows, int cols) {
   key(b, k);
   StrBuf_putc(b, '[');
   for (int i = 0; i < rows; i++) {
      StrBuf_puts(b, i ? ",[" : "[");
      for (int j = 0; j < cols; j++) {
         if (j)
            StrBuf_putc(b, ',');
         StrBuf_json_number(b, v[(size_t)i * cols + j]);
      }
      StrBuf_putc(b, ']');
   }
   StrBuf_putc(b, ']');
}

static void multivariate(StrBuf *b, const Multivariate *mv) {
   StrBuf_puts(b, "\"multivariate\":{");
   str(b, "not_computed", mv->why);
   if (mv->why) {
      StrBuf_putc(b, '}');
      return;
   }
   StrBuf_puts(b, ",\"features\":[");
   for (int j = 0; j < mv->d; j++) {
      if (j)
         StrBuf_putc(b, ',');
      StrBuf_json_string(b, mv->name[j]);
   }
   StrBuf_printf(b, "],\"k\":%d,\"seed\":%d,\"init\":\"k-means++\",\"iterations\":%d,", mv->k, DS_KMEANS_SEED,
                 mv->iterations);
   boolean(b, "converged", mv->converged);
   num_after(b, "reference_rows", (double)mv->n_ref);
   num_after(b, "inertia", mv->inertia);
   StrBuf_putc(b, ',');
   matrix(b, "reference_mean", mv->mu, 1, mv->d);
   StrBuf_putc(b, ',');
   matrix(b, "reference_std", mv->sd, 1, mv->d);
   StrBuf_putc(b, ',');
   matrix(b, "initial_centroids", mv->init, mv->k, mv->d);
   StrBuf_putc(b, ',');
   matrix(b, "centroids", mv->cent, mv->k, mv->d);
   StrBuf_putc(b, ',');
   matrix(b, "reference_occupancy", mv->ref_share, 1, mv->k);
   StrBuf_putc(b, ',');
   matrix(b, "occupancy", mv->cur_share, 1, mv->k);
   num_after(b, "records", (double)mv->n_cur);
   num_after(b, "left_out", (double)mv->n_left_out);
   num_after(b, "reference_mean_distance", mv->ref_distance);
   num_after(b, "mean_distance", mv->cur_distance);
   str_after(b, "method", method_name(&mv->drift, mv->drift.scored));
   num_after(b, "score", mv->drift.scored ? mv->drift.score : NAN);
   num_after(b, "threshold", mv->drift.scored ? mv->drift.threshold : NAN);
   boolean_after(b, "drifted", mv->drift.scored && mv->drift.drifted);
   StrBuf_putc(b, '}');
}

static void models(StrBuf *b, const Analysis *a) {
   const Models *ms = a->models;
   StrBuf_puts(b, "\"models\":{");
   str(b, "champion", ms->m[0].name);
   boolean_after(b, "compared", !ms->regression);
   StrBuf_puts(b, ",\"models\":[");
   for (int i = 0; i < ms->n; i++) {
      const ModelFigures *f = &ms->m[i];
      StrBuf_puts(b, i ? ",{" : "{");
      str(b, "name", f->name);
      num_after(b, "records", (double)f->predicted);
      num_after(b, "labelled", (double)f->labelled);
      num_after(b, "accuracy", f->accuracy);
      num_after(b, "macro_f1", f->macro_f1);
      num_after(b, "latency_ms", f->latency_ms);
      num_after(b, "confidence", f->confidence);
      StrBuf_putc(b, ',');
      column_drift(b, "prediction_drift", a, f->pred_col);
      StrBuf_putc(b, ',');
      column_drift(b, "confidence_drift", a, f->conf_col);
      StrBuf_putc(b, '}');
   }
   StrBuf_puts(b, "],\"comparisons\":[");
   for (int i = 0; i + 1 < ms->n; i++) {
      const ModelPair *p = &ms->pair[i];
      char line[320];
      Models_line(line, sizeof line, ms, i);
      StrBuf_puts(b, i ? ",{" : "{");
      str(b, "champion", ms->m[p->champion].name);
      str_after(b, "challenger", ms->m[p->challenger].name);
      num_after(b, "records", (double)p->both);
      num_after(b, "agreement", p->agreement);
      num_after(b, "kappa", p->kappa);
      num_after(b, "labelled", (double)p->labelled);
      num_after(b, "champion_right", (double)p->a_right);
      num_after(b, "challenger_right", (double)p->b_right);
      num_after(b, "champion_only_right", (double)p->a_only);
      num_after(b, "challenger_only_right", (double)p->b_only);
      StrBuf_puts(b, ",\"mcnemar\":");
      if (p->labelled) {
         StrBuf_putc(b, '{');
         str(b, "test", p->exact ? "exact binomial" : "chi-square, continuity corrected");
         num_after(b, "statistic", p->statistic);
         num_after(b, "p_value", p->p_value);
         StrBuf_putc(b, '}');
      } else {
         StrBuf_puts(b, "null");
      }
      str_after(b, "better", p->better >= 0 ? ms->m[p->better].name : NULL);
      str_after(b, "summary", line);
      StrBuf_putc(b, '}');
   }
   StrBuf_puts(b, "]}");
}

static void windows(StrBuf *b, const Analysis *a) {
   StrBuf_printf(b, "\"window\":%zu,\"stride\":%zu,", a->window, a->stride);
   num(b, "windows_drifted", (double)a->windows_drifted);
   num_after(b, "first_drifted_window", a->windows_drifted ? (double)a->first_drifted_window : NAN);
   num_after(b, "warmup_windows", (double)Analysis_warmup_windows(a));
   num_after(b, "warmup_windows_drifted", (double)a->warmup_windows_drifted);
   StrBuf_puts(b, ",\"windows\":[");
   for (size_t k = 0; k < a->nwindows; k++) {
      const WindowReport *w = Analysis_win(a, k);
      StrBuf_puts(b, k ? ",{" : "{");
      num(b, "first_record", (double)w->first);
      num_after(b, "last_record", (double)w->last);
      num_after(b, "records", (double)(w->last - w->first + 1));
      boolean_after(b, "warmup", k < Analysis_warmup_windows(a));
      num_after(b, "start_ms", w->start_ms);
      num_after(b, "end_ms", w->end_ms);
      num_after(b, "share", w->share);
      boolean_after(b, "dataset_drift", w->dataset_drift);
      StrBuf_puts(b, ",\"columns\":{");
      bool first = true;
      for (int i = 0; i < a->ncols; i++) {
         const WindowColumn *c = &w->cols[i];
         if (!c->scored)
            continue;
         if (!first)
            StrBuf_putc(b, ',');
         first = false;
         key(b, a->cols[i].name);
         StrBuf_putc(b, '{');
         str(b, "method", ds_drift_methods[c->method].name);
         num_after(b, "score", c->score);
         boolean_after(b, "drifted", c->drifted);
         StrBuf_putc(b, '}');
      }
      StrBuf_puts(b, "}}");
   }
   StrBuf_putc(b, ']');
}

void ds_report_json(StrBuf *b, const ReportContext *ctx) {
   const Analysis *a = ctx->a;
   StrBuf_putc(b, '{');
   str(b, "driftscope", ctx->version);
   StrBuf_putc(b, ',');
   if (ctx->assess)
      assessment(b, ctx->assess, a, ctx->classes);
   StrBuf_puts(b, "\"reference\":{");
   str(b, "path", ctx->reference_path);
   StrBuf_putc(b, ',');
   ingest_counts(b, ctx->reference);
   StrBuf_puts(b, "},");
   input(b, ctx);
   StrBuf_putc(b, ',');
   scope(b, a);
   if (a->warning) {
      str_after(b, "warning", a->warning);
   }
   StrBuf_puts(b, ",\"columns\":{");
   for (int i = 0; i < a->ncols; i++) {
      if (i)
         StrBuf_putc(b, ',');
      key(b, a->cols[i].name);
      column(b, &a->cols[i], ctx->classes, a->dq, i);
   }
   StrBuf_puts(b, "},");
   dataset(b, a, ctx->assess);
   if (a->has_truth && !a->regression) {
      StrBuf_putc(b, ',');
      classification(b, a, ctx->classes);
   }
   if (a->has_truth && a->regression) {
      StrBuf_printf(b, ",\"regression\":{\"n\":%ld,", a->reg.n);
      num(b, "mae", Regression_mae(&a->reg));
      num_after(b, "rmse", Regression_rmse(&a->reg));
      num_after(b, "mape", Regression_mape(&a->reg));
      num_after(b, "r2", Regression_r2(&a->reg));
      num_after(b, "mean_error", Regression_bias(&a->reg));
      StrBuf_putc(b, '}');
   }
   bool adwins = false;
   for (int i = 0; i < a->ncols; i++)
      adwins |= a->cols[i].adwin != NULL;
   if (a->has_truth || a->has_confidence || adwins) {
      StrBuf_puts(b, ",\"detectors\":{");
      if (a->has_truth) {
         if (a->regression) { /* DDM, EDDM, HDDM_A read error bits: not run on a regression's errors */
            StrBuf_puts(b, "\"ddm\":null,\"eddm\":null,\"hddm_a\":null,\"hddm_w\":null");
         } else {
            detector(b, "ddm", &a->det.ddm, true);
            StrBuf_putc(b, ',');
            detector(b, "eddm", &a->det.eddm, true);
            StrBuf_putc(b, ',');
            detector(b, "hddm_a", &a->det.hddm_a, true);
            StrBuf_putc(b, ',');
            detector(b, "hddm_w", &a->det.hddm_w, true);
         }
         StrBuf_putc(b, ',');
         detector(b, "page_hinkley", &a->det.ph, false);
         StrBuf_putc(b, ',');
         detector(b, "kswin", &a->det.kswin, false);
      }
      if (a->has_confidence) { /* no truth needed */
         if (a->has_truth)
            StrBuf_putc(b, ',');
         detector(b, "adwin_confidence", &a->det.adwin, false);
      }
      bool first = !a->has_truth && !a->has_confidence;
      for (int i = 0; i < a->ncols; i++) { /* ADWIN on the anomaly score and the columns asked for */
         const ColumnReport *c = &a->cols[i];
         if (!c->adwin)
            continue;
         char k[DS_NAME_MAX + 8];
         snprintf(k, sizeof k, "adwin_%s", c->name);
         if (!first)
            StrBuf_putc(b, ',');
         first = false;
         detector(b, k, &c->adwin_det, false);
      }
      StrBuf_putc(b, '}');
   }
   if (a->models) {
      StrBuf_putc(b, ',');
      models(b, a);
   }
   if (a->mv) {
      StrBuf_putc(b, ',');
      multivariate(b, a->mv);
   }
   if (a->window) {
      StrBuf_putc(b, ',');
      windows(b, a);
   }
   if (ctx->tests) {
      StrBuf_puts(b, ",\"tests\":");
      ds_suite_json(b, ctx->tests, ctx->tests_source);
   }
   StrBuf_puts(b, "}\n");
}
