// SPDX-License-Identifier: MIT
#include "driftscope/ingest.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/numparse.h"

static const ParserClass *const parsers[] = {
   [DS_FORMAT_CSV] = &CsvParser_class,   [DS_FORMAT_NUMERIC] = &NumericParser_class,
   [DS_FORMAT_EI] = &EiParser_class,     [DS_FORMAT_PLOTTER] = &PlotterParser_class,
   [DS_FORMAT_JSON] = &JsonParser_class,
};

static const char *const format_names[] = {
   [DS_FORMAT_AUTO] = "auto",       [DS_FORMAT_CSV] = "csv",         [DS_FORMAT_NUMERIC] = "numeric",
   [DS_FORMAT_EI] = "edge-impulse", [DS_FORMAT_PLOTTER] = "plotter", [DS_FORMAT_JSON] = "json",
};

const char *ds_format_name(DsFormat f) {
   return format_names[f];
}

int ds_format_parse(const char *s) {
   if (strcmp(s, "ei") == 0)
      return DS_FORMAT_EI;
   for (int f = 0; f < DS_FORMAT_COUNT; f++)
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
   in->line_ms = in->row_ms = NAN;
   in->log_col = -1;
   return LineSplitter_init(&in->ls, 0);
}

bool Ingest_fork(Ingest *dst, Table *t, const Ingest *src) {
   if (!src->parser || !src->parser->clone || src->nheld || src->failed)
      return false;
   if (!Ingest_init(dst, t, src->format, src->source))
      return false;
   dst->format = src->format;
   dst->parser = src->parser;
   dst->names = src->names;
   dst->nnames = src->nnames;
   dst->names_given = src->names_given;
   dst->by_position = src->by_position;
   dst->class_names = src->class_names;
   dst->nclass_names = src->nclass_names;
   dst->log_col = src->log_col;
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
   a->log_lines += b->log_lines;
   a->decimal_commas += b->decimal_commas;
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
   if (in->line_log && lineno == in->line_no) { /* a firmware log message, not a record gone bad */
      in->noise_lines++;
      return;
   }
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

int Ingest_named_column(Ingest *in, const char *name) {
   Table *t = in->table;
   int c = Table_find(t, name);
   if (c >= 0)
      return c;
   c = Table_add_named(t, name);
   if (c == -2)
      Ingest_bad_field(in, in->line_no, "more than %d classes: '%.40s' ignored", DS_MAX_CLASSES, name);
   else if (c < 0)
      Ingest_bad_field(in, in->line_no, "too many columns (or models): '%.40s' ignored", name);
   return c < 0 ? -1 : c;
}

const char *Ingest_column_name(Ingest *in, int i, size_t count) {
   if (in->nnames && !in->names_given && in->by_position == 0)
      in->by_position = count == (size_t)in->nnames ? 1 : -1;
   bool named = in->names_given ? i < in->nnames : in->by_position == 1 && i < in->nnames;
   if (named)
      return in->names[i];
   snprintf(in->name_buf, sizeof in->name_buf, "f%d", i);
   return in->name_buf;
}

int Ingest_class(Ingest *in, const char *s, size_t n) {
   double v;
   if (in->nclass_names && ds_parse_number(s, n, &v) == NUM_OK && v == floor(v) && v >= 0) {
      if (v >= in->nclass_names) {
         Ingest_bad_field(in, in->line_no, "class id %.0f: --classes names %d (0 to %d)", v, in->nclass_names,
                          in->nclass_names - 1);
         return -2;
      }
      s = in->class_names[(int)v];
      n = strlen(s);
   }
   return Classes_intern(in->table->classes, s, n);
}

void Ingest_row_begin(Ingest *in) {
   Table_row_begin(in->table);
   in->row_ms = in->line_ms;
}

/* The device time of a log prefix as the record's time, unless the stream
 * has a time column of its own. */
static void log_time(Ingest *in) {
   Table *t = in->table;
   if (t->time_col >= 0 && t->time_col != in->log_col)
      return;
   if (t->time_col < 0 && (in->log_col = Table_add_column(t, "time_ms", ROLE_TIME, KIND_NUMERIC, -1)) < 0)
      return; /* no room: the record keeps no device time */
   Table_row_set(t, t->time_col, in->row_ms);
}

void Ingest_commit(Ingest *in) {
   if (in->failed)
      return;
   if (!isnan(in->row_ms) && in->table->row_any)
      log_time(in);
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

/* A line only Edge Impulse prints: a timing line or a results header
 * (the '#' some firmware prints first is optional). */
static bool is_ei_marker(const char *s, size_t n) {
   static const char *const markers[] = {
      "Predictions (",
      "Predictions:",
      "Timing: DSP",
      "Classification predictions:",
      "Classification results:",
      "Regression prediction:",
      "Regression results:",
      "Object detection bounding boxes:",
      "Object detection results:",
      "Object tracking results:",
      "Visual anomalies:",
      "Visual anomaly grid results:",
   };
   if (n && s[0] == '#') {
      s++;
      n--;
   }
   for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
      if (starts_with(s, n, markers[i]))
         return true;
   return false;
}

char ds_csv_delimiter(const char *s, size_t n) {
   int comma = 0, semi = 0, tab = 0;
   bool quoted = false;
   for (size_t i = 0; i < n; i++) {
      if (s[i] == '"')
         quoted = !quoted;
      else if (!quoted)
         comma += s[i] == ',', semi += s[i] == ';', tab += s[i] == '\t';
   }
   if (semi > comma && semi >= tab)
      return ';';
   return tab > comma ? '\t' : ',';
}

/* Return whether the line looks like a CSV header: 2+ delimited names, not all numbers. */
static bool is_header(const char *s, size_t n) {
   if (!memchr(s, ',', n) && !memchr(s, '\t', n) && !memchr(s, ';', n))
      return false;
   return !all_numeric(s, n) && !memchr(s, ':', n);
}

/* Fields of a line split at delim (outside quotes). */
static int field_count(const char *s, size_t n, char delim) {
   int fields = 1;
   bool quoted = false;
   for (size_t i = 0; i < n; i++) {
      if (s[i] == '"')
         quoted = !quoted;
      else if (!quoted && s[i] == delim)
         fields++;
   }
   return fields;
}

/* Return whether s is one token with no separator, colon or space: a
 * one-column file's header ("temp", as pandas writes it) or value. A
 * header (name) starts with a letter or '_' and does not end with '.'. */
static bool one_token(const char *s, size_t n, bool name) {
   if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
      s++;
      n -= 2;
   }
   if (n == 0 || n > DS_NAME_MAX)
      return false;
   if (name && !(isalpha((unsigned char)s[0]) || s[0] == '_'))
      return false;
   if (name && s[n - 1] == '.')
      return false;
   for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)s[i];
      if (!(isalnum(c) || c == '_' || c == '-' || c == '.' || c == '+' || c >= 0x80))
         return false;
   }
   return true;
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

/* Line i of lines, trimmed. */
static const char *line_at(const char *const *lines, const size_t *lens, int i, size_t *k) {
   const char *s = lines[i];
   *k = lens[i];
   ds_trim(&s, k);
   return s;
}

/* Whether line i is a one-column CSV's header: a name, then (among the
 * lines held) only one-token lines. 1 yes, 0 no, -1 nothing follows yet. */
static int one_column_header(const char *const *lines, const size_t *lens, int n, int i) {
   size_t k;
   const char *s = line_at(lines, lens, i, &k);
   if (!one_token(s, k, true))
      return 0;
   int j = next_content(lines, lens, n, i), found = 0;
   for (; j >= 0; j = next_content(lines, lens, n, j), found++) {
      const char *r = line_at(lines, lens, j, &k);
      if (!one_token(r, k, false))
         return 0;
   }
   return found ? 1 : -1;
}

/* Whether line i is a CSV header: a record with as many fields follows
 * (a log line with a comma is no header). 1 yes, 0 no, -1 nothing follows
 * yet. */
static int delimited_header(const char *const *lines, const size_t *lens, int n, int i) {
   size_t k, rk;
   const char *s = line_at(lines, lens, i, &k);
   if (!is_header(s, k))
      return 0;
   int j = next_content(lines, lens, n, i);
   if (j < 0)
      return -1;
   const char *r = line_at(lines, lens, j, &rk);
   char delim = ds_csv_delimiter(s, k);
   return field_count(r, rk, delim) == field_count(s, k, delim);
}

DsFormat ds_detect_format_at(const char *const *lines, const size_t *lens, int n, bool final, int *first) {
   size_t k;
   *first = 0;
   for (int i = 0; i < n; i++) {
      const char *s = line_at(lines, lens, i, &k);
      if (is_ei_marker(s, k))
         return DS_FORMAT_EI; /* its parser reads what comes before as noise itself */
   }
   for (int i = 0; i < n; i++) {
      const char *s = line_at(lines, lens, i, &k);
      if (k == 0 || s[0] == '#')
         continue;
      *first = i;
      if ((s[0] == '{' && s[k - 1] == '}') || (s[0] == '[' && s[k - 1] == ']')) /* an object, or a bare vector */
         return DS_FORMAT_JSON;
      if (all_pairs(s, k))
         return DS_FORMAT_PLOTTER;
      /* a header before numbers: "temp" over 31.98, 32.01 */
      int h = one_column_header(lines, lens, n, i);
      if (h == 0)
         h = delimited_header(lines, lens, n, i);
      if (h != 0)
         return h > 0 || final ? DS_FORMAT_CSV : DS_FORMAT_AUTO; /* a header alone waits for a record */
      if (all_numeric(s, k))
         return DS_FORMAT_NUMERIC;
   }
   *first = 0;
   return DS_FORMAT_AUTO;
}

DsFormat ds_detect_format(const char *const *lines, const size_t *lens, int n, bool final) {
   int first;
   return ds_detect_format_at(lines, lens, n, final, &first);
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

static DsFormat detect_held(const Ingest *in, bool final, int *first) {
   return ds_detect_format_at((const char *const *)in->held, in->held_len, in->nheld, final, first);
}

/* Start the parser for format f (DS_FORMAT_AUTO: none was recognised) and
 * hand it the held lines from the first that showed the format, each with
 * its log prefix's facts; the lines before it (a boot banner) are noise,
 * but for comments, which the parser counts. */
static void decide(Ingest *in, DsFormat f, int first) {
   if (f != DS_FORMAT_AUTO)
      start_parser(in, f);
   for (int i = 0; i < in->nheld; i++) {
      in->line_ms = in->held_ms[i];
      in->line_log = in->held_log[i];
      in->line_no = in->held_no[i];
      if (f == DS_FORMAT_AUTO)
         Ingest_bad(in, in->held_no[i], "format not recognised (not CSV, JSON, numbers, Edge Impulse or name:value)");
      else if (i < first && in->held[i][strspn(in->held[i], " \t")] != '#')
         Ingest_noise(in);
      else
         deliver(in, in->held[i], in->held_len[i], in->held_no[i]);
      free(in->held[i]);
   }
   in->nheld = 0;
   in->line_ms = NAN;
   in->line_log = false;
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

/* --- firmware log prefixes ------------------------------------------------ */

/* Digits at s[*i..n): their value, advancing *i; -1 when there are none. */
static double digits(const char *s, size_t n, size_t *i) {
   double v = 0;
   size_t start = *i;
   while (*i < n && isdigit((unsigned char)s[*i]) && *i - start < 15)
      v = v * 10 + (s[(*i)++] - '0');
   return *i > start ? v : -1;
}

/* "hh:mm:ss.mmm" at s[*i..n) as ms, advancing *i; -1 when it is not there.
 * Zephyr follows it with ",uuu" (microseconds). */
static double clock_ms(const char *s, size_t n, size_t *i) {
   double h = digits(s, n, i);
   if (h < 0 || *i >= n || s[*i] != ':')
      return -1;
   ++*i;
   double m = digits(s, n, i);
   if (m < 0 || *i >= n || s[*i] != ':')
      return -1;
   ++*i;
   double sec = digits(s, n, i);
   if (sec < 0 || *i >= n || s[*i] != '.')
      return -1;
   ++*i;
   double ms = digits(s, n, i);
   if (ms < 0)
      return -1;
   double t = ((h * 60 + m) * 60 + sec) * 1000 + ms;
   if (*i < n && s[*i] == ',') {
      ++*i;
      double us = digits(s, n, i);
      if (us < 0)
         return -1;
      t += us / 1000;
   }
   return t;
}

/* A tag and its colon at s[i..n) (no spaces, at most 32 characters), then
 * one optional space: the payload's start, or 0 when it is not there. */
static size_t after_tag(const char *s, size_t n, size_t i) {
   size_t start = i;
   while (i < n && s[i] != ':' && s[i] != ' ' && i - start <= 32)
      i++;
   if (i == start || i >= n || s[i] != ':')
      return 0;
   i++;
   return i < n && s[i] == ' ' ? i + 1 : i;
}

/* ESP-IDF: "I (25907) tag: " or "I (12:34:56.789) tag: ". */
static size_t esp_idf_prefix(const char *s, size_t n, double *ms) {
   if (n < 8 || !strchr("EWIDV", s[0]) || s[1] != ' ' || s[2] != '(')
      return 0;
   size_t i = 3;
   double t = digits(s, n, &i);
   if (i < n && s[i] == ':') {
      i = 3;
      t = clock_ms(s, n, &i);
   }
   if (t < 0 || i + 1 >= n || s[i] != ')' || s[i + 1] != ' ')
      return 0;
   size_t k = after_tag(s, n, i + 2);
   if (k)
      *ms = t;
   return k;
}

/* Zephyr: "[00:00:01.234,567] <inf> mod: " or "[00012345] <inf> mod: "
 * (a tick count, no time). */
static size_t zephyr_prefix(const char *s, size_t n, double *ms) {
   if (n < 10 || s[0] != '[')
      return 0;
   size_t i = 1;
   double t = clock_ms(s, n, &i);
   if (t < 0) {
      i = 1;
      if (digits(s, n, &i) < 0)
         return 0;
   }
   if (i + 2 >= n || s[i] != ']' || s[i + 1] != ' ' || s[i + 2] != '<')
      return 0;
   i += 3;
   while (i < n && isalpha((unsigned char)s[i]))
      i++;
   if (i + 1 >= n || s[i] != '>' || s[i + 1] != ' ')
      return 0;
   size_t k = after_tag(s, n, i + 2);
   if (k)
      *ms = t; /* -1 for ticks: no time */
   return k;
}

size_t ds_log_prefix(const char *s, size_t n, double *ms) {
   double t = -1;
   size_t k = s[0] == '[' ? zephyr_prefix(s, n, &t) : esp_idf_prefix(s, n, &t);
   *ms = k && t >= 0 ? t : NAN;
   return k;
}

/* Hold line s for format detection (with its prefix's facts). */
static void hold(Ingest *in, const char *s, size_t n, long lineno) {
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
   in->held_ms[in->nheld] = in->line_ms;
   in->held_log[in->nheld] = in->line_log;
   /* Look at DS_DETECT_LINES lines at least; hold more while none of them
    * says what the format is, so a board's boot banner is not bad lines. */
   if (++in->nheld >= DS_DETECT_LINES) {
      int first;
      DsFormat f = detect_held(in, in->nheld == DS_DETECT_MAX_LINES, &first);
      if (f != DS_FORMAT_AUTO || in->nheld == DS_DETECT_MAX_LINES)
         decide(in, f, first);
   }
}

/* A line that cannot be read (binary, invalid UTF-8, too long). */
static void unreadable(Ingest *in, const char *s, size_t n, long lineno, LineStatus st) {
   if (lineno == 1 && n >= 2 && ((s[0] == '\xff' && s[1] == '\xfe') || (s[0] == '\xfe' && s[1] == '\xff')))
      in->utf16 = true;
   const char *why = in->utf16 ? "UTF-16 text: save the file as UTF-8" : status_reason(st);
   Ingest_bad(in, lineno, "%s", why);
   if (in->parser && in->parser->lost && !in->failed) {
      char what[DS_REASON_MAX];
      snprintf(what, sizeof what, "could not be read (%s)", why);
      in->parser->lost(in->pstate, in, lineno, what);
   }
}

static void on_line(void *ctx, const char *s, size_t n, long lineno, LineStatus st) {
   Ingest *in = ctx;
   in->lines++;
   in->line_ms = NAN;
   in->line_log = false;
   in->line_no = lineno;
   if (st != LINE_OK) {
      unreadable(in, s, n, lineno, st);
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
   size_t prefix = ds_log_prefix(s, n, &in->line_ms);
   if (prefix) {
      in->line_log = true;
      in->log_lines++;
      s += prefix;
      n -= prefix;
   }
   if (in->parser) {
      deliver(in, s, n, lineno);
      return;
   }
   if (in->forced != DS_FORMAT_AUTO) {
      start_parser(in, in->forced);
      if (in->parser)
         deliver(in, s, n, lineno);
      return;
   }
   hold(in, s, n, lineno);
}

void Ingest_feed(Ingest *in, const char *bytes, size_t n) {
   LineSplitter_feed(&in->ls, bytes, n, on_line, in);
}

void Ingest_break(Ingest *in, const char *why) {
   long lineno = LineSplitter_drop(&in->ls);
   in->line_log = false;
   if (lineno) {
      in->lines++;
      Ingest_bad(in, lineno, "line cut off by %s", why);
   }
   if (in->parser && in->parser->lost && !in->failed) {
      char what[DS_REASON_MAX];
      snprintf(what, sizeof what, lineno ? "cut off by %s" : "%s", why);
      in->parser->lost(in->pstate, in, lineno, what);
   }
}

void Ingest_finish(Ingest *in) {
   LineSplitter_finish(&in->ls, on_line, in);
   in->line_log = false;
   if (!in->parser && in->nheld) {
      int first;
      DsFormat f = detect_held(in, true, &first);
      decide(in, f, first);
   }
   if (in->parser && in->parser->finish && !in->failed)
      in->parser->finish(in->pstate, in);
}
