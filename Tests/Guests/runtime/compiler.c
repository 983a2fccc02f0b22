// Compiles a function's syntax tree into a resolved expression tree: variable names become
// local slot numbers, calls point at their callee, and every operator's arity is checked, so
// evaluation never looks anything up by name.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

typedef struct {
    Assembly *assembly;
    Function *function;
    char *error;
} Compiler;

// Operators with fixed or minimum operand counts (max -1 = any number from min up).
static const struct { const char *name; Op op; int min, max; } operators[] = {
    {"+", OP_ADD, 2, 2}, {"-", OP_SUB, 2, 2}, {"*", OP_MUL, 2, 2}, {"/", OP_DIV, 2, 2},
    {"%", OP_MOD, 2, 2}, {"=", OP_EQ, 2, 2}, {"!=", OP_NE, 2, 2}, {"<", OP_LT, 2, 2},
    {"<=", OP_LE, 2, 2}, {">", OP_GT, 2, 2}, {">=", OP_GE, 2, 2}, {"not", OP_NOT, 1, 1},
    {"and", OP_AND, 2, -1}, {"or", OP_OR, 2, -1}, {"if", OP_IF, 2, 3}, {"while", OP_WHILE, 1, -1},
    {"do", OP_DO, 0, -1}, {"concat", OP_CONCAT, 0, -1}, {"len", OP_LEN, 1, 1}, {"get", OP_GET, 2, 2},
    {"list", OP_LIST, 0, -1}, {"obj", OP_OBJ, 0, -1}, {"log", OP_LOG, 1, 1}, {"fetch", OP_FETCH, 1, 1},
    {"trap", OP_TRAP, 0, 0}, {"raw", OP_RAW, 1, 1}, {"misbehave", OP_MISBEHAVE, 1, 1},
    {"kv-get", OP_KV_GET, 1, 1}, {"kv-put", OP_KV_PUT, 2, 2}, {"kv-delete", OP_KV_DELETE, 1, 1},
    {"kv-list", OP_KV_LIST, 1, 1}, {"sql", OP_SQL, 1, -1},
    {"alarm-get", OP_ALARM_GET, 0, 0}, {"alarm-set", OP_ALARM_SET, 2, 2}, {"alarm-delete", OP_ALARM_DELETE, 0, 0},
    {"txn-begin", OP_TXN_BEGIN, 0, 0}, {"txn-commit", OP_TXN_COMMIT, 0, 0}, {"txn-rollback", OP_TXN_ROLLBACK, 0, 0},
    {"bookmark", OP_BOOKMARK, 0, 0}, {"bookmark-at", OP_BOOKMARK_AT, 1, 1}, {"bookmark-restore", OP_BOOKMARK_RESTORE, 1, 1},
    {"heap-sum", OP_HEAP_SUM, 0, 0}, {"heap-expected", OP_HEAP_EXPECTED, 0, 0}, {"heap-write", OP_HEAP_WRITE, 2, 2},
};

static Expr *compile_fail(Compiler *c, const Node *at, const char *message, const char *detail) {
    if (!c->error[0]) snprintf(c->error, 256, "%s, line %d: %s%s", c->function->name, at->line, message, detail);
    return NULL;
}

static Expr *new_expr(Compiler *c, const Node *at, Op op, size_t count) {
    Expr *e = calloc(1, sizeof(Expr));
    if (e && count) e->args = calloc(count, sizeof(Expr *));
    if (!e || (count && !e->args)) return compile_fail(c, at, "out of memory", "");
    e->op = op;
    e->line = at->line;
    e->count = count;
    return e;
}

static int find_slot(Function *f, const char *name) {
    for (int i = f->slotCount - 1; i >= 0; i--) {
        if (strcmp(f->slotNames[i], name) == 0) return i;
    }
    return -1;
}

static int add_slot(Function *f, const char *name) {
    const char **grown = realloc(f->slotNames, (size_t)(f->slotCount + 1) * sizeof(char *));
    if (!grown) return -1;
    f->slotNames = grown;
    f->slotNames[f->slotCount] = name;
    return f->slotCount++;
}

static Function *find_function(Assembly *a, const char *name) {
    for (int i = 0; i < a->count; i++) {
        if (strcmp(a->functions[i].name, name) == 0) return &a->functions[i];
    }
    return NULL;
}

static Expr *compile_expr(Compiler *c, const Node *n);

static Expr *compile_operands(Compiler *c, const Node *n, Op op, size_t first) {
    Expr *e = new_expr(c, n, op, n->count - first);
    if (!e) return NULL;
    for (size_t i = first; i < n->count; i++) {
        if (!(e->args[i - first] = compile_expr(c, n->items[i]))) return NULL;
    }
    return e;
}

// (let name value) declares a new local; (set name value) assigns an existing one.
static Expr *compile_binding(Compiler *c, const Node *n, int declare) {
    if (n->count != 3 || n->items[1]->kind != N_SYMBOL) {
        return compile_fail(c, n, declare ? "expected (let name value)" : "expected (set name value)", "");
    }
    const char *name = n->items[1]->text;
    // The value is compiled first, so `(let x (+ x 1))` refers to an outer `x`.
    Expr *value = compile_expr(c, n->items[2]);
    if (!value) return NULL;
    int slot = declare ? add_slot(c->function, name) : find_slot(c->function, name);
    if (slot < 0) return compile_fail(c, n, declare ? "out of memory" : "assignment to undeclared variable ", declare ? "" : name);
    Expr *e = new_expr(c, n, declare ? OP_LET : OP_SET, 1);
    if (!e) return NULL;
    e->slot = slot;
    e->args[0] = value;
    return e;
}

static Expr *compile_list(Compiler *c, const Node *n) {
    if (n->count == 0 || n->items[0]->kind != N_SYMBOL) return compile_fail(c, n, "expected an operator or function name", "");
    const char *head = n->items[0]->text;
    if (strcmp(head, "let") == 0) return compile_binding(c, n, 1);
    if (strcmp(head, "set") == 0) return compile_binding(c, n, 0);
    int arguments = (int)n->count - 1;
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
        if (strcmp(head, operators[i].name) != 0) continue;
        if (arguments < operators[i].min || (operators[i].max >= 0 && arguments > operators[i].max)) {
            return compile_fail(c, n, "wrong number of operands for ", head);
        }
        if (operators[i].op == OP_OBJ && arguments % 2 != 0) return compile_fail(c, n, "obj takes key/value pairs", "");
        return compile_operands(c, n, operators[i].op, 1);
    }
    Function *callee = find_function(c->assembly, head);
    if (!callee) return compile_fail(c, n, "unknown function or operator ", head);
    if (arguments != callee->arity) return compile_fail(c, n, "wrong number of arguments to ", head);
    Expr *e = compile_operands(c, n, OP_CALL, 1);
    if (!e) return NULL;
    e->callee = callee;
    // Callees are compiled eagerly so a delegate never meets an uncompiled function at run
    // time; `compiling` stops the recursion for (mutually) recursive functions.
    if (!callee->body && !callee->compiling && compile_function(c->assembly, callee, c->error) != 0) return NULL;
    return e;
}

static Expr *compile_expr(Compiler *c, const Node *n) {
    Expr *e;
    switch (n->kind) {
    case N_NUMBER:
        if ((e = new_expr(c, n, OP_NUMBER, 0))) e->number = n->number;
        return e;
    case N_STRING:
        if ((e = new_expr(c, n, OP_STRING, 0))) { e->text = n->text; e->length = n->length; }
        return e;
    case N_SYMBOL:
        if (strcmp(n->text, "true") == 0) return new_expr(c, n, OP_TRUE, 0);
        if (strcmp(n->text, "false") == 0) return new_expr(c, n, OP_FALSE, 0);
        if (strcmp(n->text, "null") == 0) return new_expr(c, n, OP_NULL, 0);
        int slot = find_slot(c->function, n->text);
        if (slot < 0) return compile_fail(c, n, "undeclared variable ", n->text);
        if ((e = new_expr(c, n, OP_LOCAL, 0))) e->slot = slot;
        return e;
    case N_LIST:
        return compile_list(c, n);
    }
    return NULL;
}

int compile_function(Assembly *assembly, Function *f, char *error) {
    if (f->body) return 0;
    Compiler c = {assembly, f, error};
    const Node *definition = f->definition;
    Node *params = definition->items[2];
    f->compiling = 1;
    f->slotCount = 0;
    for (size_t i = 0; i < params->count; i++) {
        if (add_slot(f, params->items[i]->text) < 0) { compile_fail(&c, definition, "out of memory", ""); f->compiling = 0; return -1; }
    }
    // The body forms run in sequence, like an implicit `do`.
    Expr *body = compile_operands(&c, definition, OP_DO, 3);
    f->compiling = 0;
    if (!body) return -1;
    f->body = body;
    return 0;
}

void free_expr(Expr *e) {
    if (!e) return;
    for (size_t i = 0; i < e->count; i++) free_expr(e->args[i]);
    free(e->args);
    free(e);
}
