// Values, the per-execution arena they live in, and the growable buffer used for output.
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

typedef struct Chunk {
    struct Chunk *next;
    size_t used, capacity;
    _Alignas(8) unsigned char data[];
} Chunk;

static Chunk *chunks;

void *arena_alloc(size_t size) {
    size = (size + 7) & ~(size_t)7;
    if (!chunks || chunks->capacity - chunks->used < size) {
        size_t capacity = size > 65536 ? size : 65536;
        Chunk *chunk = malloc(sizeof(Chunk) + capacity);
        if (!chunk) return NULL;
        chunk->next = chunks;
        chunk->used = 0;
        chunk->capacity = capacity;
        chunks = chunk;
    }
    void *p = chunks->data + chunks->used;
    chunks->used += size;
    memset(p, 0, size);
    return p;
}

void arena_reset(void) {
    while (chunks) {
        Chunk *next = chunks->next;
        free(chunks);
        chunks = next;
    }
}

static Value *make(ValueKind kind) {
    Value *v = arena_alloc(sizeof(Value));
    if (v) v->kind = kind;
    return v;
}

Value *value_null(void) { return make(V_NULL); }

Value *value_bool(int b) {
    Value *v = make(V_BOOL);
    if (v) v->boolean = b != 0;
    return v;
}

Value *value_number(double n) {
    Value *v = make(V_NUM);
    if (v) v->number = n;
    return v;
}

Value *value_string(const char *bytes, size_t length) {
    Value *v = make(V_STR);
    char *copy = arena_alloc(length + 1);
    if (!v || !copy) return NULL;
    memcpy(copy, bytes, length);
    v->text = copy;
    v->length = length;
    return v;
}

Value *value_array(size_t count) {
    Value *v = make(V_ARR);
    if (!v) return NULL;
    v->length = count;
    v->items = arena_alloc(sizeof(Value *) * (count ? count : 1));
    return v->items ? v : NULL;
}

Value *value_object(size_t count) {
    Value *v = value_array(count);
    if (!v) return NULL;
    v->kind = V_OBJ;
    v->keys = arena_alloc(sizeof(char *) * (count ? count : 1));
    return v->keys ? v : NULL;
}

// Only false and null are false, as in Lua: 0 and "" are ordinary values.
int value_truthy(const Value *v) {
    return !(v->kind == V_NULL || (v->kind == V_BOOL && !v->boolean));
}

int value_equal(const Value *a, const Value *b) {
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case V_NULL: return 1;
    case V_BOOL: return a->boolean == b->boolean;
    case V_NUM: return a->number == b->number;
    case V_STR: return a->length == b->length && memcmp(a->text, b->text, a->length) == 0;
    case V_ARR:
    case V_OBJ:
        if (a->length != b->length) return 0;
        for (size_t i = 0; i < a->length; i++) {
            if (a->kind == V_OBJ && strcmp(a->keys[i], b->keys[i]) != 0) return 0;
            if (!value_equal(a->items[i], b->items[i])) return 0;
        }
        return 1;
    }
    return 0;
}

Value *object_get(const Value *object, const char *key, size_t keyLength) {
    for (size_t i = 0; i < object->length; i++) {
        if (strlen(object->keys[i]) == keyLength && memcmp(object->keys[i], key, keyLength) == 0) {
            return object->items[i];
        }
    }
    return NULL;
}

void buffer_append(Buffer *b, const char *bytes, size_t length) {
    if (b->failed) return;
    if (b->capacity - b->length < length) {
        size_t capacity = b->capacity ? b->capacity : 64;
        while (capacity - b->length < length) capacity *= 2;
        char *grown = realloc(b->bytes, capacity);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->bytes = grown;
        b->capacity = capacity;
    }
    memcpy(b->bytes + b->length, bytes, length);
    b->length += length;
}

void buffer_append_cstr(Buffer *b, const char *text) { buffer_append(b, text, strlen(text)); }
