/* 128-bit vector code, written with the compiler's portable vector types so that one source
 * builds natively (SSE2) and to wasm32 with -msimd128 (Wasm SIMD): a float dot product and
 * saxpy, an 8-bit image filter (rounding averages of three rows, saturating brighten, clamp)
 * and a mixing hash over 32-bit lanes. */
#include <string.h>
#include "bench.h"

BENCH_PARAM(rounds, 1500);

typedef float f32x4 __attribute__((vector_size(16)));
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));

#define N 4096
#define W 256
#define H 128

static float xs[N], ys[N];
static uint8_t image[H][W], out[H][W];
static uint32_t words[N];

static inline f32x4 load4(const float *p) { f32x4 v; memcpy(&v, p, 16); return v; }
static inline void store4(float *p, f32x4 v) { memcpy(p, &v, 16); }
static inline u8x16 load16(const uint8_t *p) { u8x16 v; memcpy(&v, p, 16); return v; }
static inline void store16(uint8_t *p, u8x16 v) { memcpy(p, &v, 16); }
static inline u32x4 loadw(const uint32_t *p) { u32x4 v; memcpy(&v, p, 16); return v; }

/* dot(x, y) in four partial sums, then y = y * 0.5 + a * x (keeps the values bounded). */
static float dot_saxpy(float a) {
    f32x4 acc = {0, 0, 0, 0};
    for (int i = 0; i < N; i += 4) acc += load4(&xs[i]) * load4(&ys[i]);
    f32x4 av = {a, a, a, a}, half = {0.5f, 0.5f, 0.5f, 0.5f};
    for (int i = 0; i < N; i += 4) store4(&ys[i], load4(&ys[i]) * half + av * load4(&xs[i]));
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

/* Rounding-up average of two byte vectors without widening. */
static inline u8x16 average(u8x16 a, u8x16 b) { return (a >> 1) + (b >> 1) + ((a | b) & 1); }

/* out = avg(avg(up, down), mid) + bias (saturating), clamped to 240; then fed back. */
static void filter(uint8_t bias) {
    u8x16 b = {0}, limit = {0};
    b += bias;
    limit += 240;
    for (int y = 1; y < H - 1; y++)
        for (int x = 0; x < W; x += 16) {
            u8x16 v = average(average(load16(&image[y - 1][x]), load16(&image[y + 1][x])), load16(&image[y][x]));
            u8x16 s = v + b;
            s |= (u8x16)(s < v);
            u8x16 over = (u8x16)(s > limit);
            store16(&out[y][x], (s & ~over) | (limit & over));
        }
    memcpy(&image[1][0], &out[1][0], (size_t)(H - 2) * W);
}

/* Four independent multiply-xorshift-rotate hashes over the words. */
static u32x4 hash_words(u32x4 h) {
    for (int i = 0; i < N; i += 4) {
        h = (h ^ loadw(&words[i])) * 0x9E3779B1u;
        h ^= h >> 15;
        h = (h << 13) | (h >> 19);
    }
    return h;
}

int main(void) {
    uint32_t seed = 7;
    for (int i = 0; i < N; i++) {
        xs[i] = (float)(lcg_next(&seed) >> 8) / 16777216.0f - 0.5f;
        ys[i] = (float)(lcg_next(&seed) >> 8) / 16777216.0f - 0.5f;
        words[i] = lcg_next(&seed);
    }
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) image[y][x] = (uint8_t)(lcg_next(&seed) >> 24);

    uint64_t check = 0;
    u32x4 h = {1, 2, 3, 4};
    for (int r = 0; r < rounds_param; r++) {
        float d = dot_saxpy((float)(r % 7) * 0.125f - 0.375f);
        uint32_t bits;
        memcpy(&bits, &d, 4);
        check = mix64(check, bits);
        filter((uint8_t)(r % 5));
        h = hash_words(h);
    }
    uint64_t pixels = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) pixels = pixels * 31 + image[y][x];
    for (int k = 0; k < 4; k++) check = mix64(check, h[k]);
    printf("check=%016llx pixels=%016llx\n", (unsigned long long)check, (unsigned long long)pixels);
    return 0;
}
