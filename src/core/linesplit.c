// SPDX-License-Identifier: MIT
#include "driftscope/linesplit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool LineSplitter_init(LineSplitter *ls, size_t max_line) {
   memset(ls, 0, sizeof *ls);
   ls->max_line = max_line ? max_line : DS_LINE_MAX;
   ls->buf = malloc(ls->max_line);
   return ls->buf != NULL;
}

void LineSplitter_done(LineSplitter *ls) {
   free(ls->buf);
   free(ls->plain);
   ls->buf = ls->plain = NULL;
}

/* Return the length of the valid UTF-8 sequence at s (0 if invalid). */
static size_t utf8_seq(const unsigned char *s, const unsigned char *end) {
   unsigned c = s[0];
   size_t need;
   unsigned min;
   if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
   } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
   } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
   } else {
      return 0;
   }
   if ((size_t)(end - s) < need + 1)
      return 0;
   unsigned cp = c & (0x3f >> need);
   for (size_t i = 1; i <= need; i++) {
      if ((s[i] & 0xc0) != 0x80)
         return 0;
      cp = (cp << 6) | (s[i] & 0x3f);
   }
   if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return 0;
   return need + 1;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Return whether every byte is printable ASCII (0x20..0x7e) or tab, the
 * common case, eight bytes at a time: a byte below 0x20 borrows when 0x20 is
 * subtracted, a byte of 0x7f or more carries into bit 7 when 1 is added. */
static bool plain_ascii(const char *line, size_t n) {
   const unsigned char *s = (const unsigned char *)line;
   size_t i = 0;
   for (; i + 8 <= n; i += 8) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      uint64_t low = (w - 0x20 * ONES) & ~w & HIGHS, high = ((w & ~HIGHS) + ONES) | w;
      if ((low | high) & HIGHS)
         break; /* maybe a tab: check these bytes one by one */
   }
   for (; i < n; i++)
      if ((unsigned char)(s[i] - 0x20) > 0x5e && s[i] != '\t')
         return false;
   return true;
}

LineStatus ds_classify_line(const char *line, size_t n) {
   if (plain_ascii(line, n))
      return LINE_OK;
   const unsigned char *s = (const unsigned char *)line, *end = s + n;
   while (s < end) {
      unsigned c = *s;
      if (c >= 0x20 && c < 0x7f) {
         s++;
      } else if (c == '\t') {
         s++;
      } else if (c >= 0x80) {
         size_t k = utf8_seq(s, end);
         if (!k)
            return LINE_BAD_UTF8;
         s += k;
      } else {
         return LINE_BINARY;
      }
   }
   return LINE_OK;
}

#define ESC 0x1b

/* Return the length of the escape sequence at s (s[0] is ESC). */
static size_t escape_len(const unsigned char *s, size_t n) {
   if (n < 2)
      return n;
   size_t i = 2;
   if (s[1] == '[') { /* CSI: parameters and intermediates, then a final byte 0x40-0x7e */
      while (i < n && s[i] >= 0x20 && s[i] <= 0x3f)
         i++;
      return i < n && s[i] >= 0x40 && s[i] <= 0x7e ? i + 1 : i;
   }
   if (s[1] == ']') { /* OSC: up to BEL or ESC \ */
      while (i < n && s[i] != 0x07 && !(s[i] == ESC && i + 1 < n && s[i + 1] == '\\'))
         i++;
      return i < n ? (s[i] == 0x07 ? i + 1 : i + 2) : n;
   }
   return 2; /* ESC and one byte (ESC c, ESC =, ...) */
}

size_t ds_strip_ansi(const char *line, size_t n, char *out) {
   const unsigned char *s = (const unsigned char *)line;
   size_t k = 0;
   for (size_t i = 0; i < n;) {
      if (s[i] == ESC) {
         i += escape_len(s + i, n - i);
         continue;
      }
      out[k++] = line[i++];
   }
   return k;
}

static void emit(LineSplitter *ls, const char *s, size_t n, LineFn fn, void *ctx) {
   ls->lineno++;
   if (ls->lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) { /* a byte order mark */
      s += 3;
      n -= 3;
   }
   if (ls->dropped) {
      fn(ctx, s, n, ls->lineno, LINE_TOO_LONG);
      ls->dropped = 0;
      return;
   }
   LineStatus st = ds_classify_line(s, n);
   /* colours: the line without them (the common plain line never gets here) */
   if (st == LINE_BINARY && memchr(s, ESC, n) && (ls->plain || (ls->plain = malloc(ls->max_line)))) {
      n = ds_strip_ansi(s, n, ls->plain);
      s = ls->plain;
      st = ds_classify_line(s, n);
      ls->escaped++;
   }
   fn(ctx, s, n, ls->lineno, st);
}

/* Append to the carried partial line, counting what does not fit. */
static void carry(LineSplitter *ls, const char *s, size_t n) {
   size_t room = ls->max_line - ls->len;
   size_t take = n < room ? n : room;
   memcpy(ls->buf + ls->len, s, take);
   ls->len += take;
   ls->dropped += n - take;
}

void LineSplitter_feed(LineSplitter *ls, const char *bytes, size_t n, LineFn fn, void *ctx) {
   const char *p = bytes, *end = bytes + n;
   ls->bytes += n;
   if (p < end && ls->after_cr && *p == '\n')
      p++;
   ls->after_cr = false;
   while (p < end) {
      const char *q = memchr(p, '\n', (size_t)(end - p));
      const char *cr = memchr(p, '\r', (size_t)((q ? q : end) - p));
      if (cr)
         q = cr;
      else if (!q)
         q = end;
      if (q == end) {
         carry(ls, p, (size_t)(q - p));
         return;
      }
      if (ls->len || ls->dropped) {
         carry(ls, p, (size_t)(q - p));
         emit(ls, ls->buf, ls->len, fn, ctx);
         ls->len = 0;
      } else if ((size_t)(q - p) > ls->max_line) {
         ls->dropped = (size_t)(q - p) - ls->max_line;
         emit(ls, p, ls->max_line, fn, ctx);
      } else {
         emit(ls, p, (size_t)(q - p), fn, ctx);
      }
      if (*q == '\r') {
         if (q + 1 == end)
            ls->after_cr = true;
         else if (q[1] == '\n')
            q++;
      }
      p = q + 1;
   }
}

long LineSplitter_drop(LineSplitter *ls) {
   bool partial = ls->len || ls->dropped;
   ls->len = 0;
   ls->dropped = 0;
   ls->after_cr = false;
   return partial ? ++ls->lineno : 0;
}

void LineSplitter_finish(LineSplitter *ls, LineFn fn, void *ctx) {
   if (ls->len || ls->dropped)
      emit(ls, ls->buf, ls->len, fn, ctx);
   ls->len = 0;
   ls->dropped = 0;
   ls->after_cr = false;
}
