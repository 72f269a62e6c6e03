// SPDX-License-Identifier: MIT
/* Option values shared by the subcommands: parsing, and the comparison
 * options that `report`, `check` and the dashboard all take. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "io/filesource.h"

bool cli_parse_size(const char *s, size_t min, size_t *out) {
   char *end;
   errno = 0;
   unsigned long long v = strtoull(s, &end, 10);
   if (errno || end == s || *end || s[0] == '-' || v < min)
      return false;
   *out = (size_t)v;
   return true;
}

bool cli_parse_real(const char *s, double *out) {
   char *end;
   errno = 0;
   double v = strtod(s, &end);
   if (errno || end == s || *end || !isfinite(v))
      return false;
   *out = v;
   return true;
}

bool cli_bad_value(const char *opt, const char *val, const char *want) {
   fprintf(stderr, "driftscope: --%s '%s': expected %s\n", opt, val, want);
   return false;
}

/* "ks, wasserstein, ... or psi": every drift test's name. */
static const char *method_names(void) {
   static char names[512];
   if (!names[0]) {
      size_t at = 0;
      for (int i = 0; i < DRIFT_METHOD_COUNT; i++)
         at += (size_t)snprintf(names + at, sizeof names - at, "%s%s",
                                i == 0                        ? ""
                                : i == DRIFT_METHOD_COUNT - 1 ? " or "
                                                              : ", ",
                                ds_drift_methods[i].name);
   }
   return names;
}

/* --stattest or --threshold: one value for every column, or COL=VALUE[,COL=VALUE...]
 * for those columns. */
static bool drift_choice(AnalysisOptions *o, bool method, const char *arg) {
   const char *opt = method ? "stattest" : "threshold";
   char want[600];
   snprintf(want, sizeof want, "%s, or COL=%s[,COL=...]", method ? method_names() : "a number", method ? "NAME" : "X");
   if (!strchr(arg, '=')) {
      if (method)
         return (o->drift.method = ds_drift_method_parse(arg)) != DRIFT_AUTO || cli_bad_value(opt, arg, want);
      return cli_parse_real(arg, &o->drift.threshold) || cli_bad_value(opt, arg, want);
   }
   for (const char *p = arg; *p;) {
      char item[DS_NAME_MAX + 64];
      size_t n = strcspn(p, ",");
      if (n == 0 || n >= sizeof item)
         return cli_bad_value(opt, arg, want);
      memcpy(item, p, n);
      item[n] = '\0';
      p += n + (p[n] == ',');
      char *eq = strchr(item, '=');
      if (!eq || eq == item || eq - item >= DS_NAME_MAX)
         return cli_bad_value(opt, arg, want);
      *eq = '\0';
      DriftMethodId m = DRIFT_AUTO;
      double t = NAN;
      if (method ? (m = ds_drift_method_parse(eq + 1)) == DRIFT_AUTO : !cli_parse_real(eq + 1, &t))
         return cli_bad_value(opt, arg, want);
      if (!AnalysisOptions_set_column(o, item, m, t))
         return cli_bad_value(opt, arg, "at most 64 columns with their own choice");
   }
   return true;
}

int cli_analysis_option(AnalysisOptions *o, DsFormat *format, DsFormat *ref_format, int c, const char *arg) {
   int f;
   switch (c) {
   case 'w': return cli_parse_size(arg, 1, &o->window) || cli_bad_value("window", arg, "a number of records >= 1");
   case 's': return cli_parse_size(arg, 1, &o->stride) || cli_bad_value("stride", arg, "a number of records >= 1");
   case 't': return drift_choice(o, false, arg);
   case 'D':
      return (cli_parse_real(arg, &o->drift_share) && o->drift_share >= 0 && o->drift_share <= 1) ||
             cli_bad_value("drift-share", arg, "a number between 0 and 1");
   case 'T': return drift_choice(o, true, arg);
   case 1040: /* --adwin COL[,COL...] */
      for (const char *p = arg; *p;) {
         size_t n = strcspn(p, ",");
         if (n == 0 || n >= DS_NAME_MAX || o->nadwin == DS_ADWIN_COLUMNS)
            return cli_bad_value("adwin", arg, "column names, comma-separated, at most 8");
         memcpy(o->adwin[o->nadwin], p, n);
         o->adwin[o->nadwin++][n] = '\0';
         p += n + (p[n] == ',');
      }
      return o->nadwin > 0 || cli_bad_value("adwin", arg, "column names, comma-separated, at most 8");
   case 'f':
   case 'F':
      if ((f = ds_format_parse(arg)) < 0)
         return cli_bad_value(c == 'f' ? "format" : "reference-format", arg, "auto, csv, numeric, ei, plotter or json");
      *(c == 'f' ? format : ref_format) = (DsFormat)f;
      return true;
   }
   return -1;
}

int cli_assess_option(AssessLimits *l, int c, const char *arg) {
   switch (c) {
   case 1031: l->allow_missing = true; return 1;
   case 1032: {
      char num[64];
      size_t n = strlen(arg);
      bool percent = n && arg[n - 1] == '%';
      if (n >= sizeof num)
         return cli_bad_value("max-bad-lines", arg, "a share such as 0.05 or 5%");
      memcpy(num, arg, n + 1);
      if (percent)
         num[n - 1] = '\0';
      double v;
      if (!cli_parse_real(num, &v) || v < 0 || (percent ? v > 100 : v > 1))
         return cli_bad_value("max-bad-lines", arg, "a share such as 0.05 or 5%");
      l->max_bad_share = percent ? v / 100 : v;
      return 1;
   }
   }
   return -1;
}

int cli_serial_option(SerialConfig *s, int c, const char *arg) {
   size_t n;
   switch (c) {
   case 1001:
      return (cli_parse_size(arg, 50, &n) && n <= 4000000 && (s->baud = (int)n)) ||
             cli_bad_value("baud", arg, "a baud rate such as 115200");
   case 1002: return ds_parse_parity(arg, &s->parity) || cli_bad_value("parity", arg, "none, odd or even");
   case 1003:
      return (cli_parse_size(arg, 1, &n) && n <= 2 && (s->stop_bits = (int)n)) ||
             cli_bad_value("stop-bits", arg, "1 or 2");
   case 1004: return ds_parse_flow(arg, &s->flow) || cli_bad_value("flow", arg, "none, xonxoff or rtscts");
   }
   return -1;
}

void cli_print_error(const DsError *e) {
   char msg[600];
   DsError_format(e, msg, sizeof msg);
   fprintf(stderr, "driftscope: %s\n", msg);
}

/* Split text at commas into list (at most max names, each trimmed and
 * shorter than DS_NAME_MAX); the count, or -1 with a message. */
static int split_list(char *text, const char **list, int max, const char *opt) {
   int n = 0;
   for (char *p = text, *comma; p; p = comma ? comma + 1 : NULL) {
      comma = strchr(p, ',');
      if (comma)
         *comma = '\0';
      while (*p == ' ')
         p++;
      size_t len = strlen(p);
      while (len && p[len - 1] == ' ')
         p[--len] = '\0';
      if (!len || len >= DS_NAME_MAX || n == max) {
         fprintf(stderr, "driftscope: --%s: %s\n", opt,
                 !len       ? "an empty name"
                 : n == max ? "too many names"
                            : "a name longer than 63 characters");
         return -1;
      }
      list[n++] = p;
   }
   return n;
}

int cli_read_option(ReadOptions *o, int c, const char *arg) {
   char **text = c == 1021 ? &o->names_text : c == 1022 ? &o->classes_text : NULL;
   if (!text)
      return -1;
   free(*text);
   *text = strdup(arg);
   if (!*text)
      return cli_bad_value(c == 1021 ? "names" : "classes", arg, "a list (out of memory)");
   if (c == 1021)
      return (o->nnames = split_list(*text, o->names, DS_MAX_COLUMNS, "names")) > 0;
   return (o->nclasses = split_list(*text, o->classes, DS_MAX_CLASSES, "classes")) > 0;
}

void cli_read_done(ReadOptions *o) {
   free(o->names_text);
   free(o->classes_text);
   o->names_text = o->classes_text = NULL;
}

void cli_read_apply(ReadOptions *o, Ingest *in, const Table *ref) {
   if (!o)
      return;
   in->class_names = o->classes;
   in->nclass_names = o->nclasses;
   if (o->nnames) {
      in->names = o->names;
      in->nnames = o->nnames;
      in->names_given = true;
      return;
   }
   if (!ref)
      return;
   o->nref_names = 0;
   bool headerless = true; /* a headerless reference's f0, f1... match by name already */
   for (int i = 0; i < ref->ncols; i++)
      if (ref->cols[i]->role == ROLE_FEATURE) {
         char f[16];
         snprintf(f, sizeof f, "f%d", o->nref_names);
         headerless &= !strcmp(ref->cols[i]->name, f);
         o->ref_names[o->nref_names++] = ref->cols[i]->name;
      }
   if (headerless)
      return;
   in->names = o->ref_names;
   in->nnames = o->nref_names;
}

bool cli_load(const char *path, Ingest *in, Table *t, DsFormat format, ReadOptions *ro, const Table *ref) {
   DsError e;
   memset(in, 0, sizeof *in);
   if (!Ingest_init(in, t, format, path)) {
      fprintf(stderr, "driftscope: out of memory\n");
      return false;
   }
   cli_read_apply(ro, in, ref);
   if (!ds_ingest_file(path, in, &e)) {
      cli_print_error(&e);
      return false;
   }
   return true;
}

/* "LO-HI" in Hz, 0 <= LO < HI. */
static bool parse_band(const char *arg, double *lo, double *hi) {
   const char *dash = strchr(arg, '-');
   if (!dash || dash == arg || (size_t)(dash - arg) >= 64)
      return false;
   char first[64];
   memcpy(first, arg, (size_t)(dash - arg));
   first[dash - arg] = '\0';
   return cli_parse_real(first, lo) && cli_parse_real(dash + 1, hi) && *lo >= 0 && *hi > *lo;
}

int cli_spectrum_option(SpectrumOptions *o, int c, const char *arg) {
   switch (c) {
   case 1011:
      return (cli_parse_real(arg, &o->rate_hz) && o->rate_hz > 0) || cli_bad_value("rate", arg, "a rate in Hz > 0");
   case 1012:
      return parse_band(arg, &o->band_lo, &o->band_hi) ||
             cli_bad_value("band", arg, "LO-HI in Hz with 0 <= LO < HI, such as 0-25");
   }
   return -1;
}

const char *cli_board_name(const char *given, const char *source) {
   if (given)
      return given;
   if (!source || !strcmp(source, "-"))
      return "stdin";
   if (!strncmp(source, "paced:", 6))
      source += 6;
   if (!strncmp(source, "/dev/", 5))
      return source + 5;
   const char *slash = strrchr(source, '/');
   return slash ? slash + 1 : source;
}

bool cli_split_board(const char *arg, char *name, size_t n, const char **port) {
   const char *eq = strchr(arg, '=');
   if (!eq || eq == arg || !eq[1] || (size_t)(eq - arg) >= n)
      return false;
   snprintf(name, n, "%.*s", (int)(eq - arg), arg);
   *port = eq + 1;
   return true;
}

void cli_split_reference(const char *arg, char *name, size_t n, const char **file) {
   const char *eq = strchr(arg, '=');
   name[0] = '\0';
   *file = arg;
   if (!eq || eq == arg || access(arg, F_OK) == 0 || (size_t)(eq - arg) >= n)
      return;
   snprintf(name, n, "%.*s", (int)(eq - arg), arg);
   *file = eq + 1;
}
