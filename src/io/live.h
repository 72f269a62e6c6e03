/* SPDX-License-Identifier: MIT */
/* A live source: a Source (source.h: a serial port, standard input) read
 * into a Table through the core's Ingest, every record written to a
 * session file as it is committed (Recorder), a lost source retried every
 * LIVE_RETRY_MS with a gap marker. Shared by `record` and the dashboard;
 * the caller's loop polls LiveSource_fd, calls LiveSource_read when it is
 * readable and LiveSource_tick by LiveSource_next_due. Events
 * (disconnects, write failures) go to note(). */
#ifndef DRIFTSCOPE_IO_LIVE_H
#define DRIFTSCOPE_IO_LIVE_H

#include <limits.h>
#include <stdbool.h>

#include "driftscope/exposition.h"
#include "driftscope/ingest.h"
#include "driftscope/recorder.h"
#include "io/source.h"

#define LIVE_RETRY_MS 100            /* reopen a lost source this often */
#define LIVE_FLUSH_MS 100            /* what was recorded is written out at least this often */
#define LIVE_FLUSH_BYTES (64u << 10) /* or once this much waits */

typedef struct LiveSource {
   Source src;
   bool connected, ended; /* ended: a source that does not come back ended */
   bool was_connected;    /* it has been (a source waited for at the start has not) */
   double start, down_since, last_try;
   double flushed; /* when the recording was last written out */
   double last_rx; /* rx_ms of what is being read now (the newest records) */
   Table *t;       /* its rx_ms column holds each record's receive time */
   bool keep_rows; /* false: rows are dropped once recorded */
   Ingest in;
   Recorder rec;
   const char *out_path, *raw_path;
   int out, raw; /* -1 when not writing */
   bool meta_done, write_failed;
   bool failure_said; /* LiveSource_failure said the stream cannot be read on */
   unsigned long long bytes;
   char wall_start[64];
   char reopen_err[512]; /* the last reason a reopen failed, said once */
   void (*note)(void *ctx, const char *msg);
   void *note_ctx;
} LiveSource;

/* Open device ("-": standard input) into t with format f; every record
 * committed to t is given its receive time and recorded (t's on_commit).
 * Returns false with the reason (naming the device and the fix) in err.
 * wait: a source that can come back (a serial port) that cannot be opened
 * now is retried as after a disconnect: true, not connected, the reason in
 * err. */
bool LiveSource_open(LiveSource *s, const char *device, const SerialConfig *c, DsFormat f, Table *t, bool wait,
                     char *err, size_t errlen);
/* Write a session file (and a raw log) from now on; both must not exist.
 * On failure nothing is left behind and errno says why. */
bool LiveSource_record(LiveSource *s, const char *path, const char *raw_path, char *err, size_t errlen);
/* The fd to poll for input; -1 while disconnected or ended. */
int LiveSource_fd(const LiveSource *s);
/* Read what is there, within a budget of bytes and time (hangup: the poll
 * said the other end went). */
void LiveSource_read(LiveSource *s, double now, bool hangup);
/* When LiveSource_tick has something to do (a reopen to try, records to
 * write out, a write to retry), -1 when nothing. */
double LiveSource_next_due(const LiveSource *s);
/* Reopen tries and retried writes. */
void LiveSource_tick(LiveSource *s, double now);
/* The source, as the status line says it ("standard input", a device). */
void LiveSource_describe(const LiveSource *s, char *buf, size_t n);
/* The stream cannot be read on (a header needing more columns than there
 * can be; memory): true the first time it is asked after that happened,
 * with what to say ("NOT READING: ...") in buf. */
bool LiveSource_failure(LiveSource *s, char *buf, size_t n);
/* The source's own figures for the metrics (exposition.h): records and
 * bad lines read, connected, the last record's Unix time, the recording's
 * size; name, m and reference are the caller's. */
void LiveSource_metrics(const LiveSource *s, MetricsBoard *b);
/* Write out what was recorded now (a hook is about to read the file). */
void LiveSource_flush(LiveSource *s, double now);
/* The last records (an Edge Impulse block ends with the stream), flushed. */
void LiveSource_finish(LiveSource *s, double now);
void LiveSource_close(LiveSource *s);

#endif
