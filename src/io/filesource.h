/* SPDX-License-Identifier: MIT */
/* Reading a whole file (or stdin, "-") into an Ingest, for the headless
 * commands. Part of src/io: the core never opens files itself. */
#ifndef DRIFTSCOPE_FILESOURCE_H
#define DRIFTSCOPE_FILESOURCE_H

#include <signal.h>
#include <stdbool.h>

#include "driftscope/ingest.h"

#define DS_READ_CHUNK (256 * 1024) /* large reads: fewer syscalls, fits L2 */

/* Feed the file at path ("-" = standard input) to in and finish it.
 * Returns false and fills e when the file cannot be opened or read, or
 * when ingestion ran out of memory. */
bool ds_ingest_file(const char *path, Ingest *in, DsError *e);

/* The same, calling on_chunk(ctx) after each chunk is ingested. */
bool ds_ingest_file_notify(const char *path, Ingest *in, DsError *e, void (*on_chunk)(void *ctx), void *ctx);

/* A file read a slice at a time (the dashboard loads a large session
 * between keys and frames): FileLoad_open, FileLoad_step until it returns
 * true with *done, FileLoad_close. The Ingest is finished at the end. */
typedef struct FileLoad {
   const char *path;
   Ingest *in;
   int fd;
   bool is_stdin, reserve, reserved;
   long long size; /* bytes of a regular file, 0 when unknown */
   char *buf;
} FileLoad;
/* reserve: size the table for the whole file from its first chunk (not
 * when the caller drops records as they come). False with e set when the
 * file cannot be opened. */
bool FileLoad_open(FileLoad *fl, const char *path, Ingest *in, bool reserve, DsError *e);
/* Read and ingest chunks until budget_ms have passed (one at least) or the
 * file ends (*done; the Ingest finished). False with e set on a read or
 * ingestion error. */
bool FileLoad_step(FileLoad *fl, double budget_ms, bool *done, DsError *e);
/* The share of the file read (0..1; NaN when its size is unknown). */
double FileLoad_progress(const FileLoad *fl);
void FileLoad_close(FileLoad *fl);

#define DS_SPLIT_MIN_BYTES (8u << 20) /* below this a second thread does not pay */

/* Like ds_ingest_file, with two threads for a large regular file whose
 * format turns out to be CSV or JSON Lines: the main thread reads the head (format,
 * header), the rest is split at a line boundary and its second half parsed
 * on another thread into a copy of the schema, then appended. Records,
 * class ids, counters and line numbers come out as a serial parse gives
 * them. Other inputs are read serially. */
bool ds_ingest_file_split(const char *path, Ingest *in, DsError *e);

/* Watching a read that may not end (a pipe, /dev/zero, a board on stdin):
 * after the first second progress(ctx, in) is called once a second, and a
 * nonzero *stop (set by a signal handler) ends the read with the error
 * "interrupted", what was read kept in in. NULL fields are not used. */
typedef struct DsReadWatch {
   void (*progress)(void *ctx, const Ingest *in);
   void *ctx;
   volatile sig_atomic_t *stop;
} DsReadWatch;
void ds_ingest_watch(const DsReadWatch *w);

/* The whole file at path, NUL-terminated, its length in *n (malloc'd; the
 * caller frees it); NULL with errno set when it cannot be read. */
char *ds_read_file(const char *path, size_t *n);
/* The SHA-256 of the file at path as hex (DS_SHA256_HEX bytes) and its
 * size, read in pieces; false (errno set) when it cannot be read. */
bool ds_file_sha256(const char *path, char *hex, size_t *bytes);
/* The MD5 of a file as lowercase hex (33 bytes with the NUL), what DVC
 * records (libmd's MD5File), and its size. */
bool ds_file_md5(const char *path, char *hex, size_t *bytes);

/* Replace the file at path with buf[0..n) so that a reader sees the old
 * file or the new one, never half of one: written to PATH.tmp.PID, synced,
 * renamed over path. False with errno set (and no temporary left). */
bool ds_write_file_atomic(const char *path, const char *buf, size_t n);

/* Write n bytes to fd, again after EINTR and short writes; returns how
 * many were written (fewer than n: errno says why). */
size_t ds_write_all(int fd, const char *buf, size_t n);
/* The same, stopping early once *stop is set (a signal handler's flag: a
 * write blocked on a reader that does not read is interrupted by it). */
size_t ds_write_all_until(int fd, const char *buf, size_t n, const volatile sig_atomic_t *stop);

#endif
