// SPDX-License-Identifier: MIT
#include "driftscope/numparse.h"

#include <ctype.h>
#include <stdbool.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_missing_word(const char *s, size_t n);

/* Exact powers of ten: 10^22 is the largest that a double holds exactly. */
static const double pow10_exact[] = {
   1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#define FIELD_MAX 128 /* longest numeric field we hand to strtod */

static bool is_blank(char c) {
   return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void ds_trim(const char **s, size_t *n) {
   while (*n && is_blank(**s)) {
      (*s)++;
      (*n)--;
   }
   while (*n && is_blank((*s)[*n - 1]))
      (*n)--;
}

bool ds_is_missing_text(const char *s, size_t n) {
   ds_trim(&s, &n);
   return n == 0 || (strchr("nNiI+-", *s) && is_missing_word(s, n));
}

static bool is_missing_word(const char *s, size_t n) {
   static const struct {
      const char *w;
      size_t n;
   } words[] = {{"nan", 3},      {"-nan", 4},      {"+nan", 4},      {"inf", 3}, {"-inf", 4}, {"+inf", 4},
                {"infinity", 8}, {"-infinity", 9}, {"+infinity", 9}, {"na", 2},  {"null", 4}, {"none", 4}};
   char last = (char)(s[n - 1] | 0x20); /* every word ends in n, f, y, a, l or e */
   for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
      if (words[i].n == n && words[i].w[n - 1] == last && strncasecmp(s, words[i].w, n) == 0)
         return true;
   return false;
}

/* Return whether the fast path handled s (all of it): at most 19 digits in
 * all (10^19 < 2^64, so the mantissa cannot overflow), then Clinger's exact
 * case. Leading zeros count as digits here; such rare inputs go to strtod. */
static bool parse_fast(const char *s, const char *end, double *out) {
   bool neg = *s == '-';
   s += neg || *s == '+';
   const char *start = s;
   uint64_t mant = 0;
   while (s < end && (unsigned)(*s - '0') < 10)
      mant = mant * 10 + (uint64_t)(*s++ - '0');
   size_t digits = (size_t)(s - start);
   int frac = 0;
   if (s < end && *s == '.') {
      const char *f = ++s;
      while (s < end && (unsigned)(*s - '0') < 10)
         mant = mant * 10 + (uint64_t)(*s++ - '0');
      frac = (int)(s - f);
      digits += (size_t)frac;
   }
   if (digits == 0 || digits > 19)
      return false;
   int exp10 = -frac;
   if (s < end && (*s == 'e' || *s == 'E')) {
      s++;
      bool eneg = false;
      if (s < end && (*s == '-' || *s == '+'))
         eneg = (*s++ == '-');
      if (s >= end || (unsigned)(*s - '0') >= 10)
         return false;
      int e = 0;
      while (s < end && (unsigned)(*s - '0') < 10) {
         if (e > 10000)
            return false;
         e = e * 10 + (*s++ - '0');
      }
      exp10 += eneg ? -e : e;
   }
   if (s != end || mant > (1ULL << 53) || exp10 < -22 || exp10 > 22)
      return false;
   double v = (double)mant;
   if (exp10 < 0)
      v /= pow10_exact[-exp10];
   else if (exp10 > 0)
      v *= pow10_exact[exp10];
   *out = neg ? -v : v;
   return true;
}

NumParse ds_parse_number(const char *s, size_t len, double *out) {
   const char *end = s + len;
   if (len && parse_fast(s, end, out)) /* the common case: no spaces around */
      return NUM_OK;
   ds_trim(&s, &len);
   end = s + len;
   if (s == end)
      return NUM_MISSING;
   if (parse_fast(s, end, out))
      return NUM_OK;
   size_t n = (size_t)(end - s);
   if (strchr("nNiI+-", *s) && is_missing_word(s, n)) /* every missing word starts so */
      return NUM_MISSING;
   if (n >= FIELD_MAX)
      return NUM_TEXT;
   char tmp[FIELD_MAX];
   memcpy(tmp, s, n);
   tmp[n] = '\0';
   /* strtod also accepts hex floats and "infinity"; only decimal text is a number here */
   for (size_t i = 0; i < n; i++)
      if (!(isdigit((unsigned char)tmp[i]) || strchr("+-.eE", tmp[i])))
         return NUM_TEXT;
   char *stop;
   double v = strtod(tmp, &stop);
   if (stop != tmp + n)
      return NUM_TEXT;
   if (!isfinite(v))
      return NUM_MISSING;
   *out = v;
   return NUM_OK;
}
