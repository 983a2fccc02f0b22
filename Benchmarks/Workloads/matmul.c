/* f64 matrix multiply (naive i-k-j order), repeated with the result fed back in. */
#include "bench.h"

BENCH_PARAM(size, 200);
BENCH_PARAM(rounds, 3);

#define MAX 256
static double a[MAX][MAX], b[MAX][MAX], c[MAX][MAX];

int main(void) {
    int n = size_param;
    uint32_t seed = 42;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i][j] = (double)(lcg_next(&seed) >> 8) / 16777216.0 - 0.5;
            b[i][j] = (double)(lcg_next(&seed) >> 8) / 16777216.0 - 0.5;
        }
    for (int r = 0; r < rounds_param; r++) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) c[i][j] = 0.0;
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                for (int j = 0; j < n; j++) c[i][j] += aik * b[k][j];
            }
        }
        /* Feed back a scaled result so every round depends on the previous one. */
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i][j] = c[i][j] * (1.0 / 16.0);
    }
    double trace = 0.0, sum = 0.0;
    for (int i = 0; i < n; i++) {
        trace += c[i][i];
        for (int j = 0; j < n; j++) sum += c[i][j] * (double)((i * 7 + j) % 13);
    }
    printf("trace=%.9e weighted=%.9e\n", trace, sum);
    return 0;
}
