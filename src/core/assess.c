// SPDX-License-Identifier: MIT
#include "driftscope/assess.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void AssessLimits_default(AssessLimits *l) {
   l->max_bad_share = 0.05;
   l->allow_missing = false;
}

const char *ds_assess_status_name(AssessStatus s) {
   static const char *const names[] = {"pass", "drift", "fail", "error"};
   return names[s];
}

const char *ds_problem_name(ProblemKind k) {
   static const char *const names[] = {"no_records", "nothing_compared", "missing_features", "bad_lines",
                                       "unreadable_column"};
   return names[k];
}

/* Append to text[0..DS_ASSESS_TEXT): printf-style, cut with "..." when full. */
static void add(char *text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(char *text, const char *fmt, ...) {
   size_t len = strlen(text);
   if (len + 4 >= DS_ASSESS_TEXT)
      return;
   va_list ap;
   va_start(ap, fmt);
   int n = vsnprintf(text + len, DS_ASSESS_TEXT - len, fmt, ap);
   va_end(ap);
   if (n >= 0 && len + (size_t)n >= DS_ASSESS_TEXT)
      memcpy(text + DS_ASSESS_TEXT - 4, "...", 4);
}

static Problem *problem(Assessment *o, ProblemKind k, bool error) {
   if (o->nproblems == DS_PROBLEMS_MAX)
      return NULL;
   Problem *p = &o->problems[o->nproblems++];
   p->kind = k;
   p->error = error;
   p->text[0] = '\0';
   return p;
}

static char *note(Assessment *o) {
   if (o->nnotes == DS_NOTES_MAX)
      return NULL;
   char *n = o->notes[o->nnotes++];
   n[0] = '\0';
   return n;
}

static bool is_feature(const Column *c) {
   return c->role == ROLE_FEATURE && c->stored;
}

/* The feature names of t, ", "-separated, into text. */
static void list_features(char *text, const Table *t) {
   int k = 0;
   for (int i = 0; i < t->ncols; i++)
      if (is_feature(t->cols[i]))
         add(text, "%s%s", k++ ? ", " : "", t->cols[i]->name);
   if (!k)
      add(text, "none");
}

/* The column report comparing reference feature name, or NULL. */
static const ColumnReport *paired(const Analysis *a, const char *name) {
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].role == ROLE_FEATURE && a->cols[i].ref_name[0] && !strcasecmp(a->cols[i].ref_name, name))
         return &a->cols[i];
   return NULL;
}

/* Bad lines over the limit in one stream (what: "stream", "reference"):
 * returns whether there are. */
static bool bad_lines(Assessment *o, const Ingest *in, const char *what, const AssessLimits *lim) {
   long lines = in->lines - in->blank_lines;
   if (lines <= 0)
      return false;
   double share = (double)in->bad_lines / (double)lines;
   if (!strcmp(what, "stream") && (isnan(o->bad_share) || share > o->bad_share))
      o->bad_share = share;
   if (share <= lim->max_bad_share)
      return false;
   Problem *p = problem(o, PROBLEM_BAD_LINES, false);
   if (!p)
      return true;
   add(p->text, "%s %s: %ld of %ld lines (%.1f%%) could not be read, more than %.4g%%", what, in->source, in->bad_lines,
       lines, 100 * share, 100 * lim->max_bad_share);
   if (in->nfirst_bad)
      add(p->text, " (line %ld: %s)", in->first_bad[0].lineno, in->first_bad[0].reason);
   return true;
}

/* Columns of the stream whose values are mostly not numbers: returns
 * whether there are. */
static bool unreadable_columns(Assessment *o, const Table *cur) {
   bool any = false;
   for (int i = 0; i < cur->ncols; i++) {
      const Column *c = cur->cols[i];
      if (cur->nrows == 0 || (double)c->n_bad <= 0.5 * (double)cur->nrows)
         continue;
      any = true;
      Problem *p = problem(o, PROBLEM_UNREADABLE_COLUMN, false);
      if (p)
         add(p->text, "column %s: %zu of %zu values could not be read (%s expected)", c->name, c->n_bad, cur->nrows,
             c->kind == KIND_NUMERIC ? "numbers" : "known class ids");
   }
   return any;
}

/* Why no feature could be compared. */
static void nothing_compared(Assessment *o, const Analysis *a, const Table *ref, const Table *cur, const Ingest *in) {
   Problem *p = problem(o, PROBLEM_NOTHING_COMPARED, true);
   if (!p)
      return;
   add(p->text, "no feature compared: ");
   int nref = 0, ncur = 0, pairs = 0;
   for (int i = 0; i < ref->ncols; i++)
      nref += is_feature(ref->cols[i]);
   for (int i = 0; i < cur->ncols; i++)
      ncur += is_feature(cur->cols[i]);
   for (int i = 0; i < a->ncols; i++)
      pairs += a->cols[i].role == ROLE_FEATURE && a->cols[i].ref_index >= 0;
   if (nref == 0) {
      add(p->text, "the reference has no feature columns");
   } else if (in && in->by_position < 0) {
      add(p->text, "the stream has no header and its %d columns are not matched to the reference's %d features (", ncur,
          nref);
      list_features(p->text, ref);
      add(p->text, ") by position, as their numbers differ; name them with --names");
   } else if (pairs == 0) {
      add(p->text, "no column of the stream is in the reference (stream: ");
      list_features(p->text, cur);
      add(p->text, "; reference: ");
      list_features(p->text, ref);
      add(p->text, ")");
   } else {
      int k = 0;
      for (int i = 0; i < a->ncols; i++) {
         const ColumnReport *c = &a->cols[i];
         const char *why = ColumnReport_why_not(c);
         if (c->role == ROLE_FEATURE && c->ref_index >= 0 && why)
            add(p->text, "%s%s: %s", k++ ? "; " : "", c->name, why);
      }
   }
}

/* Reference features the stream lacks or cannot compare. */
static void missing_features(Assessment *o, const Analysis *a, const Table *ref, const AssessLimits *lim) {
   char absent[DS_ASSESS_TEXT] = "", uncompared[DS_ASSESS_TEXT] = "";
   int nabsent = 0, nun = 0;
   for (int i = 0; i < ref->ncols; i++) {
      const Column *rc = ref->cols[i];
      if (!is_feature(rc))
         continue;
      const ColumnReport *c = paired(a, rc->name);
      const char *why = c ? ColumnReport_why_not(c) : NULL;
      if (c && !why)
         continue;
      o->missing[o->nmissing++] = rc->name;
      if (!c)
         add(absent, "%s%s", nabsent++ ? ", " : "", rc->name);
      else
         add(uncompared, "%s%s (%s)", nun++ ? "; " : "", rc->name, why);
   }
   if (!o->nmissing)
      return;
   char text[DS_ASSESS_TEXT] = "";
   if (nabsent)
      add(text, "missing in stream: %s", absent);
   if (nun)
      add(text, "%snot compared: %s", nabsent ? "; " : "", uncompared);
   if (lim->allow_missing) {
      char *n = note(o);
      if (n)
         add(n, "%s (allowed by --allow-missing)", text);
      return;
   }
   Problem *p = problem(o, PROBLEM_MISSING_FEATURES, false);
   if (p)
      add(p->text, "%s", text);
}

/* Facts a reader needs to read the report right. */
static void notes(Assessment *o, const Analysis *a, const Table *cur, const Ingest *const *in, int n) {
   for (int s = 0; s < n; s++) {
      const Ingest *x = in[s];
      if (x->by_position > 0) {
         char *t = note(o);
         int k = 0;
         if (t)
            add(t, "%s has no header: its columns are the reference's features, matched by position (", x->source);
         for (int i = 0; t && i < x->nnames && i < cur->ncols; i++)
            add(t, "%sf%d→%s", k++ ? ", " : "", i, x->names[i]);
         if (t)
            add(t, ")");
      }
      if (x->decimal_commas) {
         char *t = note(o);
         if (t)
            add(t, "%s: %ld numbers written with a decimal comma (31,98) were read as 31.98", x->source,
                x->decimal_commas);
      }
      if (x->log_lines) {
         char *t = note(o);
         if (t)
            add(t, "%s: %ld lines had a firmware log prefix (ESP-IDF, Zephyr), stripped; their time is time_ms",
                x->source, x->log_lines);
      }
   }
   for (int i = 0; i < a->ncols; i++)
      if (a->cols[i].role == ROLE_TRUTH) {
         char *t = note(o);
         if (t)
            add(t,
                "the stream has ground truth (%s) but no prediction: its label mix is compared with the "
                "reference's (target drift)",
                a->cols[i].name);
      }
}

/* Whether the stream has features at all (an Edge Impulse log has only
 * the model's outputs). */
static bool has_features(const Table *cur) {
   for (int i = 0; i < cur->ncols; i++)
      if (is_feature(cur->cols[i]))
         return true;
   return false;
}

static bool is_output(const ColumnReport *c) {
   return (c->role == ROLE_PRED || c->role == ROLE_TRUTH) && c->ref_index >= 0;
}

/* The prediction (or target) compared with a verdict, or NULL. */
static const ColumnReport *output_compared(const Analysis *a) {
   for (int i = 0; i < a->ncols; i++)
      if (is_output(&a->cols[i]) && !ColumnReport_why_not(&a->cols[i]))
         return &a->cols[i];
   return NULL;
}

/* Drift of a stream of model outputs only: the prediction's (or the
 * target's) in the compared records or in any window. */
static bool output_drift(const Analysis *a) {
   for (int i = 0; i < a->ncols; i++) {
      if (!is_output(&a->cols[i]))
         continue;
      if (a->cols[i].drift.scored && a->cols[i].drift.drifted)
         return true;
      for (size_t k = 0; a->window && k < a->nwindows; k++)
         if (Analysis_win(a, k)->cols && Analysis_win(a, k)->cols[i].drifted)
            return true;
   }
   return false;
}

void ds_assess(Assessment *o, const Analysis *a, const Table *ref, const Ingest *ref_in, const Ingest *const *in, int n,
               const AssessLimits *lim) {
   memset(o, 0, sizeof *o);
   o->bad_share = NAN;
   const Table *cur = n ? in[0]->table : NULL;
   size_t rows = cur ? cur->nrows : 0;
   if (rows == 0) {
      Problem *p = problem(o, PROBLEM_NO_RECORDS, true);
      for (int s = 0; p && s < n; s++)
         add(p->text, "%sno records in %s (%ld line%s read)", s ? "; " : "", in[s]->source, in[s]->lines,
             in[s]->lines == 1 ? "" : "s");
      if (p && !n)
         add(p->text, "no records");
   }
   bool quality_failed = false;
   for (int s = 0; s < n; s++)
      quality_failed |= bad_lines(o, in[s], "stream", lim);
   if (ref_in)
      quality_failed |= bad_lines(o, ref_in, "reference", lim);
   if (cur)
      quality_failed |= unreadable_columns(o, cur);
   bool outputs_only = false;
   if (rows && cur) {
      const ColumnReport *out = output_compared(a);
      outputs_only = a->features == 0 && out && !has_features(cur);
      if (outputs_only) {
         char *t = note(o);
         if (t)
            add(t,
                "the stream has no features, only the model's outputs: dataset drift is not measured, and "
                "the verdict is the %s's drift",
                out->role == ROLE_PRED ? "prediction" : "target");
      } else if (a->features == 0) {
         nothing_compared(o, a, ref, cur, n ? in[0] : NULL);
      } else {
         missing_features(o, a, ref, lim);
      }
      notes(o, a, cur, in, n);
   }
   bool error = false, failed = false;
   for (int i = 0; i < o->nproblems; i++) {
      error |= o->problems[i].error;
      failed |= !o->problems[i].error;
   }
   o->judged = !error && !quality_failed;
   bool drift = outputs_only ? output_drift(a) : a->dataset_drift || (a->window && a->windows_drifted > 0);
   o->status = error ? ASSESS_ERROR : failed ? ASSESS_FAIL : drift ? ASSESS_DRIFT : ASSESS_PASS;
}
