// The Hearth test runtime: a tiny language runtime built as a WASI reactor that implements the
// bridge ABI (see abi.c), so the host's whole invoke path can be exercised end to end.
//
// Its "assemblies" are text in a small S-expression language ("Ember"):
//
//     ; a comment
//     (fn add (a b) (+ a b))
//     (fn greet (name) (concat "Hello, " name "!"))
//
// `load_assembly` reads and checks the syntax of every form, `compile_delegate` resolves an entry
// point (names to local slots, calls to functions, arities, operators) and `execute_delegate`
// evaluates it on JSON arguments, answering a JSON envelope: {"ok":value} or {"error":"..."}.
//
// Values are JSON's (null, booleans, numbers, strings, arrays, objects). Expressions:
//   literals 1.5 "text" true false null; a parameter or local name
//   (let x e) declares a local, (set x e) assigns it; (do e...) sequence; (if c a [b]);
//   (while c body...) loops (forever if c stays true: the host's deadline stops it);
//   (+ - * / % a b) numbers; (= != a b) any values; (< <= > >= a b); (and/or e...); (not e);
//   (concat e...) text; (len e); (get container key-or-index); (list e...); (obj "k" v ...);
//   (f args...) calls another function of the assembly;
//   (log e) -> env.js_console_log; (fetch url) -> env.js_fetch, answering its JSON object;
//   (trap) executes `unreachable`; (raw "text") replaces the envelope with the given text;
//   (misbehave "pointer"|"length") answers an out-of-range result pointer or length.
// Durable state, through the host's `hearth` module (the object's own storage, in the current turn):
//   (kv-get key) -> the stored JSON value or null; (kv-put key value) -> value;
//   (kv-delete key) -> whether it existed; (kv-list prefix) -> [{"key":k,"value":v}...] in key order;
//   (sql query params...) -> {"columns":[...],"rows":[{...}...],"rowsRead":n,"rowsWritten":n}.
//   (alarm-set ms entry) calls this function's `entry` at time ms; (alarm-get) -> {"time",
//   "functionId","entryPoint"} or null; (alarm-delete); (txn-begin), (txn-commit), (txn-rollback)
//   nest transactions in the turn; (bookmark) -> this turn's bookmark; (bookmark-at ms);
//   (bookmark-restore b) -> the bookmark that undoes it.
// Only false and null are falsy.
#ifndef HEARTH_TEST_RUNTIME_H
#define HEARTH_TEST_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

// ---- Values (JSON's data model), allocated in the per-execution arena ----
typedef enum { V_NULL, V_BOOL, V_NUM, V_STR, V_ARR, V_OBJ } ValueKind;

typedef struct Value {
    ValueKind kind;
    int boolean;
    double number;
    const char *text;      // V_STR: bytes (not NUL-terminated), length `length`
    size_t length;         // V_STR: byte count; V_ARR/V_OBJ: element count
    struct Value **items;  // V_ARR elements, V_OBJ values
    const char **keys;     // V_OBJ keys (NUL-terminated)
} Value;

// Every value made while running one delegate lives in one arena, released in one go after
// the result is written: the evaluator never has to track ownership.
void *arena_alloc(size_t size);
void arena_reset(void);

// The start-up heap of a heap build (heap/heap.c); empty in the test runtime.
double heap_sum(void);
double heap_expected(void);
double heap_write(double spans, double seed);

Value *value_null(void);
Value *value_bool(int b);
Value *value_number(double n);
Value *value_string(const char *bytes, size_t length);
Value *value_array(size_t count);
Value *value_object(size_t count);
int value_truthy(const Value *v);
int value_equal(const Value *a, const Value *b);
Value *object_get(const Value *object, const char *key, size_t keyLength);

// ---- Growable byte buffer (malloc-backed) ----
typedef struct {
    char *bytes;
    size_t length, capacity;
    int failed;  // set when an allocation failed; later appends are ignored
} Buffer;

void buffer_append(Buffer *b, const char *bytes, size_t length);
void buffer_append_cstr(Buffer *b, const char *text);

// ---- JSON ----
// Parses `length` bytes; on failure returns NULL and points *error at a static message.
Value *json_parse(const char *text, size_t length, const char **error);
void json_write(Buffer *out, const Value *v);
void json_write_string(Buffer *out, const char *bytes, size_t length);
// The text form used by `concat`/`log`: strings as-is, everything else as JSON.
void value_to_text(Buffer *out, const Value *v);

// ---- Reader: assembly text -> syntax tree (malloc'd, lives as long as the assembly) ----
typedef enum { N_LIST, N_SYMBOL, N_NUMBER, N_STRING } NodeKind;

typedef struct Node {
    NodeKind kind;
    int line;
    char *text;  // symbol name or decoded string (NUL-terminated)
    size_t length;
    double number;
    struct Node **items;  // N_LIST children
    size_t count;
} Node;

// Reads every top-level form; returns the count or -1 with a message in `error` (size 256).
int read_forms(const char *source, size_t length, Node ***forms, char *error);

// ---- Compiler: one function's syntax tree -> resolved expression tree ----
typedef enum {
    OP_NUMBER, OP_STRING, OP_TRUE, OP_FALSE, OP_NULL, OP_LOCAL, OP_LET, OP_SET,
    OP_IF, OP_WHILE, OP_DO, OP_AND, OP_OR, OP_NOT, OP_CALL,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_CONCAT, OP_LEN, OP_GET, OP_LIST, OP_OBJ, OP_LOG, OP_FETCH, OP_TRAP, OP_RAW, OP_MISBEHAVE,
    OP_KV_GET, OP_KV_PUT, OP_KV_DELETE, OP_KV_LIST, OP_SQL,
    OP_ALARM_GET, OP_ALARM_SET, OP_ALARM_DELETE, OP_TXN_BEGIN, OP_TXN_COMMIT, OP_TXN_ROLLBACK,
    OP_BOOKMARK, OP_BOOKMARK_AT, OP_BOOKMARK_RESTORE, OP_HEAP_SUM, OP_HEAP_EXPECTED, OP_HEAP_WRITE
} Op;

struct Function;

typedef struct Expr {
    Op op;
    int line;
    double number;          // OP_NUMBER
    const char *text;       // OP_STRING
    size_t length;
    int slot;               // OP_LOCAL, OP_LET, OP_SET
    struct Function *callee;  // OP_CALL
    struct Expr **args;
    size_t count;
} Expr;

typedef struct Function {
    const char *name;
    Node *definition;  // (fn name (params...) body...)
    int arity;
    int slotCount;     // parameters first, then `let` locals
    const char **slotNames;
    Expr *body;        // an implicit `do` over the body forms; NULL until compiled
    int compiling;
} Function;

typedef struct Assembly {
    Function *functions;
    int count;
} Assembly;

// Compiles `f` (and, transitively, every function it calls). Returns 0, or -1 with a message.
int compile_function(Assembly *assembly, Function *f, char *error);
// Frees a compiled body / a read form and everything below it.
void free_expr(Expr *e);
void free_node(Node *n);

// ---- Evaluator ----
// Runs `f` on `args`; returns the value, or NULL with *error set (arena-allocated message).
Value *evaluate(Function *f, Value **args, const char **error);

// What a `(raw ...)` or `(misbehave ...)` expression asked the ABI layer to return instead of
// a well-formed envelope; the tests use them to check the host's defences.
typedef enum { OUTPUT_NORMAL, OUTPUT_RAW, OUTPUT_BAD_POINTER, OUTPUT_BAD_LENGTH } OutputMode;
extern OutputMode output_mode;
extern Value *raw_output;

// ---- Host imports (module "env") ----
__attribute__((import_module("env"), import_name("js_console_log")))
void js_console_log(const char *message, int32_t length);
// Answers a pointer to a block the host allocated with our `malloc`: a little-endian u32 byte
// count, then that many bytes of JSON ({"status":n,"body":"..."} or {"error":"..."}); 0 when the
// host could not allocate. The caller frees the block.
__attribute__((import_module("env"), import_name("js_fetch")))
int32_t js_fetch(const char *url, int32_t length);


// ---- Host imports (module "hearth"): the object's storage ----
// Each answers a block like js_fetch's (u32 length, then JSON): {"ok":value} or {"error":"..."}.
__attribute__((import_module("hearth"), import_name("kv_get")))
int32_t hearth_kv_get(const char *key, int32_t keyLength);
__attribute__((import_module("hearth"), import_name("kv_put")))
int32_t hearth_kv_put(const char *key, int32_t keyLength, const char *json, int32_t jsonLength);
__attribute__((import_module("hearth"), import_name("kv_delete")))
int32_t hearth_kv_delete(const char *key, int32_t keyLength);
// options: JSON {"prefix":..,"start":..,"end":..,"reverse":..,"limit":..}
__attribute__((import_module("hearth"), import_name("kv_list")))
int32_t hearth_kv_list(const char *options, int32_t optionsLength);
// params: a JSON array of the bound parameters
__attribute__((import_module("hearth"), import_name("sql_exec")))
int32_t hearth_sql_exec(const char *sql, int32_t sqlLength, const char *params, int32_t paramsLength);
__attribute__((import_module("hearth"), import_name("alarm_get"))) int32_t hearth_alarm_get(void);
__attribute__((import_module("hearth"), import_name("alarm_set")))
int32_t hearth_alarm_set(double timeMs, const char *entry, int32_t entryLength);
__attribute__((import_module("hearth"), import_name("alarm_delete"))) int32_t hearth_alarm_delete(void);
__attribute__((import_module("hearth"), import_name("txn_begin"))) int32_t hearth_txn_begin(void);
__attribute__((import_module("hearth"), import_name("txn_commit"))) int32_t hearth_txn_commit(void);
__attribute__((import_module("hearth"), import_name("txn_rollback"))) int32_t hearth_txn_rollback(void);
__attribute__((import_module("hearth"), import_name("bookmark_current"))) int32_t hearth_bookmark_current(void);
__attribute__((import_module("hearth"), import_name("bookmark_for_time"))) int32_t hearth_bookmark_for_time(double timeMs);
__attribute__((import_module("hearth"), import_name("bookmark_restore")))
int32_t hearth_bookmark_restore(const char *bookmark, int32_t length);

#endif
