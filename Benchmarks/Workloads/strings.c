/* memcpy/memset-heavy string work: building records with memcpy, clearing with memset, shifting
 * with memmove, comparing with memcmp and scanning with strlen/memchr. Built with -mbulk-memory so
 * the large copies and fills become memory.copy / memory.fill. */
#include <string.h>
#include "bench.h"

BENCH_PARAM(rounds, 500);

#define ARENA (256 * 1024)
static char arena[ARENA];
static char scratch[ARENA];
static const char *words[] = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
};

int main(void) {
    uint32_t seed = 99;
    uint64_t checksum = 0;
    for (int r = 0; r < rounds_param; r++) {
        /* Build a text of words separated by spaces (many small copies). */
        size_t length = 0;
        while (length < 16 * 1024) {
            const char *w = words[lcg_next(&seed) % 20];
            size_t n = strlen(w);
            memcpy(arena + length, w, n);
            length += n;
            arena[length++] = ' ';
        }
        arena[length] = 0;
        /* Large block operations: fill, copy, overlapping move. */
        memset(scratch, 'x', 64 * 1024);
        memcpy(scratch + 1024, arena, length + 1);
        memmove(scratch + 1024 + 37, scratch + 1024, length + 1);
        memcpy(arena + 32 * 1024, scratch, 64 * 1024);
        memset(arena + 100 * 1024, r & 0xff, 96 * 1024);
        memmove(arena + 120 * 1024, arena + 100 * 1024 + 13, 64 * 1024);
        /* Scans. */
        size_t text = strlen(scratch + 1024 + 37);
        const char *hit = memchr(arena, 'q', length);
        int cmp = memcmp(scratch + 1024 + 37, arena, length);
        uint64_t sample = 0;
        for (size_t i = 0; i < ARENA; i += 4093) sample = sample * 31 + (uint8_t)arena[i];
        checksum = mix64(checksum, text);
        checksum = mix64(checksum, hit ? (uint64_t)(hit - arena) : 0xffff);
        checksum = mix64(checksum, (uint64_t)(cmp != 0));
        checksum = mix64(checksum, sample);
    }
    printf("checksum=%llu\n", (unsigned long long)checksum);
    return 0;
}
