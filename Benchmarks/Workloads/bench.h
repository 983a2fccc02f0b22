/* Shared helpers for the workloads: a deterministic LCG and a checksum mixer, so every workload's
 * printed result depends on all of its work and is identical on every engine. */
#ifndef BENCH_H
#define BENCH_H
#include <stdint.h>
#include <stdio.h>

/* Reading the problem size through a volatile stops the native compiler from folding the whole
 * computation into a constant, which would make the native baseline meaningless. */
#define BENCH_PARAM(name, value) static volatile int name##_param = (value)

static inline uint32_t lcg_next(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state;
}

static inline uint64_t mix64(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}
#endif
