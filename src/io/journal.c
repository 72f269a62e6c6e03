// SPDX-License-Identifier: MIT
#include "io/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "io/filesource.h"

void Journal_init(Journal *j) {
   memset(j, 0, sizeof *j);
   j->fd = -1;
   StrBuf_init(&j->pending);
}

bool Journal_flush(Journal *j, char *msg, size_t n) {
   StrBuf *p = &j->pending;
   if (!p->len)
      return true;
   if (j->fd < 0) {
      if (msg)
         snprintf(msg, n, "labels: %.200s is not open for writing; kept in memory", j->path);
      return false;
   }
   size_t done = ds_write_all(j->fd, p->data, p->len);
   int e = errno;
   memmove(p->data, p->data + done, p->len - done + 1);
   p->len -= done;
   if (p->len || (done && fdatasync(j->fd) != 0)) {
      if (msg)
         snprintf(msg, n, "labels: cannot write %.200s: %s; kept in memory and retried", j->path,
                  strerror(p->len ? e : errno));
      return false;
   }
   return true;
}

bool Journal_append(Journal *j, const StrBuf *row, char *msg, size_t n) {
   StrBuf_append(&j->pending, row->data, row->len);
   return Journal_flush(j, msg, n);
}

/* The whole file, from its start. */
static void read_all(int fd, StrBuf *text) {
   char buf[65536];
   ssize_t got;
   off_t at = 0;
   while ((got = pread(fd, buf, sizeof buf, at)) > 0) {
      StrBuf_append(text, buf, (size_t)got);
      at += got;
   }
}

void Journal_open(Journal *j, const char *path, LabelStore *ls) {
   snprintf(j->path, sizeof j->path, "%s", path);
   int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
   if (fd < 0) {
      snprintf(j->why, sizeof j->why, "labels: %s: %s; labels cannot be saved, so they are off", path, strerror(errno));
      j->readonly = j->why;
      return;
   }
   bool locked = flock(fd, LOCK_EX | LOCK_NB) == 0;
   StrBuf text;
   StrBuf_init(&text);
   read_all(fd, &text);
   LabelStore_load(ls, text.data ? text.data : "", text.len, &j->load);
   if (!locked) {
      snprintf(j->why, sizeof j->why, "labels: %s is open in another driftscope; labels are read-only here", path);
      j->readonly = j->why;
      close(fd);
   } else {
      j->fd = fd;
      if (text.len == 0)
         StrBuf_puts(&j->pending, DS_LABELS_HEADER "\n");
      if (j->load.torn) /* end the cut line: it stays, as a row that is skipped */
         StrBuf_putc(&j->pending, '\n');
      Journal_flush(j, NULL, 0);
   }
   StrBuf_done(&text);
}

void Journal_close(Journal *j) {
   if (j->fd >= 0)
      close(j->fd);
   j->fd = -1;
   StrBuf_done(&j->pending);
}
