/* Input for the cc1 benchmark (`Benchmarks/compare --real-world`): a self-contained C translation
   unit (no #include: the AVR toolchain's headers are not needed) with the kinds of code a C front
   end and optimizer spend their time on: structs, switches, loops to unroll, inlining candidates. */

typedef unsigned char u8;
typedef unsigned int u16;
typedef unsigned long u32;
typedef long i32;

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define SWAP(type, a, b) do { type swap_tmp = (a); (a) = (b); (b) = swap_tmp; } while (0)

enum opcode { OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_DUP, OP_SWAP, OP_JZ, OP_JMP, OP_PRINT, OP_HALT };

struct instruction {
    enum opcode op;
    i32 operand;
};

struct machine {
    i32 stack[32];
    u8 depth;
    u16 pc;
    u32 steps;
    void (*emit)(i32 value);
};

static i32 checksum;
static void remember(i32 value) { checksum = checksum * 31 + value; }

static int push(struct machine *m, i32 value) {
    if (m->depth >= COUNT_OF(m->stack)) return -1;
    m->stack[m->depth++] = value;
    return 0;
}

static int pop(struct machine *m, i32 *value) {
    if (m->depth == 0) return -1;
    *value = m->stack[--m->depth];
    return 0;
}

int execute(struct machine *m, const struct instruction *code, u16 length) {
    i32 a, b;
    while (m->pc < length) {
        const struct instruction *in = &code[m->pc++];
        m->steps++;
        switch (in->op) {
        case OP_PUSH: if (push(m, in->operand)) return -1; break;
        case OP_ADD: if (pop(m, &b) || pop(m, &a) || push(m, a + b)) return -1; break;
        case OP_SUB: if (pop(m, &b) || pop(m, &a) || push(m, a - b)) return -1; break;
        case OP_MUL: if (pop(m, &b) || pop(m, &a) || push(m, a * b)) return -1; break;
        case OP_DIV:
            if (pop(m, &b) || pop(m, &a) || b == 0 || push(m, a / b)) return -1;
            break;
        case OP_DUP: if (pop(m, &a) || push(m, a) || push(m, a)) return -1; break;
        case OP_SWAP:
            if (pop(m, &b) || pop(m, &a) || push(m, b) || push(m, a)) return -1;
            break;
        case OP_JZ:
            if (pop(m, &a)) return -1;
            if (a == 0) m->pc = (u16)in->operand;
            break;
        case OP_JMP: m->pc = (u16)in->operand; break;
        case OP_PRINT: if (pop(m, &a)) return -1; m->emit(a); break;
        case OP_HALT: return 0;
        default: return -2;
        }
    }
    return 0;
}

struct entry {
    const char *key;
    i32 value;
    struct entry *next;
};

struct table {
    struct entry *buckets[16];
    struct entry pool[64];
    u8 used;
};

static u16 hash(const char *key) {
    u16 h = 5381;
    while (*key) h = (u16)((h << 5) + h + (u8)*key++);
    return h;
}

static int equal(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return *a == *b;
}

struct entry *lookup(struct table *t, const char *key) {
    struct entry *e;
    for (e = t->buckets[hash(key) & 15]; e; e = e->next)
        if (equal(e->key, key)) return e;
    return 0;
}

int insert(struct table *t, const char *key, i32 value) {
    struct entry *e = lookup(t, key);
    u16 slot;
    if (e) { e->value = value; return 0; }
    if (t->used >= COUNT_OF(t->pool)) return -1;
    e = &t->pool[t->used++];
    slot = hash(key) & 15;
    e->key = key;
    e->value = value;
    e->next = t->buckets[slot];
    t->buckets[slot] = e;
    return 1;
}

static void sift_down(i32 *heap, u16 start, u16 end) {
    u16 root = start;
    while (2 * root + 1 <= end) {
        u16 child = 2 * root + 1, swap = root;
        if (heap[swap] < heap[child]) swap = child;
        if (child + 1 <= end && heap[swap] < heap[child + 1]) swap = child + 1;
        if (swap == root) return;
        SWAP(i32, heap[root], heap[swap]);
        root = swap;
    }
}

void heap_sort(i32 *values, u16 count) {
    u16 end, start;
    if (count < 2) return;
    for (start = (count - 2) / 2 + 1; start-- > 0;) sift_down(values, start, count - 1);
    for (end = count - 1; end > 0; end--) {
        SWAP(i32, values[0], values[end]);
        sift_down(values, 0, end - 1);
    }
}

struct fixed { i32 raw; };
static struct fixed fx(i32 whole) { struct fixed f = { whole << 8 }; return f; }
static struct fixed fx_add(struct fixed a, struct fixed b) { struct fixed f = { a.raw + b.raw }; return f; }
static struct fixed fx_mul(struct fixed a, struct fixed b) { struct fixed f = { (a.raw * b.raw) >> 8 }; return f; }
static struct fixed fx_div(struct fixed a, struct fixed b) {
    struct fixed f = { b.raw ? (a.raw << 8) / b.raw : 0 };
    return f;
}

struct fixed fx_sqrt(struct fixed x) {
    struct fixed guess = fx(1);
    int i;
    for (i = 0; i < 12; i++) guess = fx_div(fx_add(guess, fx_div(x, guess)), fx(2));
    return guess;
}

struct fixed polynomial(struct fixed x, const i32 *coefficients, u8 degree) {
    struct fixed acc = fx(0);
    u8 i;
    for (i = 0; i <= degree; i++) acc = fx_add(fx_mul(acc, x), fx(coefficients[i]));
    return acc;
}

u32 crc16_table[16];

void crc_init(void) {
    u16 i, bit;
    for (i = 0; i < 16; i++) {
        u32 crc = i;
        for (bit = 0; bit < 4; bit++) crc = (crc & 1) ? (crc >> 1) ^ 0xA001 : crc >> 1;
        crc16_table[i] = crc;
    }
}

u16 crc16(const u8 *data, u16 length) {
    u16 crc = 0xFFFF, i;
    for (i = 0; i < length; i++) {
        crc = (u16)(crc16_table[(crc ^ data[i]) & 15] ^ (crc >> 4));
        crc = (u16)(crc16_table[(crc ^ (data[i] >> 4)) & 15] ^ (crc >> 4));
    }
    return crc;
}

struct ring {
    u8 data[32];
    u8 head, tail;
};

static int ring_put(struct ring *r, u8 value) {
    u8 next = (u8)((r->head + 1) & 31);
    if (next == r->tail) return 0;
    r->data[r->head] = value;
    r->head = next;
    return 1;
}

static int ring_get(struct ring *r, u8 *value) {
    if (r->head == r->tail) return 0;
    *value = r->data[r->tail];
    r->tail = (u8)((r->tail + 1) & 31);
    return 1;
}

u16 ring_pump(const u8 *input, u16 length) {
    struct ring r = { {0}, 0, 0 };
    u16 total = 0, i;
    u8 value;
    for (i = 0; i < length; i++) {
        if (!ring_put(&r, input[i])) {
            while (ring_get(&r, &value)) total = (u16)(total + value);
            ring_put(&r, input[i]);
        }
    }
    while (ring_get(&r, &value)) total = (u16)(total + value);
    return total;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

i32 parse_sum(const char *text) {
    i32 total = 0, current = 0, sign = 1;
    for (; *text; text++) {
        if (is_digit(*text)) current = current * 10 + (*text - '0');
        else if (*text == '-' || *text == '+' || is_space(*text)) {
            total += sign * current;
            current = 0;
            if (*text == '-') sign = -1;
            else if (*text == '+') sign = 1;
        }
    }
    return total + sign * current;
}

u8 popcount32(u32 x) {
    u8 n = 0;
    while (x) { x &= x - 1; n++; }
    return n;
}

u32 bit_reverse(u32 x) {
    u32 r = 0;
    int i;
    for (i = 0; i < 32; i++) { r = (r << 1) | (x & 1); x >>= 1; }
    return r;
}

i32 gcd(i32 a, i32 b) {
    while (b) { i32 t = a % b; a = b; b = t; }
    return a < 0 ? -a : a;
}

static const struct instruction countdown[] = {
    { OP_PUSH, 10 }, { OP_DUP, 0 }, { OP_PRINT, 0 }, { OP_PUSH, 1 }, { OP_SUB, 0 },
    { OP_DUP, 0 }, { OP_JZ, 8 }, { OP_JMP, 1 }, { OP_HALT, 0 },
};

static const char *const names[] = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta" };
static const i32 coefficients[] = { 3, -2, 5, 7 };

i32 run(const u8 *input, u16 length) {
    struct machine m = { {0}, 0, 0, 0, remember };
    struct table t = { {0}, {{0, 0, 0}}, 0 };
    i32 values[24];
    u16 i;
    i32 result;

    crc_init();
    execute(&m, countdown, (u16)COUNT_OF(countdown));
    for (i = 0; i < COUNT_OF(names); i++) insert(&t, names[i], (i32)(i * i));
    for (i = 0; i < COUNT_OF(values); i++) values[i] = (i32)((i * 7919u) % 101u) - 50;
    heap_sort(values, (u16)COUNT_OF(values));
    result = checksum + lookup(&t, "delta")->value + values[0] + values[23];
    result += fx_sqrt(fx(49)).raw + polynomial(fx(2), coefficients, 3).raw;
    result += crc16(input, length) + ring_pump(input, length) + parse_sum("12 + 30 - 7");
    result += popcount32(0xF0F0F0F0ul) + (i32)(bit_reverse(1) >> 31) + gcd(462, 1071);
    return result;
}
