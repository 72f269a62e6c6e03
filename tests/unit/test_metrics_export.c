// SPDX-License-Identifier: MIT
/* Prometheus metrics out (io/metrics_export): --metrics's address rules,
 * and the server driven by hand as the loop drives it (its fd, MHD_run):
 * GET /metrics gets the caller's text with the text format's content type,
 * OpenMetrics when the Accept header asks, anything else 404; the file is
 * written whole. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "driftscope/clock.h"
#include "driftscope/exposition.h"
#include "io/metrics_export.h"
#include "testutil.h"

static void addr_ok(const char *addr, const char *host, const char *port) {
   char h[80], p[8], err[200];
   if (!ds_metrics_addr(addr, h, sizeof h, p, sizeof p, err, sizeof err))
      fail_msg("%s refused: %s", addr, err);
   assert_string_equal(h, host);
   assert_string_equal(p, port);
}

static void addr_bad(const char *addr) {
   char h[80], p[8], err[200] = "";
   if (ds_metrics_addr(addr, h, sizeof h, p, sizeof p, err, sizeof err))
      fail_msg("%s taken as %s port %s", addr, h, p);
   assert_non_null(strstr(err, "--metrics"));
}

/* A port alone is loopback; any other address is written out. */
static void test_metrics_addr(void **state) {
   (void)state;
   addr_ok("9464", "127.0.0.1", "9464");
   addr_ok("127.0.0.1:9464", "127.0.0.1", "9464");
   addr_ok("0.0.0.0:9100", "0.0.0.0", "9100");
   addr_ok("[::1]:9464", "::1", "9464");
   addr_ok("[::]:1", "::", "1");
   addr_bad("127.0.0.1:");
   addr_bad(":9464");
   addr_bad("127.0.0.1:99999");
   addr_bad("127.0.0.1:94x");
   addr_bad("::1:9464"); /* IPv6 without brackets */
   addr_bad("[::1]9464");
   addr_bad("");
}

static int renders;

static void render(void *ctx, StrBuf *out, bool om) {
   (void)ctx;
   renders++;
   StrBuf_printf(out, "# TYPE x gauge\nx{board=\"b\"} %d\n%s", renders, om ? "# EOF\n" : "");
}

/* Send request on a new connection to port and serve it until the answer
 * is whole (the server closes: Connection: close). */
static void ask(MetricsExport *x, int port, const char *request, char *answer, size_t n) {
   int s = socket(AF_INET, SOCK_STREAM, 0);
   struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
   a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof a), 0);
   assert_int_equal(write(s, request, strlen(request)), (ssize_t)strlen(request));
   size_t got = 0;
   double t0 = ds_now_ms();
   while (ds_now_ms() - t0 < 3000) {
      struct pollfd p[2] = {{.fd = MetricsExport_fd(x), .events = POLLIN}, {.fd = s, .events = POLLIN}};
      poll(p, 2, 20);
      MetricsExport_tick(x, ds_now_ms());
      if (p[1].revents & POLLIN) {
         ssize_t r = read(s, answer + got, n - 1 - got);
         if (r <= 0)
            break;
         got += (size_t)r;
      }
   }
   answer[got] = '\0';
   close(s);
}

static void test_metrics_server(void **state) {
   (void)state;
   MetricsExport x;
   char err[300], answer[4096];
   if (!MetricsExport_open(&x, "127.0.0.1:0", NULL, render, NULL, err, sizeof err))
      fail_msg("%s", err);
   assert_true(MetricsExport_on(&x));
   assert_true(MetricsExport_fd(&x) >= 0);
   int port = atoi(strrchr(x.where, ':') + 1);
   assert_true(port > 0);
   assert_non_null(strstr(x.where, "http://127.0.0.1:"));

   ask(&x, port, "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", answer, sizeof answer);
   assert_non_null(strstr(answer, "HTTP/1.1 200"));
   assert_non_null(strstr(answer, "Content-Type: " DS_METRICS_TEXT_TYPE "\r\n"));
   assert_non_null(strstr(answer, "\r\n\r\n# TYPE x gauge\nx{board=\"b\"} 1\n"));
   assert_null(strstr(answer, "# EOF"));

   ask(&x, port,
       "GET /metrics HTTP/1.1\r\nHost: a\r\nAccept: application/openmetrics-text; version=1.0.0\r\n"
       "Connection: close\r\n\r\n",
       answer, sizeof answer);
   assert_non_null(strstr(answer, "Content-Type: " DS_METRICS_OPENMETRICS_TYPE "\r\n"));
   assert_non_null(strstr(answer, "x{board=\"b\"} 2\n# EOF\n"));

   static const char *const bad[] = {
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
      "GET /metricsx HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
      "POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
      "DELETE /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
      "HEAD /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
   };
   for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
      ask(&x, port, bad[i], answer, sizeof answer);
      if (!strstr(answer, "HTTP/1.1 404"))
         fail_msg("%s answered\n%s", bad[i], answer);
   }
   assert_int_equal(renders, 2); /* nothing rendered for what is not GET /metrics */
   assert_int_equal(x.scrapes, 2);
   assert_int_equal(x.not_found, (long)(sizeof bad / sizeof *bad));
   MetricsExport_close(&x);
}

/* --metrics-file: written at once, every MX_FILE_MS, and at the close;
 * a file that cannot be written is said once. */
static void test_metrics_file(void **state) {
   (void)state;
   char dir[] = "/tmp/ds-mx-XXXXXX", path[64], err[200], buf[256];
   assert_non_null(mkdtemp(dir));
   snprintf(path, sizeof path, "%s/m.prom", dir);
   MetricsExport x;
   renders = 0;
   assert_true(MetricsExport_open(&x, NULL, path, render, NULL, err, sizeof err));
   assert_int_equal(MetricsExport_fd(&x), -1);
   double now = ds_now_ms();
   assert_true(MetricsExport_due(&x, now) <= now);
   MetricsExport_tick(&x, now);
   FILE *f = fopen(path, "r");
   assert_non_null(f);
   size_t n = fread(buf, 1, sizeof buf - 1, f);
   buf[n] = '\0';
   fclose(f);
   assert_string_equal(buf, "# TYPE x gauge\nx{board=\"b\"} 1\n");
   assert_true(MetricsExport_due(&x, now) >= now + MX_FILE_MS - 1);
   MetricsExport_tick(&x, now + 10); /* not due: not written */
   assert_int_equal(renders, 1);
   MetricsExport_close(&x); /* the last figures */
   assert_int_equal(renders, 2);
   unlink(path);
   rmdir(dir);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_metrics_addr),
      cmocka_unit_test(test_metrics_server),
      cmocka_unit_test(test_metrics_file),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
