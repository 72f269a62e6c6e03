// SPDX-License-Identifier: MIT
/* Standard input ("-"): a pipe from another program (ssh pi cat
 * /dev/ttyUSB0), a file. Its end is the session's end. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/source.h"

static bool claims(const char *path) {
   return strcmp(path, "-") == 0;
}

static bool open_stdin(Source *s, char *err, size_t n) {
   (void)err;
   (void)n;
   int flags = fcntl(STDIN_FILENO, F_GETFL);
   if (flags >= 0)
      fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK);
   s->fd = STDIN_FILENO;
   return true;
}

static int fd(const Source *s) {
   return s->fd;
}

static ssize_t read_stdin(Source *s, char *buf, size_t n, bool hangup) {
   (void)hangup; /* a pipe's hang-up still has bytes to read: its end is read() = 0 */
   if (s->fd < 0)
      return -1;
   ssize_t got;
   do
      got = read(s->fd, buf, n);
   while (got < 0 && errno == EINTR);
   if (got > 0)
      return got;
   if (got < 0 && errno == EAGAIN)
      return 0;
   if (got == 0)
      errno = 0;
   return -1;
}

static void close_stdin(Source *s) {
   s->fd = -1; /* standard input stays open: it is the process's */
}

static void describe(const Source *s, char *buf, size_t n) {
   (void)s;
   snprintf(buf, n, "standard input");
}

const SourceOps ds_source_stdin = {"stdin", claims, open_stdin, fd, read_stdin, NULL, close_stdin, describe, NULL};
