/* SPDX-License-Identifier: MIT */
/* Python's random.Random, for the detectors River seeds with it (KSWIN):
 * the Mersenne Twister MT19937 seeded as CPython seeds it from an integer
 * (init_by_array over the integer's 32-bit words), getrandbits, randbelow
 * and random.sample of range(n) with CPython's two methods (a pool when
 * n is small against k, else rejection of repeats). Same seed, same
 * numbers as Python's. */
#ifndef DRIFTSCOPE_PYRANDOM_H
#define DRIFTSCOPE_PYRANDOM_H

#include <stddef.h>
#include <stdint.h>

#define DS_MT_N 624

typedef struct PyRandom {
   uint32_t mt[DS_MT_N];
   int mti;
} PyRandom;

/* random.Random(seed) for a seed of 0 to 2^32 - 1. */
void PyRandom_seed(PyRandom *r, uint32_t seed);
uint32_t PyRandom_u32(PyRandom *r);
/* random.getrandbits(k), 1 <= k <= 32. */
uint32_t PyRandom_getrandbits(PyRandom *r, int k);
/* random._randbelow(n), n >= 1: uniform in [0, n). */
uint32_t PyRandom_below(PyRandom *r, uint32_t n);
/* out[0..k) = random.sample(range(n), k), k <= n; scratch holds n values
 * (the pool, or the marks of the ones taken). */
void PyRandom_sample(PyRandom *r, uint32_t n, uint32_t k, uint32_t *out, uint32_t *scratch);

/* numpy's legacy RandomState (np.random.seed, as Evidently's permutation
 * test seeds it): the same MT19937 seeded by init_genrand alone; its
 * random_interval (masked rejection of 32-bit draws), and permutation(n)
 * (arange(n) shuffled from the end with it). */
void PyRandom_seed_numpy(PyRandom *r, uint32_t seed);
uint32_t PyRandom_numpy_interval(PyRandom *r, uint32_t max);
void PyRandom_numpy_permutation(PyRandom *r, uint32_t n, uint32_t *out);

#endif
