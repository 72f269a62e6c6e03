// SPDX-License-Identifier: MIT
/* The Prometheus text exposition of boards' figures (exposition.h). */
#include "driftscope/exposition.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A label value: backslash, double quote and line feed escaped. */
static void label_value(StrBuf *b, const char *s) {
   StrBuf_putc(b, '"');
   size_t plain = strcspn(s, "\\\"\n");
   StrBuf_append(b, s, plain); /* most names: all of it at once */
   for (s += plain; *s; s++) {
      if (*s == '\\' || *s == '"')
         StrBuf_putc(b, '\\');
      if (*s == '\n') {
         StrBuf_puts(b, "\\n");
         continue;
      }
      StrBuf_putc(b, *s);
   }
   StrBuf_putc(b, '"');
}

/* A sample value: NaN and the infinities as the format spells them, whole
 * numbers as such, else %.15g when it reads back the same, else %.17g. */
static void value(StrBuf *b, double v) {
   if (isnan(v)) {
      StrBuf_puts(b, "NaN");
      return;
   }
   if (isinf(v)) {
      StrBuf_puts(b, v > 0 ? "+Inf" : "-Inf");
      return;
   }
   char s[40];
   if (v == (double)(long long)v && fabs(v) < 1e15) { /* counts, 0/1: whole */
      snprintf(s, sizeof s, "%lld", (long long)v);
      StrBuf_puts(b, s);
      return;
   }
   snprintf(s, sizeof s, "%.15g", v);
   if (strtod(s, NULL) != v) /* 17 digits always read back the same */
      snprintf(s, sizeof s, "%.17g", v);
   StrBuf_puts(b, s);
}

/* # HELP and # TYPE of a family; OpenMetrics names a counter family
 * without its _total. */
static void family(StrBuf *b, const char *name, const char *type, const char *help, bool om) {
   size_t n = strlen(name);
   int len = om && !strcmp(type, "counter") && n > 6 && !strcmp(name + n - 6, "_total") ? (int)n - 6 : (int)n;
   StrBuf_printf(b, "# HELP %.*s %s\n# TYPE %.*s %s\n", len, name, help, len, name, type);
}

static void sample(StrBuf *b, const char *name, const MetricsBoard *bd, const char *k1, const char *v1, const char *k2,
                   const char *v2, double v);

/* Champion vs challenger: each model's accuracy over the session, each
 * challenger's agreement with the champion and McNemar's p. */
static void models(StrBuf *b, const MetricsBoard *boards, int n, bool om) {
   bool any = false;
   for (int i = 0; i < n; i++)
      any |= boards[i].m && boards[i].m->a.models && !boards[i].m->a.models->regression;
   if (!any)
      return;
   family(b, "driftscope_model_accuracy_ratio", "gauge",
          "Each model's accuracy over the session's records with truth (a stream with several models)", om);
   for (int i = 0; i < n; i++) {
      const Models *ms = boards[i].m ? boards[i].m->a.models : NULL;
      for (int k = 0; ms && !ms->regression && k < ms->n; k++)
         if (!isnan(ms->m[k].accuracy))
            sample(b, "driftscope_model_accuracy_ratio", &boards[i], "model", ms->m[k].name, "role",
                   k ? "challenger" : "champion", ms->m[k].accuracy);
   }
   family(b, "driftscope_model_agreement_ratio", "gauge", "Share of records a challenger predicts as the champion does",
          om);
   for (int i = 0; i < n; i++) {
      const Models *ms = boards[i].m ? boards[i].m->a.models : NULL;
      for (int k = 0; ms && !ms->regression && k + 1 < ms->n; k++)
         if (!isnan(ms->pair[k].agreement))
            sample(b, "driftscope_model_agreement_ratio", &boards[i], "model", ms->m[k + 1].name, NULL, NULL,
                   ms->pair[k].agreement);
   }
   family(b, "driftscope_model_mcnemar_p", "gauge",
          "McNemar's p-value of a challenger against the champion over the records with truth", om);
   for (int i = 0; i < n; i++) {
      const Models *ms = boards[i].m ? boards[i].m->a.models : NULL;
      for (int k = 0; ms && !ms->regression && k + 1 < ms->n; k++)
         if (!isnan(ms->pair[k].p_value))
            sample(b, "driftscope_model_mcnemar_p", &boards[i], "model", ms->m[k + 1].name, NULL, NULL,
                   ms->pair[k].p_value);
   }
}

/* A sample: name{board="..."[,key="value"]...} value. */
static void label(StrBuf *b, const char *key, const char *v) {
   StrBuf_putc(b, ',');
   StrBuf_puts(b, key);
   StrBuf_putc(b, '=');
   label_value(b, v);
}

static void sample(StrBuf *b, const char *name, const MetricsBoard *bd, const char *k1, const char *v1, const char *k2,
                   const char *v2, double v) {
   StrBuf_puts(b, name);
   StrBuf_puts(b, "{board=");
   label_value(b, bd->name);
   if (k1)
      label(b, k1, v1);
   if (k2)
      label(b, k2, v2);
   StrBuf_puts(b, "} ");
   value(b, v);
   StrBuf_putc(b, '\n');
}

/* Whether board bd has drift figures (a Monitor comparing with a reference). */
static bool compared(const MetricsBoard *bd) {
   return bd->m && bd->reference;
}

static bool scored(const ColumnReport *c) {
   return c->ref_index >= 0 && c->drift.scored;
}

typedef enum { COL_SCORE, COL_THRESHOLD, COL_DRIFTED } ColumnFigure;

/* One per-column family's samples: each compared column of the kind
 * (features, or the model's outputs) of every board. */
static void column_samples(StrBuf *b, const MetricsBoard *boards, int n, bool features, const char *name,
                           ColumnFigure what) {
   for (int i = 0; i < n; i++)
      for (int k = 0; compared(&boards[i]) && k < boards[i].m->a.ncols; k++) {
         const ColumnReport *c = &boards[i].m->a.cols[k];
         if (!scored(c) || (c->role == ROLE_FEATURE) != features)
            continue;
         const char *key = features ? "feature" : "column", *method = ds_drift_methods[c->drift.method].name;
         if (what == COL_DRIFTED)
            sample(b, name, &boards[i], key, c->name, NULL, NULL, c->drift.drifted);
         else
            sample(b, name, &boards[i], key, c->name, "method", method,
                   what == COL_SCORE ? c->drift.score : c->drift.threshold);
      }
}

/* The per-column families: features (role feature) or the model's outputs. */
static void columns(StrBuf *b, const MetricsBoard *boards, int n, bool features, bool om) {
   const char *score = features ? "driftscope_feature_drift_score" : "driftscope_output_drift_score";
   const char *thr = features ? "driftscope_feature_drift_threshold" : "driftscope_output_drift_threshold";
   const char *drifted = features ? "driftscope_feature_drifted" : "driftscope_output_drifted";
   family(b, score, "gauge",
          features ? "Drift score of a feature's current window against the reference (p-value or distance, as "
                     "its test gives it)"
                   : "Drift score of a model output's current window (prediction, confidence) against the reference",
          om);
   column_samples(b, boards, n, features, score, COL_SCORE);
   family(b, thr, "gauge", "The threshold its drift score is judged by", om);
   column_samples(b, boards, n, features, thr, COL_THRESHOLD);
   family(b, drifted, "gauge", "1 when the score is past its threshold, else 0", om);
   column_samples(b, boards, n, features, drifted, COL_DRIFTED);
}

void ds_metrics_render(StrBuf *b, const MetricsBoard *boards, int n, bool om) {
   family(b, "driftscope_records_total", "counter", "Records read from the board", om);
   for (int i = 0; i < n; i++)
      sample(b, "driftscope_records_total", &boards[i], NULL, NULL, NULL, NULL, boards[i].records);
   family(b, "driftscope_bad_lines_total", "counter", "Lines from the board that were not records", om);
   for (int i = 0; i < n; i++)
      sample(b, "driftscope_bad_lines_total", &boards[i], NULL, NULL, NULL, NULL, boards[i].bad_lines);
   family(b, "driftscope_connected", "gauge", "1 while the board's source is open, else 0", om);
   for (int i = 0; i < n; i++)
      sample(b, "driftscope_connected", &boards[i], NULL, NULL, NULL, NULL, boards[i].connected);
   family(b, "driftscope_last_record_timestamp_seconds", "gauge", "Unix time of the board's last record", om);
   for (int i = 0; i < n; i++)
      if (!isnan(boards[i].last_record_s))
         sample(b, "driftscope_last_record_timestamp_seconds", &boards[i], NULL, NULL, NULL, NULL,
                boards[i].last_record_s);
   family(b, "driftscope_recording_bytes", "gauge", "Size of the board's session file", om);
   for (int i = 0; i < n; i++)
      if (!isnan(boards[i].recording_bytes))
         sample(b, "driftscope_recording_bytes", &boards[i], NULL, NULL, NULL, NULL, boards[i].recording_bytes);
   family(b, "driftscope_window_records", "gauge", "Records in the board's current window", om);
   for (int i = 0; i < n; i++)
      if (boards[i].m)
         sample(b, "driftscope_window_records", &boards[i], NULL, NULL, NULL, NULL, (double)boards[i].m->rows);
   columns(b, boards, n, true, om);
   family(b, "driftscope_drifted_features_ratio", "gauge",
          "Share of the board's features drifted in the current window", om);
   for (int i = 0; i < n; i++)
      if (compared(&boards[i]) && boards[i].m->a.features)
         sample(b, "driftscope_drifted_features_ratio", &boards[i], NULL, NULL, NULL, NULL, boards[i].m->a.share);
   family(b, "driftscope_dataset_drift_threshold_ratio", "gauge",
          "The share of features drifted at which the dataset drifts", om);
   for (int i = 0; i < n; i++)
      if (compared(&boards[i]) && boards[i].m->a.features)
         sample(b, "driftscope_dataset_drift_threshold_ratio", &boards[i], NULL, NULL, NULL, NULL,
                boards[i].m->a.drift_share);
   family(b, "driftscope_dataset_drifted", "gauge", "1 when the board's dataset drifts in the current window", om);
   for (int i = 0; i < n; i++)
      if (compared(&boards[i]) && boards[i].m->a.features)
         sample(b, "driftscope_dataset_drifted", &boards[i], NULL, NULL, NULL, NULL, boards[i].m->a.dataset_drift);
   columns(b, boards, n, false, om);
   family(b, "driftscope_window_accuracy_ratio", "gauge", "Accuracy over the current window's records with truth", om);
   for (int i = 0; i < n; i++)
      if (boards[i].m && boards[i].m->a.has_truth && !isnan(boards[i].m->win_accuracy))
         sample(b, "driftscope_window_accuracy_ratio", &boards[i], NULL, NULL, NULL, NULL, boards[i].m->win_accuracy);
   family(b, "driftscope_window_macro_f1_ratio", "gauge", "Macro-averaged F1 over the current window", om);
   for (int i = 0; i < n; i++)
      if (boards[i].m && boards[i].m->a.has_truth && !isnan(boards[i].m->win_macro_f1))
         sample(b, "driftscope_window_macro_f1_ratio", &boards[i], NULL, NULL, NULL, NULL, boards[i].m->win_macro_f1);
   models(b, boards, n, om);
   family(b, "driftscope_detector_drifts_total", "counter",
          "Changes a streaming detector signalled: on the error stream (DDM, EDDM, HDDM_A, HDDM_W, Page-Hinkley, "
          "KSWIN), on the confidence, the anomaly score and the columns asked for (ADWIN, no labels needed)",
          om);
   for (int i = 0; i < n; i++) {
      const Analysis *a = boards[i].m ? &boards[i].m->a : NULL;
      if (a && a->has_truth) {
         if (!a->regression) {
            sample(b, "driftscope_detector_drifts_total", &boards[i], "detector", "ddm", NULL, NULL,
                   (double)a->det.ddm.drifts);
            sample(b, "driftscope_detector_drifts_total", &boards[i], "detector", "eddm", NULL, NULL,
                   (double)a->det.eddm.drifts);
            sample(b, "driftscope_detector_drifts_total", &boards[i], "detector", "hddm_a", NULL, NULL,
                   (double)a->det.hddm_a.drifts);
            sample(b, "driftscope_detector_drifts_total", &boards[i], "detector", "hddm_w", NULL, NULL,
                   (double)a->det.hddm_w.drifts);
         }
         sample(b, "driftscope_detector_drifts_total", &boards[i], "detector", "kswin", NULL, NULL,
                (double)a->det.kswin.drifts);
         sample(b, "driftscope_detector_drifts_total", &boards[i], "detector", "page_hinkley", NULL, NULL,
                (double)a->det.ph.drifts);
      }
      if (a && a->has_confidence)
         sample(b, "driftscope_detector_drifts_total", &boards[i], "detector", "adwin_confidence", NULL, NULL,
                (double)a->det.adwin.drifts);
      for (int c = 0; a && c < a->ncols; c++)
         if (a->cols[c].adwin) {
            char k[DS_NAME_MAX + 8];
            snprintf(k, sizeof k, "adwin_%s", a->cols[c].name);
            sample(b, "driftscope_detector_drifts_total", &boards[i], "detector", k, NULL, NULL,
                   (double)a->cols[c].adwin_det.drifts);
         }
   }
   if (om)
      StrBuf_puts(b, "# EOF\n");
}
