// SPDX-License-Identifier: MIT
/* Edge Impulse inference output (DESIGN §2), both generations:
 *
 *   Predictions (DSP: 16 ms., Classification: 1 ms., Anomaly: 2 ms.):
 *       idle: 0.91016
 *       anomaly score: -0.067
 *
 *   Timing: DSP 16 ms, inference 1 ms, anomaly 0 ms
 *   #Classification predictions:
 *     idle: 0.910156
 *   Anomaly prediction: 0.123
 *
 * A block becomes one record when the next non-score line arrives (or at
 * the end of input): score_<label> per class, dsp_ms / inference_ms /
 * anomaly_ms telemetry, anomaly. "us" timings are converted to ms.
 *
 * Not handled: object-detection boxes ("#Object detection results:",
 * "label (0.95) [ x: 8, ... ]") are counted, not scored; visual-anomaly
 * grids are noise. Any other line (ERR:, ESP-IDF "I (306) tag:" logs,
 * "Starting inferencing...") is noise: counted and skipped. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/ingest.h"
#include "driftscope/numparse.h"

typedef struct EiParser {
   bool open;   /* inside a block */
   int nscores; /* scores seen in the open block */
   long start_line;
} EiParser;

static void *ei_create(Ingest *in) {
   (void)in;
   return calloc(1, sizeof(EiParser));
}

static void ei_destroy(void *self) {
   free(self);
}

static bool has_prefix(const char *s, size_t n, const char *p) {
   size_t k = strlen(p);
   return n >= k && memcmp(s, p, k) == 0;
}

/* Return the table column for name with role, creating it (-1 on failure). */
static int column(Ingest *in, const char *name, ColumnRole role, int cls) {
   int c = Table_find(in->table, name);
   if (c < 0)
      c = Table_add_column(in->table, name, role, KIND_NUMERIC, cls);
   return c;
}

static void set_named(Ingest *in, const char *name, double v) {
   int c = column(in, name, ROLE_TELEMETRY, -1);
   if (c >= 0)
      Table_row_set(in->table, c, v);
}

static void flush(EiParser *ep, Ingest *in) {
   if (ep->open && ep->nscores > 0)
      Ingest_commit(in);
   else if (ep->open)
      in->table->in_row = false;
   ep->open = false;
   ep->nscores = 0;
}

static void open_block(EiParser *ep, Ingest *in, long lineno) {
   flush(ep, in);
   Table_row_begin(in->table);
   ep->open = true;
   ep->start_line = lineno;
}

/* Read "<number> ms" or "<number> us" after the word key; return ms or NAN. */
static double timing_after(const char *s, size_t n, const char *key) {
   const char *end = s + n;
   size_t k = strlen(key);
   for (const char *p = s; p + k <= end; p++) {
      if (memcmp(p, key, k) != 0)
         continue;
      p += k;
      while (p < end && (*p == ' ' || *p == ':'))
         p++;
      const char *b = p;
      while (p < end && (isdigit((unsigned char)*p) || *p == '.' || *p == '-'))
         p++;
      double v;
      if (ds_parse_number(b, (size_t)(p - b), &v) != NUM_OK)
         return NAN;
      while (p < end && *p == ' ')
         p++;
      return (p + 1 < end && p[0] == 'u' && p[1] == 's') ? v / 1000.0 : v;
   }
   return NAN;
}

static void set_timings(Ingest *in, const char *s, size_t n, const char *dsp, const char *inf,
                        const char *anom) {
   double v;
   if (!isnan(v = timing_after(s, n, dsp)))
      set_named(in, "dsp_ms", v);
   if (!isnan(v = timing_after(s, n, inf)))
      set_named(in, "inference_ms", v);
   if (!isnan(v = timing_after(s, n, anom)))
      set_named(in, "anomaly_ms", v);
}

/* Split "label: value" at the last colon; return whether value is a number. */
static bool split_pair(const char *s, size_t n, size_t *name_len, double *v) {
   const char *colon = NULL;
   for (size_t i = 0; i < n; i++)
      if (s[i] == ':')
         colon = s + i;
   if (!colon || colon == s)
      return false;
   size_t k = (size_t)(colon - s);
   while (k && isspace((unsigned char)s[k - 1]))
      k--;
   if (!k)
      return false;
   *name_len = k;
   const char *vp = colon + 1;
   return ds_parse_number(vp, n - (size_t)(vp - s), v) == NUM_OK;
}

static void add_score(EiParser *ep, Ingest *in, const char *label, size_t len, double v, long lineno) {
   Table *t = in->table;
   int cls = Classes_intern(t->classes, label, len);
   if (cls < 0) {
      Ingest_bad(in, lineno, "more than %d classes: '%.*s' ignored", DS_MAX_CLASSES, (int)(len > 40 ? 40 : len),
                 label);
      return;
   }
   char name[DS_NAME_MAX + 8];
   snprintf(name, sizeof name, "score_%s", t->classes->name[cls]);
   int c = column(in, name, ROLE_SCORE, cls);
   if (c < 0) {
      Ingest_bad(in, lineno, "too many columns: '%s' ignored", name);
      return;
   }
   Table_row_set(t, c, v);
   ep->nscores++;
}

static void ei_line(void *self, Ingest *in, const char *line, size_t len, long lineno) {
   EiParser *ep = self;
   const char *s = line;
   size_t n = len;
   ds_trim(&s, &n);
   bool indented = s != line;
   if (has_prefix(s, n, "Predictions")) {
      open_block(ep, in, lineno);
      set_timings(in, s, n, "DSP", "Classification", "Anomaly");
      return;
   }
   if (has_prefix(s, n, "Timing:")) {
      open_block(ep, in, lineno);
      set_timings(in, s, n, "DSP", "inference", "anomaly");
      return;
   }
   if (ep->open && has_prefix(s, n, "#Classification predictions"))
      return;
   if (has_prefix(s, n, "#Object detection results") || (indented && memchr(s, '[', n) && memchr(s, '(', n))) {
      in->object_detections++;
      return;
   }
   size_t k;
   double v;
   if (ep->open && (has_prefix(s, n, "anomaly score:") || has_prefix(s, n, "Anomaly prediction:"))) {
      if (split_pair(s, n, &k, &v))
         set_named(in, "anomaly", v);
      return;
   }
   if (ep->open && indented && split_pair(s, n, &k, &v)) {
      add_score(ep, in, s, k, v, lineno);
      return;
   }
   flush(ep, in);
   Ingest_noise(in);
}

static void ei_finish(void *self, Ingest *in) {
   flush(self, in);
}

/* A blank line ends a block: the examples print one before the next
 * "Starting inferencing", so a live record is complete at once. */
static void ei_blank(void *self, Ingest *in) {
   flush(self, in);
}

const ParserClass EiParser_class = {
   .format = DS_FORMAT_EI,
   .create = ei_create,
   .line = ei_line,
   .finish = ei_finish,
   .blank = ei_blank,
   .destroy = ei_destroy,
};
