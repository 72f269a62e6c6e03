// SPDX-License-Identifier: MIT
#include "live.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "io/eventloop.h"
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

bool LiveSource_open(LiveSource *s, const char *device, const SerialConfig *c, DsFormat f, Table *t, char *err,
                     size_t errlen) {
   memset(s, 0, sizeof *s);
   s->device = device;
   s->serial = *c;
   s->t = t;
   s->out = s->raw = -1;
   s->port.fd = s->port.sp_fd = -1;
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
   s->is_stdin = !strcmp(device, "-");
   if (!s->is_stdin && !SerialPort_open(&s->port, device, c, true, err, errlen))
      return false;
   if (s->is_stdin)
      fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
   ds_wall_iso(s->wall_start, sizeof s->wall_start);
   s->connected = true;
   s->start = ds_now_ms();
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
   return s->is_stdin ? STDIN_FILENO : SerialPort_fd(&s->port);
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
   memmove(s->rec.out.data, s->rec.out.data + done, s->rec.out.len - done + 1);
   s->rec.out.len -= done;
}

static void meta(LiveSource *s) {
   const SerialConfig *c = &s->serial;
   char line[64];
   Recorder_comment(&s->rec, "driftscope session");
   Recorder_meta(&s->rec, "source", s->is_stdin ? "standard input" : s->port.path);
   if (!s->is_stdin) {
      snprintf(line, sizeof line, "%d 8%c%d%s", c->baud,
               c->parity == 'n'   ? 'N'
               : c->parity == 'o' ? 'O'
                                  : 'E',
               c->stop_bits,
               c->flow == FLOW_RTSCTS    ? " rtscts"
               : c->flow == FLOW_XONXOFF ? " xonxoff"
                                         : "");
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

/* Write out what was recorded since the last call. */
static void record_new(LiveSource *s) {
   if (!s->keep_rows)
      Table_discard(s->t, s->t->nrows); /* written: no need to keep them */
   drain(s);
}

static void disconnect(LiveSource *s, double now, const char *why) {
   if (s->is_stdin) {
      s->ended = true;
      s->last_rx = rx_of(s, now);
      Ingest_finish(&s->in);
      record_new(s);
      note(s, "standard input ended");
      return;
   }
   SerialPort_close(&s->port);
   s->connected = false;
   s->down_since = s->last_try = now;
   Ingest_break(&s->in, "the disconnect");
   note(s, "%s: disconnected (%s); retrying every 0.1 s", s->device, why);
}

void LiveSource_read(LiveSource *s, double now, bool hangup) {
   static char buf[READ_CHUNK];
   int fd = LiveSource_fd(s);
   size_t budget = READ_BUDGET_BYTES;
   s->last_rx = rx_of(s, now);
   while (fd >= 0) {
      ssize_t n = read(fd, buf, sizeof buf);
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
      if (n < 0 && errno == EINTR)
         continue;
      /* with VMIN 0 a tty reads 0 when it has nothing more now; stdin's 0 is its end */
      if (!s->is_stdin && (n == 0 || errno == EAGAIN) && !hangup)
         break;
      if (s->is_stdin && n < 0 && errno == EAGAIN)
         break;
      disconnect(s, now, n < 0 && errno != EAGAIN ? strerror(errno) : "hang-up");
      break;
   }
   record_new(s);
}

static void reconnect(LiveSource *s, double now) {
   char err[512], path[PATH_MAX];
   s->last_try = now;
   const char *dev = s->device;
   SerialPort old = s->port;
   if (access(dev, F_OK) != 0 && ds_find_usb_serial(old.usb_serial, path, sizeof path))
      dev = path; /* the board came back under another name */
   if (!SerialPort_open(&s->port, dev, &s->serial, false, err, sizeof err)) {
      s->port = old;
      /* the port is back but cannot be had (another program has it): say
       * so once, not the missing device of every try */
      if (access(dev, F_OK) == 0 && strcmp(err, s->reopen_err)) {
         note(s, "%s", err);
         snprintf(s->reopen_err, sizeof s->reopen_err, "%s", err);
      }
      return;
   }
   s->reopen_err[0] = '\0';
   char gap[160];
   snprintf(gap, sizeof gap, "gap: disconnected from rx_ms %.0f to %.0f", s->down_since - s->start, now - s->start);
   Recorder_comment(&s->rec, gap);
   drain(s);
   s->connected = true;
   note(s, "%s: reconnected after %.1f s", s->port.path, (now - s->down_since) / 1000);
}

void LiveSource_tick(LiveSource *s, double now) {
   if (!s->connected && !s->is_stdin && now - s->last_try >= LIVE_RETRY_MS)
      reconnect(s, now);
   if (s->write_failed)
      drain(s);
}

void LiveSource_finish(LiveSource *s, double now) {
   s->last_rx = rx_of(s, now);
   if (!s->ended)
      Ingest_finish(&s->in);
   s->ended = true;
   record_new(s);
}

void LiveSource_close(LiveSource *s) {
   SerialPort_close(&s->port);
   if (s->out >= 0)
      close(s->out);
   if (s->raw >= 0)
      close(s->raw);
   s->out = s->raw = -1;
   Recorder_done(&s->rec);
   Ingest_done(&s->in);
}
