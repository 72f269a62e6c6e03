/* SPDX-License-Identifier: MIT */
/* LineSplitter: turns a byte stream that arrives in arbitrary pieces into
 * lines. Lines end at "\n", "\r\n" or "\r" (a "\r\n" split across two
 * pieces is still one line end). A UTF-8 byte order mark at the start of
 * the stream is dropped, and so are ANSI escape sequences (terminal colours
 * that firmware logs and `edge-impulse-run-impulse` print: CSI "ESC [ ...
 * final", OSC "ESC ] ... BEL", two-byte "ESC x"). Each line is classified:
 *   LINE_OK        printable text (UTF-8 allowed), tabs allowed
 *   LINE_TOO_LONG  longer than the cap (DS_LINE_MAX by default); only its
 *                  first bytes are passed, the rest is skipped
 *   LINE_BINARY    contains NUL or other control bytes
 *   LINE_BAD_UTF8  bytes >= 0x80 that are not valid UTF-8
 * The callback gets a pointer valid only during the call, the length
 * without the terminator, and the 1-based line number. */
#ifndef DRIFTSCOPE_LINESPLIT_H
#define DRIFTSCOPE_LINESPLIT_H

#include <stdbool.h>
#include <stddef.h>

#define DS_LINE_MAX (64 * 1024) /* DESIGN §2: longer lines are bad lines */

typedef enum LineStatus { LINE_OK, LINE_TOO_LONG, LINE_BINARY, LINE_BAD_UTF8 } LineStatus;

typedef void (*LineFn)(void *ctx, const char *line, size_t len, long lineno, LineStatus st);

typedef struct LineSplitter {
   char *buf;  /* partial line carried between feeds */
   size_t len; /* bytes in buf (at most max_line) */
   size_t max_line;
   size_t dropped;           /* bytes of the current line beyond max_line */
   long lineno;              /* lines completed so far */
   bool after_cr;            /* last byte seen was '\r': a following '\n' is not a new line */
   unsigned long long bytes; /* total bytes fed */
   char *plain;              /* a line without its escape sequences (max_line bytes, made when first needed) */
   long escaped;             /* lines that had escape sequences removed */
} LineSplitter;

/* max_line 0 means DS_LINE_MAX. Returns false if the buffer cannot be allocated. */
bool LineSplitter_init(LineSplitter *ls, size_t max_line);
void LineSplitter_done(LineSplitter *ls);
void LineSplitter_feed(LineSplitter *ls, const char *bytes, size_t n, LineFn fn, void *ctx);
/* Deliver an unterminated last line, if any (end of file). */
void LineSplitter_finish(LineSplitter *ls, LineFn fn, void *ctx);

/* Forget an unterminated line (the stream broke off in its middle);
 * returns its line number, or 0 when there was none. */
long LineSplitter_drop(LineSplitter *ls);

/* Classify a complete line (exposed for tests). */
LineStatus ds_classify_line(const char *s, size_t n);

/* Copy s[0..n) into out (room for n bytes) without its ANSI escape
 * sequences; returns the length left. */
size_t ds_strip_ansi(const char *s, size_t n, char *out);

#endif
