// SPDX-License-Identifier: MIT
#include "driftscope/render.h"

#include <math.h>
#include <string.h>

#include "driftscope/recorder.h"

#include <stdio.h>

/* What a data-forwarder board prints: its numeric features (sensor
 * values), not times, predictions or scores. */
static bool raw_value(const Column *col) {
   return ds_csv_column(col) && col->kind == KIND_NUMERIC && col->role == ROLE_FEATURE;
}

bool ds_render_can(const Table *t, DsFormat f, const char **why) {
   for (int c = 0; c < t->ncols; c++) {
      const Column *col = t->cols[c];
      if (f == DS_FORMAT_EI && col->role == ROLE_SCORE && col->stored)
         return true;
      if (f == DS_FORMAT_PLOTTER && ds_csv_column(col) && col->kind == KIND_NUMERIC)
         return true;
      if (f == DS_FORMAT_CSV && ds_csv_column(col))
         return true;
      if (f == DS_FORMAT_NUMERIC && raw_value(col))
         return true;
   }
   *why = f == DS_FORMAT_EI        ? "Edge Impulse output needs class scores (score_<class> columns)"
          : f == DS_FORMAT_NUMERIC ? "headerless numbers need numeric features"
                                   : "no column to print";
   return false;
}

void ds_render_start(StrBuf *b, const Table *t, DsFormat f) {
   if (f != DS_FORMAT_CSV)
      return;
   bool first = true;
   for (int c = 0; c < t->ncols; c++)
      if (ds_csv_column(t->cols[c])) {
         if (!first)
            StrBuf_putc(b, ',');
         ds_put_csv_field(b, t->cols[c]->name);
         first = false;
      }
   StrBuf_putc(b, '\n');
}

static void csv(StrBuf *b, const Table *t, size_t row) {
   bool first = true;
   for (int c = 0; c < t->ncols; c++) {
      if (!ds_csv_column(t->cols[c]))
         continue;
      if (!first)
         StrBuf_putc(b, ',');
      first = false;
      ds_put_csv_value(b, t, c, row);
   }
   StrBuf_putc(b, '\n');
}

/* The column named base, or base_<model> for a named model. */
static int model_column(const Table *t, const char *base, int model) {
   if (model < 0)
      return Table_find(t, base);
   char name[DS_NAME_MAX * 2 + 2];
   snprintf(name, sizeof name, "%s_%s", base, t->model[model]);
   return Table_find(t, name);
}

/* A model's scores and anomaly, as the SDK prints them. */
static void ei_results(StrBuf *b, const Table *t, size_t row, int model, const char *indent) {
   for (int c = 0; c < t->ncols; c++) {
      const Column *col = t->cols[c];
      double v = Table_at(t, c, row);
      if (col->role == ROLE_SCORE && col->model == model && col->stored && !isnan(v))
         StrBuf_printf(b, "%s%s: %.5f\n", indent, t->classes->name[col->score_class], v);
   }
}

/* The first-generation Arduino library's block; with several models, a
 * multi-impulse build's: each model's block after its process_impulse
 * line (models with scores only). */
static void ei(StrBuf *b, const Table *t, size_t row) {
   for (int m = t->nmodels ? 0 : -1; m < t->nmodels; m++) {
      double dsp = Table_value(t, model_column(t, "dsp_ms", m), row),
             inf = Table_value(t, model_column(t, "inference_ms", m), row),
             an = Table_value(t, model_column(t, "anomaly_ms", m), row),
             anomaly = Table_value(t, model_column(t, "anomaly", m), row);
      if (m < 0) {
         StrBuf_printf(b, "Predictions (DSP: %d ms., Classification: %d ms., Anomaly: %d ms.): \n",
                       isnan(dsp) ? 0 : (int)dsp, isnan(inf) ? 0 : (int)inf, isnan(an) ? 0 : (int)an);
         ei_results(b, t, row, m, "    ");
         if (!isnan(anomaly))
            StrBuf_printf(b, "    anomaly score: %.3f\n", anomaly);
         StrBuf_printf(b, "\n"); /* as the examples end a block: the record is complete */
         continue;
      }
      StrBuf_printf(b,
                    "process_impulse for project %s returned: 0\nTiming: DSP %d ms, inference %d ms, anomaly %d ms\n",
                    t->model[m], isnan(dsp) ? 0 : (int)dsp, isnan(inf) ? 0 : (int)inf, isnan(an) ? 0 : (int)an);
      StrBuf_puts(b, "Predictions:\n");
      ei_results(b, t, row, m, "  ");
      if (!isnan(anomaly))
         StrBuf_printf(b, "Anomaly prediction: %.3f\n", anomaly);
   }
   if (t->nmodels)
      StrBuf_printf(b, "\n");
}

static void plotter(StrBuf *b, const Table *t, size_t row) {
   bool first = true;
   for (int c = 0; c < t->ncols; c++) {
      const Column *col = t->cols[c];
      double v = Table_at(t, c, row);
      if (!ds_csv_column(col) || col->kind != KIND_NUMERIC || col->role == ROLE_SCORE || isnan(v))
         continue;
      StrBuf_printf(b, "%s%s:", first ? "" : ",", col->name);
      ds_put_double(b, v);
      first = false;
   }
   StrBuf_putc(b, '\n');
}

/* Edge Impulse data-forwarder style: the values, comma-separated, no
 * names; a missing one as nan, which keeps the others in their columns. */
static void numeric(StrBuf *b, const Table *t, size_t row) {
   bool first = true;
   for (int c = 0; c < t->ncols; c++) {
      if (!raw_value(t->cols[c]))
         continue;
      if (!first)
         StrBuf_putc(b, ',');
      first = false;
      double v = Table_at(t, c, row);
      if (isnan(v))
         StrBuf_puts(b, "nan");
      else
         ds_put_double(b, v);
   }
   StrBuf_putc(b, '\n');
}

void ds_render_record(StrBuf *b, const Table *t, size_t row, DsFormat f) {
   if (f == DS_FORMAT_EI)
      ei(b, t, row);
   else if (f == DS_FORMAT_NUMERIC)
      numeric(b, t, row);
   else if (f == DS_FORMAT_PLOTTER)
      plotter(b, t, row);
   else
      csv(b, t, row);
}
