#!/usr/bin/env bash
# Builds the C test guests in this folder to wasm32-wasi with zig's clang (PyPI `ziglang`).
# The .wasm files are committed, so tests don't need zig; run this after changing a source.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m ziglang version >/dev/null 2>&1 || pip install --quiet ziglang
for source in *.c; do
    python3 -m ziglang cc -target wasm32-wasi -O2 -s -o "${source%.c}.wasm" "$source"
    echo "built ${source%.c}.wasm ($(wc -c <"${source%.c}.wasm") bytes)"
done

# The bridge's test runtime (runtime/*.c): a WASI reactor exporting the bridge ABI. A 1 MiB
# shadow stack leaves room for the evaluator's recursion (200 nested guest calls).
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s -Wall -Wextra \
    -Wl,-z,stack-size=1048576 -o test-runtime.wasm runtime/*.c
echo "built test-runtime.wasm ($(wc -c <test-runtime.wasm) bytes)"
