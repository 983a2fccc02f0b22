/* An interpreter loop: a tiny stack-based bytecode VM dispatched by a big `switch` (compiled to
 * br_table), running a program that computes Collatz step counts over a range of numbers. */
#include "bench.h"

BENCH_PARAM(upper, 6000);

enum {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_AND, OP_OR,
    OP_XOR, OP_SHL, OP_SHR, OP_DUP, OP_DROP, OP_SWAP, OP_LT, OP_EQ, OP_JMP, OP_JZ, OP_JNZ, OP_INC,
    OP_DEC, OP_NOT, OP_NEG, OP_MAX, OP_MIN, OP_NOP
};

static int64_t run(const int32_t *code, int64_t *vars) {
    int64_t stack[64];
    int sp = 0;
    int pc = 0;
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_HALT: return sp > 0 ? stack[sp - 1] : 0;
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_LOAD: stack[sp++] = vars[code[pc++]]; break;
        case OP_STORE: vars[code[pc++]] = stack[--sp]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DIV: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] / stack[sp] : 0; break;
        case OP_MOD: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHL: sp--; stack[sp - 1] <<= (stack[sp] & 63); break;
        case OP_SHR: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> (stack[sp] & 63)); break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_DROP: sp--; break;
        case OP_SWAP: { int64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ: pc = stack[--sp] == 0 ? code[pc] : pc + 1; break;
        case OP_JNZ: pc = stack[--sp] != 0 ? code[pc] : pc + 1; break;
        case OP_INC: stack[sp - 1]++; break;
        case OP_DEC: stack[sp - 1]--; break;
        case OP_NOT: stack[sp - 1] = !stack[sp - 1]; break;
        case OP_NEG: stack[sp - 1] = -stack[sp - 1]; break;
        case OP_MAX: sp--; if (stack[sp] > stack[sp - 1]) stack[sp - 1] = stack[sp]; break;
        case OP_MIN: sp--; if (stack[sp] < stack[sp - 1]) stack[sp - 1] = stack[sp]; break;
        case OP_NOP: break;
        default: return -1;
        }
    }
}

/* The program is emitted at start-up so jump targets are computed, not hand-counted.
 * vars: 0 = n (outer counter), 1 = x (current Collatz value), 2 = steps, 3 = total, 4 = upper,
 *       5 = longest */
static int32_t code[256];

static int emit_program(void) {
    int p = 0;
#define E(x) code[p++] = (x)
    E(OP_PUSH); E(1); E(OP_STORE); E(0);
    int outer = p;
    E(OP_LOAD); E(0); E(OP_LOAD); E(4); E(OP_LT); E(OP_JZ); int exit_fix = p; E(0);
    E(OP_LOAD); E(0); E(OP_STORE); E(1); E(OP_PUSH); E(0); E(OP_STORE); E(2);
    int inner = p;
    E(OP_LOAD); E(1); E(OP_PUSH); E(1); E(OP_EQ); E(OP_JNZ); int done_fix = p; E(0);
    E(OP_LOAD); E(1); E(OP_PUSH); E(1); E(OP_AND); E(OP_JZ); int even_fix = p; E(0);
    E(OP_LOAD); E(1); E(OP_PUSH); E(3); E(OP_MUL); E(OP_INC); E(OP_JMP); int join_fix = p; E(0);
    code[even_fix] = p;
    E(OP_LOAD); E(1); E(OP_PUSH); E(1); E(OP_SHR);
    code[join_fix] = p;
    E(OP_STORE); E(1); E(OP_LOAD); E(2); E(OP_INC); E(OP_STORE); E(2);
    E(OP_JMP); E(inner);
    code[done_fix] = p;
    /* total += steps * (n % 7 + 1) ^ n; longest = max(longest, steps) */
    E(OP_LOAD); E(3); E(OP_LOAD); E(2); E(OP_LOAD); E(0); E(OP_PUSH); E(7); E(OP_MOD); E(OP_INC);
    E(OP_MUL); E(OP_LOAD); E(0); E(OP_XOR); E(OP_ADD); E(OP_STORE); E(3);
    E(OP_LOAD); E(5); E(OP_LOAD); E(2); E(OP_MAX); E(OP_STORE); E(5);
    E(OP_LOAD); E(0); E(OP_INC); E(OP_STORE); E(0);
    E(OP_JMP); E(outer);
    code[exit_fix] = p;
    E(OP_LOAD); E(3); E(OP_HALT);
#undef E
    return p;
}

int main(void) {
    int length = emit_program();
    int64_t vars[8] = {0};
    vars[4] = upper_param;
    int64_t total = run(code, vars);
    printf("program=%d words total=%lld longest=%lld\n", length, (long long)total, (long long)vars[5]);
    return 0;
}
