// SPDX-License-Identifier: MIT
/* Arduino Serial Plotter lines: "name:value" pairs separated by commas,
 * spaces or tabs ("ax:0.12,ay:-0.5 az:9.81"); a space after the colon is
 * allowed (the Arduino plotter itself does not). A bare number is named
 * value1, value2, ... by position, as the Arduino IDE plotter does.
 * Names take roles as CSV headers do (label, pred, score_<class>, ...);
 * a prediction or label value is a class name.
 *
 * Not handled: the plotter's "label only" header lines (a line of names
 * without values) are bad lines; names cannot contain ':' or separators. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/ingest.h"
#include "driftscope/numparse.h"

typedef struct PlotterParser {
   int unused;
} PlotterParser;

static void *plotter_create(Ingest *in) {
   (void)in;
   return calloc(1, sizeof(PlotterParser));
}

static void plotter_destroy(void *self) {
   free(self);
}

static bool is_sep(char c) {
   return c == ',' || c == ' ' || c == '\t';
}

static void set_value(Ingest *in, int c, const char *v, size_t vn, long lineno) {
   Table *t = in->table;
   double x;
   NumParse r = ds_parse_number(v, vn, &x);
   if (t->cols[c]->kind == KIND_CATEGORICAL) {
      if (r == NUM_MISSING)
         return;
      int id = Ingest_class(in, v, vn);
      if (id >= 0) {
         Table_row_set(t, c, id);
         return;
      }
      t->cols[c]->n_bad++;
      if (id == -1)
         Ingest_bad_field(in, lineno, "more than %d classes", DS_MAX_CLASSES);
      return;
   }
   if (r == NUM_OK)
      Table_row_set(t, c, x);
   else if (r == NUM_TEXT) {
      t->cols[c]->n_bad++;
      Ingest_bad_field(in, lineno, "'%s': not a number: '%.*s'", t->cols[c]->name, (int)(vn > 40 ? 40 : vn), v);
   }
}

static void plotter_line(void *self, Ingest *in, const char *s, size_t n, long lineno) {
   (void)self;
   const char *end = s + n;
   Table *t = in->table;
   Ingest_row_begin(in);
   int position = 0;
   while (s < end) {
      while (s < end && is_sep(*s))
         s++;
      if (s == end)
         break;
      const char *name = s;
      while (s < end && !is_sep(*s) && *s != ':')
         s++;
      position++;
      char key[DS_NAME_MAX];
      const char *v;
      size_t vn;
      if (s < end && *s == ':') {
         size_t k = (size_t)(s - name);
         if (k == 0 || k >= DS_NAME_MAX) {
            Ingest_bad(in, lineno, "bad series name");
            t->in_row = false;
            return;
         }
         memcpy(key, name, k);
         key[k] = '\0';
         s++;
         while (s < end && *s == ' ')
            s++;
         v = s;
         while (s < end && !is_sep(*s))
            s++;
         vn = (size_t)(s - v);
      } else {
         snprintf(key, sizeof key, "value%d", position);
         v = name;
         vn = (size_t)(s - name);
      }
      int c = Ingest_named_column(in, key);
      if (c >= 0)
         set_value(in, c, v, vn, lineno);
   }
   if (!t->row_any) {
      Ingest_bad(in, lineno, "no name:value pair");
      t->in_row = false;
      return;
   }
   Ingest_commit(in);
}

const ParserClass PlotterParser_class = {
   .format = DS_FORMAT_PLOTTER,
   .create = plotter_create,
   .line = plotter_line,
   .destroy = plotter_destroy,
};
