// A minimal JSON parser and writer over the runtime's values (RFC 8259, UTF-8 passed through).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

typedef struct {
    const char *p, *end;
    const char *error;
    int depth;
} Parser;

static void skip_space(Parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static int fail(Parser *ps, const char *message) {
    if (!ps->error) ps->error = message;
    return 0;
}

static Value *parse_value(Parser *ps);

static int hex4(Parser *ps, unsigned *out) {
    if (ps->end - ps->p < 4) return fail(ps, "truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = *ps->p++;
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return fail(ps, "bad \\u escape");
    }
    *out = v;
    return 1;
}

static void put_utf8(Buffer *b, unsigned cp) {
    char s[4];
    size_t n;
    if (cp < 0x80) { s[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { s[0] = (char)(0xC0 | cp >> 6); s[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | cp >> 12); s[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); s[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        s[0] = (char)(0xF0 | cp >> 18); s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); s[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    buffer_append(b, s, n);
}

// Decodes a string literal (the opening quote already consumed) into a malloc'd buffer.
static int parse_string_bytes(Parser *ps, Buffer *out) {
    for (;;) {
        if (ps->p >= ps->end) return fail(ps, "unterminated string");
        char c = *ps->p++;
        if (c == '"') return 1;
        if ((unsigned char)c < 0x20) return fail(ps, "control character in string");
        if (c != '\\') { buffer_append(out, &c, 1); continue; }
        if (ps->p >= ps->end) return fail(ps, "unterminated escape");
        char e = *ps->p++;
        switch (e) {
        case '"': case '\\': case '/': buffer_append(out, &e, 1); break;
        case 'b': buffer_append(out, "\b", 1); break;
        case 'f': buffer_append(out, "\f", 1); break;
        case 'n': buffer_append(out, "\n", 1); break;
        case 'r': buffer_append(out, "\r", 1); break;
        case 't': buffer_append(out, "\t", 1); break;
        case 'u': {
            unsigned cp;
            if (!hex4(ps, &cp)) return 0;
            if (cp >= 0xD800 && cp < 0xDC00) {  // a high surrogate must pair with a low one
                unsigned low;
                if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') return fail(ps, "lone surrogate");
                ps->p += 2;
                if (!hex4(ps, &low) || low < 0xDC00 || low > 0xDFFF) return fail(ps, "lone surrogate");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp < 0xE000) {
                return fail(ps, "lone surrogate");
            }
            put_utf8(out, cp);
            break;
        }
        default: return fail(ps, "bad escape");
        }
    }
}

static Value *parse_string(Parser *ps) {
    Buffer b = {0};
    Value *v = NULL;
    if (parse_string_bytes(ps, &b) && !b.failed) v = value_string(b.bytes ? b.bytes : "", b.length);
    free(b.bytes);
    return v;
}

static Value *parse_number(Parser *ps) {
    const char *start = ps->p;
    if (ps->p < ps->end && *ps->p == '-') ps->p++;
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') { fail(ps, "bad number"); return NULL; }
    if (*ps->p == '0') ps->p++;
    else while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') { fail(ps, "bad number"); return NULL; }
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') { fail(ps, "bad number"); return NULL; }
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    char text[64];
    size_t n = (size_t)(ps->p - start);
    if (n >= sizeof text) { fail(ps, "number too long"); return NULL; }
    memcpy(text, start, n);
    text[n] = 0;
    return value_number(strtod(text, NULL));
}

static int literal(Parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) return fail(ps, "unexpected character");
    ps->p += n;
    return 1;
}

// Arrays and objects are collected into a temporary list, then copied into an exact-size value.
static Value *parse_container(Parser *ps, int isObject) {
    size_t count = 0, capacity = 8;
    Value **items = malloc(capacity * sizeof(Value *));
    const char **keys = malloc(capacity * sizeof(char *));
    Value *result = NULL;
    char close = isObject ? '}' : ']';
    if (!items || !keys) { fail(ps, "out of memory"); goto done; }
    if (++ps->depth > 200) { fail(ps, "nesting too deep"); goto done; }
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) { ps->p++; goto build; }
    for (;;) {
        if (count == capacity) {
            capacity *= 2;
            Value **moreItems = realloc(items, capacity * sizeof(Value *));
            if (moreItems) items = moreItems;
            const char **moreKeys = realloc(keys, capacity * sizeof(char *));
            if (moreKeys) keys = moreKeys;
            if (!moreItems || !moreKeys) { fail(ps, "out of memory"); goto done; }
        }
        skip_space(ps);
        if (isObject) {
            if (ps->p >= ps->end || *ps->p != '"') { fail(ps, "expected a key"); goto done; }
            ps->p++;
            Value *key = parse_string(ps);
            if (!key) goto done;
            keys[count] = key->text;  // arena copies are NUL-terminated
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != ':') { fail(ps, "expected ':'"); goto done; }
            ps->p++;
        }
        Value *item = parse_value(ps);
        if (!item) goto done;
        items[count++] = item;
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
        if (ps->p < ps->end && *ps->p == close) { ps->p++; break; }
        fail(ps, isObject ? "expected ',' or '}'" : "expected ',' or ']'");
        goto done;
    }
build:
    result = isObject ? value_object(count) : value_array(count);
    if (result) {
        memcpy(result->items, items, count * sizeof(Value *));
        if (isObject) memcpy(result->keys, keys, count * sizeof(char *));
    }
    ps->depth--;
done:
    free(items);
    free(keys);
    return result;
}

static Value *parse_value(Parser *ps) {
    skip_space(ps);
    if (ps->p >= ps->end) { fail(ps, "unexpected end of input"); return NULL; }
    switch (*ps->p) {
    case '{': ps->p++; return parse_container(ps, 1);
    case '[': ps->p++; return parse_container(ps, 0);
    case '"': ps->p++; return parse_string(ps);
    case 't': return literal(ps, "true") ? value_bool(1) : NULL;
    case 'f': return literal(ps, "false") ? value_bool(0) : NULL;
    case 'n': return literal(ps, "null") ? value_null() : NULL;
    default: return parse_number(ps);
    }
}

Value *json_parse(const char *text, size_t length, const char **error) {
    Parser ps = {text, text + length, NULL, 0};
    Value *v = parse_value(&ps);
    skip_space(&ps);
    if (v && ps.p != ps.end) { v = NULL; fail(&ps, "trailing characters"); }
    if (!v) *error = ps.error ? ps.error : "out of memory";
    return v;
}

void json_write_string(Buffer *out, const char *bytes, size_t length) {
    buffer_append(out, "\"", 1);
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)bytes[i];
        char escape[8];
        switch (c) {
        case '"': buffer_append(out, "\\\"", 2); break;
        case '\\': buffer_append(out, "\\\\", 2); break;
        case '\n': buffer_append(out, "\\n", 2); break;
        case '\r': buffer_append(out, "\\r", 2); break;
        case '\t': buffer_append(out, "\\t", 2); break;
        default:
            if (c < 0x20) {
                snprintf(escape, sizeof escape, "\\u%04x", c);
                buffer_append(out, escape, 6);
            } else {
                buffer_append(out, (const char *)&c, 1);
            }
        }
    }
    buffer_append(out, "\"", 1);
}

// Integers below 10^18 print without a fraction or exponent (as the host's writer does); other numbers with the fewest digits that round-trip. JSON has
// no NaN or infinity, so those become null (as JavaScript's JSON.stringify does).
static void write_number(Buffer *out, double n) {
    char text[40];
    if (isnan(n) || isinf(n)) { buffer_append_cstr(out, "null"); return; }
    if (n == floor(n) && fabs(n) < 1e18) snprintf(text, sizeof text, "%lld", (long long)n);
    else {
        // The shortest of 15..17 significant digits that reads back as the same double.
        for (int digits = 15; digits <= 17; digits++) {
            snprintf(text, sizeof text, "%.*g", digits, n);
            if (strtod(text, NULL) == n) break;
        }
    }
    buffer_append_cstr(out, text);
}

void json_write(Buffer *out, const Value *v) {
    switch (v->kind) {
    case V_NULL: buffer_append_cstr(out, "null"); break;
    case V_BOOL: buffer_append_cstr(out, v->boolean ? "true" : "false"); break;
    case V_NUM: write_number(out, v->number); break;
    case V_STR: json_write_string(out, v->text, v->length); break;
    case V_ARR:
    case V_OBJ:
        buffer_append(out, v->kind == V_ARR ? "[" : "{", 1);
        for (size_t i = 0; i < v->length; i++) {
            if (i) buffer_append(out, ",", 1);
            if (v->kind == V_OBJ) {
                json_write_string(out, v->keys[i], strlen(v->keys[i]));
                buffer_append(out, ":", 1);
            }
            json_write(out, v->items[i]);
        }
        buffer_append(out, v->kind == V_ARR ? "]" : "}", 1);
        break;
    }
}

void value_to_text(Buffer *out, const Value *v) {
    if (v->kind == V_STR) buffer_append(out, v->text, v->length);
    else json_write(out, v);
}
