// SPDX-License-Identifier: MIT
#include "driftscope/recorder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void Recorder_init(Recorder *r, const Table *t) {
   memset(r, 0, sizeof *r);
   StrBuf_init(&r->out);
   r->t = t;
}

void Recorder_done(Recorder *r) {
   StrBuf_done(&r->out);
}

/* Text with a newline in it would break the line it is on. */
static void one_line(StrBuf *b, const char *s) {
   for (; *s; s++)
      StrBuf_putc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
}

void Recorder_meta(Recorder *r, const char *key, const char *value) {
   StrBuf_puts(&r->out, "# ");
   one_line(&r->out, key);
   StrBuf_puts(&r->out, ": ");
   one_line(&r->out, value);
   StrBuf_putc(&r->out, '\n');
}

void Recorder_comment(Recorder *r, const char *text) {
   StrBuf_puts(&r->out, "# ");
   one_line(&r->out, text);
   StrBuf_putc(&r->out, '\n');
}

/* The common case without printf: v is m / 10^6 for an integer m, read
 * back exactly (a correctly rounded division of two exact numbers is the
 * double nearest the decimal, as strtod gives), and 1e-4 <= |v| < 1e9,
 * where %.15g prints it in fixed notation with these same digits. */
static bool put_micro(StrBuf *b, double v) {
   double a = fabs(v);
   if (!(a >= 1e-4 && a < 1e9))
      return false;
   long long m = llround(a * 1e6);
   if ((double)m / 1e6 != a)
      return false;
   char s[32], *p = s + sizeof s;
   long long frac = m % 1000000, whole = m / 1000000;
   *--p = '\0';
   int digits = 6;
   while (digits > 0 && frac % 10 == 0) { /* trailing zeros go, as %g drops them */
      frac /= 10;
      digits--;
   }
   for (int i = 0; i < digits; i++, frac /= 10)
      *--p = (char)('0' + frac % 10);
   if (digits)
      *--p = '.';
   do
      *--p = (char)('0' + whole % 10);
   while ((whole /= 10) > 0);
   if (v < 0)
      *--p = '-';
   StrBuf_puts(b, p);
   return true;
}

void ds_put_double(StrBuf *b, double v) {
   if (put_micro(b, v))
      return;
   char s[32];
   snprintf(s, sizeof s, "%.15g", v);
   if (strtod(s, NULL) != v)
      snprintf(s, sizeof s, "%.17g", v);
   StrBuf_puts(b, s);
}

bool ds_csv_column(const Column *col) {
   return col->stored && col->role != ROLE_CONFIDENCE && col->role != ROLE_RX;
}

void ds_put_csv_field(StrBuf *b, const char *s) {
   if (!strpbrk(s, ",\"\r\n")) {
      StrBuf_puts(b, s);
      return;
   }
   StrBuf_putc(b, '"');
   for (; *s; s++) {
      if (*s == '"')
         StrBuf_putc(b, '"');
      StrBuf_putc(b, *s);
   }
   StrBuf_putc(b, '"');
}

/* The session file has every column of the record but the derived
 * confidence and a receive time of its own (rx_ms comes first). */
static bool recorded(const Column *col) {
   return col->role != ROLE_CONFIDENCE && col->role != ROLE_RX;
}

static void header(Recorder *r) {
   const Table *t = r->t;
   StrBuf_puts(&r->out, "rx_ms");
   for (int c = 0; c < t->ncols; c++) {
      if (!recorded(t->cols[c]))
         continue;
      r->cols[r->ncols++] = c;
      StrBuf_putc(&r->out, ',');
      ds_put_csv_field(&r->out, t->cols[c]->name);
   }
   StrBuf_putc(&r->out, '\n');
   r->seen_cols = t->ncols;
   r->header = true;
}

static void put_value(StrBuf *b, const Table *t, int c, double v) {
   if (isnan(v))
      return;
   if (t->cols[c]->kind == KIND_CATEGORICAL && v >= 0 && v < t->classes->n)
      ds_put_csv_field(b, t->classes->name[(int)v]);
   else
      ds_put_double(b, v);
}

void ds_put_csv_value(StrBuf *b, const Table *t, int c, size_t row) {
   put_value(b, t, c, Table_at(t, c, row));
}

void Recorder_row(Recorder *r, const double *row, double rx_ms) {
   const Table *t = r->t;
   if (!r->header)
      header(r);
   ds_put_double(&r->out, rx_ms);
   for (int i = 0; i < r->ncols; i++) {
      StrBuf_putc(&r->out, ',');
      put_value(&r->out, t, r->cols[i], row[r->cols[i]]);
   }
   StrBuf_putc(&r->out, '\n');
   r->records++;
   for (int c = r->seen_cols; c < t->ncols; c++) {
      if (!recorded(t->cols[c]))
         continue;
      char note[DS_NAME_MAX + 96];
      snprintf(note, sizeof note, "note: column %s appeared after the header; its values are not recorded here",
               t->cols[c]->name);
      Recorder_comment(r, note);
      r->late_columns++;
   }
   r->seen_cols = t->ncols;
}
