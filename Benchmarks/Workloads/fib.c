/* Recursive calls: naive Fibonacci, dominated by call/return overhead. */
#include "bench.h"

BENCH_PARAM(n, 32);

__attribute__((noinline)) static uint32_t fib(uint32_t n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void) {
    uint32_t n = (uint32_t)n_param;
    uint64_t sum = 0;
    for (uint32_t k = n - 2; k <= n; k++) sum = mix64(sum, fib(k));
    printf("fib(%u)=%u checksum=%llu\n", n, fib(n), (unsigned long long)sum);
    return 0;
}
