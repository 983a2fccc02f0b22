#!/usr/bin/env bash
# Builds a C interpreter peer from its public source, at a pinned commit, for
# `Benchmarks/compare --real-world` and `--startup`; prints the path of the command it built.
#
#   Peers/build-peer.sh wamr  [SOURCE]   WAMR's `iwasm`, fast interpreter (no JIT, no AOT)
#   Peers/build-peer.sh wasm3 [SOURCE]   wasm3's command-line runner, its "simple" WASI
#
# SOURCE is a git repository of the peer (a clone, a mirror, or a URL); the default is the public
# one (environment: WAMR_SOURCE, WASM3_SOURCE). Needs cmake and a C compiler (Debian: cmake, gcc).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
peer=${1:?usage: build-peer.sh wamr|wasm3 [SOURCE]}
case $peer in
wamr)
    source=${2:-${WAMR_SOURCE:-https://github.com/bytecodealliance/wasm-micro-runtime.git}}
    commit=646b5a9bc # WAMR 2.4.3 (the version its build reports), main on 2026-07-24
    project=product-mini/platforms/linux
    options=(-DWAMR_BUILD_INTERP=1 -DWAMR_BUILD_FAST_INTERP=1 -DWAMR_BUILD_AOT=0 -DWAMR_BUILD_JIT=0
             -DWAMR_BUILD_FAST_JIT=0 -DWAMR_BUILD_LIBC_WASI=1 -DWAMR_BUILD_SIMD=0)
    binary=iwasm
    ;;
wasm3)
    source=${2:-${WASM3_SOURCE:-https://github.com/wasm3/wasm3.git}}
    commit=c9b579d # v0.5.0-219, main
    project=.
    # "simple" WASI: the default (uvwasi) downloads libuv while configuring.
    options=(-DBUILD_WASI=simple -DBUILD_NATIVE=OFF)
    binary=wasm3
    ;;
*)
    echo "build-peer.sh: unknown peer $peer (wamr or wasm3)" >&2
    exit 64
    ;;
esac
out=$HERE/.build/peers/$peer
command -v cmake >/dev/null || { echo "build-peer.sh: cmake is needed (apt-get install cmake)" >&2; exit 1; }
if [[ -x $out/$binary && "$(cat "$out/commit" 2>/dev/null)" == "$commit" ]]; then
    echo "$out/$binary"
    exit 0
fi
rm -rf "$out"
mkdir -p "$out"
git clone --quiet "$source" "$out/source"
git -C "$out/source" checkout --quiet "$commit"
cmake -S "$out/source/$project" -B "$out/build" -DCMAKE_BUILD_TYPE=Release "${options[@]}" >"$out/cmake.log" 2>&1
cmake --build "$out/build" -j "$(nproc)" >"$out/build.log" 2>&1
cp "$out/build/$binary" "$out/$binary"
echo "$commit" >"$out/commit"
echo "$out/$binary"
