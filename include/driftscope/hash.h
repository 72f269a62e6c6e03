/* SPDX-License-Identifier: MIT */
/* SHA-256 (FIPS 180-4) through Debian's libmd, as lowercase hex: what
 * sha256sum prints. */
#ifndef DRIFTSCOPE_HASH_H
#define DRIFTSCOPE_HASH_H

#include <stddef.h>

#define DS_SHA256_HEX 65 /* 64 hex digits and the NUL */

typedef struct Sha256 {
   unsigned long long state[40]; /* libmd's SHA2_CTX, kept opaque here (aligned) */
} Sha256;

void Sha256_init(Sha256 *h);
void Sha256_update(Sha256 *h, const void *data, size_t n);
/* The digest as hex into out (DS_SHA256_HEX bytes); h is done. */
void Sha256_hex(Sha256 *h, char *out);
/* The digest of data[0..n) as hex. */
void ds_sha256_hex(const void *data, size_t n, char *out);

#endif
