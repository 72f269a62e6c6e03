// SPDX-License-Identifier: MIT
/* A recorded session replayed at its pace ("paced:FILE"): its lines come
 * out as a board printed them, each data line when its time comes (the
 * rx_ms column of a driftscope recording, else the device time column,
 * else one every DS_REPLAY_DEFAULT_MS), "#" lines and the header at once.
 * A timerfd is what the loop polls: readable when the next line is due.
 * Its end is the session's end, as standard input's. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "driftscope/clock.h"
#include "driftscope/replay.h"
#include "driftscope/table.h"
#include "io/filesource.h"
#include "io/source.h"

#define PREFIX "paced:"

typedef struct Paced {
   char *text;     /* the file */
   size_t len, at; /* what is sent: text[0, at) */
   int time_field; /* the header's time column, -1: none */
   double start;   /* the clock when the first data line went */
   double t0;      /* that line's time */
   long lines;     /* data lines sent */
} Paced;

static bool claims(const char *path) {
   return !strncmp(path, PREFIX, strlen(PREFIX));
}

/* Field k of the CSV line at s (up to the line's end), as a number; NaN
 * when it is not one. Quoted fields are skipped over whole. */
static double field(const char *s, int k) {
   bool quoted = false;
   for (int i = 0; i < k && *s && *s != '\n'; s++) {
      if (*s == '"')
         quoted = !quoted;
      else if (*s == ',' && !quoted)
         i++;
   }
   char *end;
   double v = strtod(s, &end);
   return end != s && (*end == ',' || *end == '\n' || *end == '\r' || !*end) ? v : NAN;
}

/* The header's time column: rx_ms, else the device time (ms), else -1. */
static int time_field(const char *line) {
   int rx = -1, tm = -1, k = 0;
   char name[DS_NAME_MAX];
   while (*line && *line != '\n') {
      size_t n = strcspn(line, ",\r\n");
      snprintf(name, sizeof name, "%.*s", (int)(n < DS_NAME_MAX ? n : DS_NAME_MAX - 1), line);
      ColumnRole r = ds_role_for_name(name, NULL);
      if (r == ROLE_RX && rx < 0)
         rx = k;
      if (r == ROLE_TIME && tm < 0)
         tm = k;
      line += n;
      if (*line == ',')
         line++;
      else
         break;
      k++;
   }
   return rx >= 0 ? rx : tm;
}

static bool open_paced(Source *s, char *err, size_t n) {
   const char *path = s->path + strlen(PREFIX);
   Paced *p = calloc(1, sizeof *p);
   if (!p || !(p->text = ds_read_file(path, &p->len))) {
      snprintf(err, n, "%s: %s", path, p ? strerror(errno) : "out of memory");
      free(p);
      return false;
   }
   s->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
   if (s->fd < 0) {
      snprintf(err, n, "%s: cannot make a timer: %s", path, strerror(errno));
      free(p->text);
      free(p);
      return false;
   }
   p->time_field = -2; /* the header is not read yet */
   s->state = p;
   struct itimerspec now = {.it_value = {0, 1}}; /* the first lines at once */
   timerfd_settime(s->fd, 0, &now, NULL);
   return true;
}

static int fd(const Source *s) {
   return s->fd;
}

/* When the next data line (at text + at) is due, on ds_now_ms's clock. */
static double due(const Paced *p, double now) {
   const char *line = p->text + p->at;
   if (!p->lines)
      return now;
   double t = p->time_field >= 0 ? field(line, p->time_field) : NAN;
   double since = p->time_field >= 0 ? (isnan(t) ? 0 : fmax(t - p->t0, 0)) : (double)p->lines * DS_REPLAY_DEFAULT_MS;
   return p->start + since;
}

static void arm(Source *s, double wait_ms) {
   struct itimerspec it = {0};
   long ns = wait_ms > 0 ? (long)(wait_ms * 1e6) : 1;
   it.it_value.tv_sec = ns / 1000000000L;
   it.it_value.tv_nsec = ns % 1000000000L;
   if (!it.it_value.tv_sec && !it.it_value.tv_nsec)
      it.it_value.tv_nsec = 1;
   timerfd_settime(s->fd, 0, &it, NULL);
}

/* The lines due now, up to n bytes; -1 (errno 0) once the file is sent. */
static ssize_t read_paced(Source *s, char *buf, size_t n, bool hangup) {
   (void)hangup;
   Paced *p = s->state;
   if (!p || s->fd < 0)
      return -1;
   uint64_t ticks;
   if (read(s->fd, &ticks, sizeof ticks) < 0 && errno == EAGAIN)
      return 0; /* not due yet */
   double now = ds_now_ms();
   size_t out = 0;
   while (p->at < p->len) {
      const char *line = p->text + p->at;
      size_t l = strcspn(line, "\n");
      l += line[l] == '\n';
      bool data = *line != '#' && p->time_field != -2;
      if (p->time_field == -2 && *line != '#' && *line != '\n') /* the header */
         p->time_field = time_field(line);
      if (data) {
         double at = due(p, now);
         if (at > now) {
            arm(s, at - now);
            return (ssize_t)out;
         }
         if (!p->lines) {
            p->start = now;
            p->t0 = p->time_field >= 0 ? field(line, p->time_field) : 0;
            if (isnan(p->t0))
               p->t0 = 0;
         }
         p->lines++;
      }
      if (out + l > n) { /* the rest next time, at once */
         arm(s, 0);
         return (ssize_t)out;
      }
      memcpy(buf + out, line, l);
      out += l;
      p->at += l;
   }
   if (out) {
      arm(s, 0); /* the end is said by the next read */
      return (ssize_t)out;
   }
   errno = 0;
   return -1;
}

static void close_paced(Source *s) {
   Paced *p = s->state;
   if (s->fd >= 0)
      close(s->fd);
   s->fd = -1;
   if (p)
      free(p->text);
   free(p);
   s->state = NULL;
}

static void describe(const Source *s, char *buf, size_t n) {
   snprintf(buf, n, "%s (replayed at its pace)", s->path + strlen(PREFIX));
}

const SourceOps ds_source_paced = {"paced", claims, open_paced, fd, read_paced, NULL, close_paced, describe, NULL};
