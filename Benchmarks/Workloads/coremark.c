/* A CoreMark-like mix (written from scratch, not CoreMark's code): each iteration runs linked-list
 * operations (find, reverse, merge sort), a 16-bit matrix kernel (add, multiply, bit extraction),
 * a state machine that classifies number-like tokens, and folds every result into a CRC-16. */
#include "bench.h"

BENCH_PARAM(iterations, 600);

/* ---- CRC-16 (CCITT, bitwise, as in embedded code) ---- */
static uint16_t crc16_byte(uint8_t data, uint16_t crc) {
    for (int i = 0; i < 8; i++) {
        uint8_t x = (uint8_t)((data ^ crc) & 1);
        data >>= 1;
        if (x) { crc ^= 0x4002; crc = (uint16_t)((crc >> 1) | 0x8000); }
        else crc = (uint16_t)((crc >> 1) & 0x7fff);
    }
    return crc;
}
static uint16_t crc16(uint32_t v, uint16_t crc) {
    crc = crc16_byte((uint8_t)v, crc);
    crc = crc16_byte((uint8_t)(v >> 8), crc);
    crc = crc16_byte((uint8_t)(v >> 16), crc);
    return crc16_byte((uint8_t)(v >> 24), crc);
}

/* ---- Linked list ---- */
typedef struct Node { struct Node *next; int16_t key; int16_t value; } Node;
#define LIST_SIZE 200
static Node pool[LIST_SIZE];

static Node *list_build(uint32_t *seed) {
    Node *head = 0;
    for (int i = 0; i < LIST_SIZE; i++) {
        pool[i].key = (int16_t)i;
        pool[i].value = (int16_t)(lcg_next(seed) >> 20);
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}
static Node *list_reverse(Node *head) {
    Node *prev = 0;
    while (head) { Node *next = head->next; head->next = prev; prev = head; head = next; }
    return prev;
}
static Node *list_find(Node *head, int16_t value) {
    while (head && head->value != value) head = head->next;
    return head;
}
static int compare(const Node *a, const Node *b, int by_value) {
    return by_value ? a->value - b->value : a->key - b->key;
}
/* Bottom-up merge sort on a singly linked list: no recursion, no allocation. */
static Node *list_sort(Node *list, int by_value) {
    for (int width = 1;; width *= 2) {
        Node *p = list, *tail = 0;
        list = 0;
        int merges = 0;
        while (p) {
            merges++;
            Node *q = p;
            int psize = 0;
            for (int i = 0; i < width && q; i++) { psize++; q = q->next; }
            int qsize = width;
            while (psize > 0 || (qsize > 0 && q)) {
                Node *e;
                if (psize == 0) { e = q; q = q->next; qsize--; }
                else if (qsize == 0 || !q) { e = p; p = p->next; psize--; }
                else if (compare(p, q, by_value) <= 0) { e = p; p = p->next; psize--; }
                else { e = q; q = q->next; qsize--; }
                if (tail) tail->next = e; else list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = 0;
        if (merges <= 1) return list;
    }
}
static uint16_t bench_list(uint32_t *seed, uint16_t crc) {
    Node *head = list_build(seed);
    for (int i = 0; i < 16; i++) {
        Node *found = list_find(head, (int16_t)(i * 37));
        crc = crc16(found ? (uint32_t)found->key : 0xffffu, crc);
    }
    head = list_sort(head, 1);
    head = list_reverse(head);
    crc = crc16((uint32_t)head->value, crc);
    head = list_sort(head, 0);
    for (Node *n = head; n; n = n->next) crc = crc16_byte((uint8_t)n->value, crc);
    return crc;
}

/* ---- Matrix ---- */
#define N 24
static int16_t ma[N][N], mb[N][N];
static int32_t mc[N][N];
static uint16_t bench_matrix(uint32_t *seed, uint16_t crc) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            ma[i][j] = (int16_t)(lcg_next(seed) >> 22);
            mb[i][j] = (int16_t)(lcg_next(seed) >> 22);
        }
    int16_t addend = (int16_t)(lcg_next(seed) >> 26);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) ma[i][j] = (int16_t)(ma[i][j] + addend);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int32_t sum = 0;
            for (int k = 0; k < N; k++) sum += (int32_t)ma[i][k] * (int32_t)mb[k][j];
            mc[i][j] = sum;
        }
    int32_t acc = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int32_t bits = (mc[i][j] >> 2) & 0x0f;   /* bit-field extraction */
            acc += bits > 7 ? bits * 3 : -bits;
        }
    return crc16((uint32_t)acc, crc);
}

/* ---- State machine over number-like tokens ---- */
enum State { START, INT, FLOAT, EXPONENT, SCIENTIFIC, INVALID, STATES };
static char text[512];
static const char *samples[] = {"5012", "1234", "-874", "+122", "35.54", ".1234", "-110.700",
                                "+0.64", "5.500e+3", "-.123e-2", "-87e+832", "+0.6e-12", "T0.3e-1F",
                                "-T.T++Tq", "1T3.4e4z", "34.0e-T^"};
static void build_text(uint32_t *seed) {
    int p = 0;
    while (p < 480) {
        const char *s = samples[lcg_next(seed) % 16];
        while (*s) text[p++] = *s++;
        text[p++] = ',';
    }
    text[p] = 0;
}
static uint16_t bench_state(uint16_t crc) {
    uint32_t counts[STATES] = {0};
    const char *p = text;
    while (*p) {
        enum State s = START;
        for (; *p && *p != ','; p++) {
            char c = *p;
            int digit = c >= '0' && c <= '9';
            switch (s) {
            case START:
                if (digit) s = INT;
                else if (c == '+' || c == '-') s = INT;
                else if (c == '.') s = FLOAT;
                else s = INVALID;
                break;
            case INT:
                if (c == '.') s = FLOAT;
                else if (!digit) s = INVALID;
                break;
            case FLOAT:
                if (c == 'e' || c == 'E') s = EXPONENT;
                else if (!digit) s = INVALID;
                break;
            case EXPONENT:
                if (c == '+' || c == '-' || digit) s = SCIENTIFIC;
                else s = INVALID;
                break;
            case SCIENTIFIC:
                if (!digit) s = INVALID;
                break;
            default: break;
            }
        }
        counts[s]++;
        if (*p) p++;
    }
    for (int i = 0; i < STATES; i++) crc = crc16(counts[i], crc);
    return crc;
}

int main(void) {
    uint32_t seed = 0x1234;
    uint16_t crc = 0;
    for (int it = 0; it < iterations_param; it++) {
        crc = bench_list(&seed, crc);
        crc = bench_matrix(&seed, crc);
        if (it % 8 == 0) build_text(&seed);
        crc = bench_state(crc);
    }
    printf("iterations=%d crc=0x%04x\n", iterations_param, crc);
    return 0;
}
