// SPDX-License-Identifier: MIT
#include "driftscope/bigalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void *ds_big_alloc(size_t bytes) {
   if (bytes < DS_BIG_ALLOC)
      return malloc(bytes ? bytes : 1);
   void *p = NULL;
   if (posix_memalign(&p, DS_BIG_ALLOC, bytes) != 0)
      return NULL;
#ifdef MADV_HUGEPAGE
   /* huge pages for whole huge pages (a column grown by doubling); an
    * array sized to what it keeps stays in small pages, so it costs what
    * was asked and not the next 2 MiB */
   if (bytes % DS_BIG_ALLOC == 0)
      madvise(p, bytes, MADV_HUGEPAGE); /* a hint: failure changes nothing */
#endif
   return p;
}

void *ds_big_realloc(void *old, size_t keep, size_t bytes) {
   if (bytes < DS_BIG_ALLOC)
      return realloc(old, bytes ? bytes : 1);
   void *p = ds_big_alloc(bytes);
   if (!p)
      return NULL;
   if (old) {
      memcpy(p, old, keep < bytes ? keep : bytes);
      free(old);
   }
   return p;
}
