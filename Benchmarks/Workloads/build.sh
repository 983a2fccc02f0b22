#!/usr/bin/env bash
# Builds every workload twice: to wasm32-wasi with zig's clang (committed .wasm files next to the
# sources) and natively with `cc -O2` (into ../.build/native/, which git ignores).
# Usage: build.sh [--native-only] [NAME...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
native_dir="$here/../.build/native"
mkdir -p "$native_dir"

wasm=1
if [[ "${1:-}" == "--native-only" ]]; then wasm=0; shift; fi

if [[ $wasm == 1 ]] && ! python3 -m ziglang version >/dev/null 2>&1; then
    echo "installing zig from PyPI (ziglang)" >&2
    python3 -m pip install --quiet ziglang
fi

wasm_cpu="mvp+bulk_memory+sign_ext+mutable_globals+nontrapping_fptoint"
names=("$@")
if [[ ${#names[@]} == 0 ]]; then
    for source in "$here"/*.c; do names+=("$(basename "$source" .c)"); done
fi

for name in "${names[@]}"; do
    source="$here/$name.c"
    # One feature set for every module: MVP plus bulk memory (large memcpy/memset become
    # memory.copy/memory.fill, as wasi-libc uses them when the feature is on), sign extension,
    # mutable globals and non-trapping float-to-int. zig's default CPU also enables reference types,
    # whose call_indirect encoding (a padded LEB table index) wasm3 0.9 rejects.
    # The SIMD workload adds 128-bit vectors (Wasm SIMD); the others stay scalar.
    cpu="$wasm_cpu"
    if [[ $name == simd ]]; then cpu="$cpu+simd128"; fi
    if [[ $wasm == 1 ]]; then
        python3 -m ziglang cc -target wasm32-wasi -O2 -s "-mcpu=$cpu" -o "$here/$name.wasm" "$source"
    fi
    cc -O2 -o "$native_dir/$name" "$source" -lm
    echo "built $name"
done
