/* Tight integer loop: a few dependent ALU operations per iteration, no memory traffic. The carried
 * dependencies keep the native compiler from vectorizing or closing the loop into a formula. */
#include "bench.h"

BENCH_PARAM(iterations, 20000000);

int main(void) {
    uint32_t n = (uint32_t)iterations_param;
    uint32_t a = 1, b = 2, c = 3;
    for (uint32_t i = 0; i < n; i++) {
        a = a * 31u + (b ^ i);
        b = (b >> 3) + (a & 0xffffu) + c;
        c ^= (a << 5) | (i >> 2);
        if ((a & 7u) == 3u) c += 17u;
    }
    printf("a=%u b=%u c=%u\n", a, b, c);
    return 0;
}
