// SPDX-License-Identifier: MIT
/* `driftscope record DEVICE -o FILE`: headless capture of a board's stream
 * into a session file (DESIGN §8). One poll() loop on the port and the
 * signal pipe; a status line every second; a pulled cable is retried every
 * 100 ms and the session goes on with a gap marker; Ctrl-C stops cleanly. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "io/eventloop.h"
#include "io/live.h"
#include "io/metrics_export.h"

#define STATUS_MS 1000 /* a status line this often */

typedef struct RecordArgs {
   const char *device, *out, *raw_log;
   const char *metrics, *metrics_file, *board; /* --metrics ADDR, --metrics-file PATH, --board NAME */
   SerialConfig serial;
   DsFormat format;
   ReadOptions read; /* --names, --classes */
} RecordArgs;

static void usage(FILE *f) {
   fprintf(f, "usage: driftscope record DEVICE|-|paced:FILE -o FILE [options]\n"
              "\n"
              "Capture a board's stream into a session file (CSV with '#' metadata and rx_ms,\n"
              "the receive time, first) that `driftscope report` and the dashboard replay.\n"
              "Prints a status line every second; Ctrl-C stops. A pulled cable is retried\n"
              "every 0.1 s and the recording goes on, with a '# gap' line. paced:FILE plays\n"
              "a recording as a board would print it (at its rx_ms, else its time column).\n"
              "\n"
              "  -o, --output FILE        the session file (never overwritten)\n" CLI_SERIAL_HELP
              "      --format FMT         auto csv numeric ei plotter json (auto)\n" CLI_READ_HELP
              "      --raw-log FILE       also keep every byte received\n"
              "      --metrics ADDR       serve Prometheus metrics (records, bad lines,\n"
              "                           connected, the recording's size) at\n"
              "                           http://ADDR/metrics\n"
              "                           (PORT: 127.0.0.1:PORT; 0.0.0.0:PORT: every address)\n"
              "      --metrics-file PATH  the same, written every second (atomically)\n"
              "      --board NAME         the metrics' board label (default: the device's name)\n"
              "  -h, --help\n");
}

static int parse(RecordArgs *ra, int argc, char **argv) {
   static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                        CLI_SERIAL_OPTIONS,
                                        {"format", required_argument, NULL, 'f'},
                                        CLI_READ_OPTIONS,
                                        {"raw-log", required_argument, NULL, 'L'},
                                        {"metrics", required_argument, NULL, 1204},
                                        {"metrics-file", required_argument, NULL, 'M'},
                                        {"board", required_argument, NULL, 'b'},
                                        {"help", no_argument, NULL, 'h'},
                                        {NULL, 0, NULL, 0}};
   memset(ra, 0, sizeof *ra);
   SerialConfig_default(&ra->serial);
   optind = 1;
   int c, f;
   while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
      bool ok = true;
      switch (c) {
      case 'h': usage(stdout); return -1;
      case 'o': ra->out = optarg; break;
      case 'L': ra->raw_log = optarg; break;
      case 1204: ra->metrics = optarg; break;
      case 'M': ra->metrics_file = optarg; break;
      case 'b': ra->board = optarg; break;
      case 'f':
         ok = (f = ds_format_parse(optarg)) >= 0
                 ? (ra->format = (DsFormat)f, true)
                 : cli_bad_value("format", optarg, "auto, csv, numeric, ei, plotter or json");
         break;
      case 1021:
      case 1022: ok = cli_read_option(&ra->read, c, optarg) == 1; break;
      default: ok = cli_serial_option(&ra->serial, c, optarg) == 1;
      }
      if (!ok)
         return EXIT_ERROR;
   }
   if (optind != argc - 1 || !ra->out) {
      fprintf(stderr, "driftscope record: %s (driftscope record --help lists the options)\n",
              optind != argc - 1 ? "give one DEVICE (or - or paced:FILE)" : "missing -o FILE");
      return EXIT_ERROR;
   }
   ra->device = argv[optind];
   return 0;
}

static void to_stderr(void *ctx, const char *msg) {
   (void)ctx;
   fprintf(stderr, "\ndriftscope: %s\n", msg);
}

/* One line: records, bad lines, bytes a second, and trouble. */
static void print_status(const LiveSource *s, const char *out, double now, double *last, unsigned long long *bytes) {
   bool tty = isatty(STDERR_FILENO);
   char state[64] = "";
   if (!s->connected)
      snprintf(state, sizeof state, ", DISCONNECTED %.0f s", (now - s->down_since) / 1000);
   fprintf(stderr, "%srecording %s: %ld records, %ld bad lines, %.0f B/s%s%s%s", tty ? "\r\033[K" : "", out,
           s->rec.records, s->in.bad_lines, (double)(s->bytes - *bytes) * 1000 / (now - *last), state,
           s->write_failed ? ", NOT WRITING" : "", tty ? "" : "\n");
   *bytes = s->bytes;
   *last = now;
}

/* Return whether the recording holds what was read; if not, say why. */
static bool recorded_something(const LiveSource *s) {
   const Ingest *in = &s->in;
   if (in->failed) {
      char msg[600];
      DsError_format(&in->error, msg, sizeof msg);
      fprintf(stderr, "driftscope: recording stopped: %s\n", msg);
      return false;
   }
   if (s->rec.records > 0)
      return true;
   if (s->bytes == 0)
      fprintf(stderr, "driftscope: nothing was received: is the board printing, at this baud rate?\n");
   else
      fprintf(stderr, "driftscope: %llu bytes and %ld lines received, none of them a record (%s%s%s)\n", s->bytes,
              in->lines, in->bad_lines ? "first bad line: " : "format: ",
              in->bad_lines ? in->first_bad[0].reason : ds_format_name(in->format),
              in->bad_lines ? "" : ", every line noise or blank");
   return false;
}

/* The loop's state: the source, the status line's, the metrics. */
typedef struct Recording {
   LiveSource *s;
   const char *out, *board;
   double last;
   unsigned long long bytes;
   MetricsExport mx;
} Recording;

/* The recording's figures: no reference here, so no drift. */
static void render_metrics(void *ctx, StrBuf *out, bool openmetrics) {
   Recording *r = ctx;
   MetricsBoard b = {.name = r->board};
   LiveSource_metrics(r->s, &b);
   ds_metrics_render(out, &b, 1, openmetrics);
}

static int source_fd(void *ctx) {
   return LiveSource_fd(((Recording *)ctx)->s);
}

/* Read; standard input's end, or a stream that cannot be read at all (its
 * header needs more columns than there are), ends the recording. */
static int source_ready(void *ctx, double now, int ev) {
   LiveSource *s = ((Recording *)ctx)->s;
   LiveSource_read(s, now, ev & EV_HANGUP);
   return s->ended || s->in.failed ? 0 : LOOP_GO;
}

static double source_due(void *ctx, double now) {
   (void)now;
   return LiveSource_next_due(((Recording *)ctx)->s);
}

static int source_tick(void *ctx, double now) {
   LiveSource_tick(((Recording *)ctx)->s, now);
   return LOOP_GO;
}

static double status_due(void *ctx, double now) {
   (void)now;
   return ((Recording *)ctx)->last + STATUS_MS;
}

static int status_line(void *ctx, double now) {
   Recording *r = ctx;
   print_status(r->s, r->out, now, &r->last, &r->bytes);
   return LOOP_GO;
}

/* Ctrl-C, SIGTERM, SIGHUP stop; SIGWINCH does not matter here. */
static int on_signal(void *ctx, int sig) {
   (void)ctx;
   return sig == SIGWINCH ? LOOP_GO : 0;
}

/* Until Ctrl-C (or SIGTERM/SIGHUP), or the source's end: read, reopen,
 * report each second, serve the metrics. */
static void loop(Recording *r) {
   EventLoop l;
   if (!EventLoop_init(&l))
      return;
   LoopSpec spec = {
      .watch = {{source_fd, source_ready, NULL}, MetricsExport_watch(&r->mx)},
      .nwatch = 2,
      .timer = {{source_due, source_tick, NULL}, {status_due, status_line, NULL}, MetricsExport_timer(&r->mx)},
      .ntimer = 3,
      .signal = on_signal,
      .ctx = r,
   };
   if (!r->s->ended && !r->s->in.failed)
      EventLoop_run(&l, &spec);
   EventLoop_done(&l);
}

int cmd_record(int argc, char **argv) {
   RecordArgs ra;
   int st = parse(&ra, argc, argv);
   if (st) {
      cli_read_done(&ra.read);
      return st < 0 ? 0 : st;
   }
   Classes cl;
   Table t;
   LiveSource s;
   char err[PATH_MAX + 256];
   int status = EXIT_ERROR;
   Classes_init(&cl);
   if (!Table_init(&t, &cl, false)) {
      Classes_done(&cl);
      return EXIT_ERROR;
   }
   Recording r = {.s = &s, .out = ra.out, .board = cli_board_name(ra.board, ra.device)};
   bool ok = LiveSource_open(&s, ra.device, &ra.serial, ra.format, &t, false, err, sizeof err) &&
             MetricsExport_open(&r.mx, ra.metrics, ra.metrics_file, render_metrics, &r, err, sizeof err) &&
             LiveSource_record(&s, ra.out, ra.raw_log, err, sizeof err);
   if (!ok) {
      fprintf(stderr, "driftscope: %s\n", err);
   } else {
      cli_read_apply(&ra.read, &s.in, NULL);
      s.note = to_stderr;
      char what[PATH_MAX];
      LiveSource_describe(&s, what, sizeof what);
      if (s.src.ops == &ds_source_serial)
         fprintf(stderr, "driftscope: recording %s from %s (opened with %s); Ctrl-C stops\n", ra.out, what,
                 s.src.port.via_termios ? "termios" : "libserialport");
      else
         fprintf(stderr, "driftscope: recording %s from %s; Ctrl-C stops\n", ra.out, what);
      if (r.mx.d)
         fprintf(stderr, "driftscope: metrics at %s\n", r.mx.where);
      r.mx.note = to_stderr;
      r.last = s.start;
      loop(&r);
      LiveSource_finish(&s, ds_now_ms());
      MetricsExport_close(&r.mx); /* the file gets the figures at the end */
      double last = s.start;
      unsigned long long bytes = 0;
      print_status(&s, ra.out, ds_now_ms(), &last, &bytes);
      fprintf(stderr, "\ndriftscope: %s: %ld records%s\n", ra.out, s.rec.records,
              s.rec.out.len ? " (the rest could not be written: see above)" : "");
      status = s.rec.out.len || !recorded_something(&s) ? EXIT_ERROR : 0;
   }
   if (!ok) { /* the server stops; no file of a recording that did not start */
      r.mx.file = NULL;
      MetricsExport_close(&r.mx);
   }
   LiveSource_close(&s);
   Table_done(&t);
   Classes_done(&cl);
   cli_read_done(&ra.read);
   return status;
}
