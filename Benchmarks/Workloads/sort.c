/* Sorting: quicksort (median-of-three, insertion sort for small ranges) and heapsort over arrays
 * filled by an LCG; the checksum is a position-weighted sum, so any misordering changes it. */
#include "bench.h"

BENCH_PARAM(count, 300000);

static uint32_t values[1 << 20];

static void insertion_sort(uint32_t *a, int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void quicksort(uint32_t *a, int lo, int hi) {
    while (hi - lo > 16) {
        int mid = lo + (hi - lo) / 2;
        uint32_t x = a[lo], y = a[mid], z = a[hi];
        uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        /* Recurse into the smaller side, loop on the larger: bounded stack depth. */
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
        else { quicksort(a, i, hi); hi = j; }
    }
    insertion_sort(a, lo, hi);
}

static void sift_down(uint32_t *a, int root, int n) {
    uint32_t v = a[root];
    for (;;) {
        int child = 2 * root + 1;
        if (child >= n) break;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[child] <= v) break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort(uint32_t *a, int n) {
    for (int i = n / 2 - 1; i >= 0; i--) sift_down(a, i, n);
    for (int end = n - 1; end > 0; end--) {
        uint32_t t = a[0]; a[0] = a[end]; a[end] = t;
        sift_down(a, 0, end);
    }
}

static uint64_t fill_and_check(int n, uint32_t seed, int use_heap) {
    for (int i = 0; i < n; i++) values[i] = lcg_next(&seed);
    if (use_heap) heapsort(values, n); else quicksort(values, 0, n - 1);
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && values[i - 1] > values[i]) return 0; /* unsorted: a checksum no run can match */
        sum += (uint64_t)values[i] * (uint64_t)(i % 1021 + 1);
    }
    return sum;
}

int main(void) {
    int n = count_param;
    uint64_t q = fill_and_check(n, 1, 0);
    uint64_t h = fill_and_check(n, 2, 1);
    uint64_t q2 = fill_and_check(n / 2, 3, 0);
    printf("quick=%llu heap=%llu quick2=%llu\n", (unsigned long long)q, (unsigned long long)h,
           (unsigned long long)q2);
    return 0;
}
