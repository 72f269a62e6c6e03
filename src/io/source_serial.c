// SPDX-License-Identifier: MIT
/* A serial port: a board's USB serial port (libserialport), any other tty
 * (a pty of an emulator, socat, driftscope simulate) through termios. A
 * reopen keeps what the board printed since it came back: the input is
 * flushed only at the first open. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/source.h"

static bool claims(const char *path) {
   return strcmp(path, "-") != 0;
}

static bool open_port(Source *s, char *err, size_t n) {
   return SerialPort_open(&s->port, s->path, &s->serial, true, err, n);
}

static int fd(const Source *s) {
   return SerialPort_fd(&s->port);
}

static ssize_t read_port(Source *s, char *buf, size_t n, bool hangup) {
   int f = fd(s);
   if (f < 0)
      return -1;
   ssize_t got;
   do
      got = read(f, buf, n);
   while (got < 0 && errno == EINTR);
   if (got > 0)
      return got;
   /* with VMIN 0 a tty reads 0 when it has nothing more now */
   if ((got == 0 || errno == EAGAIN) && !hangup)
      return 0;
   if (got == 0 || errno == EAGAIN)
      errno = 0;
   return -1;
}

/* The board back under its name, or under another one (its USB serial
 * number says which). A port that is back but cannot be had (another
 * program has it) is said in err. */
static bool tick(Source *s, double now, char *err, size_t n) {
   (void)now;
   char path[PATH_MAX];
   const char *dev = s->path;
   SerialPort old = s->port;
   err[0] = '\0';
   if (access(dev, F_OK) != 0 && ds_find_usb_serial(old.usb_serial, path, sizeof path))
      dev = path;
   char why[PATH_MAX + 256];
   if (SerialPort_open(&s->port, dev, &s->serial, false, why, sizeof why))
      return true;
   s->port = old;
   if (access(dev, F_OK) == 0)
      snprintf(err, n, "%s", why);
   return false;
}

static void close_port(Source *s) {
   SerialPort_close(&s->port);
}

static void describe(const Source *s, char *buf, size_t n) {
   snprintf(buf, n, "%s", s->port.path[0] ? s->port.path : s->path);
}

static void settings(const Source *s, char *buf, size_t n) {
   const SerialConfig *c = &s->serial;
   snprintf(buf, n, "%d 8%c%d%s", c->baud,
            c->parity == 'n'   ? 'N'
            : c->parity == 'o' ? 'O'
                               : 'E',
            c->stop_bits,
            c->flow == FLOW_RTSCTS    ? " rtscts"
            : c->flow == FLOW_XONXOFF ? " xonxoff"
                                      : "");
}

const SourceOps ds_source_serial = {"serial", claims, open_port, fd, read_port, tick, close_port, describe, settings};
