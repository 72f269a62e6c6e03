// SPDX-License-Identifier: MIT
/* Python's random.Random: see pyrandom.h. MT19937 after Matsumoto and
 * Nishimura's reference algorithm. */
#include "driftscope/pyrandom.h"

#include <string.h>

#define M 397
#define MATRIX_A 0x9908b0dfu
#define UPPER 0x80000000u
#define LOWER 0x7fffffffu

static void init_genrand(PyRandom *r, uint32_t s) {
   r->mt[0] = s;
   for (int i = 1; i < DS_MT_N; i++)
      r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
   r->mti = DS_MT_N;
}

void PyRandom_seed(PyRandom *r, uint32_t seed) {
   /* CPython: init_by_array with the seed's 32-bit words (one here) */
   const uint32_t key[1] = {seed};
   const int len = 1;
   init_genrand(r, 19650218u);
   int i = 1, j = 0;
   for (int k = DS_MT_N > len ? DS_MT_N : len; k; k--) {
      r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
      i++;
      j++;
      if (i >= DS_MT_N) {
         r->mt[0] = r->mt[DS_MT_N - 1];
         i = 1;
      }
      if (j >= len)
         j = 0;
   }
   for (int k = DS_MT_N - 1; k; k--) {
      r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
      i++;
      if (i >= DS_MT_N) {
         r->mt[0] = r->mt[DS_MT_N - 1];
         i = 1;
      }
   }
   r->mt[0] = 0x80000000u;
}

uint32_t PyRandom_u32(PyRandom *r) {
   if (r->mti >= DS_MT_N) {
      int k;
      uint32_t y;
      for (k = 0; k < DS_MT_N - M; k++) {
         y = (r->mt[k] & UPPER) | (r->mt[k + 1] & LOWER);
         r->mt[k] = r->mt[k + M] ^ (y >> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; k < DS_MT_N - 1; k++) {
         y = (r->mt[k] & UPPER) | (r->mt[k + 1] & LOWER);
         r->mt[k] = r->mt[k + (M - DS_MT_N)] ^ (y >> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      y = (r->mt[DS_MT_N - 1] & UPPER) | (r->mt[0] & LOWER);
      r->mt[DS_MT_N - 1] = r->mt[M - 1] ^ (y >> 1) ^ (y & 1 ? MATRIX_A : 0);
      r->mti = 0;
   }
   uint32_t y = r->mt[r->mti++];
   y ^= y >> 11;
   y ^= (y << 7) & 0x9d2c5680u;
   y ^= (y << 15) & 0xefc60000u;
   y ^= y >> 18;
   return y;
}

uint32_t PyRandom_getrandbits(PyRandom *r, int k) {
   return PyRandom_u32(r) >> (32 - k);
}

uint32_t PyRandom_below(PyRandom *r, uint32_t n) {
   int k = 32 - __builtin_clz(n); /* n.bit_length(), n >= 1 */
   uint32_t x = PyRandom_getrandbits(r, k);
   while (x >= n)
      x = PyRandom_getrandbits(r, k);
   return x;
}

void PyRandom_sample(PyRandom *r, uint32_t n, uint32_t k, uint32_t *out, uint32_t *scratch) {
   /* CPython's random.sample: a pool when n is at most the set's size,
    * 21 + 4^ceil(log4(3k)) for k > 5 (3k is never a power of 4: the
    * smallest power at least 3k) */
   uint64_t setsize = 21;
   if (k > 5) {
      uint64_t p = 1;
      while (p < 3 * (uint64_t)k)
         p *= 4;
      setsize += p;
   }
   if (n <= setsize) {
      for (uint32_t i = 0; i < n; i++)
         scratch[i] = i;
      for (uint32_t i = 0; i < k; i++) {
         uint32_t j = PyRandom_below(r, n - i);
         out[i] = scratch[j];
         scratch[j] = scratch[n - i - 1];
      }
      return;
   }
   memset(scratch, 0, n * sizeof *scratch);
   for (uint32_t i = 0; i < k; i++) {
      uint32_t j = PyRandom_below(r, n);
      while (scratch[j])
         j = PyRandom_below(r, n);
      scratch[j] = 1;
      out[i] = j;
   }
}

void PyRandom_seed_numpy(PyRandom *r, uint32_t seed) {
   init_genrand(r, seed); /* numpy's legacy mt19937_seed */
}

uint32_t PyRandom_numpy_interval(PyRandom *r, uint32_t max) {
   if (max == 0)
      return 0;
   uint32_t mask = max; /* the smallest mask of ones >= max */
   mask |= mask >> 1;
   mask |= mask >> 2;
   mask |= mask >> 4;
   mask |= mask >> 8;
   mask |= mask >> 16;
   uint32_t v;
   while ((v = PyRandom_u32(r) & mask) > max)
      ;
   return v;
}

void PyRandom_numpy_permutation(PyRandom *r, uint32_t n, uint32_t *out) {
   for (uint32_t i = 0; i < n; i++)
      out[i] = i;
   for (uint32_t i = n ? n - 1 : 0; i > 0; i--) {
      uint32_t j = PyRandom_numpy_interval(r, i), t = out[i];
      out[i] = out[j];
      out[j] = t;
   }
}
