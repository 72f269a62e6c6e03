// SPDX-License-Identifier: MIT
#include "driftscope/filesource.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool ds_ingest_file(const char *path, Ingest *in, DsError *e) {
   return ds_ingest_file_notify(path, in, e, NULL, NULL);
}

bool ds_ingest_file_notify(const char *path, Ingest *in, DsError *e, void (*on_chunk)(void *ctx), void *ctx) {
   bool is_stdin = strcmp(path, "-") == 0;
   int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
   if (fd < 0) {
      DsError_set(e, path, 0, 0, "cannot open: %s", strerror(errno));
      return false;
   }
   char *buf = malloc(DS_READ_CHUNK);
   if (!buf) {
      DsError_set(e, path, 0, 0, "out of memory");
      if (!is_stdin)
         close(fd);
      return false;
   }
   bool ok = true, reserved = false;
   struct stat st;
   off_t size = (!is_stdin && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) ? st.st_size : 0;
   for (;;) {
      ssize_t n = read(fd, buf, DS_READ_CHUNK);
      if (n < 0 && errno == EINTR)
         continue;
      if (n < 0) {
         DsError_set(e, path, in->ls.lineno + 1, 0, "read error: %s", strerror(errno));
         ok = false;
         break;
      }
      if (n == 0)
         break;
      size_t rows_before = in->table->nrows;
      unsigned long long bytes_before = in->ls.bytes;
      Ingest_feed(in, buf, (size_t)n);
      if (in->failed)
         break;
      /* size the columns from the first chunk's bytes per record: no
       * reallocation (and copying) while a large file streams in */
      size_t rows = in->table->nrows - rows_before;
      if (!reserved && size > 0 && rows > 100) {
         double per_row = (double)(in->ls.bytes - bytes_before) / (double)rows;
         Table_reserve(in->table, in->table->nrows + (size_t)((double)size / per_row * 1.05) + 1024);
         reserved = true;
      }
      if (on_chunk)
         on_chunk(ctx);
   }
   free(buf);
   if (!is_stdin)
      close(fd);
   if (ok)
      Ingest_finish(in);
   if (in->failed) {
      *e = in->error;
      if (!e->file[0])
         DsError_set(e, path, in->ls.lineno, 0, "%s", in->error.msg);
      return false;
   }
   return ok;
}
