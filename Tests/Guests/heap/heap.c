// A heap built at start-up, standing in for a language runtime's initialized state (the .NET
// runtime's is ~48 MiB): built with -DHEAP_MIB=N, the reactor's `_initialize` (this
// constructor) fills N MiB of malloc'd memory with pseudo-random words, costing about what a
// real runtime's start-up costs. Ember reaches it through three operators:
//   (heap-sum)        the heap's 32-bit word sum, recomputed now (touches every page)
//   (heap-expected)   the sum the heap must have, kept up to date by every write
//   (heap-write n s)  rewrites n 64 KiB spans spread over the heap with seed s; answers n
// so a test can tell a faithfully restored heap from a torn or stale one, and dirty a chosen
// number of pages. Built without HEAP_MIB (the test runtime), there is no heap.
#include <stdint.h>
#include <stdlib.h>
#include "../runtime/runtime.h"

#ifndef HEAP_MIB
#define HEAP_MIB 0
#endif
// Mixing rounds per word: what makes the start-up cost like a runtime's, not like a memset.
#ifndef HEAP_ROUNDS
#define HEAP_ROUNDS 6
#endif

#define SPAN_WORDS (65536 / 4)

static uint32_t *heap;
static size_t heap_words;
static uint32_t expected_sum;

static uint32_t mix(uint64_t *state) {
    uint64_t x = *state;
    for (int r = 0; r < HEAP_ROUNDS; r++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    *state = x;
    return (uint32_t)(x >> 16);
}

__attribute__((constructor)) static void build_heap(void) {
    if (HEAP_MIB == 0) return;
    heap_words = (size_t)HEAP_MIB * 1024 * 1024 / 4;
    heap = malloc(heap_words * 4);
    if (!heap) { heap_words = 0; return; }
    uint64_t state = 0x9e3779b97f4a7c15ull;
    uint32_t sum = 0;
    for (size_t i = 0; i < heap_words; i++) {
        uint32_t w = mix(&state) | 1;  // never zero: every page of the heap holds data
        heap[i] = w;
        sum += w;
    }
    expected_sum = sum;
}

double heap_sum(void) {
    uint32_t sum = 0;
    for (size_t i = 0; i < heap_words; i++) sum += heap[i];
    return (double)sum;
}

double heap_expected(void) { return (double)expected_sum; }

double heap_write(double spans, double seed) {
    size_t span_count = heap_words / SPAN_WORDS;
    if (span_count == 0 || spans <= 0) return 0;
    size_t n = spans > (double)span_count ? span_count : (size_t)spans;
    uint64_t state = (uint64_t)seed * 0x2545f4914f6cdd1dull + 1;
    for (size_t k = 0; k < n; k++) {
        uint32_t *span = heap + (k * span_count / n) * SPAN_WORDS;
        for (size_t i = 0; i < SPAN_WORDS; i++) {
            uint32_t w = mix(&state) | 1;
            expected_sum += w - span[i];
            span[i] = w;
        }
    }
    return (double)n;
}
