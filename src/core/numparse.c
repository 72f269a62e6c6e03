// SPDX-License-Identifier: MIT
#include "driftscope/numparse.h"

#include <ctype.h>
#include <stdbool.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Exact powers of ten: 10^22 is the largest that a double holds exactly. */
static const double pow10_exact[] = {
   1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#define FIELD_MAX 128 /* longest numeric field we hand to strtod */

static bool is_missing_word(const char *s, size_t n) {
   static const struct {
      const char *w;
      size_t n;
   } words[] = {{"nan", 3},      {"-nan", 4},      {"+nan", 4},      {"inf", 3},  {"-inf", 4},  {"+inf", 4},
                {"infinity", 8}, {"-infinity", 9}, {"+infinity", 9}, {"na", 2},   {"null", 4},  {"none", 4}};
   for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
      if (words[i].n == n && strncasecmp(s, words[i].w, n) == 0)
         return true;
   return false;
}

/* Return whether the fast path handled s (all of it). */
static bool parse_fast(const char *s, const char *end, double *out) {
   bool neg = false;
   if (s < end && (*s == '-' || *s == '+'))
      neg = (*s++ == '-');
   uint64_t mant = 0;
   int digits = 0, frac = 0;
   bool any = false;
   while (s < end && *s >= '0' && *s <= '9') {
      if (digits || *s != '0')
         digits++;
      if (digits > 19)
         return false;
      mant = mant * 10 + (uint64_t)(*s++ - '0');
      any = true;
   }
   if (s < end && *s == '.') {
      s++;
      while (s < end && *s >= '0' && *s <= '9') {
         if (digits || *s != '0')
            digits++;
         if (digits > 19)
            return false;
         mant = mant * 10 + (uint64_t)(*s++ - '0');
         frac++;
         any = true;
      }
   }
   if (!any)
      return false;
   int exp10 = -frac;
   if (s < end && (*s == 'e' || *s == 'E')) {
      s++;
      bool eneg = false;
      if (s < end && (*s == '-' || *s == '+'))
         eneg = (*s++ == '-');
      if (s >= end || *s < '0' || *s > '9')
         return false;
      int e = 0;
      while (s < end && *s >= '0' && *s <= '9') {
         if (e > 10000)
            return false;
         e = e * 10 + (*s++ - '0');
      }
      exp10 += eneg ? -e : e;
   }
   if (s != end || mant > (1ULL << 53))
      return false;
   double v = (double)mant;
   if (exp10 < 0) {
      if (exp10 < -22)
         return false;
      v /= pow10_exact[-exp10];
   } else if (exp10 > 0) {
      if (exp10 > 22)
         return false;
      v *= pow10_exact[exp10];
   }
   *out = neg ? -v : v;
   return true;
}

NumParse ds_parse_number(const char *s, size_t len, double *out) {
   const char *end = s + len;
   while (s < end && (*s == ' ' || *s == '\t'))
      s++;
   while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
      end--;
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
