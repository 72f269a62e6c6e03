// SPDX-License-Identifier: MIT
/* Prometheus metrics out: see metrics_export.h. */
#include "io/metrics_export.h"

#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "driftscope/clock.h"
#include "driftscope/exposition.h"
#include "io/filesource.h"

static void say(MetricsExport *x, const char *msg) {
   if (x->note)
      x->note(x->note_ctx, msg);
}

bool ds_metrics_addr(const char *addr, char *host, size_t hn, char *port, size_t pn, char *err, size_t errlen) {
   const char *colon = strrchr(addr, ':');
   if (addr[0] == '[') { /* [::1]:9464 */
      const char *close = strchr(addr, ']');
      if (!close || close[1] != ':' || !close[2]) {
         snprintf(err, errlen, "--metrics %s: write an IPv6 address as [ADDR]:PORT", addr);
         return false;
      }
      snprintf(host, hn, "%.*s", (int)(close - addr - 1), addr + 1);
      colon = close + 1;
   } else if (!colon) { /* a port alone: loopback */
      snprintf(host, hn, "127.0.0.1");
      colon = addr - 1;
   } else if (strchr(addr, ':') != colon) {
      snprintf(err, errlen, "--metrics %s: write an IPv6 address as [ADDR]:PORT", addr);
      return false;
   } else {
      snprintf(host, hn, "%.*s", (int)(colon - addr), addr);
   }
   const char *p = colon + 1;
   char *end;
   errno = 0;
   long v = strtol(p, &end, 10);
   if (!*p || *end || errno || v < 0 || v > 65535 || !host[0]) {
      snprintf(err, errlen, "--metrics %s: give PORT, HOST:PORT or [IPV6]:PORT (127.0.0.1:9464)", addr);
      return false;
   }
   snprintf(port, pn, "%ld", v);
   return true;
}

/* One request: GET /metrics, or 404. Called once per request (its
 * headers in), before any body: a body is never read. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **req) {
   (void)version;
   (void)upload;
   (void)upload_size;
   (void)req;
   MetricsExport *x = cls;
   double t0 = ds_now_ms();
   struct MHD_Response *r;
   unsigned status;
   StrBuf out;
   StrBuf_init(&out);
   if (strcmp(method, MHD_HTTP_METHOD_GET) || strcmp(url, "/metrics")) {
      static const char nf[] = "not found: driftscope serves GET /metrics only\n";
      x->not_found++;
      status = MHD_HTTP_NOT_FOUND;
      r = MHD_create_response_from_buffer(sizeof nf - 1, (void *)nf, MHD_RESPMEM_PERSISTENT);
      if (r)
         MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
   } else {
      const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
      bool om = accept && strstr(accept, "application/openmetrics-text");
      x->render(x->ctx, &out, om);
      if (out.oom) {
         static const char oom[] = "out of memory rendering the metrics\n";
         status = MHD_HTTP_SERVICE_UNAVAILABLE;
         r = MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
      } else {
         status = MHD_HTTP_OK;
         r = MHD_create_response_from_buffer(out.len, out.data, MHD_RESPMEM_MUST_COPY);
         if (r)
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                    om ? DS_METRICS_OPENMETRICS_TYPE : DS_METRICS_TEXT_TYPE);
      }
      x->scrapes++;
   }
   StrBuf_done(&out);
   if (!r)
      return MHD_NO; /* no memory: the connection is closed */
   enum MHD_Result ok = MHD_queue_response(c, status, r);
   MHD_destroy_response(r);
   double ms = ds_now_ms() - t0;
   if (ms > x->scrape_max_ms)
      x->scrape_max_ms = ms;
   return ok;
}

/* The library's own complaints (a malformed request, a client gone): it
 * answers them itself; nothing is printed over a dashboard. */
static void mhd_log(void *cls, const char *fmt, va_list ap) {
   (void)cls;
   (void)fmt;
   (void)ap;
}

bool MetricsExport_open(MetricsExport *x, const char *addr, const char *file, MetricsRender render, void *ctx,
                        char *err, size_t errlen) {
   memset(x, 0, sizeof *x);
   x->epoll_fd = -1;
   x->file = file;
   x->render = render;
   x->ctx = ctx;
   x->file_due = ds_now_ms();
   if (!addr)
      return true;
   char host[80], port[8];
   if (!ds_metrics_addr(addr, host, sizeof host, port, sizeof port, err, errlen))
      return false;
   struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_NUMERICHOST, .ai_socktype = SOCK_STREAM}, *ai;
   int g = getaddrinfo(host, port, &hints, &ai);
   if (g) {
      snprintf(err, errlen, "--metrics %s: %s is not an IP address (%s)", addr, host, gai_strerror(g));
      return false;
   }
   unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
   errno = 0;
   x->d =
      MHD_start_daemon(flags, 0, NULL, NULL, answer, x, MHD_OPTION_SOCK_ADDR, ai->ai_addr, MHD_OPTION_CONNECTION_LIMIT,
                       (unsigned)MX_CONNECTIONS, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)MX_PER_IP,
                       MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MX_REQUEST_BYTES, MHD_OPTION_CONNECTION_TIMEOUT,
                       (unsigned)MX_TIMEOUT_S, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
   int saved = errno;
   freeaddrinfo(ai);
   if (!x->d) {
      snprintf(err, errlen, "--metrics %s: cannot listen there: %s", addr,
               saved ? strerror(saved) : "the address is in use or not this machine's");
      return false;
   }
   const union MHD_DaemonInfo *info = MHD_get_daemon_info(x->d, MHD_DAEMON_INFO_EPOLL_FD);
   const union MHD_DaemonInfo *bound = MHD_get_daemon_info(x->d, MHD_DAEMON_INFO_BIND_PORT);
   x->epoll_fd = info ? info->epoll_fd : -1;
   snprintf(x->where, sizeof x->where, strchr(host, ':') ? "http://[%s]:%u/metrics" : "http://%s:%u/metrics", host,
            bound ? (unsigned)bound->port : 0u);
   return true;
}

bool MetricsExport_on(const MetricsExport *x) {
   return x->d || x->file;
}

int MetricsExport_fd(const MetricsExport *x) {
   return x->d ? x->epoll_fd : -1;
}

void MetricsExport_ready(MetricsExport *x) {
   if (x->d)
      MHD_run(x->d);
}

double MetricsExport_due(const MetricsExport *x, double now) {
   double due = x->file ? x->file_due : -1;
   MHD_UNSIGNED_LONG_LONG t;
   if (x->d && MHD_get_timeout(x->d, &t) == MHD_YES) {
      double at = now + (double)t;
      due = due < 0 || at < due ? at : due;
   }
   return due;
}

static void write_file(MetricsExport *x) {
   StrBuf out;
   StrBuf_init(&out);
   x->render(x->ctx, &out, false);
   if (out.oom || !ds_write_file_atomic(x->file, out.data, out.len)) {
      if (!x->file_failed) {
         char msg[PATH_MAX + 100];
         snprintf(msg, sizeof msg, "metrics: %s: cannot write: %s (tried every second)", x->file,
                  out.oom ? "out of memory" : strerror(errno));
         say(x, msg);
      }
      x->file_failed = true;
   } else {
      x->file_failed = false;
   }
   StrBuf_done(&out);
}

void MetricsExport_tick(MetricsExport *x, double now) {
   if (x->d)
      MHD_run(x->d);
   if (x->file && now >= x->file_due) {
      write_file(x);
      x->file_due = now + MX_FILE_MS;
   }
}

static int loop_fd(void *ctx) {
   return MetricsExport_fd(ctx);
}

static int loop_ready(void *ctx, double now, int ev) {
   (void)now;
   (void)ev;
   MetricsExport_ready(ctx);
   return LOOP_GO;
}

static double loop_due(void *ctx, double now) {
   return MetricsExport_due(ctx, now);
}

static int loop_tick(void *ctx, double now) {
   MetricsExport_tick(ctx, now);
   return LOOP_GO;
}

LoopWatch MetricsExport_watch(MetricsExport *x) {
   return (LoopWatch){loop_fd, loop_ready, x};
}

LoopTimer MetricsExport_timer(MetricsExport *x) {
   return (LoopTimer){loop_due, loop_tick, x};
}

void MetricsExport_close(MetricsExport *x) {
   if (x->d)
      MHD_stop_daemon(x->d);
   x->d = NULL;
   if (x->file)
      write_file(x);
   x->file = NULL; /* once */
}
