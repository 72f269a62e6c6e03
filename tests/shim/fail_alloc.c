// SPDX-License-Identifier: MIT
/* LD_PRELOAD shim for tests: memory runs out on cue. Once the file named
 * by DS_FAIL_ALLOC_FILE exists, every allocation of DS_FAIL_ALLOC_MIN
 * bytes or more fails (ENOMEM); smaller ones, and all before the file
 * appears, go to the C library. For the release build (ASan has its own
 * allocator). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void *__libc_memalign(size_t align, size_t n);

static bool fails(size_t n) {
   const char *min = getenv("DS_FAIL_ALLOC_MIN"), *file = getenv("DS_FAIL_ALLOC_FILE");
   if (!min || !file || n < strtoul(min, NULL, 10) || access(file, F_OK) != 0)
      return false;
   errno = ENOMEM;
   return true;
}

void *malloc(size_t n) {
   return fails(n) ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size) {
   return size && n > (size_t)-1 / size ? NULL : fails(n * size) ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n) {
   return fails(n) ? NULL : __libc_realloc(p, n);
}

int posix_memalign(void **out, size_t align, size_t n) {
   void *p = fails(n) ? NULL : __libc_memalign(align, n);
   if (!p)
      return ENOMEM;
   *out = p;
   return 0;
}

void *aligned_alloc(size_t align, size_t n) {
   return fails(n) ? NULL : __libc_memalign(align, n);
}
