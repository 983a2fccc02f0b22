/* Memory-bound: Sieve of Eratosthenes over a multi-megabyte byte array, repeated. */
#include <string.h>
#include "bench.h"

BENCH_PARAM(limit, 4000000);
BENCH_PARAM(rounds, 3);

static uint8_t composite[8000001];

int main(void) {
    uint32_t n = (uint32_t)limit_param;
    uint64_t checksum = 0;
    for (int r = 0; r < rounds_param; r++) {
        uint32_t top = n - (uint32_t)r * 1000u;
        for (uint32_t i = 0; i <= top; i++) composite[i] = 0;
        uint32_t count = 0;
        for (uint32_t i = 2; i <= top; i++) {
            if (composite[i]) continue;
            count++;
            checksum = mix64(checksum, i);
            for (uint64_t j = (uint64_t)i * i; j <= top; j += i) composite[j] = 1;
        }
        printf("primes<=%u: %u\n", top, count);
    }
    printf("checksum=%llu\n", (unsigned long long)checksum);
    return 0;
}
