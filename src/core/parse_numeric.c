// SPDX-License-Identifier: MIT
/* Headerless numeric lines, Edge Impulse data-forwarder style: numbers
 * separated by commas, tabs or spaces, one sample per line. Columns are
 * named f0, f1, ... in order (or by --names, or by the reference's
 * features when the first line has as many values: Ingest_column_name)
 * and appear when first seen.
 *
 * Not handled: quoted fields, thousands separators, decimal commas (a comma
 * always separates). A line with any token that is not a number is bad. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "driftscope/ingest.h"
#include "driftscope/numparse.h"

typedef struct NumericParser {
   int col[DS_MAX_COLUMNS];
   int ncols;
   double v[DS_MAX_COLUMNS];
} NumericParser;

static void *numeric_create(Ingest *in) {
   (void)in;
   return calloc(1, sizeof(NumericParser));
}

static void numeric_destroy(void *self) {
   free(self);
}

/* Return the table column of field i of a line of k values, creating it
 * if needed (-1 on failure). */
static int field_column(NumericParser *np, Ingest *in, int i, int k) {
   Table *t = in->table;
   while (np->ncols <= i) {
      const char *name = Ingest_column_name(in, np->ncols, (size_t)k);
      int c = Table_find(t, name);
      if (c < 0)
         c = Table_add_column(t, name, ds_role_for_name(name, NULL) == ROLE_TIME ? ROLE_TIME : ROLE_FEATURE,
                              KIND_NUMERIC, -1);
      if (c < 0)
         return -1;
      np->col[np->ncols++] = c;
   }
   return np->col[i];
}

static void numeric_line(void *self, Ingest *in, const char *s, size_t n, long lineno) {
   NumericParser *np = self;
   const char *end = s + n;
   int k = 0;
   while (s < end) {
      while (s < end && (*s == ',' || *s == ' ' || *s == '\t'))
         s++;
      if (s == end)
         break;
      const char *b = s;
      while (s < end && *s != ',' && *s != ' ' && *s != '\t')
         s++;
      if (k >= DS_MAX_COLUMNS) {
         Ingest_bad(in, lineno, "more than %d values", DS_MAX_COLUMNS);
         return;
      }
      double v = 0;
      NumParse r = ds_parse_number(b, (size_t)(s - b), &v);
      if (r == NUM_TEXT) {
         Ingest_bad(in, lineno, "value %d is not a number: '%.*s'", k + 1, (int)(s - b > 40 ? 40 : s - b), b);
         return;
      }
      np->v[k++] = r == NUM_OK ? v : NAN;
   }
   Table *t = in->table;
   for (int i = 0; i < k; i++)
      if (field_column(np, in, i, k) < 0) {
         Ingest_bad(in, lineno, "too many columns");
         return;
      }
   Ingest_row_begin(in);
   for (int i = 0; i < k; i++)
      Table_row_set(t, np->col[i], np->v[i]);
   Ingest_commit(in);
}

const ParserClass NumericParser_class = {
   .format = DS_FORMAT_NUMERIC,
   .create = numeric_create,
   .line = numeric_line,
   .destroy = numeric_destroy,
};
