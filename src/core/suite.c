// SPDX-License-Identifier: MIT
/* Test suites: conditions on the JSON report's figures (suite.h). */
#include "driftscope/suite.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

static const char *const op_names[COND_OP_COUNT] = {"eq", "not_eq", "gt", "gte", "lt", "lte", "is_in", "not_in"};
static const char *const op_signs[COND_OP_COUNT] = {"=", "≠", ">", "≥", "<", "≤", "in", "not in"};

const char *ds_cond_op_name(CondOp op) {
   return op_names[op];
}

const char *ds_test_status_name(TestStatus s) {
   return s == TEST_PASS ? "pass" : s == TEST_FAIL ? "fail" : "error";
}

void Suite_init(Suite *s) {
   memset(s, 0, sizeof *s);
}

void Suite_done(Suite *s) {
   free(s->tests);
   free(s->columns);
   memset(s, 0, sizeof *s);
}

static SuiteTest *add_test(Suite *s) {
   if (s->n == s->cap) {
      int cap = s->cap ? s->cap * 2 : 32;
      SuiteTest *t = realloc(s->tests, (size_t)cap * sizeof *t);
      if (!t)
         return NULL;
      s->tests = t;
      s->cap = cap;
   }
   SuiteTest *t = &s->tests[s->n++];
   memset(t, 0, sizeof *t);
   return t;
}

/* ---- reading a suite file ---- */

static bool fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b) {
   snprintf(err, errlen, fmt, a, b);
   return false;
}

static yajl_val member(yajl_val obj, const char *k) {
   if (!YAJL_IS_OBJECT(obj))
      return NULL;
   for (size_t i = 0; i < obj->u.object.len; i++)
      if (strcmp(obj->u.object.keys[i], k) == 0)
         return obj->u.object.values[i];
   return NULL;
}

/* A scalar (or an approx object) into o. */
static bool operand(yajl_val v, Operand *o, const char *test, char *err, size_t errlen) {
   memset(o, 0, sizeof *o);
   if (YAJL_IS_NUMBER(v)) {
      o->kind = OPERAND_NUMBER;
      o->number = YAJL_GET_DOUBLE(v);
      return true;
   }
   if (YAJL_IS_STRING(v)) {
      o->kind = OPERAND_STRING;
      snprintf(o->string, sizeof o->string, "%s", YAJL_GET_STRING(v));
      return true;
   }
   if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
      o->kind = OPERAND_BOOL;
      o->boolean = YAJL_IS_TRUE(v);
      return true;
   }
   if (YAJL_IS_OBJECT(v)) {
      yajl_val ref = member(v, "reference"), val = member(v, "value"), rel = member(v, "relative"),
               abs_ = member(v, "absolute");
      for (size_t i = 0; i < v->u.object.len; i++) {
         const char *k = v->u.object.keys[i];
         if (strcmp(k, "reference") && strcmp(k, "value") && strcmp(k, "relative") && strcmp(k, "absolute"))
            return fail(err, errlen,
                        "test \"%s\": unknown key \"%s\" in a value (reference, value, relative, absolute)", test, k);
      }
      if ((ref != NULL) == (val != NULL) || (ref && !YAJL_IS_TRUE(ref)) || (val && !YAJL_IS_NUMBER(val)))
         return fail(err, errlen, "test \"%s\": a value object needs \"reference\": true or a number \"value\"%s", test,
                     "");
      if ((rel && (!YAJL_IS_NUMBER(rel) || YAJL_GET_DOUBLE(rel) < 0)) ||
          (abs_ && (!YAJL_IS_NUMBER(abs_) || YAJL_GET_DOUBLE(abs_) < 0)))
         return fail(err, errlen, "test \"%s\": \"relative\" and \"absolute\" are numbers >= 0%s", test, "");
      o->kind = ref ? OPERAND_REFERENCE : OPERAND_NUMBER;
      o->number = val ? YAJL_GET_DOUBLE(val) : NAN;
      /* Evidently's approx: relative 1e-6, absolute 1e-12 unless given */
      o->relative = rel ? YAJL_GET_DOUBLE(rel) : 1e-6;
      o->absolute = abs_ ? YAJL_GET_DOUBLE(abs_) : 1e-12;
      return true;
   }
   return fail(err, errlen, "test \"%s\": a condition compares with a number, a string, a boolean or %s", test,
               "{\"reference\": true, \"relative\": r}");
}

static bool parse_test(Suite *s, yajl_val t, int index, char *err, size_t errlen) {
   char label[48];
   snprintf(label, sizeof label, "#%d", index + 1);
   if (!YAJL_IS_OBJECT(t))
      return fail(err, errlen, "test %s: each test is an object {\"figure\": ..., \"lte\": ...}%s", label, "");
   yajl_val name = member(t, "name"), figure = member(t, "figure");
   const char *who = YAJL_IS_STRING(name) ? YAJL_GET_STRING(name) : label;
   if (!YAJL_IS_STRING(figure) || !YAJL_GET_STRING(figure)[0])
      return fail(err, errlen, "test \"%s\": no \"figure\" (a path into the JSON report, such as %s)", who,
                  "columns.*.quality.missing_share");
   SuiteTest *st = add_test(s);
   if (!st)
      return fail(err, errlen, "out of memory%s%s", "", "");
   snprintf(st->group, sizeof st->group, "file");
   snprintf(st->figure, sizeof st->figure, "%s", YAJL_GET_STRING(figure));
   if (YAJL_IS_STRING(name))
      snprintf(st->name, sizeof st->name, "%s", YAJL_GET_STRING(name));
   for (size_t i = 0; i < t->u.object.len; i++) {
      const char *k = t->u.object.keys[i];
      yajl_val v = t->u.object.values[i];
      if (!strcmp(k, "name") || !strcmp(k, "figure"))
         continue;
      int op = -1;
      for (int o = 0; o < COND_OP_COUNT; o++)
         if (!strcmp(k, op_names[o]))
            op = o;
      if (op < 0)
         return fail(err, errlen,
                     "test \"%s\": unknown key \"%s\" (name, figure, eq, not_eq, gt, gte, lt, lte, is_in, not_in)", who,
                     k);
      if (st->ncond == DS_SUITE_CONDITIONS)
         return fail(err, errlen, "test \"%s\": more than 4 conditions%s", who, "");
      Condition *c = &st->cond[st->ncond++];
      c->op = (CondOp)op;
      bool list = op == COND_IS_IN || op == COND_NOT_IN;
      if (list != YAJL_IS_ARRAY(v))
         return fail(err, errlen,
                     list ? "test \"%s\": \"%s\" takes a list of values" : "test \"%s\": \"%s\" takes one value", who,
                     k);
      if (list) {
         if (v->u.array.len == 0 || v->u.array.len > DS_SUITE_LIST)
            return fail(err, errlen, "test \"%s\": \"%s\" takes 1 to 16 values", who, k);
         for (size_t j = 0; j < v->u.array.len; j++) {
            if (!operand(v->u.array.values[j], &c->list[c->n], who, err, errlen))
               return false;
            if (c->list[c->n++].kind == OPERAND_REFERENCE)
               return fail(err, errlen, "test \"%s\": \"%s\" lists values, not the reference%s", who, k);
         }
      } else {
         if (!operand(v, &c->list[0], who, err, errlen))
            return false;
         c->n = 1;
         if (op >= COND_GT && op <= COND_LTE && c->list[0].kind != OPERAND_NUMBER &&
             c->list[0].kind != OPERAND_REFERENCE)
            return fail(err, errlen, "test \"%s\": \"%s\" compares numbers", who, k);
      }
   }
   if (st->ncond == 0)
      return fail(err, errlen, "test \"%s\": no condition (eq, not_eq, gt, gte, lt, lte, is_in, not_in)%s", who, "");
   return true;
}

static bool parse_columns(Suite *s, yajl_val cols, char *err, size_t errlen) {
   if (!YAJL_IS_OBJECT(cols))
      return fail(err, errlen, "\"columns\" is an object: {\"COLUMN\": {\"stattest\": NAME, \"threshold\": X}}%s%s", "",
                  "");
   s->columns = calloc(cols->u.object.len ? cols->u.object.len : 1, sizeof *s->columns);
   if (!s->columns)
      return fail(err, errlen, "out of memory%s%s", "", "");
   for (size_t i = 0; i < cols->u.object.len; i++) {
      const char *name = cols->u.object.keys[i];
      yajl_val c = cols->u.object.values[i];
      SuiteColumn *sc = &s->columns[s->ncolumns++];
      if (strlen(name) >= sizeof sc->name)
         return fail(err, errlen, "column \"%s\": the name is too long%s", name, "");
      snprintf(sc->name, sizeof sc->name, "%s", name);
      sc->method = DRIFT_AUTO;
      sc->threshold = NAN;
      if (!YAJL_IS_OBJECT(c))
         return fail(err, errlen, "column \"%s\": expected {\"stattest\": NAME, \"threshold\": X}%s", name, "");
      for (size_t j = 0; j < c->u.object.len; j++) {
         const char *k = c->u.object.keys[j];
         yajl_val v = c->u.object.values[j];
         if (!strcmp(k, "stattest")) {
            if (!YAJL_IS_STRING(v) || (sc->method = ds_drift_method_parse(YAJL_GET_STRING(v))) == DRIFT_AUTO)
               return fail(err, errlen, "column \"%s\": unknown stattest (see --stattest in --help)%s", name, "");
         } else if (!strcmp(k, "threshold")) {
            if (!YAJL_IS_NUMBER(v) || !isfinite(sc->threshold = YAJL_GET_DOUBLE(v)))
               return fail(err, errlen, "column \"%s\": \"threshold\" is a number%s", name, "");
         } else {
            return fail(err, errlen, "column \"%s\": unknown key \"%s\" (stattest, threshold)", name, k);
         }
      }
   }
   return true;
}

bool Suite_parse(Suite *s, const char *text, char *err, size_t errlen) {
   char yerr[256];
   yajl_val root = yajl_tree_parse(text, yerr, sizeof yerr);
   if (!root) {
      yerr[strcspn(yerr, "\n")] = '\0';
      return fail(err, errlen, "not JSON: %s%s", yerr, "");
   }
   bool ok = YAJL_IS_OBJECT(root) ||
             fail(err, errlen, "a suite is a JSON object with \"tests\", \"derived\" or \"columns\"%s%s", "", "");
   for (size_t i = 0; ok && i < root->u.object.len; i++) {
      const char *k = root->u.object.keys[i];
      yajl_val v = root->u.object.values[i];
      if (!strcmp(k, "tests")) {
         if (!YAJL_IS_ARRAY(v))
            ok = fail(err, errlen, "\"tests\" is a list of tests%s%s", "", "");
         for (size_t j = 0; ok && j < v->u.array.len; j++)
            ok = parse_test(s, v->u.array.values[j], (int)j, err, errlen);
      } else if (!strcmp(k, "derived")) {
         ok = YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v) || fail(err, errlen, "\"derived\" is true or false%s%s", "", "");
         s->derived = YAJL_IS_TRUE(v);
      } else if (!strcmp(k, "columns")) {
         ok = parse_columns(s, v, err, errlen);
      } else {
         ok = fail(err, errlen, "unknown key \"%s\" (tests, derived, columns)%s", k, "");
      }
   }
   if (ok && s->n == 0 && !s->derived)
      ok = fail(err, errlen, "no tests: give \"tests\", or \"derived\": true%s%s", "", "");
   yajl_tree_free(root);
   return ok;
}

bool Suite_needs_reference(const Suite *s) {
   if (s->derived)
      return true;
   for (int i = 0; i < s->n; i++)
      for (int c = 0; c < s->tests[i].ncond; c++)
         if (s->tests[i].cond[c].list[0].kind == OPERAND_REFERENCE)
            return true;
   return false;
}

bool Suite_apply(const Suite *s, AnalysisOptions *o, char *err, size_t errlen) {
   for (int i = 0; i < s->ncolumns; i++)
      if (!AnalysisOptions_set_column(o, s->columns[i].name, s->columns[i].method, s->columns[i].threshold))
         return fail(err, errlen, "more than 64 columns with their own test (at %s)%s", s->columns[i].name, "");
   return true;
}

/* ---- evaluating ---- */

/* A new result for test t, named after it (or its figure), ": key" added
 * for one key of a "*"; NULL on no memory. */
static TestResult *add_result(SuiteResults *r, const SuiteTest *t, const char *key) {
   if (r->n == r->cap) {
      int cap = r->cap ? r->cap * 2 : 64;
      TestResult *grown = realloc(r->r, (size_t)cap * sizeof *grown);
      if (!grown) {
         r->oom = true;
         return NULL;
      }
      r->r = grown;
      r->cap = cap;
   }
   TestResult *res = &r->r[r->n++];
   memset(res, 0, sizeof *res);
   snprintf(res->name, sizeof res->name, "%s%s%s", t->name[0] ? t->name : t->figure, key ? ": " : "", key ? key : "");
   snprintf(res->group, sizeof res->group, "%s", t->group);
   snprintf(res->figure, sizeof res->figure, "%s", t->figure);
   return res;
}

void SuiteResults_done(SuiteResults *r) {
   free(r->r);
   memset(r, 0, sizeof *r);
}

/* The value at a concrete path (no "*"); NULL when it is not there. An
 * array's "length" is returned through *length (the value is then NULL). */
static yajl_val lookup(yajl_val root, const char *path, double *length, bool *is_length) {
   char buf[DS_SUITE_TEXT + DS_NAME_MAX];
   snprintf(buf, sizeof buf, "%s", path);
   *is_length = false;
   yajl_val v = root;
   for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
      if (YAJL_IS_ARRAY(v)) {
         if (!strcmp(k, "length")) {
            *length = (double)v->u.array.len;
            *is_length = true;
            return strtok_r(NULL, ".", &save) ? NULL : v;
         }
         char *end;
         long i = strtol(k, &end, 10);
         if (*end || i < 0 || (size_t)i >= v->u.array.len)
            return NULL;
         v = v->u.array.values[i];
      } else {
         v = member(v, k);
      }
      if (!v)
         return NULL;
   }
   return v;
}

static void fmt_number(char *out, size_t n, double v) {
   snprintf(out, n, "%.6g", v);
}

/* Describe a value for a message. */
static void describe(char *out, size_t n, yajl_val v, bool is_length, double length) {
   if (is_length)
      fmt_number(out, n, length);
   else if (!v || YAJL_IS_NULL(v))
      snprintf(out, n, "null");
   else if (YAJL_IS_NUMBER(v))
      fmt_number(out, n, YAJL_GET_DOUBLE(v));
   else if (YAJL_IS_STRING(v))
      snprintf(out, n, "\"%s\"", YAJL_GET_STRING(v));
   else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
      snprintf(out, n, "%s", YAJL_IS_TRUE(v) ? "true" : "false");
   else
      snprintf(out, n, YAJL_IS_ARRAY(v) ? "a list" : "an object");
}

static double tolerance(const Operand *o, double centre) {
   if (o->kind != OPERAND_REFERENCE && o->relative == 0 && o->absolute == 0)
      return 0;
   return fmax(o->relative * fabs(centre), o->absolute);
}

/* Compare a number x with the operand's centre c ± tol, as Evidently's
 * ApproxValue does. */
static bool compare(CondOp op, double x, double c, double tol) {
   switch (op) {
   case COND_EQ: return x >= c - tol && x <= c + tol;
   case COND_NOT_EQ: return !(x >= c - tol && x <= c + tol);
   case COND_GT: return x > c + tol;
   case COND_GTE: return x >= c - tol;
   case COND_LT: return x < c - tol;
   case COND_LTE: return x <= c + tol;
   default: return false;
   }
}

static bool same_scalar(yajl_val v, double x, bool is_num, const Operand *o) {
   switch (o->kind) {
   case OPERAND_NUMBER: return is_num && x == o->number;
   case OPERAND_STRING: {
      const char *sv = YAJL_IS_STRING(v) ? v->u.string : NULL;
      return sv && !strcmp(sv, o->string);
   }
   case OPERAND_BOOL: return (YAJL_IS_TRUE(v) && o->boolean) || (YAJL_IS_FALSE(v) && !o->boolean);
   default: return false;
   }
}

static void operand_text(char *out, size_t n, const Operand *o) {
   if (o->kind == OPERAND_STRING)
      snprintf(out, n, "\"%s\"", o->string);
   else if (o->kind == OPERAND_BOOL)
      snprintf(out, n, "%s", o->boolean ? "true" : "false");
   else
      fmt_number(out, n, o->number);
}

/* Evaluate one concrete test; fills res. */
static void evaluate(const SuiteTest *t, const char *path, yajl_val cur, yajl_val ref, TestResult *res) {
   snprintf(res->figure, sizeof res->figure, "%s", path);
   double len = 0, rlen = 0;
   bool is_len, ris_len = false;
   yajl_val v = lookup(cur, path, &len, &is_len);
   char got[DS_SUITE_TEXT + 8];
   describe(got, sizeof got, v, is_len, len);
   if (!v || (!is_len && YAJL_IS_NULL(v))) {
      res->status = TEST_ERROR;
      snprintf(res->detail, sizeof res->detail, "%s: %s", path,
               v ? "not computed (null in the report)" : "no such figure in the report");
      return;
   }
   bool is_num = is_len || YAJL_IS_NUMBER(v);
   double x = is_len ? len : is_num ? YAJL_GET_DOUBLE(v) : NAN;
   if (!is_len && (YAJL_IS_ARRAY(v) || YAJL_IS_OBJECT(v))) {
      res->status = TEST_ERROR;
      snprintf(res->detail, sizeof res->detail, "%s is %s; conditions apply to numbers, strings, booleans and %s", path,
               got, "a list's .length");
      return;
   }
   res->status = TEST_PASS;
   size_t at = (size_t)snprintf(res->detail, sizeof res->detail, "%s = %s", path, got);
   for (int c = 0; c < t->ncond && res->status == TEST_PASS; c++) {
      const Condition *cd = &t->cond[c];
      const Operand *o = &cd->list[0];
      bool ok;
      char want[DS_SUITE_TEXT + 96];
      if (cd->op == COND_IS_IN || cd->op == COND_NOT_IN) {
         bool found = false;
         size_t w = (size_t)snprintf(want, sizeof want, "%s [", op_signs[cd->op]);
         for (int j = 0; j < cd->n; j++) {
            found |= same_scalar(v, x, is_num, &cd->list[j]);
            char one[DS_SUITE_TEXT + 4];
            operand_text(one, sizeof one, &cd->list[j]);
            if (w < sizeof want)
               w += (size_t)snprintf(want + w, sizeof want - w, "%s%s", j ? ", " : "", one);
         }
         if (w < sizeof want)
            snprintf(want + w, sizeof want - w, "]");
         ok = cd->op == COND_IS_IN ? found : !found;
      } else if (o->kind == OPERAND_NUMBER || o->kind == OPERAND_REFERENCE) {
         double centre = o->number;
         if (o->kind == OPERAND_REFERENCE) {
            yajl_val rv = ref ? lookup(ref, path, &rlen, &ris_len) : NULL;
            if (!rv || (!ris_len && !YAJL_IS_NUMBER(rv))) {
               res->status = TEST_ERROR;
               snprintf(res->detail + at, sizeof res->detail - at, "; the reference has no %s to compare with",
                        ref ? "such figure" : "report");
               return;
            }
            centre = ris_len ? rlen : YAJL_GET_DOUBLE(rv);
         }
         if (!is_num) {
            res->status = TEST_ERROR;
            snprintf(res->detail + at, sizeof res->detail - at, "; %s compares numbers", op_names[cd->op]);
            return;
         }
         double tol = tolerance(o, centre);
         ok = compare(cd->op, x, centre, tol);
         char cs[32];
         fmt_number(cs, sizeof cs, centre);
         bool as_percent = o->relative > 0 && tol == o->relative * fabs(centre); /* else the absolute floor won */
         if (o->kind == OPERAND_REFERENCE && (as_percent || centre == 0))
            snprintf(want, sizeof want, "%s the reference's %s ± %.3g%%", op_signs[cd->op], cs, o->relative * 100);
         else if (o->kind == OPERAND_REFERENCE)
            snprintf(want, sizeof want, "%s the reference's %s ± %.3g", op_signs[cd->op], cs, tol);
         else if (tol > 0)
            snprintf(want, sizeof want, "%s %s ± %.3g", op_signs[cd->op], cs, tol);
         else
            snprintf(want, sizeof want, "%s %s", op_signs[cd->op], cs);
      } else {
         ok = same_scalar(v, x, is_num, o);
         if (cd->op == COND_NOT_EQ)
            ok = !ok;
         else if (cd->op != COND_EQ)
            ok = false;
         char one[DS_SUITE_TEXT + 4];
         operand_text(one, sizeof one, o);
         snprintf(want, sizeof want, "%s %s", op_signs[cd->op], one);
      }
      if (at < sizeof res->detail)
         at += (size_t)snprintf(res->detail + at, sizeof res->detail - at, "%s expected %s", c ? ";" : ",", want);
      if (!ok)
         res->status = TEST_FAIL;
   }
}

/* Expand "*" in t's figure over the report's keys; one result per match. */
static bool run_test(const SuiteTest *t, yajl_val cur, yajl_val ref, SuiteResults *out) {
   if (t->fixed) {
      TestResult *r = add_result(out, t, NULL);
      if (!r)
         return false;
      r->status = (TestStatus)t->fixed_status;
      snprintf(r->detail, sizeof r->detail, "%s", t->fixed_detail);
      return true;
   }
   const char *star = strstr(t->figure, "*");
   if (!star) {
      TestResult *r = add_result(out, t, NULL);
      if (!r)
         return false;
      evaluate(t, t->figure, cur, ref, r);
      return true;
   }
   char prefix[DS_SUITE_TEXT];
   size_t plen = (size_t)(star - t->figure);
   snprintf(prefix, sizeof prefix, "%.*s", (int)(plen ? plen - 1 : 0), t->figure);
   double len;
   bool is_len;
   yajl_val obj = plen ? lookup(cur, prefix, &len, &is_len) : cur;
   int matched = 0;
   if (YAJL_IS_OBJECT(obj)) {
      for (size_t i = 0; i < obj->u.object.len; i++) {
         SuiteTest one = *t;
         snprintf(one.figure, sizeof one.figure, "%.*s%s%s", (int)plen, t->figure, obj->u.object.keys[i], star + 1);
         if (strchr(one.figure, '*')) { /* another "*" further on */
            if (!run_test(&one, cur, ref, out))
               return false;
            matched++;
            continue;
         }
         yajl_val v = lookup(cur, one.figure, &len, &is_len);
         if (!v || (!is_len && YAJL_IS_NULL(v)))
            continue; /* a key where the figure does not apply (a categorical column has no range) */
         TestResult *r = add_result(out, t, obj->u.object.keys[i]);
         if (!r)
            return false;
         evaluate(&one, one.figure, cur, ref, r);
         matched++;
      }
   }
   if (!matched) {
      TestResult *r = add_result(out, t, NULL);
      if (!r)
         return false;
      r->status = TEST_ERROR;
      snprintf(r->detail, sizeof r->detail, "%s: no figure in the report matches", t->figure);
   }
   return true;
}

/* ---- tests derived from the reference, as Evidently derives them ---- */

static SuiteTest *derived(Suite *s, const char *name, const char *figure, CondOp op, Operand o) {
   SuiteTest *t = add_test(s);
   if (!t)
      return NULL;
   snprintf(t->name, sizeof t->name, "%s", name);
   snprintf(t->group, sizeof t->group, "derived");
   snprintf(t->figure, sizeof t->figure, "%s", figure);
   t->cond[0].op = op;
   t->cond[0].list[0] = o;
   t->cond[0].n = 1;
   t->ncond = 1;
   return t;
}

static Operand number(double x) {
   return (Operand){.kind = OPERAND_NUMBER, .number = x};
}

static Operand reference(double relative) {
   return (Operand){.kind = OPERAND_REFERENCE, .relative = relative, .absolute = 1e-12};
}

static const char *str_member(yajl_val o, const char *k) {
   yajl_val v = member(o, k);
   return YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : NULL;
}

/* The assessment's problems, each a test that fails (or errs: nothing to
 * judge); none: one test that passes. */
static bool assessment_tests(Suite *s, yajl_val cur) {
   yajl_val problems = member(cur, "problems");
   size_t n = YAJL_IS_ARRAY(problems) ? problems->u.array.len : 0;
   for (size_t i = 0; i < n; i++) {
      yajl_val p = problems->u.array.values[i];
      SuiteTest *t = add_test(s);
      if (!t)
         return false;
      const char *kind = str_member(p, "kind"), *msg = str_member(p, "message");
      snprintf(t->name, sizeof t->name, "The data can be judged: %s", kind ? kind : "problem");
      snprintf(t->group, sizeof t->group, "assessment");
      snprintf(t->figure, sizeof t->figure, "problems.%zu", i);
      t->fixed = true;
      t->fixed_status = YAJL_IS_TRUE(member(p, "error")) ? TEST_ERROR : TEST_FAIL;
      snprintf(t->fixed_detail, sizeof t->fixed_detail, "%s", msg ? msg : "");
   }
   if (n == 0) {
      SuiteTest *t = add_test(s);
      if (!t)
         return false;
      snprintf(t->name, sizeof t->name, "The data can be judged");
      snprintf(t->group, sizeof t->group, "assessment");
      snprintf(t->figure, sizeof t->figure, "problems.length");
      t->fixed = true;
      t->fixed_status = TEST_PASS;
      snprintf(t->fixed_detail, sizeof t->fixed_detail, "no problem: every reference feature read, bad lines within %s",
               "the limit");
   }
   return true;
}

static bool derive(Suite *s, yajl_val cur, yajl_val ref) {
   yajl_val cols = member(cur, "columns");
   char name[DS_SUITE_TEXT], fig[DS_SUITE_TEXT];
   for (size_t i = 0; YAJL_IS_OBJECT(cols) && i < cols->u.object.len; i++) {
      const char *c = cols->u.object.keys[i];
      yajl_val col = cols->u.object.values[i];
      if (!str_member(col, "reference_column"))
         continue; /* not compared: nothing to derive from */
      bool numeric = str_member(col, "kind") && !strcmp(str_member(col, "kind"), "numeric");
      snprintf(name, sizeof name, "Share of missing values within +10%% of the reference's: %s", c);
      snprintf(fig, sizeof fig, "columns.%s.quality.missing_share", c);
      if (!derived(s, name, fig, COND_LTE, reference(0.1)))
         return false;
      yajl_val q = member(col, "quality");
      /* a column without values in the stream has no range or mean: its missing share fails */
      if (numeric && YAJL_IS_NUMBER(member(q, "mean"))) {
         snprintf(name, sizeof name, "Values within the reference's range: %s", c);
         snprintf(fig, sizeof fig, "columns.%s.quality.out_of_range_share", c);
         if (!derived(s, name, fig, COND_EQ, number(0)))
            return false;
         snprintf(name, sizeof name, "Mean within ±10%% of the reference's: %s", c);
         snprintf(fig, sizeof fig, "columns.%s.quality.mean", c);
         if (!derived(s, name, fig, COND_EQ, reference(0.1)))
            return false;
         snprintf(fig, sizeof fig, "columns.%s.quality.stuck", c);
         double len;
         bool is_len;
         snprintf(name, sizeof name, "No stuck sensor: %s", c); /* the same value over a long run of records */
         if (lookup(cur, fig, &len, &is_len) &&
             !derived(s, name, fig, COND_EQ, (Operand){.kind = OPERAND_BOOL, .boolean = false}))
            return false;
      } else if (!numeric) {
         snprintf(name, sizeof name, "No new categories: %s", c);
         snprintf(fig, sizeof fig, "columns.%s.quality.new_categories.length", c);
         if (!derived(s, name, fig, COND_EQ, number(0)))
            return false;
      }
   }
   if (YAJL_IS_NUMBER(member(member(cur, "data_quality"), "duplicated_share")) &&
       !derived(s, "Share of duplicated rows within +10% of the reference's", "data_quality.duplicated_share", COND_LTE,
                reference(0.1)))
      return false;
   yajl_val ds = member(cur, "dataset"), thr = member(ds, "drift_share_threshold");
   double share = YAJL_IS_NUMBER(thr) ? YAJL_GET_DOUBLE(thr) : 0.5;
   const char *pred = NULL; /* the model's output, compared: Evidently's TestColumnDrift(prediction) */
   for (size_t i = 0; YAJL_IS_OBJECT(cols) && i < cols->u.object.len; i++) {
      const char *role = str_member(cols->u.object.values[i], "role");
      if (!pred && role && !strcmp(role, "prediction") && YAJL_IS_TRUE(member(cols->u.object.values[i], "scored")))
         pred = cols->u.object.keys[i];
   }
   /* a stream of the model's outputs only has no share: its prediction is the verdict */
   snprintf(name, sizeof name, "Share of drifted features below %g", share);
   if ((!pred || YAJL_IS_NUMBER(member(ds, "share"))) && !derived(s, name, "dataset.share", COND_LT, number(share)))
      return false;
   if (pred) {
      snprintf(name, sizeof name, "No drift in the prediction: %s", pred);
      snprintf(fig, sizeof fig, "columns.%s.drifted", pred);
      if (!derived(s, name, fig, COND_EQ, (Operand){.kind = OPERAND_BOOL, .boolean = false}))
         return false;
   }
   if (member(cur, "windows") && !derived(s, "No window drifted", "windows_drifted", COND_EQ, number(0)))
      return false;
   yajl_val cls = member(cur, "classification"), acc = member(cls, "accuracy");
   if (YAJL_IS_NUMBER(acc)) {
      yajl_val racc = member(member(ref, "classification"), "accuracy");
      if (YAJL_IS_NUMBER(racc))
         return derived(s, "Accuracy within ±20% of the reference's", "classification.accuracy", COND_EQ,
                        reference(0.2)) != NULL;
      /* no accuracy in the reference: better than a dummy model that
       * always predicts the most frequent true class (Evidently's) */
      yajl_val conf = member(cls, "confusion");
      double most = 0, all = 0;
      for (size_t r = 0; YAJL_IS_ARRAY(conf) && r < conf->u.array.len; r++) {
         yajl_val row = conf->u.array.values[r];
         double sum = 0;
         for (size_t k = 0; YAJL_IS_ARRAY(row) && k < row->u.array.len; k++)
            sum += YAJL_IS_NUMBER(row->u.array.values[k]) ? YAJL_GET_DOUBLE(row->u.array.values[k]) : 0;
         most = fmax(most, sum);
         all += sum;
      }
      if (all > 0 && !derived(s, "Accuracy above a dummy model's (the most frequent class)", "classification.accuracy",
                              COND_GT, number(most / all)))
         return false;
   }
   return true;
}

bool Suite_run(const Suite *s, const char *report, const char *reference_report, SuiteResults *out) {
   memset(out, 0, sizeof *out);
   char err[256];
   yajl_val cur = yajl_tree_parse(report, err, sizeof err);
   yajl_val ref = reference_report ? yajl_tree_parse(reference_report, err, sizeof err) : NULL;
   bool ok = cur && (!reference_report || ref);
   Suite all;
   Suite_init(&all);
   ok = ok && assessment_tests(&all, cur) && (!s->derived || derive(&all, cur, ref));
   for (int i = 0; ok && i < s->n; i++) {
      SuiteTest *t = add_test(&all);
      ok = t != NULL;
      if (t)
         *t = s->tests[i];
   }
   for (int i = 0; ok && i < all.n; i++)
      ok = run_test(&all.tests[i], cur, ref, out);
   for (int i = 0; i < out->n; i++) {
      out->passed += out->r[i].status == TEST_PASS;
      out->failed += out->r[i].status == TEST_FAIL;
      out->errors += out->r[i].status == TEST_ERROR;
   }
   Suite_done(&all);
   if (cur)
      yajl_tree_free(cur);
   if (ref)
      yajl_tree_free(ref);
   return ok && !out->oom;
}

/* ---- writing the results ---- */

void ds_junit(StrBuf *b, const SuiteResults *r, const char *suite_name, const char *timestamp, double seconds) {
   StrBuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"driftscope check\"");
   StrBuf_printf(b, " tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n", r->n, r->failed, r->errors,
                 seconds);
   StrBuf_puts(b, "  <testsuite name=\"");
   StrBuf_xml_text(b, suite_name);
   StrBuf_printf(b, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\" timestamp=\"", r->n,
                 r->failed, r->errors, seconds);
   StrBuf_xml_text(b, timestamp);
   StrBuf_puts(b, "\">\n");
   for (int i = 0; i < r->n; i++) {
      const TestResult *t = &r->r[i];
      StrBuf_puts(b, "    <testcase name=\"");
      StrBuf_xml_text(b, t->name);
      StrBuf_puts(b, "\" classname=\"driftscope.");
      StrBuf_xml_text(b, t->group);
      StrBuf_puts(b, "\" time=\"0\"");
      if (t->status == TEST_PASS) {
         StrBuf_puts(b, ">\n      <system-out>");
         StrBuf_xml_text(b, t->detail);
         StrBuf_puts(b, "</system-out>\n    </testcase>\n");
         continue;
      }
      const char *tag = t->status == TEST_FAIL ? "failure" : "error";
      StrBuf_printf(b, ">\n      <%s message=\"", tag);
      StrBuf_xml_text(b, t->detail);
      StrBuf_puts(b, "\" type=\"");
      StrBuf_xml_text(b, t->figure);
      StrBuf_puts(b, "\">");
      StrBuf_xml_text(b, t->detail);
      StrBuf_printf(b, "</%s>\n    </testcase>\n", tag);
   }
   StrBuf_puts(b, "  </testsuite>\n</testsuites>\n");
}

void ds_suite_json(StrBuf *b, const SuiteResults *r, const char *source) {
   StrBuf_puts(b, "{\"source\":");
   StrBuf_json_string(b, source);
   StrBuf_printf(b, ",\"total\":%d,\"passed\":%d,\"failed\":%d,\"errors\":%d,\"results\":[", r->n, r->passed, r->failed,
                 r->errors);
   for (int i = 0; i < r->n; i++) {
      const TestResult *t = &r->r[i];
      StrBuf_puts(b, i ? ",{\"name\":" : "{\"name\":");
      StrBuf_json_string(b, t->name);
      StrBuf_puts(b, ",\"group\":");
      StrBuf_json_string(b, t->group);
      StrBuf_puts(b, ",\"figure\":");
      StrBuf_json_string(b, t->figure);
      StrBuf_puts(b, ",\"status\":");
      StrBuf_json_string(b, ds_test_status_name(t->status));
      StrBuf_puts(b, ",\"detail\":");
      StrBuf_json_string(b, t->detail);
      StrBuf_putc(b, '}');
   }
   StrBuf_puts(b, "]}");
}
