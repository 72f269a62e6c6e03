// SPDX-License-Identifier: MIT
#include "io/live.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driftscope/clock.h"
#include "driftscope/version.h"
#include "io/filesource.h"

#define READ_CHUNK 65536 /* bytes read at a time */
/* One call reads at most this much, or for this long, then returns to the
 * loop: a source that is never empty (/dev/zero, a file on stdin, a flood)
 * cannot keep keys and signals waiting. */
#define READ_BUDGET_BYTES (1u << 20)
#define READ_BUDGET_MS 20.0

static void note(LiveSource *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void committed(void *ctx, Table *t, double *row);
static void note(LiveSource *s, const char *fmt, ...) {
   char msg[PATH_MAX + 256];
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(msg, sizeof msg, fmt, ap);
   va_end(ap);
   if (s->note)
      s->note(s->note_ctx, msg);
}

bool LiveSource_open(LiveSource *s, const char *device, const SerialConfig *c, DsFormat f, Table *t, bool wait,
                     char *err, size_t errlen) {
   memset(s, 0, sizeof *s);
   Source_init(&s->src, device, c);
   s->t = t;
   s->out = s->raw = -1;
   if (!Ingest_init(&s->in, t, f, device)) {
      snprintf(err, errlen, "out of memory");
      return false;
   }
   if (Table_add_column(t, "rx_ms", ROLE_RX, KIND_NUMERIC, -1) < 0) {
      snprintf(err, errlen, "out of memory");
      return false;
   }
   Recorder_init(&s->rec, t);
   t->on_commit = committed;
   t->commit_ctx = s;
   err[0] = '\0';
   bool open = s->src.ops->open(&s->src, err, errlen);
   if (!open && !(wait && s->src.ops->tick))
      return false;
   ds_wall_iso(s->wall_start, sizeof s->wall_start);
   s->connected = s->was_connected = open;
   s->start = s->down_since = s->last_try = ds_now_ms();
   if (!open) /* retried every LIVE_RETRY_MS, as after a disconnect */
      snprintf(s->reopen_err, sizeof s->reopen_err, "%s", err);
   return true;
}

bool LiveSource_record(LiveSource *s, const char *path, const char *raw_path, char *err, size_t errlen) {
   int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
   s->out = open(path, flags, 0644);
   if (s->out >= 0 && raw_path)
      s->raw = open(raw_path, flags, 0644);
   if (s->out < 0 || (raw_path && s->raw < 0)) {
      int e = errno;
      snprintf(err, errlen, "%s: %s", s->out < 0 ? path : raw_path,
               e == EEXIST ? "exists; recordings are never overwritten" : strerror(e));
      if (s->out >= 0) { /* the session file just made, still empty */
         close(s->out);
         unlink(path);
      }
      s->out = -1;
      errno = e;
      return false;
   }
   s->out_path = path;
   s->raw_path = raw_path;
   return true;
}

int LiveSource_fd(const LiveSource *s) {
   if (!s->connected || s->ended)
      return -1;
   return s->src.ops->fd(&s->src);
}

void LiveSource_describe(const LiveSource *s, char *buf, size_t n) {
   s->src.ops->describe(&s->src, buf, n);
}

/* Write what the recorder holds; keep what could not be written for the
 * next try (a full disk loses nothing already received). */
static void drain(LiveSource *s) {
   if (s->out < 0) {
      StrBuf_clear(&s->rec.out);
      return;
   }
   size_t done = ds_write_all(s->out, s->rec.out.data, s->rec.out.len);
   if (done < s->rec.out.len) {
      if (!s->write_failed)
         note(s, "%s: cannot write: %s; the records are kept in memory until it can", s->out_path, strerror(errno));
      s->write_failed = true;
   }
   if (done == s->rec.out.len && s->write_failed) {
      s->write_failed = false;
      note(s, "%s: writing again", s->out_path);
   }
   if (done) { /* an empty StrBuf's text is read-only: nothing to move then */
      memmove(s->rec.out.data, s->rec.out.data + done, s->rec.out.len - done + 1);
      s->rec.out.len -= done;
   }
}

static void meta(LiveSource *s) {
   char line[PATH_MAX];
   Recorder_comment(&s->rec, "driftscope session");
   LiveSource_describe(s, line, sizeof line);
   Recorder_meta(&s->rec, "source", line);
   if (s->src.ops->settings) {
      s->src.ops->settings(&s->src, line, sizeof line);
      Recorder_meta(&s->rec, "baud", line);
   }
   Recorder_meta(&s->rec, "format", ds_format_name(s->in.format));
   Recorder_meta(&s->rec, "start", s->wall_start);
   Recorder_meta(&s->rec, "driftscope", DS_VERSION);
   s->meta_done = true;
}

/* The receive time of what is read at now: ms since the session began,
 * to the microsecond. */
static double rx_of(const LiveSource *s, double now) {
   return round((now - s->start) * 1000) / 1000;
}

/* A record is committed: it was received now (last_rx); record it. */
static void committed(void *ctx, Table *t, double *row) {
   LiveSource *s = ctx;
   row[t->rx_col] = s->last_rx;
   if (!s->meta_done)
      meta(s);
   Recorder_row(&s->rec, row, s->last_rx);
}

/* Write out what was recorded: every LIVE_FLUSH_MS (a write a record
 * would cost a board at 1,000 records/s a thousand system calls a second),
 * once LIVE_FLUSH_BYTES wait, or now. */
static void record_new(LiveSource *s, double now, bool force) {
   if (!s->keep_rows)
      Table_discard(s->t, s->t->nrows); /* recorded: no need to keep them */
   if (force || s->rec.out.len >= LIVE_FLUSH_BYTES || now - s->flushed >= LIVE_FLUSH_MS) {
      drain(s);
      s->flushed = now;
   }
}

/* The source is gone: one that does not come back has ended (its last
 * records go in); one that does is retried. */
static void disconnect(LiveSource *s, double now, const char *why) {
   if (!s->src.ops->tick) {
      s->ended = true;
      s->last_rx = rx_of(s, now);
      Ingest_finish(&s->in);
      record_new(s, now, true);
      char what[PATH_MAX];
      LiveSource_describe(s, what, sizeof what);
      note(s, "%s ended", what);
      return;
   }
   s->src.ops->close(&s->src);
   s->connected = false;
   s->down_since = s->last_try = now;
   Ingest_break(&s->in, "the disconnect");
   note(s, "%s: disconnected (%s); retrying every 0.1 s", s->src.path, why);
}

void LiveSource_read(LiveSource *s, double now, bool hangup) {
   static char buf[READ_CHUNK];
   size_t budget = READ_BUDGET_BYTES;
   s->last_rx = rx_of(s, now);
   while (LiveSource_fd(s) >= 0) {
      ssize_t n = s->src.ops->read(&s->src, buf, sizeof buf, hangup);
      if (n > 0) {
         s->bytes += (unsigned long long)n;
         if (s->raw >= 0 && write(s->raw, buf, (size_t)n) != n)
            note(s, "%s: cannot write the raw log: %s", s->raw_path, strerror(errno));
         Ingest_feed(&s->in, buf, (size_t)n);
         budget = (size_t)n < budget ? budget - (size_t)n : 0;
         if (!budget || ds_now_ms() - now >= READ_BUDGET_MS)
            break; /* more is waiting: the next turn of the loop reads it */
         continue;
      }
      if (n < 0)
         disconnect(s, now, errno ? strerror(errno) : "hang-up");
      break;
   }
   record_new(s, now, false);
}

static void reconnect(LiveSource *s, double now) {
   char err[512];
   s->last_try = now;
   if (!s->src.ops->tick(&s->src, now, err, sizeof err)) {
      /* the source is back but cannot be had (another program has it):
       * say so once, not the missing device of every try */
      if (err[0] && strcmp(err, s->reopen_err)) {
         note(s, "%s", err);
         snprintf(s->reopen_err, sizeof s->reopen_err, "%s", err);
      }
      return;
   }
   s->reopen_err[0] = '\0';
   char gap[160], what[PATH_MAX];
   snprintf(gap, sizeof gap, "gap: disconnected from rx_ms %.0f to %.0f", s->down_since - s->start, now - s->start);
   if (s->was_connected) /* not the wait for a board not there at the start */
      Recorder_comment(&s->rec, gap);
   drain(s);
   LiveSource_describe(s, what, sizeof what);
   note(s, "%s: %s after %.1f s", what, s->was_connected ? "reconnected" : "connected", (now - s->down_since) / 1000);
   s->connected = s->was_connected = true;
}

double LiveSource_next_due(const LiveSource *s) {
   if (s->write_failed)
      return s->last_try + LIVE_RETRY_MS; /* a write to retry */
   double due = !s->connected && s->src.ops->tick ? s->last_try + LIVE_RETRY_MS : -1;
   if (s->rec.out.len && (due < 0 || s->flushed + LIVE_FLUSH_MS < due))
      due = s->flushed + LIVE_FLUSH_MS; /* records to write out */
   return due;
}

void LiveSource_tick(LiveSource *s, double now) {
   if (!s->connected && s->src.ops->tick && now - s->last_try >= LIVE_RETRY_MS)
      reconnect(s, now);
   if (s->write_failed) {
      s->last_try = now;
      drain(s);
   } else if (s->rec.out.len && now - s->flushed >= LIVE_FLUSH_MS) {
      record_new(s, now, true);
   }
}

void LiveSource_flush(LiveSource *s, double now) {
   if (s->rec.out.len)
      record_new(s, now, true);
}

void LiveSource_finish(LiveSource *s, double now) {
   s->last_rx = rx_of(s, now);
   if (!s->ended)
      Ingest_finish(&s->in);
   s->ended = true;
   record_new(s, now, true);
}

void LiveSource_close(LiveSource *s) {
   if (s->src.ops)
      s->src.ops->close(&s->src);
   if (s->out >= 0)
      close(s->out);
   if (s->raw >= 0)
      close(s->raw);
   s->out = s->raw = -1;
   Recorder_done(&s->rec);
   Ingest_done(&s->in);
}

void LiveSource_metrics(const LiveSource *s, MetricsBoard *b) {
   b->records = (double)s->in.records;
   b->bad_lines = (double)s->in.bad_lines;
   b->connected = s->connected;
   b->last_record_s = NAN;
   b->recording_bytes = NAN;
   if (s->in.records) /* the wall time the newest record came at */
      b->last_record_s = (double)ds_wall_time() - (ds_now_ms() - s->start - s->last_rx) / 1000;
   struct stat st;
   if (s->out >= 0 && fstat(s->out, &st) == 0)
      b->recording_bytes = (double)st.st_size;
}

bool LiveSource_failure(LiveSource *s, char *buf, size_t n) {
   if (!s->in.failed || s->failure_said)
      return false;
   char why[560];
   DsError_format(&s->in.error, why, sizeof why);
   snprintf(buf, n, "NOT READING: %.300s", why);
   s->failure_said = true;
   return true;
}
