#!/usr/bin/env python3
"""Writes the start-up benchmark's modules (`Benchmarks/compare --startup`) into a directory:

  empty.wasm            a command whose `_start` does nothing: the cost of the engine's process
  functions-4000.wasm   4,000 functions (about 2 MB of code) and an empty `_start`: decoding and
                        validating a large module, which every engine must do before running it

  make-modules.py OUTPUT_DIRECTORY

The bodies are ordinary compiled-C shapes (arithmetic on locals, loads and stores, if/else,
br_table, calls), each function different in its constants so that nothing can be shared.
"""
import os
import sys

FUNCTIONS = 4000
STATEMENTS = 7  # per function: about 530 bytes of body, 2.1 MB in all


def uleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        done = (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40)
        out.append(byte | (0 if done else 0x80))
        if done:
            return bytes(out)


def vector(items):
    return uleb(len(items)) + b"".join(items)


def section(ident, payload):
    return bytes([ident]) + uleb(len(payload)) + payload


def name(text):
    return uleb(len(text)) + text.encode()


I32 = 0x7F
LOCAL_GET, LOCAL_SET, I32_CONST = 0x20, 0x21, 0x41
I32_ADD, I32_MUL, I32_XOR, I32_AND, I32_SHR_U = 0x6A, 0x6C, 0x73, 0x71, 0x76
I32_LOAD, I32_STORE = 0x28, 0x36
BLOCK, IF, ELSE, END, BR_TABLE, CALL, DROP = 0x02, 0x04, 0x05, 0x0B, 0x0E, 0x10, 0x1A
VOID = 0x40


def statement(k, s):
    """One statement of function k: about 75 bytes."""
    c = (k * 7919 + s * 104729) % 100000
    address = (k * 64 + s * 4) % 60000
    return b"".join([
        # t2 = (p0 + p1) * c; t3 = (t2 >> 3) ^ p0
        bytes([LOCAL_GET, 0, LOCAL_GET, 1, I32_ADD, I32_CONST]), sleb(c), bytes([I32_MUL, LOCAL_SET, 2]),
        bytes([LOCAL_GET, 2, I32_CONST, 3, I32_SHR_U, LOCAL_GET, 0, I32_XOR, LOCAL_SET, 3]),
        # switch (t3 & 3) { ... } as br_table over nested blocks
        bytes([BLOCK, VOID, BLOCK, VOID, LOCAL_GET, 3, I32_CONST, 3, I32_AND, BR_TABLE]),
        vector([uleb(0), uleb(1), uleb(0)]), uleb(1), bytes([END, END]),
        # mem[address] = t2 + mem[address + 4]
        bytes([I32_CONST]), sleb(address), bytes([LOCAL_GET, 2, I32_CONST]), sleb(address),
        bytes([I32_LOAD, 2]), uleb(4), bytes([I32_ADD, I32_STORE, 2, 0]),
        # t4 = p0 ? t2 : t3
        bytes([LOCAL_GET, 0, IF, I32, LOCAL_GET, 2, ELSE, LOCAL_GET, 3, END, LOCAL_SET, 4]),
        # drop f((k + s + 1) % N)(t4, p1)
        bytes([LOCAL_GET, 4, LOCAL_GET, 1, CALL]), uleb((k + s + 1) % FUNCTIONS), bytes([DROP]),
    ])


def function_body(k):
    code = b"".join(statement(k, s) for s in range(STATEMENTS))
    code += bytes([LOCAL_GET, 4, END])
    locals_ = vector([uleb(3) + bytes([I32])])
    body = locals_ + code
    return uleb(len(body)) + body


def module(functions):
    types = vector([bytes([0x60]) + vector([bytes([I32]), bytes([I32])]) + vector([bytes([I32])]),
                    bytes([0x60, 0, 0])])
    declared = [uleb(0)] * functions + [uleb(1)]
    start = functions  # the last function: `_start`
    bodies = [function_body(k) for k in range(functions)] + [uleb(2) + bytes([0, END])]
    return (b"\0asm" + bytes([1, 0, 0, 0])
            + section(1, types)
            + section(3, vector(declared))
            + section(5, vector([bytes([0]) + uleb(1)]))
            + section(7, vector([name("memory") + bytes([2]) + uleb(0), name("_start") + bytes([0]) + uleb(start)]))
            + section(10, vector(bodies)))


def main():
    # An option is never a directory name here (`--help` once became one).
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for file, functions in (("empty.wasm", 0), (f"functions-{FUNCTIONS}.wasm", FUNCTIONS)):
        with open(os.path.join(out, file), "wb") as f:
            f.write(module(functions))


if __name__ == "__main__":
    main()
