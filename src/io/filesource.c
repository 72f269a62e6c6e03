// SPDX-License-Identifier: MIT
#include "io/filesource.h"
#include "driftscope/clock.h"
#include "driftscope/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <md5.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESERVE_MARGIN 1.05 /* records per byte vary a little along a file */

/* Size the table's columns for base records plus a file of size bytes,
 * estimated from a sample of it (bytes holding rows records): no
 * reallocation, and no copying, while a large file streams in. */
static void reserve_for_file(Table *t, size_t base, off_t size, size_t rows, unsigned long long bytes) {
   if (size > 0 && rows > 0 && bytes > 0)
      Table_reserve(t, base + (size_t)((double)size / (double)bytes * (double)rows * RESERVE_MARGIN) + 1024);
}

bool ds_ingest_file(const char *path, Ingest *in, DsError *e) {
   return ds_ingest_file_notify(path, in, e, NULL, NULL);
}

static DsReadWatch watch;

void ds_ingest_watch(const DsReadWatch *w) {
   watch = w ? *w : (DsReadWatch){0};
}

/* The watch's turn after a chunk: false when the read is to stop. said:
 * when progress was last said (the read's start at first). */
static bool watched(const Ingest *in, double *said) {
   if (watch.stop && *watch.stop)
      return false;
   double now = ds_now_ms();
   if (watch.progress && now - *said >= 1000) {
      watch.progress(watch.ctx, in);
      *said = now;
   }
   return true;
}

bool FileLoad_open(FileLoad *fl, const char *path, Ingest *in, bool reserve, DsError *e) {
   memset(fl, 0, sizeof *fl);
   fl->path = path;
   fl->in = in;
   fl->reserve = reserve;
   fl->is_stdin = strcmp(path, "-") == 0;
   fl->fd = fl->is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
   if (fl->fd < 0) {
      DsError_set(e, path, 0, 0, "cannot open: %s", strerror(errno));
      return false;
   }
   fl->buf = malloc(DS_READ_CHUNK);
   if (!fl->buf) {
      DsError_set(e, path, 0, 0, "out of memory");
      FileLoad_close(fl);
      return false;
   }
   struct stat st;
   fl->size = (!fl->is_stdin && fstat(fl->fd, &st) == 0 && S_ISREG(st.st_mode)) ? (long long)st.st_size : 0;
   return true;
}

void FileLoad_close(FileLoad *fl) {
   free(fl->buf);
   fl->buf = NULL;
   if (!fl->is_stdin && fl->fd >= 0)
      close(fl->fd);
   fl->fd = -1;
}

double FileLoad_progress(const FileLoad *fl) {
   return fl->size > 0 ? fmin(1.0, (double)fl->in->ls.bytes / (double)fl->size) : NAN;
}

/* The Ingest's error (or the one it failed with) in e. */
static bool ingest_failed(const FileLoad *fl, DsError *e) {
   *e = fl->in->error;
   if (!e->file[0])
      DsError_set(e, fl->path, fl->in->ls.lineno, 0, "%s", fl->in->error.msg);
   return false;
}

bool FileLoad_step(FileLoad *fl, double budget_ms, bool *done, DsError *e) {
   Ingest *in = fl->in;
   double until = ds_now_ms() + budget_ms;
   *done = false;
   do {
      ssize_t n = read(fl->fd, fl->buf, DS_READ_CHUNK);
      if (n < 0 && errno == EINTR)
         continue;
      if (n < 0) {
         DsError_set(e, fl->path, in->ls.lineno + 1, 0, "read error: %s", strerror(errno));
         return false;
      }
      if (n == 0) {
         Ingest_finish(in);
         *done = true;
         return in->failed ? ingest_failed(fl, e) : true;
      }
      size_t rows_before = in->table->nrows;
      unsigned long long bytes_before = in->ls.bytes;
      Ingest_feed(in, fl->buf, (size_t)n);
      if (in->failed)
         return ingest_failed(fl, e);
      size_t rows = in->table->nrows - rows_before;
      if (fl->reserve && !fl->reserved && rows > 100) {
         reserve_for_file(in->table, in->table->nrows, (off_t)fl->size, rows, in->ls.bytes - bytes_before);
         fl->reserved = true;
      }
   } while (ds_now_ms() < until);
   return true;
}

bool ds_ingest_file_notify(const char *path, Ingest *in, DsError *e, void (*on_chunk)(void *ctx), void *ctx) {
   FileLoad fl;
   /* a caller told of each chunk may consume the records as they come
    * and drop them: no room is reserved for the whole file then */
   if (!FileLoad_open(&fl, path, in, !on_chunk, e))
      return false;
   double said = ds_now_ms();
   bool ok = true, done = false;
   while (ok && !done) {
      if (!watched(in, &said)) {
         DsError_set(e, path, in->ls.lineno, 0, "interrupted after %llu bytes, %zu records", in->ls.bytes,
                     in->table->nrows);
         ok = false;
         break;
      }
      ok = FileLoad_step(&fl, 0, &done, e); /* a chunk a turn */
      if (ok && !done && on_chunk)
         on_chunk(ctx);
   }
   FileLoad_close(&fl);
   return ok;
}

/* --- two-thread CSV ingestion --------------------------------------------- */

#define SPLIT_SEARCH (64 * 1024) /* a line boundary is looked for this far past the middle */

/* Feed bytes [from, to) of fd to in; false with e set on a read error. */
static bool feed_range(int fd, off_t from, off_t to, Ingest *in, char *buf, const char *path, DsError *e) {
   while (from < to && !in->failed) {
      size_t want = (size_t)(to - from) < DS_READ_CHUNK ? (size_t)(to - from) : DS_READ_CHUNK;
      ssize_t n = pread(fd, buf, want, from);
      if (n < 0 && errno == EINTR)
         continue;
      if (n <= 0) {
         DsError_set(e, path, 0, 0, "read error: %s", n < 0 ? strerror(errno) : "file shrank while reading");
         return false;
      }
      Ingest_feed(in, buf, (size_t)n);
      from += n;
   }
   return true;
}

typedef struct Half {
   int fd;
   off_t from, to;
   const char *path;
   Ingest in;
   bool ok;
   DsError e;
} Half;

static void *half_main(void *arg) {
   Half *h = arg;
   char *buf = malloc(DS_READ_CHUNK);
   h->ok = buf && feed_range(h->fd, h->from, h->to, &h->in, buf, h->path, &h->e);
   if (!buf)
      DsError_set(&h->e, h->path, 0, 0, "out of memory");
   free(buf);
   if (h->ok)
      Ingest_finish(&h->in);
   return NULL;
}

/* Return the offset just past the first line end at or after mid (0 if none near). */
static off_t line_boundary(int fd, off_t mid, off_t size) {
   char probe[SPLIT_SEARCH];
   ssize_t n = pread(fd, probe, sizeof probe, mid);
   for (ssize_t i = 0; i < n; i++)
      if (probe[i] == '\n' && mid + i + 1 < size)
         return mid + i + 1;
   return 0;
}

/* Second half parsed into b (on its own thread), then appended to a. */
static bool split_rest(int fd, off_t pos, off_t size, Ingest *a, char *buf, const char *path, DsError *e) {
   off_t split = line_boundary(fd, pos + (size - pos) / 2, size);
   Table *ta = a->table;
   Classes local;
   Table tb;
   Classes_init(&local);
   Half h = {.fd = fd, .from = split, .to = size, .path = path};
   bool ok = split > pos && Classes_copy(&local, ta->classes) && Table_init(&tb, &local, ta->store_scores);
   int n0 = local.n;
   if (ok && !(Table_clone_schema(&tb, ta) && Ingest_fork(&h.in, &tb, a))) {
      Table_done(&tb);
      ok = false;
   }
   if (!ok) { /* no split: read on serially */
      Classes_done(&local);
      return feed_range(fd, pos, size, a, buf, path, e);
   }
   Table_reserve(&tb, (size_t)((double)ta->reserve * (double)(size - split) / (double)size) + 1024);
   pthread_t thread;
   bool threaded = pthread_create(&thread, NULL, half_main, &h) == 0;
   bool ok_a = feed_range(fd, pos, split, a, buf, path, e);
   if (threaded)
      pthread_join(thread, NULL);
   else
      half_main(&h);
   if (ok_a)
      Ingest_finish(a);
   ok = ok_a && h.ok;
   if (!h.ok && ok_a)
      *e = h.e;
   /* classes first seen in the second half get their ids in that half's order */
   int *remap = malloc(sizeof(int) * (size_t)(local.n - n0 + 1));
   ok = ok && remap;
   for (int c = n0; ok && c < local.n; c++) {
      remap[c - n0] = Classes_intern(ta->classes, local.name[c], strlen(local.name[c]));
      if (remap[c - n0] < 0)
         Ingest_bad_field(a, a->ls.lineno, "more than %d classes: '%s' not counted", DS_MAX_CLASSES, local.name[c]);
   }
   if (ok && !Table_append(ta, &tb, n0, remap)) {
      DsError_set(e, path, 0, 0, "out of memory joining the two halves");
      ok = false;
   }
   if (ok)
      Ingest_join(a, &h.in);
   free(remap);
   Ingest_done(&h.in);
   Table_done(&tb);
   Classes_done(&local);
   return ok;
}

bool ds_ingest_file_split(const char *path, Ingest *in, DsError *e) {
   struct stat st;
   int fd = strcmp(path, "-") == 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC);
   if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)DS_SPLIT_MIN_BYTES) {
      if (fd >= 0)
         close(fd);
      return ds_ingest_file(path, in, e);
   }
   char *buf = malloc(DS_READ_CHUNK);
   if (!buf) {
      close(fd);
      DsError_set(e, path, 0, 0, "out of memory");
      return false;
   }
   off_t size = st.st_size, head = DS_READ_CHUNK;
   bool ok = feed_range(fd, 0, head, in, buf, path, e);
   size_t rows = in->table->nrows;
   if (ok)
      reserve_for_file(in->table, 0, size, rows, in->ls.bytes);
   if (ok && (in->format == DS_FORMAT_CSV || in->format == DS_FORMAT_JSON))
      ok = split_rest(fd, head, size, in, buf, path, e);
   else if (ok) {
      ok = feed_range(fd, head, size, in, buf, path, e);
      if (ok)
         Ingest_finish(in);
   }
   free(buf);
   close(fd);
   if (in->failed) {
      *e = in->error;
      return false;
   }
   return ok;
}

bool ds_write_file_atomic(const char *path, const char *buf, size_t n) {
   char tmp[4096];
   if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
      errno = ENAMETOOLONG;
      return false;
   }
   int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
   if (fd < 0)
      return false;
   bool ok = ds_write_all(fd, buf, n) == n && fsync(fd) == 0;
   int err = errno;
   ok = close(fd) == 0 && ok;
   if (ok && rename(tmp, path) == 0)
      return true;
   err = err ? err : errno;
   unlink(tmp);
   errno = err;
   return false;
}

size_t ds_write_all(int fd, const char *buf, size_t n) {
   return ds_write_all_until(fd, buf, n, NULL);
}

size_t ds_write_all_until(int fd, const char *buf, size_t n, const volatile sig_atomic_t *stop) {
   size_t done = 0;
   while (fd >= 0 && done < n && !(stop && *stop)) {
      ssize_t w = write(fd, buf + done, n - done);
      if (w < 0 && errno == EINTR)
         continue;
      if (w <= 0)
         break;
      done += (size_t)w;
   }
   return done;
}

char *ds_read_file(const char *path, size_t *n) {
   FILE *f = fopen(path, "rb");
   if (!f)
      return NULL;
   char *buf = NULL;
   size_t cap = 0;
   *n = 0;
   for (;;) {
      if (*n + 65536 + 1 > cap) {
         cap = (*n + 65536 + 1) * 2;
         char *b = realloc(buf, cap);
         if (!b) {
            free(buf);
            fclose(f);
            errno = ENOMEM;
            return NULL;
         }
         buf = b;
      }
      size_t got = fread(buf + *n, 1, 65536, f);
      *n += got;
      if (got < 65536)
         break;
   }
   fclose(f);
   buf[*n] = '\0';
   return buf;
}

bool ds_file_md5(const char *path, char *hex, size_t *bytes) {
   struct stat st;
   if (stat(path, &st) != 0 || !MD5File(path, hex))
      return false;
   *bytes = (size_t)st.st_size;
   return true;
}

bool ds_file_sha256(const char *path, char *hex, size_t *bytes) {
   int fd = open(path, O_RDONLY | O_CLOEXEC);
   if (fd < 0)
      return false;
   Sha256 h;
   Sha256_init(&h);
   char buf[65536];
   size_t total = 0;
   for (;;) {
      ssize_t got = read(fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR)
         continue;
      if (got < 0) {
         int e = errno;
         close(fd);
         errno = e;
         return false;
      }
      if (got == 0)
         break;
      Sha256_update(&h, buf, (size_t)got);
      total += (size_t)got;
   }
   close(fd);
   Sha256_hex(&h, hex);
   *bytes = total;
   return true;
}
