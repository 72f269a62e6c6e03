/* SPDX-License-Identifier: MIT */
/* Allocation of large arrays (columns, sort scratch): above DS_BIG_ALLOC
 * bytes they are aligned to 2 MiB, and those of whole huge pages (columns
 * grown by doubling) are marked for transparent huge pages, so a
 * million-row column costs a few page faults instead of thousands. Free
 * with free(). */
#ifndef DRIFTSCOPE_BIGALLOC_H
#define DRIFTSCOPE_BIGALLOC_H

#include <stddef.h>

#define DS_BIG_ALLOC (2u << 20) /* one huge page */

void *ds_big_alloc(size_t bytes);
/* Like realloc: the first `keep` bytes of old are copied; old is freed. */
void *ds_big_realloc(void *old, size_t keep, size_t bytes);

#endif
