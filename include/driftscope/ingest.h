/* SPDX-License-Identifier: MIT */
/* Ingest: bytes in, records out. Owns a LineSplitter and one parser, and
 * appends what the parser recognises to a Table.
 *
 * Format: DS_FORMAT_AUTO buffers the first few non-blank lines, picks the
 * format from them (ds_detect_format) and replays them to the parser.
 * Nothing stops ingestion: a line that cannot be used is counted as a bad
 * line with its number and reason (the first DS_BAD_KEEP are kept, and the
 * last one); known log chatter interleaved by firmware (Edge Impulse's
 * "ERR:" lines...) is counted as noise.
 *
 * Firmware log prefixes are stripped before a line reaches detection and
 * the parser: ESP-IDF "I (25907) tag: " and Zephyr "[00:00:01.234,567]
 * <inf> mod: ". The device time they carry becomes the record's time_ms
 * when the stream has no time of its own; a prefixed line the parser
 * cannot use is a log message (noise), not a bad line. */
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
   DS_FORMAT_JSON,    /* JSON Lines: one object a line (ArduinoJson, SensiML) */
   DS_FORMAT_COUNT,
} DsFormat;

const char *ds_format_name(DsFormat f);
/* Return the format named s ("auto", "csv", "numeric", "ei", "plotter", "json"), or -1. */
int ds_format_parse(const char *s);

#define DS_BAD_KEEP 8          /* bad lines remembered with their reasons */
#define DS_DETECT_LINES 8      /* lines looked at before choosing a format */
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
   void (*finish)(void *self, Ingest *in); /* optional: end of input, flush a pending record */
   void (*blank)(void *self, Ingest *in);  /* optional: a blank line (it may end a record) */
   /* optional: line lineno was lost (why: "could not be read: ...", "cut
    * off by the disconnect"): a record it was part of is incomplete */
   void (*lost)(void *self, Ingest *in, long lineno, const char *why);
   void (*destroy)(void *self);
   /* optional: a parser in the same state for a continuation (Ingest_fork) */
   void *(*clone)(const void *self, Ingest *in);
} ParserClass;

struct Ingest {
   const char *source; /* name used in messages (file path, "stdin", a device) */
   DsFormat forced;
   DsFormat format; /* AUTO until detected */
   const ParserClass *parser;
   void *pstate;
   Table *table;
   LineSplitter ls;
   /* detection buffer */
   char *held[DS_DETECT_MAX_LINES];
   size_t held_len[DS_DETECT_MAX_LINES];
   long held_no[DS_DETECT_MAX_LINES];
   double held_ms[DS_DETECT_MAX_LINES];
   bool held_log[DS_DETECT_MAX_LINES];
   int nheld;
   /* the line being handled */
   double line_ms; /* device time from its log prefix, NAN when none */
   bool line_log;  /* it had a log prefix */
   long line_no;   /* its number */
   double row_ms;  /* line_ms of the line the record being built began at */
   int log_col;    /* the time_ms column made for the prefixes' times, -1 none */
   bool utf16;     /* the stream began with a UTF-16 byte order mark */
   /* counters */
   long lines, blank_lines, bad_lines, noise_lines, comment_lines, records, bad_fields;
   long object_detections;
   long log_lines; /* lines whose log prefix was stripped */
   BadLine first_bad[DS_BAD_KEEP];
   int nfirst_bad;
   BadLine last_bad;
   long decimal_commas; /* numbers read with a decimal comma ("31,98") */
   bool failed;         /* memory ran out, or the input cannot be read at all: stop appending */
   DsError error;       /* why it failed */
   /* Options, set after Ingest_init (the caller keeps the arrays alive):
    * names for headerless columns (numbers, a JSON feature vector) instead
    * of f0, f1...: --names (names_given: whatever the count), or the
    * reference's features, used only when a record has as many (matched by
    * position); by_position says what happened (1 matched, -1 the counts
    * differ, 0 not yet). class_names: --classes, the names of integer
    * class ids (0, 1, ...) in predictions and truth. */
   const char *const *names;
   int nnames;
   bool names_given;
   int by_position;
   const char *const *class_names;
   int nclass_names;
   char name_buf[DS_NAME_MAX];
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

/* The firmware log prefix at the start of s[0..n): ESP-IDF "I (25907) tag: "
 * (or "I (12:34:56.789) tag: ") or Zephyr "[00:00:01.234,567] <inf> mod: "
 * (or "[00012345] <inf> mod: "). Returns its length, 0 when there is none;
 * *ms gets the device time in ms it carries, NAN when it carries none. */
size_t ds_log_prefix(const char *s, size_t n, double *ms);

/* Return the format the given lines look like (DS_FORMAT_AUTO if none).
 * A CSV header counts once a line with as many fields follows it (a log
 * line with a comma is not a header); final: no more lines will come, so
 * a header alone counts too. */
DsFormat ds_detect_format(const char *const *lines, const size_t *lens, int n, bool final);
/* The same, with the index of the line that showed the format (a CSV's
 * header, the first record) in *first: the lines before it are a banner. */
DsFormat ds_detect_format_at(const char *const *lines, const size_t *lens, int n, bool final, int *first);

/* A CSV line's delimiter: the most frequent of ',', ';' and tab outside
 * quotes (',' when none; a tie goes to ','). */
char ds_csv_delimiter(const char *s, size_t n);

/* For parsers. */
void Ingest_bad(Ingest *in, long lineno, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A value that could not be used in an otherwise good line (the line's
 * record is kept, the value is missing); kept with the bad lines' reasons. */
void Ingest_bad_field(Ingest *in, long lineno, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void Ingest_noise(Ingest *in);
/* The column named name, created with the role its name gives when the
 * table has none (-1 when it cannot be: a bad value is counted, with the
 * reason). */
int Ingest_named_column(Ingest *in, const char *name);
/* The name of headerless column i of a record of count values: from
 * in->names (see above) or f<i>. Valid until the next call. */
const char *Ingest_column_name(Ingest *in, int i, size_t count);
/* The class id of a categorical value s[0..n), interned; an integer id
 * names --classes' entry. -1: more than DS_MAX_CLASSES classes; -2: an
 * id --classes does not name (counted as a bad value, with the reason). */
int Ingest_class(Ingest *in, const char *s, size_t n);
/* Begin a record at the current line (Table_row_begin, and the line's
 * device time for it). */
void Ingest_row_begin(Ingest *in);
/* Commit the table's current row as one record. */
void Ingest_commit(Ingest *in);

extern const ParserClass CsvParser_class;
extern const ParserClass NumericParser_class;
extern const ParserClass EiParser_class;
extern const ParserClass PlotterParser_class;
extern const ParserClass JsonParser_class;

#endif
