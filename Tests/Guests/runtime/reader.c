// Reads assembly text into S-expression trees: lists in parentheses, symbols, numbers and
// double-quoted strings (with \n \t \" \\ escapes); `;` starts a comment to the end of the line.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

typedef struct {
    const char *p, *end;
    int line;
    char *error;
} Reader;

static Node *new_node(NodeKind kind, int line) {
    Node *n = calloc(1, sizeof(Node));
    if (n) { n->kind = kind; n->line = line; }
    return n;
}

static Node *reader_fail(Reader *r, const char *message) {
    if (!r->error[0]) snprintf(r->error, 256, "line %d: %s", r->line, message);
    return NULL;
}

static void skip_blank(Reader *r) {
    while (r->p < r->end) {
        if (*r->p == ';') {
            while (r->p < r->end && *r->p != '\n') r->p++;
        } else if (*r->p == ' ' || *r->p == '\t' || *r->p == '\r' || *r->p == '\n') {
            if (*r->p == '\n') r->line++;
            r->p++;
        } else {
            return;
        }
    }
}

static int is_delimiter(char c) {
    return c == '(' || c == ')' || c == '"' || c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static Node *read_node(Reader *r, int depth);

static Node *read_list(Reader *r, int depth) {
    Node *list = new_node(N_LIST, r->line);
    if (!list) return reader_fail(r, "out of memory");
    r->p++;  // '('
    for (;;) {
        skip_blank(r);
        if (r->p >= r->end) return reader_fail(r, "missing ')'");
        if (*r->p == ')') { r->p++; return list; }
        Node *item = read_node(r, depth + 1);
        if (!item) return NULL;
        Node **grown = realloc(list->items, (list->count + 1) * sizeof(Node *));
        if (!grown) return reader_fail(r, "out of memory");
        list->items = grown;
        list->items[list->count++] = item;
    }
}

static Node *read_string(Reader *r) {
    Node *node = new_node(N_STRING, r->line);
    Buffer b = {0};
    r->p++;  // opening quote
    for (;;) {
        if (r->p >= r->end) { free(b.bytes); return reader_fail(r, "unterminated string"); }
        char c = *r->p++;
        if (c == '"') break;
        if (c == '\n') r->line++;
        if (c == '\\' && r->p < r->end) {
            char e = *r->p++;
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
        buffer_append(&b, &c, 1);
    }
    buffer_append(&b, "", 1);  // NUL terminator, not counted
    if (!node || b.failed) { free(b.bytes); return reader_fail(r, "out of memory"); }
    node->text = b.bytes;
    node->length = b.length - 1;
    return node;
}

static Node *read_atom(Reader *r) {
    const char *start = r->p;
    while (r->p < r->end && !is_delimiter(*r->p)) r->p++;
    size_t length = (size_t)(r->p - start);
    char *text = malloc(length + 1);
    if (!text) return reader_fail(r, "out of memory");
    memcpy(text, start, length);
    text[length] = 0;
    char *rest;
    double number = strtod(text, &rest);
    // A symbol like `-` or `+` must not read as a number, so the whole atom has to convert.
    int numeric = *rest == 0 && (text[0] == '-' || text[0] == '+' || text[0] == '.' || (text[0] >= '0' && text[0] <= '9'))
                  && strcmp(text, "-") != 0 && strcmp(text, "+") != 0;
    Node *node = new_node(numeric ? N_NUMBER : N_SYMBOL, r->line);
    if (!node) { free(text); return reader_fail(r, "out of memory"); }
    node->text = text;
    node->length = length;
    node->number = number;
    return node;
}

static Node *read_node(Reader *r, int depth) {
    if (depth > 100) return reader_fail(r, "nesting too deep");
    skip_blank(r);
    if (r->p >= r->end) return reader_fail(r, "unexpected end of input");
    if (*r->p == '(') return read_list(r, depth);
    if (*r->p == ')') return reader_fail(r, "unexpected ')'");
    if (*r->p == '"') return read_string(r);
    return read_atom(r);
}

int read_forms(const char *source, size_t length, Node ***forms, char *error) {
    Reader r = {source, source + length, 1, error};
    error[0] = 0;
    Node **list = NULL;
    int count = 0;
    for (;;) {
        skip_blank(&r);
        if (r.p >= r.end) break;
        Node *form = read_node(&r, 0);
        if (!form) { free(list); return -1; }
        Node **grown = realloc(list, (size_t)(count + 1) * sizeof(Node *));
        if (!grown) { free(list); reader_fail(&r, "out of memory"); return -1; }
        list = grown;
        list[count++] = form;
    }
    *forms = list;
    return count;
}

void free_node(Node *n) {
    if (!n) return;
    for (size_t i = 0; i < n->count; i++) free_node(n->items[i]);
    free(n->items);
    free(n->text);
    free(n);
}
