// SPDX-License-Identifier: MIT
/* SHA-256: see hash.h. */
#include "driftscope/hash.h"

#include <sha2.h>
#include <stdint.h>

_Static_assert(sizeof(SHA2_CTX) <= sizeof(((Sha256 *)0)->state), "Sha256 holds libmd's SHA2_CTX");

static SHA2_CTX *ctx(Sha256 *h) {
   return (SHA2_CTX *)(void *)h->state;
}

void Sha256_init(Sha256 *h) {
   SHA256Init(ctx(h));
}

void Sha256_update(Sha256 *h, const void *data, size_t n) {
   SHA256Update(ctx(h), data, n);
}

void Sha256_hex(Sha256 *h, char *out) {
   SHA256End(ctx(h), out);
}

void ds_sha256_hex(const void *data, size_t n, char *out) {
   Sha256 h;
   Sha256_init(&h);
   Sha256_update(&h, data, n);
   Sha256_hex(&h, out);
}
