// Evaluates compiled expression trees. Errors (type errors, division by zero, deep recursion)
// unwind by returning NULL with a message; only `(trap)` aborts the whole Wasm call.
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

OutputMode output_mode;
Value *raw_output;

typedef struct {
    Value **slots;
    const char **error;
    int depth;
} Frame;

static Value *eval(Frame *fr, const Expr *e);

static Value *eval_fail(Frame *fr, const Expr *e, const char *format, ...) {
    char *message = arena_alloc(200);
    if (message) {
        int n = snprintf(message, 200, "line %d: ", e->line);
        va_list args;
        va_start(args, format);
        vsnprintf(message + n, (size_t)(200 - n), format, args);
        va_end(args);
        *fr->error = message;
    } else {
        *fr->error = "out of memory";
    }
    return NULL;
}

static Value *number_operand(Frame *fr, const Expr *e, size_t i, double *out) {
    Value *v = eval(fr, e->args[i]);
    if (v && v->kind != V_NUM) return eval_fail(fr, e, "operand %zu is not a number", i + 1);
    if (v) *out = v->number;
    return v;
}

static Value *arithmetic(Frame *fr, const Expr *e) {
    double a, b;
    if (!number_operand(fr, e, 0, &a) || !number_operand(fr, e, 1, &b)) return NULL;
    switch (e->op) {
    case OP_ADD: return value_number(a + b);
    case OP_SUB: return value_number(a - b);
    case OP_MUL: return value_number(a * b);
    case OP_DIV: if (b == 0) return eval_fail(fr, e, "division by zero"); return value_number(a / b);
    case OP_MOD: if (b == 0) return eval_fail(fr, e, "division by zero"); return value_number(fmod(a, b));
    case OP_LT: return value_bool(a < b);
    case OP_LE: return value_bool(a <= b);
    case OP_GT: return value_bool(a > b);
    default: return value_bool(a >= b);
    }
}

static Value *text_of(Frame *fr, const Expr *e, size_t count) {
    Buffer b = {0};
    for (size_t i = 0; i < count; i++) {
        Value *v = eval(fr, e->args[i]);
        if (!v) { free(b.bytes); return NULL; }
        value_to_text(&b, v);
    }
    Value *result = b.failed ? NULL : value_string(b.bytes ? b.bytes : "", b.length);
    free(b.bytes);
    return result ? result : eval_fail(fr, e, "out of memory");
}

static Value *call(Frame *fr, const Expr *e) {
    Function *callee = e->callee;
    if (fr->depth >= 200) return eval_fail(fr, e, "recursion too deep");
    Value **slots = arena_alloc(sizeof(Value *) * (size_t)(callee->slotCount + 1));
    if (!slots) return eval_fail(fr, e, "out of memory");
    for (size_t i = 0; i < e->count; i++) {
        if (!(slots[i] = eval(fr, e->args[i]))) return NULL;
    }
    for (int i = (int)e->count; i < callee->slotCount; i++) slots[i] = value_null();
    Frame inner = {slots, fr->error, fr->depth + 1};
    return eval(&inner, callee->body);
}

static Value *get(Frame *fr, const Expr *e) {
    Value *container = eval(fr, e->args[0]);
    Value *key = container ? eval(fr, e->args[1]) : NULL;
    if (!key) return NULL;
    if (container->kind == V_OBJ && key->kind == V_STR) {
        Value *v = object_get(container, key->text, key->length);
        return v ? v : value_null();
    }
    if ((container->kind == V_ARR || container->kind == V_STR) && key->kind == V_NUM) {
        double i = key->number;
        if (i < 0 || i >= (double)container->length || i != floor(i)) return value_null();
        if (container->kind == V_STR) return value_string(container->text + (size_t)i, 1);
        return container->items[(size_t)i];
    }
    return eval_fail(fr, e, "get needs an object and a string key, or an array/string and an index");
}

static Value *make_object(Frame *fr, const Expr *e) {
    Value *object = value_object(e->count / 2);
    if (!object) return eval_fail(fr, e, "out of memory");
    for (size_t i = 0; i < e->count; i += 2) {
        Value *key = eval(fr, e->args[i]);
        if (!key) return NULL;
        if (key->kind != V_STR) return eval_fail(fr, e, "object keys must be strings");
        object->keys[i / 2] = key->text;
        if (!(object->items[i / 2] = eval(fr, e->args[i + 1]))) return NULL;
    }
    return object;
}

static Value *fetch(Frame *fr, const Expr *e) {
    Value *url = eval(fr, e->args[0]);
    if (!url) return NULL;
    if (url->kind != V_STR) return eval_fail(fr, e, "fetch needs a URL string");
    uint8_t *block = (uint8_t *)(uintptr_t)js_fetch(url->text, (int32_t)url->length);
    if (!block) return eval_fail(fr, e, "fetch failed: the host returned no response");
    uint32_t length = (uint32_t)block[0] | (uint32_t)block[1] << 8 | (uint32_t)block[2] << 16 | (uint32_t)block[3] << 24;
    const char *error = NULL;
    Value *response = json_parse((const char *)block + 4, length, &error);
    free(block);
    return response ? response : eval_fail(fr, e, "fetch: the host's response is not JSON (%s)", error);
}

// Unwraps a `hearth` import's answer block: the "ok" value, or an evaluation error.
static Value *storage_answer(Frame *fr, const Expr *e, const char *what, int32_t address) {
    uint8_t *block = (uint8_t *)(uintptr_t)address;
    if (!block) return eval_fail(fr, e, "%s failed: the host returned no response", what);
    uint32_t length = (uint32_t)block[0] | (uint32_t)block[1] << 8 | (uint32_t)block[2] << 16 | (uint32_t)block[3] << 24;
    const char *error = NULL;
    Value *answer = json_parse((const char *)block + 4, length, &error);
    free(block);
    if (!answer || answer->kind != V_OBJ) return eval_fail(fr, e, "%s: the host's answer is not a JSON object", what);
    Value *ok = object_get(answer, "ok", 2);
    if (ok) return ok;
    Value *message = object_get(answer, "error", 5);
    if (message && message->kind == V_STR) return eval_fail(fr, e, "%s: %.*s", what, (int)message->length, message->text);
    return eval_fail(fr, e, "%s: the host's answer has neither ok nor error", what);
}

// Evaluates operand `i` as a string (a storage key or SQL text).
static Value *string_operand(Frame *fr, const Expr *e, size_t i, const char *what) {
    Value *v = eval(fr, e->args[i]);
    if (v && v->kind != V_STR) return eval_fail(fr, e, "%s needs a string", what);
    return v;
}

static Value *storage(Frame *fr, const Expr *e) {
    Value *key, *v;
    Buffer json = {0};
    int32_t answer = 0;
    const char *what = "storage";
    switch (e->op) {
    case OP_KV_GET:
        what = "kv-get";
        if (!(key = string_operand(fr, e, 0, what))) return NULL;
        answer = hearth_kv_get(key->text, (int32_t)key->length);
        break;
    case OP_KV_PUT:
        what = "kv-put";
        if (!(key = string_operand(fr, e, 0, what)) || !(v = eval(fr, e->args[1]))) return NULL;
        json_write(&json, v);
        if (json.failed) { free(json.bytes); return eval_fail(fr, e, "out of memory"); }
        answer = hearth_kv_put(key->text, (int32_t)key->length, json.bytes, (int32_t)json.length);
        break;
    case OP_KV_DELETE:
        what = "kv-delete";
        if (!(key = string_operand(fr, e, 0, what))) return NULL;
        answer = hearth_kv_delete(key->text, (int32_t)key->length);
        break;
    case OP_KV_LIST:
        what = "kv-list";
        if (!(key = string_operand(fr, e, 0, what))) return NULL;
        buffer_append_cstr(&json, "{\"prefix\":");
        json_write_string(&json, key->text, key->length);
        buffer_append_cstr(&json, "}");
        if (json.failed) { free(json.bytes); return eval_fail(fr, e, "out of memory"); }
        answer = hearth_kv_list(json.bytes, (int32_t)json.length);
        break;
    case OP_ALARM_GET: what = "alarm-get"; answer = hearth_alarm_get(); break;
    case OP_ALARM_DELETE: what = "alarm-delete"; answer = hearth_alarm_delete(); break;
    case OP_TXN_BEGIN: what = "txn-begin"; answer = hearth_txn_begin(); break;
    case OP_TXN_COMMIT: what = "txn-commit"; answer = hearth_txn_commit(); break;
    case OP_TXN_ROLLBACK: what = "txn-rollback"; answer = hearth_txn_rollback(); break;
    case OP_BOOKMARK: what = "bookmark"; answer = hearth_bookmark_current(); break;
    case OP_ALARM_SET:
    case OP_BOOKMARK_AT: {
        what = e->op == OP_ALARM_SET ? "alarm-set" : "bookmark-at";
        Value *ms = eval(fr, e->args[0]);
        if (!ms) return NULL;
        if (ms->kind != V_NUM) return eval_fail(fr, e, "%s needs a time in milliseconds", what);
        if (e->op == OP_BOOKMARK_AT) { answer = hearth_bookmark_for_time(ms->number); break; }
        if (!(key = string_operand(fr, e, 1, what))) return NULL;
        answer = hearth_alarm_set(ms->number, key->text, (int32_t)key->length);
        break;
    }
    case OP_BOOKMARK_RESTORE:
        what = "bookmark-restore";
        if (!(key = string_operand(fr, e, 0, what))) return NULL;
        answer = hearth_bookmark_restore(key->text, (int32_t)key->length);
        break;
    default: {
        what = "sql";
        Value *query = string_operand(fr, e, 0, what);
        Value *params = query ? value_array(e->count - 1) : NULL;
        if (query && !params) return eval_fail(fr, e, "out of memory");
        if (!query) return NULL;
        for (size_t i = 1; i < e->count; i++) {
            if (!(params->items[i - 1] = eval(fr, e->args[i]))) return NULL;
        }
        json_write(&json, params);
        if (json.failed) { free(json.bytes); return eval_fail(fr, e, "out of memory"); }
        answer = hearth_sql_exec(query->text, (int32_t)query->length, json.bytes, (int32_t)json.length);
        break;
    }
    }
    free(json.bytes);
    Value *result = storage_answer(fr, e, what, answer);
    // kv-put answers the value it stored, which reads better in a `do` than `true`.
    return (result && e->op == OP_KV_PUT) ? v : result;
}

static Value *eval(Frame *fr, const Expr *e) {
    Value *v;
    switch (e->op) {
    case OP_NUMBER: return value_number(e->number);
    case OP_STRING: return value_string(e->text, e->length);
    case OP_TRUE: return value_bool(1);
    case OP_FALSE: return value_bool(0);
    case OP_NULL: return value_null();
    case OP_LOCAL: return fr->slots[e->slot];
    case OP_LET:
    case OP_SET:
        if ((v = eval(fr, e->args[0]))) fr->slots[e->slot] = v;
        return v;
    case OP_IF:
        if (!(v = eval(fr, e->args[0]))) return NULL;
        if (value_truthy(v)) return eval(fr, e->args[1]);
        return e->count == 3 ? eval(fr, e->args[2]) : value_null();
    case OP_WHILE:
        // No iteration limit on purpose: the host's fuel/deadline is what stops a runaway loop.
        for (;;) {
            if (!(v = eval(fr, e->args[0]))) return NULL;
            if (!value_truthy(v)) return value_null();
            for (size_t i = 1; i < e->count; i++) {
                if (!eval(fr, e->args[i])) return NULL;
            }
        }
    case OP_DO:
        v = value_null();
        for (size_t i = 0; i < e->count && v; i++) v = eval(fr, e->args[i]);
        return v;
    case OP_AND:
    case OP_OR:
        for (size_t i = 0; i < e->count; i++) {
            if (!(v = eval(fr, e->args[i]))) return NULL;
            if (value_truthy(v) != (e->op == OP_AND)) return v;
        }
        return v;
    case OP_NOT: return (v = eval(fr, e->args[0])) ? value_bool(!value_truthy(v)) : NULL;
    case OP_EQ:
    case OP_NE: {
        Value *a = eval(fr, e->args[0]);
        Value *b = a ? eval(fr, e->args[1]) : NULL;
        return b ? value_bool(value_equal(a, b) == (e->op == OP_EQ)) : NULL;
    }
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD:
    case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        return arithmetic(fr, e);
    case OP_CONCAT: return text_of(fr, e, e->count);
    case OP_LEN:
        if (!(v = eval(fr, e->args[0]))) return NULL;
        if (v->kind != V_STR && v->kind != V_ARR && v->kind != V_OBJ) return eval_fail(fr, e, "len needs a string, array or object");
        return value_number((double)v->length);
    case OP_GET: return get(fr, e);
    case OP_LIST:
        if (!(v = value_array(e->count))) return eval_fail(fr, e, "out of memory");
        for (size_t i = 0; i < e->count; i++) {
            if (!(v->items[i] = eval(fr, e->args[i]))) return NULL;
        }
        return v;
    case OP_OBJ: return make_object(fr, e);
    case OP_LOG:
        if (!(v = text_of(fr, e, 1))) return NULL;
        js_console_log(v->text, (int32_t)v->length);
        return v;
    case OP_FETCH: return fetch(fr, e);
    case OP_TRAP: __builtin_trap();
    case OP_RAW:
        // The string is handed back verbatim instead of the JSON envelope (bad-output tests).
        if (!(v = eval(fr, e->args[0]))) return NULL;
        if (v->kind != V_STR) return eval_fail(fr, e, "raw needs a string");
        output_mode = OUTPUT_RAW;
        raw_output = v;
        return v;
    case OP_MISBEHAVE:
        if (!(v = eval(fr, e->args[0]))) return NULL;
        if (v->kind == V_STR && v->length == 7 && memcmp(v->text, "pointer", 7) == 0) output_mode = OUTPUT_BAD_POINTER;
        else if (v->kind == V_STR && v->length == 6 && memcmp(v->text, "length", 6) == 0) output_mode = OUTPUT_BAD_LENGTH;
        else return eval_fail(fr, e, "misbehave takes \"pointer\" or \"length\"");
        return v;
    case OP_KV_GET: case OP_KV_PUT: case OP_KV_DELETE: case OP_KV_LIST: case OP_SQL:
    case OP_ALARM_GET: case OP_ALARM_SET: case OP_ALARM_DELETE: case OP_TXN_BEGIN: case OP_TXN_COMMIT:
    case OP_TXN_ROLLBACK: case OP_BOOKMARK: case OP_BOOKMARK_AT: case OP_BOOKMARK_RESTORE:
        return storage(fr, e);
    case OP_HEAP_SUM: return value_number(heap_sum());
    case OP_HEAP_EXPECTED: return value_number(heap_expected());
    case OP_HEAP_WRITE: {
        Value *spans = eval(fr, e->args[0]);
        Value *seed = spans ? eval(fr, e->args[1]) : NULL;
        if (!seed) return NULL;
        if (spans->kind != V_NUM || seed->kind != V_NUM) return eval_fail(fr, e, "heap-write needs two numbers");
        return value_number(heap_write(spans->number, seed->number));
    }
    case OP_CALL: return call(fr, e);
    }
    return eval_fail(fr, e, "unknown operation");
}

Value *evaluate(Function *f, Value **args, const char **error) {
    Value **slots = arena_alloc(sizeof(Value *) * (size_t)(f->slotCount + 1));
    if (!slots) { *error = "out of memory"; return NULL; }
    for (int i = 0; i < f->slotCount; i++) slots[i] = i < f->arity ? args[i] : value_null();
    Frame frame = {slots, error, 0};
    return eval(&frame, f->body);
}
