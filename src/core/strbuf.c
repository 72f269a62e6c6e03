// SPDX-License-Identifier: MIT
#include "driftscope/strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every empty StrBuf points here until it grows; read-only, so a write
 * through it (which cap == 0 rules out) would fault, not corrupt others. */
static const char empty_string[1];

void StrBuf_init(StrBuf *b) {
   b->data = (char *)empty_string;
   b->len = 0;
   b->cap = 0;
   b->oom = false;
}

void StrBuf_done(StrBuf *b) {
   if (b->cap)
      free(b->data);
   StrBuf_init(b);
}

void StrBuf_clear(StrBuf *b) {
   b->len = 0;
   if (b->cap)
      b->data[0] = '\0';
}

/* Return whether there is room for n more bytes plus the NUL. */
static bool reserve(StrBuf *b, size_t n) {
   if (b->oom)
      return false;
   if (b->len + n + 1 <= b->cap)
      return true;
   size_t cap = b->cap ? b->cap : 64;
   while (cap < b->len + n + 1)
      cap *= 2;
   char *p = b->cap ? realloc(b->data, cap) : malloc(cap);
   if (!p) {
      b->oom = true;
      return false;
   }
   if (!b->cap)
      p[0] = '\0';
   b->data = p;
   b->cap = cap;
   return true;
}

void StrBuf_append(StrBuf *b, const char *s, size_t n) {
   if (!reserve(b, n))
      return;
   memcpy(b->data + b->len, s, n);
   b->len += n;
   b->data[b->len] = '\0';
}

void StrBuf_puts(StrBuf *b, const char *s) {
   StrBuf_append(b, s, strlen(s));
}

void StrBuf_putc(StrBuf *b, char c) {
   StrBuf_append(b, &c, 1);
}

void StrBuf_printf(StrBuf *b, const char *fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   char small[256];
   int n = vsnprintf(small, sizeof small, fmt, ap);
   va_end(ap);
   if (n < 0)
      return;
   if ((size_t)n < sizeof small) {
      StrBuf_append(b, small, (size_t)n);
      return;
   }
   if (!reserve(b, (size_t)n))
      return;
   va_start(ap, fmt);
   vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
   va_end(ap);
   b->len += (size_t)n;
}

void StrBuf_json_string(StrBuf *b, const char *s) {
   StrBuf_putc(b, '"');
   for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
      switch (*p) {
      case '"': StrBuf_puts(b, "\\\""); break;
      case '\\': StrBuf_puts(b, "\\\\"); break;
      case '\n': StrBuf_puts(b, "\\n"); break;
      case '\r': StrBuf_puts(b, "\\r"); break;
      case '\t': StrBuf_puts(b, "\\t"); break;
      default:
         if (*p < 0x20)
            StrBuf_printf(b, "\\u%04x", *p);
         else
            StrBuf_putc(b, (char)*p);
      }
   }
   StrBuf_putc(b, '"');
}

void StrBuf_xml_text(StrBuf *b, const char *s) {
   for (; s && *s; s++) {
      switch (*s) {
      case '&': StrBuf_puts(b, "&amp;"); break;
      case '<': StrBuf_puts(b, "&lt;"); break;
      case '>': StrBuf_puts(b, "&gt;"); break;
      case '"': StrBuf_puts(b, "&quot;"); break;
      case '\'': StrBuf_puts(b, "&apos;"); break;
      default:
         if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
            StrBuf_putc(b, ' '); /* XML 1.0 allows no other control character */
         else
            StrBuf_putc(b, *s);
      }
   }
}

void StrBuf_json_number(StrBuf *b, double v) {
   if (!isfinite(v))
      StrBuf_puts(b, "null");
   else if (v == floor(v) && fabs(v) < 1e15)
      StrBuf_printf(b, "%.0f", v);
   else
      StrBuf_printf(b, "%.17g", v);
}

/* 4100 as "4,100". */
void ds_thousands(char *out, size_t n, size_t v) {
   char digits[32];
   int len = snprintf(digits, sizeof digits, "%zu", v), k = 0;
   for (int i = 0; i < len && (size_t)k + 2 < n; i++) {
      if (i && (len - i) % 3 == 0)
         out[k++] = ',';
      out[k++] = digits[i];
   }
   out[k] = '\0';
}
