#!/usr/bin/env bash
# Builds the C test guests in this folder to wasm32-wasi with zig's clang (PyPI `ziglang`).
# The .wasm files are committed, so tests don't need zig; run this after changing a source.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m ziglang version >/dev/null 2>&1 || pip install --quiet ziglang
if [ "${1:-}" = heap ]; then
    # Only a heap runtime of HEAP_MIB MiB, into the folder given as $2 (default: here).
    out=${2:-.}
    python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s -Wl,-z,stack-size=1048576 \
        -DHEAP_MIB="${HEAP_MIB:?set HEAP_MIB}" -o "$out/heap-runtime-$HEAP_MIB.wasm" runtime/*.c heap/heap.c
    exit 0
fi
for source in *.c; do
    python3 -m ziglang cc -target wasm32-wasi -O2 -s -o "${source%.c}.wasm" "$source"
    echo "built ${source%.c}.wasm ($(wc -c <"${source%.c}.wasm") bytes)"
done

# The bridge's test runtime (runtime/*.c): a WASI reactor exporting the bridge ABI. A 1 MiB
# shadow stack leaves room for the evaluator's recursion (200 nested guest calls).
reactor() {
    python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s -Wall -Wextra \
        -Wl,-z,stack-size=1048576 "$@"
}
reactor -o test-runtime.wasm runtime/*.c heap/heap.c
echo "built test-runtime.wasm ($(wc -c <test-runtime.wasm) bytes)"

# The same runtime with a 48 MiB heap built by `_initialize` (heap/heap.c): the size of the
# .NET runtime's initialized memory, for the snapshot tests and benchmarks. Other sizes:
# HEAP_MIB=16 ./build.sh heap (writes heap-runtime-16.wasm), used by Benchmarks/snapshots.
heap_runtime() {
    local mib=$1 output=$2
    reactor -DHEAP_MIB="$mib" -o "$output" runtime/*.c heap/heap.c
    echo "built $output ($(wc -c <"$output") bytes, $mib MiB heap)"
}
heap_runtime 48 heap-runtime.wasm
