// SPDX-License-Identifier: MIT
#include "driftscope/bigalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void *ds_big_alloc(size_t bytes) {
   if (bytes < DS_BIG_ALLOC)
      return malloc(bytes ? bytes : 1);
   size_t rounded = (bytes + DS_BIG_ALLOC - 1) / DS_BIG_ALLOC * DS_BIG_ALLOC;
   void *p = aligned_alloc(DS_BIG_ALLOC, rounded);
#ifdef MADV_HUGEPAGE
   if (p)
      madvise(p, rounded, MADV_HUGEPAGE); /* a hint: failure changes nothing */
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
