/* SPDX-License-Identifier: MIT */
/* StrBuf: a growable, always NUL-terminated byte string.
 * StrBuf_init before use, StrBuf_done to free. Appends never fail loudly:
 * on allocation failure the buffer stops growing and `oom` is set, so a
 * writer can build a whole document and check once at the end. */
#ifndef DRIFTSCOPE_STRBUF_H
#define DRIFTSCOPE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct StrBuf {
   char *data; /* NUL-terminated; never NULL after init */
   size_t len;
   size_t cap;
   bool oom;
} StrBuf;

void StrBuf_init(StrBuf *b);
void StrBuf_done(StrBuf *b);
void StrBuf_clear(StrBuf *b);
void StrBuf_append(StrBuf *b, const char *s, size_t n);
void StrBuf_puts(StrBuf *b, const char *s);
void StrBuf_putc(StrBuf *b, char c);
void StrBuf_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal, quotes included. */
void StrBuf_json_string(StrBuf *b, const char *s);
/* Append s as XML (and HTML) text or an attribute's value: & < > " '
 * escaped, control characters other than newline and tab as spaces. */
void StrBuf_xml_text(StrBuf *b, const char *s);
/* Append a JSON number; NaN and infinities become null (JSON has neither). */
void StrBuf_json_number(StrBuf *b, double v);

/* v with thousands separators: 4100 as "4,100" (n >= 2). */
void ds_thousands(char *out, size_t n, size_t v);

#endif
