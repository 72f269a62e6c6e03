// SPDX-License-Identifier: MIT
#include "driftscope/render.h"

#include <math.h>
#include <string.h>

#include "driftscope/recorder.h"

/* Columns a board prints: not the derived confidence, not a receive time. */
static bool printed(const Column *c) {
   return c->stored && c->role != ROLE_CONFIDENCE && c->role != ROLE_RX;
}

bool ds_render_can(const Table *t, DsFormat f, const char **why) {
   for (int c = 0; c < t->ncols; c++) {
      const Column *col = t->cols[c];
      if (f == DS_FORMAT_EI && col->role == ROLE_SCORE && col->stored)
         return true;
      if (f == DS_FORMAT_PLOTTER && printed(col) && col->kind == KIND_NUMERIC)
         return true;
      if (f == DS_FORMAT_CSV && printed(col))
         return true;
   }
   *why = f == DS_FORMAT_EI ? "Edge Impulse output needs class scores (score_<class> columns)"
                            : "no column to print";
   return false;
}

void ds_render_start(StrBuf *b, const Table *t, DsFormat f) {
   if (f != DS_FORMAT_CSV)
      return;
   bool first = true;
   for (int c = 0; c < t->ncols; c++)
      if (printed(t->cols[c])) {
         if (!first)
            StrBuf_putc(b, ',');
         StrBuf_puts(b, t->cols[c]->name);
         first = false;
      }
   StrBuf_putc(b, '\n');
}

static double value(const Table *t, int c, size_t row) {
   return c >= 0 && t->cols[c]->stored ? Table_at(t, c, row) : NAN;
}

static void csv(StrBuf *b, const Table *t, size_t row) {
   bool first = true;
   for (int c = 0; c < t->ncols; c++) {
      const Column *col = t->cols[c];
      if (!printed(col))
         continue;
      if (!first)
         StrBuf_putc(b, ',');
      first = false;
      double v = Table_at(t, c, row);
      if (isnan(v))
         continue;
      if (col->kind == KIND_CATEGORICAL && v >= 0 && v < t->classes->n)
         StrBuf_puts(b, t->classes->name[(int)v]);
      else
         ds_put_double(b, v);
   }
   StrBuf_putc(b, '\n');
}

/* The first-generation Arduino library's block. */
static void ei(StrBuf *b, const Table *t, size_t row) {
   double dsp = value(t, Table_find(t, "dsp_ms"), row), inf = value(t, Table_find(t, "inference_ms"), row),
          an = value(t, Table_find(t, "anomaly_ms"), row);
   StrBuf_printf(b, "Predictions (DSP: %d ms., Classification: %d ms., Anomaly: %d ms.): \n", isnan(dsp) ? 0 : (int)dsp,
                 isnan(inf) ? 0 : (int)inf, isnan(an) ? 0 : (int)an);
   for (int c = 0; c < t->ncols; c++) {
      const Column *col = t->cols[c];
      double v = Table_at(t, c, row);
      if (col->role == ROLE_SCORE && col->stored && !isnan(v))
         StrBuf_printf(b, "    %s: %.5f\n", t->classes->name[col->score_class], v);
   }
   double anomaly = value(t, Table_find(t, "anomaly"), row);
   if (!isnan(anomaly))
      StrBuf_printf(b, "    anomaly score: %.3f\n", anomaly);
}

static void plotter(StrBuf *b, const Table *t, size_t row) {
   bool first = true;
   for (int c = 0; c < t->ncols; c++) {
      const Column *col = t->cols[c];
      double v = Table_at(t, c, row);
      if (!printed(col) || col->kind != KIND_NUMERIC || col->role == ROLE_SCORE || isnan(v))
         continue;
      StrBuf_printf(b, "%s%s:", first ? "" : ",", col->name);
      ds_put_double(b, v);
      first = false;
   }
   StrBuf_putc(b, '\n');
}

void ds_render_record(StrBuf *b, const Table *t, size_t row, DsFormat f) {
   if (f == DS_FORMAT_EI)
      ei(b, t, row);
   else if (f == DS_FORMAT_PLOTTER)
      plotter(b, t, row);
   else
      csv(b, t, row);
}
