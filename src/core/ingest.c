// SPDX-License-Identifier: MIT
#include "driftscope/ingest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/numparse.h"

static const ParserClass *const parsers[] = {
   [DS_FORMAT_CSV] = &CsvParser_class,
   [DS_FORMAT_NUMERIC] = &NumericParser_class,
   [DS_FORMAT_EI] = &EiParser_class,
   [DS_FORMAT_PLOTTER] = &PlotterParser_class,
};

static const char *const format_names[] = {
   [DS_FORMAT_AUTO] = "auto",       [DS_FORMAT_CSV] = "csv",         [DS_FORMAT_NUMERIC] = "numeric",
   [DS_FORMAT_EI] = "edge-impulse", [DS_FORMAT_PLOTTER] = "plotter",
};

const char *ds_format_name(DsFormat f) {
   return format_names[f];
}

int ds_format_parse(const char *s) {
   if (strcmp(s, "ei") == 0)
      return DS_FORMAT_EI;
   for (int f = 0; f <= DS_FORMAT_PLOTTER; f++)
      if (strcmp(s, format_names[f]) == 0)
         return f;
   return -1;
}

bool Ingest_init(Ingest *in, Table *t, DsFormat forced, const char *source) {
   memset(in, 0, sizeof *in);
   in->table = t;
   in->forced = forced;
   in->format = DS_FORMAT_AUTO;
   in->source = source;
   return LineSplitter_init(&in->ls, 0);
}

bool Ingest_fork(Ingest *dst, Table *t, const Ingest *src) {
   if (!src->parser || !src->parser->clone || src->nheld || src->failed)
      return false;
   if (!Ingest_init(dst, t, src->format, src->source))
      return false;
   dst->format = src->format;
   dst->parser = src->parser;
   dst->pstate = src->parser->clone(src->pstate, dst);
   if (!dst->pstate) {
      dst->parser = NULL;
      return false;
   }
   return true;
}

void Ingest_join(Ingest *a, const Ingest *b) {
   long offset = a->ls.lineno;
   a->lines += b->lines;
   a->blank_lines += b->blank_lines;
   a->bad_lines += b->bad_lines;
   a->noise_lines += b->noise_lines;
   a->comment_lines += b->comment_lines;
   a->records += b->records;
   a->bad_fields += b->bad_fields;
   a->object_detections += b->object_detections;
   for (int i = 0; i < b->nfirst_bad && a->nfirst_bad < DS_BAD_KEEP; i++) {
      a->first_bad[a->nfirst_bad] = b->first_bad[i];
      a->first_bad[a->nfirst_bad++].lineno += offset;
   }
   if (b->bad_lines + b->bad_fields > 0) {
      a->last_bad = b->last_bad;
      a->last_bad.lineno += offset;
   }
   a->ls.lineno += b->ls.lineno;
   a->ls.bytes += b->ls.bytes;
   if (b->failed && !a->failed) {
      a->failed = true;
      a->error = b->error;
   }
}

void Ingest_done(Ingest *in) {
   if (in->parser)
      in->parser->destroy(in->pstate);
   for (int i = 0; i < in->nheld; i++)
      free(in->held[i]);
   LineSplitter_done(&in->ls);
}

static void keep_reason(Ingest *in, long lineno, const char *fmt, va_list ap) {
   BadLine b = {.lineno = lineno};
   vsnprintf(b.reason, sizeof b.reason, fmt, ap);
   if (in->nfirst_bad < DS_BAD_KEEP)
      in->first_bad[in->nfirst_bad++] = b;
   in->last_bad = b;
}

void Ingest_bad(Ingest *in, long lineno, const char *fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   keep_reason(in, lineno, fmt, ap);
   va_end(ap);
   in->bad_lines++;
}

void Ingest_bad_field(Ingest *in, long lineno, const char *fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   keep_reason(in, lineno, fmt, ap);
   va_end(ap);
   in->bad_fields++;
}

void Ingest_noise(Ingest *in) {
   in->noise_lines++;
}

void Ingest_commit(Ingest *in) {
   if (in->failed)
      return;
   size_t before = in->table->nrows;
   if (!Table_row_commit(in->table, &in->error)) {
      in->failed = true;
      return;
   }
   if (in->table->nrows > before)
      in->records++;
}

/* --- detection ------------------------------------------------------------ */

static bool starts_with(const char *s, size_t n, const char *prefix) {
   size_t k = strlen(prefix);
   return n >= k && memcmp(s, prefix, k) == 0;
}

/* Return whether every token (separated by commas, tabs or spaces) is a number. */
static bool all_numeric(const char *s, size_t n) {
   const char *end = s + n;
   int tokens = 0;
   while (s < end) {
      while (s < end && (*s == ',' || *s == ' ' || *s == '\t'))
         s++;
      const char *b = s;
      while (s < end && *s != ',' && *s != ' ' && *s != '\t')
         s++;
      if (s == b)
         continue;
      double v;
      if (ds_parse_number(b, (size_t)(s - b), &v) == NUM_TEXT)
         return false;
      tokens++;
   }
   return tokens > 0;
}

/* Return whether the line is name:value pairs (value numeric). */
static bool all_pairs(const char *s, size_t n) {
   const char *end = s + n;
   int pairs = 0;
   while (s < end) {
      while (s < end && (*s == ',' || *s == ' ' || *s == '\t'))
         s++;
      if (s == end)
         break;
      const char *name = s;
      while (s < end && *s != ':' && *s != ',' && *s != ' ' && *s != '\t')
         s++;
      if (s == end || *s != ':' || s == name)
         return false;
      s++;
      while (s < end && *s == ' ')
         s++;
      const char *v = s;
      while (s < end && *s != ',' && *s != ' ' && *s != '\t')
         s++;
      double x;
      if (s == v || ds_parse_number(v, (size_t)(s - v), &x) == NUM_TEXT)
         return false;
      pairs++;
   }
   return pairs > 0;
}

static bool is_ei_marker(const char *s, size_t n) {
   return starts_with(s, n, "Predictions (") || starts_with(s, n, "Predictions:") ||
          starts_with(s, n, "Timing: DSP") || starts_with(s, n, "#Classification predictions");
}

/* Return whether the line looks like a CSV header: 2+ delimited names, not all numbers. */
static bool is_header(const char *s, size_t n) {
   if (!memchr(s, ',', n) && !memchr(s, '\t', n) && !memchr(s, ';', n))
      return false;
   return !all_numeric(s, n) && !memchr(s, ':', n);
}

/* Fields of a delimited line (commas, tabs or semicolons outside quotes). */
static int field_count(const char *s, size_t n) {
   int fields = 1;
   bool quoted = false;
   for (size_t i = 0; i < n; i++) {
      if (s[i] == '"')
         quoted = !quoted;
      else if (!quoted && (s[i] == ',' || s[i] == '\t' || s[i] == ';'))
         fields++;
   }
   return fields;
}

/* The next line after i that is not blank or a comment: its index, or -1. */
static int next_content(const char *const *lines, const size_t *lens, int n, int i) {
   for (int j = i + 1; j < n; j++) {
      const char *s = lines[j];
      size_t k = lens[j];
      ds_trim(&s, &k);
      if (k && s[0] != '#')
         return j;
   }
   return -1;
}

DsFormat ds_detect_format(const char *const *lines, const size_t *lens, int n, bool final) {
   for (int i = 0; i < n; i++) {
      const char *s = lines[i];
      size_t k = lens[i];
      ds_trim(&s, &k);
      if (is_ei_marker(s, k))
         return DS_FORMAT_EI;
   }
   for (int i = 0; i < n; i++) {
      const char *s = lines[i];
      size_t k = lens[i];
      ds_trim(&s, &k);
      if (k == 0 || s[0] == '#')
         continue;
      if (all_pairs(s, k))
         return DS_FORMAT_PLOTTER;
      if (all_numeric(s, k))
         return DS_FORMAT_NUMERIC;
      if (is_header(s, k)) {
         /* a header is followed by a record with as many fields; a log line
          * with a comma is not (when nothing follows yet, wait for more) */
         int j = next_content(lines, lens, n, i);
         if (j < 0 && final)
            return DS_FORMAT_CSV;
         if (j < 0)
            return DS_FORMAT_AUTO;
         const char *r = lines[j];
         size_t rk = lens[j];
         ds_trim(&r, &rk);
         if (field_count(r, rk) == field_count(s, k))
            return DS_FORMAT_CSV;
      }
   }
   return DS_FORMAT_AUTO;
}

static void start_parser(Ingest *in, DsFormat f) {
   in->format = f;
   in->parser = parsers[f];
   in->pstate = in->parser->create(in);
   if (!in->pstate) {
      in->failed = true;
      DsError_set(&in->error, in->source, 0, 0, "out of memory starting the %s parser", ds_format_name(f));
   }
}

static void deliver(Ingest *in, const char *s, size_t n, long lineno) {
   if (!in->failed)
      in->parser->line(in->pstate, in, s, n, lineno);
}

static DsFormat detect_held(const Ingest *in, bool final) {
   return ds_detect_format((const char *const *)in->held, in->held_len, in->nheld, final);
}

/* Start the parser for format f (DS_FORMAT_AUTO: none was recognised) and
 * hand it the held lines. */
static void decide(Ingest *in, DsFormat f) {
   if (f == DS_FORMAT_AUTO) {
      for (int i = 0; i < in->nheld; i++)
         Ingest_bad(in, in->held_no[i], "format not recognised (not CSV, numbers, Edge Impulse or name:value)");
      for (int i = 0; i < in->nheld; i++)
         free(in->held[i]);
      in->nheld = 0;
      return;
   }
   start_parser(in, f);
   for (int i = 0; i < in->nheld; i++) {
      deliver(in, in->held[i], in->held_len[i], in->held_no[i]);
      free(in->held[i]);
   }
   in->nheld = 0;
}

static const char *status_reason(LineStatus st) {
   switch (st) {
   case LINE_TOO_LONG: return "line longer than 64 KiB";
   case LINE_BINARY: return "binary data (control bytes)";
   case LINE_BAD_UTF8: return "invalid UTF-8";
   case LINE_OK: break;
   }
   return "";
}

static void on_line(void *ctx, const char *s, size_t n, long lineno, LineStatus st) {
   Ingest *in = ctx;
   in->lines++;
   if (st != LINE_OK) {
      Ingest_bad(in, lineno, "%s", status_reason(st));
      return;
   }
   size_t k = n;
   const char *t = s;
   ds_trim(&t, &k);
   if (k == 0) {
      in->blank_lines++;
      if (in->parser && in->parser->blank && !in->failed)
         in->parser->blank(in->pstate, in);
      return;
   }
   if (in->parser) {
      deliver(in, s, n, lineno);
      return;
   }
   if (in->forced != DS_FORMAT_AUTO) {
      start_parser(in, in->forced);
      deliver(in, s, n, lineno);
      return;
   }
   char *copy = malloc(n + 1);
   if (!copy) {
      in->failed = true;
      DsError_set(&in->error, in->source, lineno, 0, "out of memory");
      return;
   }
   memcpy(copy, s, n);
   copy[n] = '\0';
   in->held[in->nheld] = copy;
   in->held_len[in->nheld] = n;
   in->held_no[in->nheld] = lineno;
   /* Look at DS_DETECT_LINES lines at least; hold more while none of them
    * says what the format is, so a board's boot banner is not bad lines. */
   if (++in->nheld >= DS_DETECT_LINES) {
      DsFormat f = detect_held(in, in->nheld == DS_DETECT_MAX_LINES);
      if (f != DS_FORMAT_AUTO || in->nheld == DS_DETECT_MAX_LINES)
         decide(in, f);
   }
}

void Ingest_feed(Ingest *in, const char *bytes, size_t n) {
   LineSplitter_feed(&in->ls, bytes, n, on_line, in);
}

void Ingest_break(Ingest *in, const char *why) {
   long lineno = LineSplitter_drop(&in->ls);
   if (lineno) {
      in->lines++;
      Ingest_bad(in, lineno, "line cut off by %s", why);
   }
}

void Ingest_finish(Ingest *in) {
   LineSplitter_finish(&in->ls, on_line, in);
   if (!in->parser && in->nheld)
      decide(in, detect_held(in, true));
   if (in->parser && !in->failed)
      in->parser->finish(in->pstate, in);
}
