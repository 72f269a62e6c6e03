// SPDX-License-Identifier: MIT
/* LD_PRELOAD shim for tests: lets libserialport 0.1.1 open a pseudo-
 * terminal, so its real sp_* calls (sp_get_port_by_name, sp_open,
 * sp_set_*) run against a pty in CI, where no USB board is plugged in.
 *
 * libserialport refuses ptys for two reasons only:
 *  - sp_get_port_by_name looks the device up in sysfs (lstat and readlink
 *    of /sys/class/tty/NAME), and a pty has no entry there;
 *  - sp_open reads the modem lines (ioctl TIOCMGET), which a pty does not
 *    have (ENOTTY).
 * This shim answers those for ptys: a sysfs entry that is a link to a
 * virtual (not USB) tty, and modem lines that are all up. Everything else
 * goes to the C library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYSFS_PTY "/sys/class/tty/pts/"
#define VIRTUAL_TTY "../../devices/virtual/tty/pts"

static bool pty_sysfs(const char *path) {
   return path && !strncmp(path, SYSFS_PTY, strlen(SYSFS_PTY));
}

static void fake_link(struct stat *st) {
   memset(st, 0, sizeof *st);
   st->st_mode = S_IFLNK | 0777;
}

int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat(int ver, const char *path, struct stat *st) {
   static int (*real)(int, const char *, struct stat *);
   if (pty_sysfs(path)) {
      fake_link(st);
      return 0;
   }
   if (!real)
      real = (int (*)(int, const char *, struct stat *))dlsym(RTLD_NEXT, "__lxstat");
   return real(ver, path, st);
}

int lstat(const char *path, struct stat *st) {
   static int (*real)(const char *, struct stat *);
   if (pty_sysfs(path)) {
      fake_link(st);
      return 0;
   }
   if (!real)
      real = (int (*)(const char *, struct stat *))dlsym(RTLD_NEXT, "lstat");
   return real(path, st);
}

static ssize_t real_readlink(const char *path, char *buf, size_t len) {
   static ssize_t (*real)(const char *, char *, size_t);
   if (!real)
      real = (ssize_t(*)(const char *, char *, size_t))dlsym(RTLD_NEXT, "readlink");
   return real(path, buf, len);
}

ssize_t readlink(const char *path, char *buf, size_t len) {
   if (!pty_sysfs(path))
      return real_readlink(path, buf, len);
   size_t n = strlen(VIRTUAL_TTY) < len ? strlen(VIRTUAL_TTY) : len;
   memcpy(buf, VIRTUAL_TTY, n);
   return (ssize_t)n;
}

static bool is_pty(int fd) {
   char proc[64], target[64];
   snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
   ssize_t n = real_readlink(proc, target, sizeof target - 1);
   return n > 0 && !strncmp(target, "/dev/pts/", 9);
}

int ioctl(int fd, unsigned long request, ...) {
   static int (*real)(int, unsigned long, ...);
   va_list ap;
   va_start(ap, request);
   void *arg = va_arg(ap, void *);
   va_end(ap);
   bool modem = request == TIOCMGET || request == TIOCMSET || request == TIOCMBIS || request == TIOCMBIC;
   if (modem && is_pty(fd)) {
      if (request == TIOCMGET)
         *(int *)arg = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;
      return 0;
   }
   if (!real)
      real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
   return real(fd, request, arg);
}
