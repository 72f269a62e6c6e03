/* SPDX-License-Identifier: MIT */
/* Ingest: bytes in, records out. Owns a LineSplitter and one parser, and
 * appends what the parser recognises to a Table.
 *
 * Format: DS_FORMAT_AUTO buffers the first few non-blank lines, picks the
 * format from them (ds_detect_format) and replays them to the parser.
 * Nothing stops ingestion: a line that cannot be used is counted as a bad
 * line with its number and reason (the first DS_BAD_KEEP are kept, and the
 * last one); known log chatter interleaved by firmware (Edge Impulse's
 * "ERR:" lines, ESP-IDF "I (306) tag:" logs...) is counted as noise. */
#ifndef DRIFTSCOPE_INGEST_H
#define DRIFTSCOPE_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/linesplit.h"
#include "driftscope/table.h"

typedef enum DsFormat {
   DS_FORMAT_AUTO,
   DS_FORMAT_CSV,     /* CSV with a header line */
   DS_FORMAT_NUMERIC, /* headerless numbers: f0,f1,... (data forwarder style) */
   DS_FORMAT_EI,      /* Edge Impulse inference output */
   DS_FORMAT_PLOTTER, /* Arduino Serial Plotter name:value pairs */
} DsFormat;

const char *ds_format_name(DsFormat f);
/* Return the format named s ("auto", "csv", "numeric", "ei", "plotter"), or -1. */
int ds_format_parse(const char *s);

#define DS_BAD_KEEP 8         /* bad lines remembered with their reasons */
#define DS_DETECT_LINES 8     /* lines looked at before choosing a format */
#define DS_DETECT_MAX_LINES 64 /* lines held while none says what the format is (boot banners) */
#define DS_REASON_MAX 128

typedef struct BadLine {
   long lineno;
   char reason[DS_REASON_MAX];
} BadLine;

typedef struct Ingest Ingest;

/* One parser: a const table of these per format (DESIGN §1). */
typedef struct ParserClass {
   DsFormat format;
   void *(*create)(Ingest *in);
   void (*line)(void *self, Ingest *in, const char *s, size_t n, long lineno);
   void (*finish)(void *self, Ingest *in); /* end of input: flush a pending record */
   void (*blank)(void *self, Ingest *in);  /* optional: a blank line (it may end a record) */
   void (*destroy)(void *self);
   /* optional: a parser in the same state for a continuation (Ingest_fork) */
   void *(*clone)(const void *self, Ingest *in);
} ParserClass;

struct Ingest {
   const char *source;  /* name used in messages (file path, "stdin", a device) */
   DsFormat forced;
   DsFormat format;     /* AUTO until detected */
   const ParserClass *parser;
   void *pstate;
   Table *table;
   LineSplitter ls;
   /* detection buffer */
   char *held[DS_DETECT_MAX_LINES];
   size_t held_len[DS_DETECT_MAX_LINES];
   long held_no[DS_DETECT_MAX_LINES];
   int nheld;
   /* counters */
   long lines, blank_lines, bad_lines, noise_lines, comment_lines, records, bad_fields;
   long object_detections;
   BadLine first_bad[DS_BAD_KEEP];
   int nfirst_bad;
   BadLine last_bad;
   bool failed;         /* memory ran out: stop appending */
   DsError error;       /* why it failed */
};

bool Ingest_init(Ingest *in, Table *t, DsFormat forced, const char *source);
void Ingest_done(Ingest *in);
void Ingest_feed(Ingest *in, const char *bytes, size_t n);
/* End of input: flushes a partial last line and a pending record. */
void Ingest_finish(Ingest *in);
/* The stream broke off (a cable pulled): a line it was in the middle of
 * is counted bad ("cut off by why") rather than joined to what comes
 * after; the parser goes on with the same session. */
void Ingest_break(Ingest *in, const char *why);

/* Continue src's input in another Ingest (another thread): same format and
 * parser state, records into t (a Table_clone_schema of src's table).
 * Returns false when the parser cannot continue elsewhere (no clone; or
 * the format is not settled yet) or memory runs out. */
bool Ingest_fork(Ingest *dst, Table *t, const Ingest *src);
/* Add b's counters to a, b's line numbers following a's lines (b read what
 * came after a). Records stay where they are (see Table_append). */
void Ingest_join(Ingest *a, const Ingest *b);

/* Return the format the given lines look like (DS_FORMAT_AUTO if none).
 * A CSV header counts once a line with as many fields follows it (a log
 * line with a comma is not a header); final: no more lines will come, so
 * a header alone counts too. */
DsFormat ds_detect_format(const char *const *lines, const size_t *lens, int n, bool final);

/* For parsers. */
void Ingest_bad(Ingest *in, long lineno, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A value that could not be used in an otherwise good line (the line's
 * record is kept, the value is missing); kept with the bad lines' reasons. */
void Ingest_bad_field(Ingest *in, long lineno, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void Ingest_noise(Ingest *in);
/* Commit the table's current row as one record. */
void Ingest_commit(Ingest *in);

extern const ParserClass CsvParser_class;
extern const ParserClass NumericParser_class;
extern const ParserClass EiParser_class;
extern const ParserClass PlotterParser_class;

#endif
