/* SPDX-License-Identifier: MIT */
/* Prometheus metrics out (DESIGN §9): served over HTTP (--metrics ADDR)
 * and written to a file for node_exporter's textfile collector
 * (--metrics-file PATH). The text is the caller's (render, from the core's
 * ds_metrics_render); this module is the sink.
 *
 * The server is libmicrohttpd driven from the one event loop (its epoll fd
 * watched, its timeout a timer; no thread): GET /metrics answers with the
 * Prometheus text format 0.0.4, or OpenMetrics when the Accept header asks
 * for it; any other method or path gets 404. Bounded: MX_CONNECTIONS
 * connections (MX_PER_IP from one address), MX_REQUEST_BYTES of request
 * (a longer one is refused by the library), MX_TIMEOUT_S of idleness. A
 * flood of requests costs the loop at most one MHD_run a turn. The file
 * is written every MX_FILE_MS, atomically (temp, fsync, rename). */
#ifndef DRIFTSCOPE_IO_METRICS_EXPORT_H
#define DRIFTSCOPE_IO_METRICS_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/strbuf.h"
#include "io/eventloop.h"

#define MX_CONNECTIONS 32
#define MX_PER_IP 16
#define MX_REQUEST_BYTES (16u << 10)
#define MX_TIMEOUT_S 5
#define MX_FILE_MS 1000.0

typedef void (*MetricsRender)(void *ctx, StrBuf *out, bool openmetrics);

typedef struct MetricsExport {
   struct MHD_Daemon *d; /* NULL: not serving */
   int epoll_fd;
   char where[128]; /* "http://127.0.0.1:9464/metrics" */
   const char *file;
   double file_due;
   bool file_failed; /* said once, until it works again */
   MetricsRender render;
   void *ctx;
   long scrapes, not_found; /* GET /metrics answered; other requests */
   double scrape_max_ms;    /* the longest render + answer */
   void (*note)(void *ctx, const char *msg);
   void *note_ctx;
} MetricsExport;

/* Parse --metrics's ADDR: PORT (loopback: 127.0.0.1), HOST:PORT, or
 * [IPV6]:PORT. Binding beyond loopback needs the address written out
 * (0.0.0.0:9464). False with the reason in err. */
bool ds_metrics_addr(const char *addr, char *host, size_t hn, char *port, size_t pn, char *err, size_t errlen);

/* Serve at addr (NULL: no server) and write file (NULL: no file). False
 * with the reason (the address in use, a bad address) in err. */
bool MetricsExport_open(MetricsExport *x, const char *addr, const char *file, MetricsRender render, void *ctx,
                        char *err, size_t errlen);
bool MetricsExport_on(const MetricsExport *x);
/* The fd to watch (-1: none). */
int MetricsExport_fd(const MetricsExport *x);
/* Requests to answer (the fd was readable). */
void MetricsExport_ready(MetricsExport *x);
/* When MetricsExport_tick has something to do (the server's timeout, the
 * file's next write), -1: never. */
double MetricsExport_due(const MetricsExport *x, double now);
void MetricsExport_tick(MetricsExport *x, double now);
/* The watch and the timer to give the event loop (ctx: x). */
LoopWatch MetricsExport_watch(MetricsExport *x);
LoopTimer MetricsExport_timer(MetricsExport *x);
/* The file written one last time (the figures at the end); the server stops. */
void MetricsExport_close(MetricsExport *x);

#endif
