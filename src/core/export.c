// SPDX-License-Identifier: MIT
#include "driftscope/export.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/recorder.h"
#include "driftscope/render.h"

const char *const ds_export_format_names[EXPORT_FORMAT_COUNT] = {"dataset", "ei", "labelstudio"};

int ds_export_format_parse(const char *s) {
   for (int i = 0; i < EXPORT_FORMAT_COUNT; i++)
      if (!strcmp(s, ds_export_format_names[i]))
         return i;
   return -1;
}

/* --- dataset ----------------------------------------------------------------- */

void ds_export_dataset(StrBuf *out, const Table *t, const double *tms, const LabelStore *ls, bool include_unlabelled,
                       ExportSummary *sum) {
   memset(sum, 0, sizeof *sum);
   size_t n = t->nrows - t->base;
   StrBuf_puts(out, "segment_id,segment_label,segment_note"); /* never the stream's own label column's name */
   for (int c = 0; c < t->ncols; c++)
      if (ds_csv_column(t->cols[c])) {
         StrBuf_putc(out, ',');
         ds_put_csv_field(out, t->cols[c]->name);
      }
   StrBuf_putc(out, '\n');
   for (size_t i = 0; i < ls->n; i++) {
      const Segment *g = &ls->seg[i];
      size_t first, count = ds_segment_records(tms, n, g->start_ms, g->end_ms, &first);
      if (!count) {
         sum->empty_segments++;
         continue;
      }
      sum->segments++;
      for (size_t r = first; r < first + count; r++) {
         StrBuf_printf(out, "%ld,", g->id);
         ds_put_csv_field(out, g->label);
         StrBuf_putc(out, ',');
         ds_put_csv_field(out, g->note);
         StrBuf_putc(out, ',');
         ds_render_record(out, t, t->base + r, DS_FORMAT_CSV);
         sum->records++;
      }
   }
   for (size_t r = 0; include_unlabelled && r < n; r++)
      if (!LabelStore_at(ls, tms[r])) {
         StrBuf_puts(out, ",,,");
         ds_render_record(out, t, t->base + r, DS_FORMAT_CSV);
         sum->records++;
         sum->unlabelled++;
      }
}

/* --- Edge Impulse ------------------------------------------------------------ */

/* Keep what the uploader takes in a label (letters, digits, space, - and
 * _), anything else becomes _; a dot would end the label early. */
static void file_part(char *dst, size_t cap, const char *s, size_t len) {
   size_t k = 0;
   for (size_t i = 0; i < len && k + 1 < cap; i++) {
      unsigned char c = (unsigned char)s[i];
      dst[k++] = isalnum(c) || c == ' ' || c == '-' || c == '_' ? (char)c : '_';
   }
   dst[k] = '\0';
}

/* The session's base name without its extension, as a file-name part. */
static void session_part(char *dst, size_t cap, const char *session) {
   const char *base = strrchr(session, '/') ? strrchr(session, '/') + 1 : session;
   const char *dot = strchr(base, '.');
   file_part(dst, cap, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

static bool push_sample(EiSample **v, size_t *n, size_t *cap, const EiSample *s) {
   if (*n == *cap) {
      size_t c = *cap ? *cap * 2 : 16;
      EiSample *q = realloc(*v, c * sizeof *q);
      if (!q)
         return false;
      *v = q;
      *cap = c;
   }
   (*v)[(*n)++] = *s;
   return true;
}

EiSample *ds_export_ei_samples(const Table *t, const double *tms, const LabelStore *ls, const char *session,
                               bool include_unlabelled, size_t *n) {
   size_t nrec = t->nrows - t->base, cap = 0;
   EiSample *v = NULL;
   char sess[DS_NAME_MAX], lab[DS_NAME_MAX];
   session_part(sess, sizeof sess, session);
   *n = 0;
   for (size_t i = 0; i < ls->n; i++) {
      const Segment *g = &ls->seg[i];
      EiSample s = {.label = g->label, .note = g->note, .segment_id = g->id};
      s.count = ds_segment_records(tms, nrec, g->start_ms, g->end_ms, &s.first);
      if (!s.count)
         continue;
      file_part(lab, sizeof lab, g->label, strlen(g->label));
      snprintf(s.name, sizeof s.name, "%s.%s.%ld", lab, sess, g->id);
      if (!push_sample(&v, n, &cap, &s))
         goto oom;
   }
   long run = 0;
   for (size_t r = 0; include_unlabelled && r < nrec;) {
      if (LabelStore_at(ls, tms[r])) {
         r++;
         continue;
      }
      EiSample s = {.first = r};
      while (r < nrec && !LabelStore_at(ls, tms[r]))
         r++;
      s.count = r - s.first;
      snprintf(s.name, sizeof s.name, "unlabelled.%s.u%ld", sess, ++run);
      if (!push_sample(&v, n, &cap, &s))
         goto oom;
   }
   return v ? v : calloc(1, sizeof *v);
oom:
   free(v);
   *n = 0;
   return NULL;
}

/* The numeric features, as the sample's value columns. */
static bool ei_column(const Column *c) {
   return c->stored && c->role == ROLE_FEATURE && c->kind == KIND_NUMERIC;
}

void ds_export_ei_csv(StrBuf *out, const Table *t, const double *tms, const EiSample *s) {
   StrBuf_puts(out, "timestamp");
   for (int c = 0; c < t->ncols; c++)
      if (ei_column(t->cols[c])) {
         StrBuf_putc(out, ',');
         ds_put_csv_field(out, t->cols[c]->name);
      }
   StrBuf_putc(out, '\n');
   for (size_t r = s->first; r < s->first + s->count; r++) {
      ds_put_double(out, tms[r] - tms[s->first]);
      for (int c = 0; c < t->ncols; c++)
         if (ei_column(t->cols[c])) {
            StrBuf_putc(out, ',');
            ds_put_csv_value(out, t, c, t->base + r);
         }
      StrBuf_putc(out, '\n');
   }
}

void ds_export_ei_labelled(StrBuf *out, const Table *t, const double *tms, const EiSample *s, size_t n) {
   StrBuf_puts(out, "timestamp");
   for (int c = 0; c < t->ncols; c++)
      if (ei_column(t->cols[c])) {
         StrBuf_putc(out, ',');
         ds_put_csv_field(out, t->cols[c]->name);
      }
   StrBuf_puts(out, ",label,sample\n");
   for (size_t i = 0; i < n; i++)
      for (size_t r = s[i].first; r < s[i].first + s[i].count; r++) {
         ds_put_double(out, tms[r] - tms[s[i].first]);
         for (int c = 0; c < t->ncols; c++)
            if (ei_column(t->cols[c])) {
               StrBuf_putc(out, ',');
               ds_put_csv_value(out, t, c, t->base + r);
            }
         StrBuf_putc(out, ',');
         ds_put_csv_field(out, s[i].label ? s[i].label : "");
         StrBuf_putc(out, ',');
         ds_put_csv_field(out, s[i].name);
         StrBuf_putc(out, '\n');
      }
}

void ds_export_ei_info(StrBuf *out, const EiSample *s, size_t n, const char *session) {
   const char *base = strrchr(session, '/') ? strrchr(session, '/') + 1 : session;
   StrBuf_puts(out, "{\n  \"version\": 1,\n  \"files\": [");
   for (size_t i = 0; i < n; i++) {
      StrBuf_printf(out, "%s\n    {\"path\": ", i ? "," : "");
      char path[sizeof s[i].name + 8];
      snprintf(path, sizeof path, "%s.csv", s[i].name);
      StrBuf_json_string(out, path);
      StrBuf_puts(out, ", \"name\": ");
      StrBuf_json_string(out, s[i].name);
      StrBuf_puts(out, ", \"category\": \"training\", \"label\": ");
      if (s[i].label) {
         StrBuf_puts(out, "{\"type\": \"label\", \"label\": ");
         StrBuf_json_string(out, s[i].label);
         StrBuf_puts(out, "}");
      } else {
         StrBuf_puts(out, "{\"type\": \"unlabeled\"}");
      }
      StrBuf_puts(out, ", \"metadata\": {\"session\": ");
      StrBuf_json_string(out, base);
      if (s[i].segment_id) {
         StrBuf_printf(out, ", \"segment_id\": \"%ld\"", s[i].segment_id);
         if (s[i].note && s[i].note[0]) {
            StrBuf_puts(out, ", \"note\": ");
            StrBuf_json_string(out, s[i].note);
         }
      }
      StrBuf_puts(out, "}}");
   }
   StrBuf_puts(out, "\n  ]\n}\n");
}

/* --- Label Studio ------------------------------------------------------------ */

int ds_export_time_column(const Table *t) {
   if (t->time_col >= 0 && t->cols[t->time_col]->stored)
      return t->time_col;
   if (t->rx_col >= 0 && t->cols[t->rx_col]->stored)
      return t->rx_col;
   return -1;
}

static double x_of(const Table *t, int tc, size_t r) {
   return tc >= 0 ? Table_at(t, tc, t->base + r) : (double)r;
}

static void json_number(StrBuf *out, double v) {
   if (isfinite(v))
      ds_put_double(out, v);
   else
      StrBuf_puts(out, "null");
}

/* A model's predictions for Label Studio's pre-annotation: a region a run
 * of records the model gave the same class, with the run's mean
 * confidence as its score where the model has one. */
static void prediction(StrBuf *out, const Table *t, int tc, int pc, int cc, const char *model, bool *first) {
   size_t n = t->nrows - t->base;
   StrBuf_printf(out, "%s\n      {\n        \"model_version\": ", *first ? "" : ",");
   *first = false;
   StrBuf_json_string(out, model);
   StrBuf_puts(out, ",\n        \"result\": [");
   long k = 0;
   for (size_t r = 0; r < n;) {
      double p = Table_at(t, pc, t->base + r);
      if (isnan(p) || p < 0 || p >= t->classes->n) {
         r++;
         continue;
      }
      size_t e = r;
      double conf = 0;
      size_t nconf = 0;
      for (; e < n && Table_at(t, pc, t->base + e) == p; e++) {
         double c = cc >= 0 ? Table_value(t, cc, t->base + e) : NAN;
         if (isfinite(c)) {
            conf += c;
            nconf++;
         }
      }
      StrBuf_printf(out,
                    "%s\n          {\"id\": \"pred%ld\", \"from_name\": \"label\", \"to_name\": \"ts\", "
                    "\"type\": \"timeserieslabels\", \"value\": {\"start\": ",
                    k ? "," : "", k + 1);
      k++;
      json_number(out, x_of(t, tc, r));
      StrBuf_puts(out, ", \"end\": ");
      json_number(out, x_of(t, tc, e - 1));
      StrBuf_puts(out, ", \"instant\": false, \"timeserieslabels\": [");
      StrBuf_json_string(out, t->classes->name[(int)p]);
      StrBuf_puts(out, "]}");
      if (nconf) {
         StrBuf_puts(out, ", \"score\": ");
         json_number(out, conf / (double)nconf);
      }
      StrBuf_putc(out, '}');
      r = e;
   }
   StrBuf_puts(out, "\n        ]\n      }");
}

/* "predictions": each categorical prediction column's (the stream's own
 * model, and each named model's), none when the stream has no prediction. */
static void predictions(StrBuf *out, const Table *t, int tc) {
   bool first = true;
   for (int c = 0; c < t->ncols; c++) {
      const Column *col = t->cols[c];
      if (col->role != ROLE_PRED || col->kind != KIND_CATEGORICAL || !col->stored || col->n_missing >= t->nrows)
         continue;
      if (first)
         StrBuf_puts(out, ",\n    \"predictions\": [");
      int cc = Table_model_column(t, col->model, ROLE_CONFIDENCE);
      prediction(out, t, tc, c, cc, col->model >= 0 ? t->model[col->model] : col->name, &first);
   }
   if (!first)
      StrBuf_puts(out, "\n    ]");
}

void ds_export_labelstudio(StrBuf *out, const Table *t, const double *tms, const LabelStore *ls, const char *session,
                           ExportSummary *sum) {
   memset(sum, 0, sizeof *sum);
   size_t n = t->nrows - t->base;
   int tc = ds_export_time_column(t);
   const char *base = strrchr(session, '/') ? strrchr(session, '/') + 1 : session;
   StrBuf_puts(out, "[\n  {\n    \"data\": {\n      \"session\": ");
   StrBuf_json_string(out, base);
   StrBuf_puts(out, ",\n      \"ts\": {\n        \"time\": [");
   for (size_t r = 0; r < n; r++) {
      if (r)
         StrBuf_putc(out, ',');
      json_number(out, x_of(t, tc, r));
   }
   StrBuf_putc(out, ']');
   for (int c = 0; c < t->ncols; c++) {
      if (!ei_column(t->cols[c]))
         continue;
      StrBuf_puts(out, ",\n        ");
      StrBuf_json_string(out, t->cols[c]->name);
      StrBuf_puts(out, ": [");
      for (size_t r = 0; r < n; r++) {
         if (r)
            StrBuf_putc(out, ',');
         json_number(out, Table_at(t, c, t->base + r));
      }
      StrBuf_putc(out, ']');
   }
   StrBuf_puts(out, "\n      }\n    },\n    \"annotations\": [\n      {\n        \"result\": [");
   bool first = true;
   for (size_t i = 0; i < ls->n; i++) {
      const Segment *g = &ls->seg[i];
      size_t r0, count = ds_segment_records(tms, n, g->start_ms, g->end_ms, &r0);
      if (!count) {
         sum->empty_segments++;
         continue;
      }
      sum->segments++;
      sum->records += count;
      StrBuf_printf(out,
                    "%s\n          {\"id\": \"seg%ld\", \"from_name\": \"label\", \"to_name\": \"ts\", "
                    "\"type\": \"timeserieslabels\", \"value\": {\"start\": ",
                    first ? "" : ",", g->id);
      first = false;
      json_number(out, x_of(t, tc, r0));
      StrBuf_puts(out, ", \"end\": ");
      json_number(out, x_of(t, tc, r0 + count - 1));
      StrBuf_puts(out, ", \"instant\": false, \"timeserieslabels\": [");
      StrBuf_json_string(out, g->label);
      StrBuf_puts(out, "]}");
      if (g->note[0]) {
         StrBuf_puts(out, ", \"meta\": {\"text\": [");
         StrBuf_json_string(out, g->note);
         StrBuf_puts(out, "]}");
      }
      StrBuf_putc(out, '}');
   }
   StrBuf_puts(out, "\n        ]\n      }\n    ]");
   predictions(out, t, tc);
   StrBuf_puts(out, "\n  }\n]\n");
}

/* Whether label is one of the segments' before segment `before`. */
static bool labelled_before(const LabelStore *ls, size_t before, const char *label) {
   for (size_t j = 0; j < before; j++)
      if (!strcmp(ls->seg[j].label, label))
         return true;
   return false;
}

static void config_label(StrBuf *out, const char *label) {
   StrBuf_puts(out, "    <Label value=\"");
   StrBuf_xml_text(out, label);
   StrBuf_puts(out, "\"/>\n");
}

void ds_export_labelstudio_config(StrBuf *out, const Table *t, const LabelStore *ls) {
   StrBuf_puts(out, "<View>\n  <TimeSeriesLabels name=\"label\" toName=\"ts\">\n");
   /* the labels used, then the stream's other classes: an annotator can
    * use any of them */
   for (size_t i = 0; i < ls->n; i++)
      if (!labelled_before(ls, i, ls->seg[i].label))
         config_label(out, ls->seg[i].label);
   for (int c = 0; c < t->classes->n; c++)
      if (!labelled_before(ls, ls->n, t->classes->name[c]))
         config_label(out, t->classes->name[c]);
   StrBuf_puts(out, "  </TimeSeriesLabels>\n  <TimeSeries name=\"ts\" value=\"$ts\" valueType=\"json\" "
                    "timeColumn=\"time\">\n");
   for (int c = 0; c < t->ncols; c++)
      if (ei_column(t->cols[c])) {
         StrBuf_puts(out, "    <Channel column=\"");
         StrBuf_xml_text(out, t->cols[c]->name);
         StrBuf_puts(out, "\"/>\n");
      }
   StrBuf_puts(out, "  </TimeSeries>\n</View>\n");
}

void ds_export_manifest(StrBuf *out, const ExportManifest *m) {
   StrBuf_puts(out, "{\n  \"driftscope\": ");
   StrBuf_json_string(out, m->version);
   StrBuf_puts(out, ",\n  \"options\": {\"format\": ");
   StrBuf_json_string(out, m->format);
   StrBuf_printf(
      out, ", \"include_unlabelled\": %s},\n  \"source\": {\"session\": ", m->include_unlabelled ? "true" : "false");
   StrBuf_json_string(out, m->session);
   StrBuf_puts(out, ", \"sha256\": ");
   StrBuf_json_string(out, m->session_sha256);
   StrBuf_printf(out, ", \"bytes\": %zu, \"records\": %zu", m->session_bytes, m->session_records);
   if (m->nrec) {
      StrBuf_puts(out, ", \"first_ms\": ");
      StrBuf_json_number(out, m->tms[0]);
      StrBuf_puts(out, ", \"last_ms\": ");
      StrBuf_json_number(out, m->tms[m->nrec - 1]);
   }
   StrBuf_puts(out, "},\n  \"labels\": {\"journal\": ");
   StrBuf_json_string(out, m->journal);
   StrBuf_puts(out, ", \"sha256\": ");
   StrBuf_json_string(out, m->journal_sha256);
   StrBuf_printf(out, ", \"bytes\": %zu},\n  \"records\": %zu, \"unlabelled_records\": %zu,\n  \"files\": [",
                 m->journal_bytes, m->sum->records, m->sum->unlabelled);
   for (size_t i = 0; i < m->nfiles; i++) {
      StrBuf_puts(out, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
      StrBuf_json_string(out, m->files[i].name);
      StrBuf_printf(out, ", \"sha256\": \"%s\", \"bytes\": %zu}", m->files[i].sha256, m->files[i].bytes);
   }
   StrBuf_puts(out, "\n  ],\n  \"segments\": [");
   bool first = true;
   for (size_t i = 0; i < m->ls->n; i++) {
      const Segment *g = &m->ls->seg[i];
      size_t from, count = ds_segment_records(m->tms, m->nrec, g->start_ms, g->end_ms, &from);
      StrBuf_printf(out, "%s\n    {\"id\": %ld, \"label\": ", first ? "" : ",", g->id);
      first = false;
      StrBuf_json_string(out, g->label);
      StrBuf_puts(out, ", \"note\": ");
      StrBuf_json_string(out, g->note);
      StrBuf_puts(out, ", \"start_ms\": ");
      StrBuf_json_number(out, g->start_ms);
      StrBuf_puts(out, ", \"end_ms\": ");
      StrBuf_json_number(out, g->end_ms);
      StrBuf_printf(out, ", \"records\": %zu", count);
      if (count)
         StrBuf_printf(out, ", \"first_record\": %zu", from);
      StrBuf_putc(out, '}');
   }
   StrBuf_puts(out, "\n  ]\n}\n");
}

void ds_export_checksums(StrBuf *out, const ExportFile *files, size_t n) {
   for (size_t i = 0; i < n; i++)
      StrBuf_printf(out, "%s  %s\n", files[i].sha256, files[i].name);
}
