// SPDX-License-Identifier: MIT
/* `driftscope record DEVICE -o FILE`: headless capture of a board's stream
 * into a session file (DESIGN §8). One poll() loop on the port and the
 * signal pipe; a status line every second; a pulled cable is retried every
 * 500 ms and the session goes on with a gap marker; Ctrl-C stops cleanly. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../io/serial.h"
#include "cli.h"
#include "driftscope/eventloop.h"
#include "driftscope/recorder.h"

#define RETRY_MS 500      /* reopen a lost port this often */
#define STATUS_MS 1000    /* a status line (and a flush) this often */
#define READ_CHUNK 65536  /* bytes read at a time */

typedef struct RecordArgs {
   const char *device, *out, *raw_log;
   SerialConfig serial;
   DsFormat format;
} RecordArgs;

static void usage(FILE *f) {
   fprintf(f, "usage: driftscope record DEVICE -o FILE [options]\n"
              "\n"
              "Capture a board's stream into a session file (CSV with '#' metadata and rx_ms,\n"
              "the receive time, first) that `driftscope report` and the dashboard replay.\n"
              "Prints a status line every second; Ctrl-C stops. A pulled cable is retried\n"
              "every 0.5 s and the recording goes on, with a '# gap' line.\n"
              "\n"
              "  -o, --output FILE        the session file (never overwritten)\n"
              "      --baud N             115200 by default\n"
              "      --parity P           none, odd or even\n"
              "      --stop-bits N        1 or 2\n"
              "      --flow F             none, xonxoff or rtscts\n"
              "      --format FMT         auto csv numeric ei plotter (auto)\n"
              "      --raw-log FILE       also keep every byte received\n"
              "  -h, --help\n");
}

static int parse(RecordArgs *ra, int argc, char **argv) {
   static const struct option opts[] = {
      {"output", required_argument, NULL, 'o'}, {"baud", required_argument, NULL, 'b'},
      {"parity", required_argument, NULL, 'p'}, {"stop-bits", required_argument, NULL, 'S'},
      {"flow", required_argument, NULL, 'w'},   {"format", required_argument, NULL, 'f'},
      {"raw-log", required_argument, NULL, 'L'}, {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
   memset(ra, 0, sizeof *ra);
   SerialConfig_default(&ra->serial);
   optind = 1;
   int c, f;
   size_t n;
   while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
      bool ok = true;
      switch (c) {
      case 'h': usage(stdout); return -1;
      case 'o': ra->out = optarg; break;
      case 'L': ra->raw_log = optarg; break;
      case 'b': ok = (cli_parse_size(optarg, 50, &n) && n <= 4000000 && (ra->serial.baud = (int)n)) ||
                     cli_bad_value("baud", optarg, "a baud rate such as 115200"); break;
      case 'p': ok = ds_parse_parity(optarg, &ra->serial.parity) || cli_bad_value("parity", optarg, "none, odd or even"); break;
      case 'S': ok = (cli_parse_size(optarg, 1, &n) && n <= 2 && (ra->serial.stop_bits = (int)n)) ||
                     cli_bad_value("stop-bits", optarg, "1 or 2"); break;
      case 'w': ok = ds_parse_flow(optarg, &ra->serial.flow) || cli_bad_value("flow", optarg, "none, xonxoff or rtscts"); break;
      case 'f': ok = (f = ds_format_parse(optarg)) >= 0 ? (ra->format = (DsFormat)f, true)
                                                         : cli_bad_value("format", optarg, "auto, csv, numeric, ei or plotter"); break;
      default: ok = false;
      }
      if (!ok)
         return EXIT_ERROR;
   }
   if (optind != argc - 1 || !ra->out) {
      fprintf(stderr, "driftscope record: %s\n", optind != argc - 1 ? "give one DEVICE" : "missing -o FILE");
      usage(stderr);
      return EXIT_ERROR;
   }
   ra->device = argv[optind];
   return 0;
}

typedef struct Capture {
   const RecordArgs *ra;
   SerialPort port;
   bool connected;
   double down_since, last_try, start, last_status;
   Classes classes;
   Table t;
   Ingest in;
   Recorder rec;
   bool meta_done;
   int out, raw;           /* fds; -1 when closed */
   bool write_failed;      /* the last write failed: data waits in memory */
   unsigned long long bytes, bytes_at_status;
   char wall_start[64];
} Capture;

/* Write what the recorder holds; keep what could not be written for the
 * next try (a full disk loses nothing already received). */
static void drain(Capture *c) {
   size_t done = 0;
   while (done < c->rec.out.len) {
      ssize_t w = write(c->out, c->rec.out.data + done, c->rec.out.len - done);
      if (w < 0 && errno == EINTR)
         continue;
      if (w <= 0) {
         if (!c->write_failed)
            fprintf(stderr, "\ndriftscope: %s: cannot write: %s; still reading, %s kept in memory until it can\n",
                    c->ra->out, strerror(errno), "the records");
         c->write_failed = true;
         break;
      }
      done += (size_t)w;
   }
   if (done == c->rec.out.len)
      c->write_failed = false;
   memmove(c->rec.out.data, c->rec.out.data + done, c->rec.out.len - done + 1);
   c->rec.out.len -= done;
}

static void meta(Capture *c) {
   char baud[32];
   snprintf(baud, sizeof baud, "%d 8%c%d%s", c->ra->serial.baud, c->ra->serial.parity == 'n' ? 'N' : c->ra->serial.parity == 'o' ? 'O' : 'E',
            c->ra->serial.stop_bits, c->ra->serial.flow == FLOW_RTSCTS ? " rtscts" : c->ra->serial.flow == FLOW_XONXOFF ? " xonxoff" : "");
   Recorder_comment(&c->rec, "driftscope session");
   Recorder_meta(&c->rec, "source", c->port.path[0] ? c->port.path : c->ra->device);
   Recorder_meta(&c->rec, "baud", baud);
   Recorder_meta(&c->rec, "format", ds_format_name(c->in.format));
   Recorder_meta(&c->rec, "start", c->wall_start);
   Recorder_meta(&c->rec, "driftscope", DS_VERSION);
   c->meta_done = true;
}

/* The records committed since the last call, received now. */
static void record_new(Capture *c, double now) {
   if (!c->meta_done && c->t.nrows > c->rec.next)
      meta(c);
   Recorder_rows(&c->rec, round((now - c->start) * 1000) / 1000); /* to the microsecond */
   Table_discard(&c->t, c->t.nrows); /* written: the table need not keep them */
   c->rec.next = c->t.nrows;
   drain(c);
}

static void disconnect(Capture *c, double now, const char *why) {
   SerialPort_close(&c->port);
   c->connected = false;
   c->down_since = c->last_try = now;
   Ingest_break(&c->in, "the disconnect");
   fprintf(stderr, "\ndriftscope: %s: disconnected (%s); retrying every %.1f s\n", c->ra->device, why, RETRY_MS / 1000.0);
}

static void try_reconnect(Capture *c, double now) {
   char err[512], path[PATH_MAX];
   c->last_try = now;
   const char *dev = c->ra->device;
   SerialPort old = c->port;
   if (access(dev, F_OK) != 0 && ds_find_usb_serial(old.usb_serial, path, sizeof path))
      dev = path; /* the board came back under another name */
   if (!SerialPort_open(&c->port, dev, &c->ra->serial, err, sizeof err)) {
      c->port = old;
      return;
   }
   char gap[160];
   snprintf(gap, sizeof gap, "gap: disconnected from rx_ms %.0f to %.0f", c->down_since - c->start, now - c->start);
   Recorder_comment(&c->rec, gap);
   drain(c);
   c->connected = true;
   fprintf(stderr, "\ndriftscope: %s: reconnected after %.1f s\n", c->port.path, (now - c->down_since) / 1000);
}

/* Read what the port has (non-blocking; with VMIN 0 a read of 0 means
 * nothing more now); a hang-up or a read error is a disconnect. */
static void read_port(Capture *c, double now, bool hangup) {
   static char buf[READ_CHUNK];
   for (;;) {
      ssize_t n = read(SerialPort_fd(&c->port), buf, sizeof buf);
      if (n > 0) {
         c->bytes += (unsigned long long)n;
         if (c->raw >= 0 && write(c->raw, buf, (size_t)n) != n)
            fprintf(stderr, "\ndriftscope: %s: cannot write the raw log: %s\n", c->ra->raw_log, strerror(errno));
         Ingest_feed(&c->in, buf, (size_t)n);
         continue;
      }
      if (n < 0 && errno == EINTR)
         continue;
      if ((n == 0 || errno == EAGAIN) && !hangup)
         break;
      disconnect(c, now, n < 0 && errno != EAGAIN ? strerror(errno) : "hang-up");
      break;
   }
   record_new(c, now);
}

static void print_status(Capture *c, double now) {
   bool tty = isatty(STDERR_FILENO);
   char state[64] = "";
   if (!c->connected)
      snprintf(state, sizeof state, ", DISCONNECTED %.0f s", (now - c->down_since) / 1000);
   fprintf(stderr, "%srecording %s: %ld records, %ld bad lines, %.0f B/s%s%s%s", tty ? "\r\033[K" : "", c->ra->out,
           c->rec.records, c->in.bad_lines, (double)(c->bytes - c->bytes_at_status) * 1000 / (now - c->last_status),
           state, c->write_failed ? ", NOT WRITING" : "", tty ? "" : "\n");
   c->bytes_at_status = c->bytes;
   c->last_status = now;
}

static int loop(Capture *c) {
   EventLoop l;
   if (!EventLoop_init(&l))
      return EXIT_ERROR;
   int sig = 0;
   while (sig != SIGINT && sig != SIGTERM && sig != SIGHUP) {
      double now = ds_now_ms(), next = c->last_status + STATUS_MS;
      if (!c->connected && c->last_try + RETRY_MS < next)
         next = c->last_try + RETRY_MS;
      int ev = EventLoop_wait(&l, c->connected ? SerialPort_fd(&c->port) : -1, next > now ? (int)ceil(next - now) : 0, &sig);
      now = ds_now_ms();
      if (ev & EV_INPUT)
         read_port(c, now, ev & EV_HANGUP);
      if (!c->connected && now - c->last_try >= RETRY_MS)
         try_reconnect(c, now);
      if (now - c->last_status >= STATUS_MS) {
         print_status(c, now);
         if (c->write_failed)
            drain(c);
      }
   }
   EventLoop_done(&l);
   return 0;
}

int cmd_record(int argc, char **argv) {
   RecordArgs ra;
   int st = parse(&ra, argc, argv);
   if (st)
      return st < 0 ? 0 : st;
   Capture *c = calloc(1, sizeof *c);
   char err[512];
   int status = EXIT_ERROR;
   if (!c)
      return EXIT_ERROR;
   c->ra = &ra;
   c->out = c->raw = -1;
   Classes_init(&c->classes);
   if (!Table_init(&c->t, &c->classes, true) || !Ingest_init(&c->in, &c->t, ra.format, ra.device))
      goto out;
   Recorder_init(&c->rec, &c->t);
   if (!SerialPort_open(&c->port, ra.device, &ra.serial, err, sizeof err)) {
      fprintf(stderr, "driftscope: %s\n", err);
      goto done;
   }
   c->out = open(ra.out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
   if (c->out < 0 || (ra.raw_log && (c->raw = open(ra.raw_log, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)) {
      const char *f = c->out < 0 ? ra.out : ra.raw_log;
      fprintf(stderr, "driftscope: %s: %s\n", f, errno == EEXIST ? "exists; recordings are never overwritten" : strerror(errno));
      goto done;
   }
   time_t wall = time(NULL);
   strftime(c->wall_start, sizeof c->wall_start, "%Y-%m-%dT%H:%M:%S%z", localtime(&wall));
   c->connected = true;
   c->start = c->last_status = ds_now_ms();
   fprintf(stderr, "driftscope: recording %s from %s (%d baud); Ctrl-C stops\n", ra.out, c->port.path, ra.serial.baud);
   status = loop(c);
   Ingest_finish(&c->in); /* a last Edge Impulse block ends with the stream */
   record_new(c, ds_now_ms());
   print_status(c, ds_now_ms());
   fprintf(stderr, "\ndriftscope: %s: %ld records%s\n", ra.out, c->rec.records,
           c->rec.out.len ? " (some could not be written: see above)" : "");
   if (c->rec.out.len)
      status = EXIT_ERROR;
done:
   SerialPort_close(&c->port);
   if (c->out >= 0)
      close(c->out);
   if (c->raw >= 0)
      close(c->raw);
   Recorder_done(&c->rec);
   Ingest_done(&c->in);
out:
   Table_done(&c->t);
   Classes_done(&c->classes);
   free(c);
   return status;
}
