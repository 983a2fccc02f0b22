// The bridge ABI: the only exports of the runtime besides `_initialize` and `memory`.
// Every integer is an i32; pointers are offsets into this module's memory.
//
//   malloc(size) -> ptr                 0 when out of memory
//   free(ptr)
//   load_assembly(ptr, len) -> id       >= 1, or -1 syntax error, -2 not a function definition,
//                                       -3 duplicate function, -4 out of memory
//   compile_delegate(assemblyId, namePtr, nameLen) -> id
//                                       >= 1, or -1 unknown assembly, -2 unknown entry point,
//                                       -3 compile error, -4 out of memory
//   execute_delegate(delegateId, argsPtr, argsLen) -> resultPtr
//                                       args: a JSON array (positional) or object (by parameter
//                                       name), empty = no arguments; result: JSON text
//                                       {"ok":value} or {"error":"message"}; 0 when out of memory
//   unload_assembly(assemblyId) -> 0   or -1 unknown assembly; its memory is freed and its
//                                       delegates become unknown (the collectible load context)
//   get_result_length(resultPtr) -> len -1 for a pointer that is not a live result
//   free_result(resultPtr)              ignores pointers that are not live results
//
// The reason for a negative answer is written to stderr (fd 2) as one line, so the host can
// report it without another export.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

#define EXPORT(name) __attribute__((export_name(name)))

static Assembly **assemblies;
static int assemblyCount;

typedef struct { Function *function; } Delegate;
static Delegate *delegates;
static int delegateCount;

// Live results, so a pointer the host passes back is checked rather than trusted.
typedef struct Result {
    struct Result *next;
    char *bytes;     // the address handed to the host
    char *owned;     // the malloc'd buffer (differs from `bytes` only for a bad-pointer result)
    int32_t length;
} Result;
static Result *results;

EXPORT("malloc") void *runtime_malloc(int32_t size) { return size < 0 ? NULL : malloc((size_t)size); }
EXPORT("free") void runtime_free(void *pointer) { free(pointer); }

static int32_t refuse(int32_t code, const char *message) {
    fprintf(stderr, "%s\n", message);
    return code;
}

EXPORT("load_assembly") int32_t load_assembly(const char *source, int32_t length) {
    char error[256];
    Node **forms;
    int count = read_forms(source, (size_t)(length < 0 ? 0 : length), &forms, error);
    if (count < 0) return refuse(-1, error);
    Assembly *assembly = calloc(1, sizeof(Assembly));
    Function *functions = calloc((size_t)(count ? count : 1), sizeof(Function));
    Assembly **grown = realloc(assemblies, (size_t)(assemblyCount + 1) * sizeof(Assembly *));
    if (grown) assemblies = grown;
    if (!assembly || !functions || !grown) {
        free(assembly);
        free(functions);
        return refuse(-4, "out of memory");
    }
    for (int i = 0; i < count; i++) {
        Node *form = forms[i];
        int shaped = form->kind == N_LIST && form->count >= 4 && form->items[0]->kind == N_SYMBOL &&
                     strcmp(form->items[0]->text, "fn") == 0 && form->items[1]->kind == N_SYMBOL &&
                     form->items[2]->kind == N_LIST;
        for (size_t p = 0; shaped && p < form->items[2]->count; p++) shaped = form->items[2]->items[p]->kind == N_SYMBOL;
        if (!shaped) {
            snprintf(error, sizeof error, "line %d: expected (fn name (params...) body...)", form->line);
            free(assembly);
            free(functions);
            return refuse(-2, error);
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(functions[j].name, form->items[1]->text) == 0) {
                snprintf(error, sizeof error, "line %d: duplicate function %s", form->line, functions[j].name);
                free(assembly);
                free(functions);
                return refuse(-3, error);
            }
        }
        functions[i].name = form->items[1]->text;
        functions[i].definition = form;
        functions[i].arity = (int)form->items[2]->count;
    }
    free(forms);
    assembly->functions = functions;
    assembly->count = count;
    assemblies[assemblyCount++] = assembly;
    return assemblyCount;
}

EXPORT("compile_delegate") int32_t compile_delegate(int32_t assemblyId, const char *name, int32_t length) {
    if (assemblyId < 1 || assemblyId > assemblyCount) return refuse(-1, "unknown assembly");
    Assembly *assembly = assemblies[assemblyId - 1];
    if (!assembly) return refuse(-1, "unknown assembly (unloaded)");
    Function *function = NULL;
    for (int i = 0; i < assembly->count && length >= 0; i++) {
        const char *candidate = assembly->functions[i].name;
        if (strlen(candidate) == (size_t)length && memcmp(candidate, name, (size_t)length) == 0) function = &assembly->functions[i];
    }
    if (!function) return refuse(-2, "unknown entry point");
    char error[256] = "";
    if (compile_function(assembly, function, error) != 0) return refuse(-3, error);
    Delegate *grown = realloc(delegates, (size_t)(delegateCount + 1) * sizeof(Delegate));
    if (!grown) return refuse(-4, "out of memory");
    delegates = grown;
    delegates[delegateCount].function = function;
    return ++delegateCount;
}

EXPORT("unload_assembly") int32_t unload_assembly(int32_t assemblyId) {
    if (assemblyId < 1 || assemblyId > assemblyCount || !assemblies[assemblyId - 1]) return refuse(-1, "unknown assembly");
    Assembly *assembly = assemblies[assemblyId - 1];
    for (int d = 0; d < delegateCount; d++) {
        Function *f = delegates[d].function;
        if (f >= assembly->functions && f < assembly->functions + assembly->count) delegates[d].function = NULL;
    }
    for (int i = 0; i < assembly->count; i++) {
        free_expr(assembly->functions[i].body);
        free(assembly->functions[i].slotNames);
        free_node(assembly->functions[i].definition);
    }
    free(assembly->functions);
    free(assembly);
    assemblies[assemblyId - 1] = NULL;
    return 0;
}

// Maps the JSON arguments onto the parameters; NULL with *error when they do not fit.
static Value **bind_arguments(Function *f, const char *json, int32_t length, const char **error) {
    Value **args = arena_alloc(sizeof(Value *) * (size_t)(f->arity + 1));
    if (!args) { *error = "out of memory"; return NULL; }
    if (length <= 0) {
        if (f->arity == 0) return args;
        *error = "missing arguments";
        return NULL;
    }
    Value *parsed = json_parse(json, (size_t)length, error);
    if (!parsed) return NULL;
    if (parsed->kind == V_ARR) {
        if (parsed->length != (size_t)f->arity) { *error = "wrong number of arguments"; return NULL; }
        for (int i = 0; i < f->arity; i++) args[i] = parsed->items[i];
    } else if (parsed->kind == V_OBJ) {
        for (int i = 0; i < f->arity; i++) {
            Value *v = object_get(parsed, f->slotNames[i], strlen(f->slotNames[i]));
            args[i] = v ? v : value_null();
        }
    } else {
        *error = "arguments must be a JSON array or object";
        return NULL;
    }
    return args;
}

static Result *new_result(char *bytes, int32_t length) {
    Result *r = malloc(sizeof(Result));
    if (!r) { free(bytes); return NULL; }
    r->bytes = r->owned = bytes;
    r->length = length;
    r->next = results;
    results = r;
    return r;
}

EXPORT("execute_delegate") char *execute_delegate(int32_t delegateId, const char *json, int32_t length) {
    const char *error = NULL;
    Value *value = NULL;
    output_mode = OUTPUT_NORMAL;
    if (delegateId < 1 || delegateId > delegateCount || !delegates[delegateId - 1].function) {
        error = "unknown delegate";
    } else {
        Function *f = delegates[delegateId - 1].function;
        Value **args = bind_arguments(f, json, length, &error);
        if (args) value = evaluate(f, args, &error);
    }
    Buffer out = {0};
    if (output_mode == OUTPUT_RAW) {
        buffer_append(&out, raw_output->text, raw_output->length);
    } else if (value) {
        buffer_append_cstr(&out, "{\"ok\":");
        json_write(&out, value);
        buffer_append_cstr(&out, "}");
    } else {
        buffer_append_cstr(&out, "{\"error\":");
        json_write_string(&out, error, strlen(error));
        buffer_append_cstr(&out, "}");
    }
    arena_reset();
    if (out.failed || !out.bytes) { free(out.bytes); return NULL; }
    Result *r = new_result(out.bytes, (int32_t)out.length);
    if (!r) return NULL;
    // Deliberate misbehaviour for the host's defences: a result that claims more bytes than
    // memory holds, or a pointer far past the end of memory.
    if (output_mode == OUTPUT_BAD_LENGTH) r->length = 0x7ffffff0;
    if (output_mode == OUTPUT_BAD_POINTER) r->bytes = (char *)(uintptr_t)0xfffffff0u;
    return r->bytes;
}

static Result **find_result(const char *pointer) {
    for (Result **link = &results; *link; link = &(*link)->next) {
        if ((*link)->bytes == pointer) return link;
    }
    return NULL;
}

EXPORT("get_result_length") int32_t get_result_length(const char *pointer) {
    Result **link = find_result(pointer);
    return link ? (*link)->length : -1;
}

EXPORT("free_result") void free_result(char *pointer) {
    Result **link = find_result(pointer);
    if (!link) return;
    Result *r = *link;
    *link = r->next;
    free(r->owned);
    free(r);
}
