#!/usr/bin/env bash
# Builds the libFuzzer targets (-sanitize=fuzzer,address) and runs each for SECONDS (default 60),
# from seed corpora made here: the spec testsuite's modules (as text and as binaries), the
# committed test guests, modules from `wasm-tools smith` when it is installed, JSON bodies and
# snapshots written by the tests. Any crash, sanitizer report, timeout or out-of-memory fails
# the run; the input that caused it is left in $WORK/findings/ and printed in base64.
#
#   Conformance/Fuzz/run.sh [SECONDS] [TARGET...]
#
# Long runs: SECONDS=3600 or more per target (README.md here records the last long run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzDecode FuzzText FuzzExecute FuzzJSON FuzzSnapshot FuzzInvokeBody)
work=${WORK:-$here/.work}
mkdir -p "$work/findings"
# Swift's crash backtracer would wait for a symbolizer inside libFuzzer's crash handler.
export SWIFT_BACKTRACE=enable=no

# lld: gold aborts on the sanitized objects' debug information.
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
(cd "$here" && swift build "${flags[@]}" 2>&1 | tail -n 3)
bin=$(cd "$here" && swift build "${flags[@]}" --show-bin-path)

seed() {  # seed TARGET: fills $work/corpus/TARGET once
    local dir=$work/corpus/$1
    [ -d "$dir" ] && return
    mkdir -p "$dir"
    local shared=$root/../shared/wasm-testsuite
    case $1 in
    FuzzDecode|FuzzExecute)
        # Binaries of the committed test modules and of the spec suite's (text) modules.
        for f in "$root"/Tests/Guests/*.wasm "$root"/Benchmarks/Workloads/*.wasm; do
            [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 200000 ] && cp "$f" "$dir/"
        done
        for f in "$root"/Tests/Guests/wat/*.wat; do "$root/.build/release/hearth" wat2wasm "$f" -o "$dir/$(basename "$f").wasm" 2>/dev/null || true; done
        if command -v wasm-tools >/dev/null; then
            for i in $(seq 1 200); do
                head -c 512 /dev/urandom | wasm-tools smith --ensure-termination -o "$dir/smith-$i.wasm" 2>/dev/null || true
            done
        fi ;;
    FuzzText)
        [ -d "$shared" ] && for f in "$shared"/*.wast; do
            [ "$(stat -c %s "$f")" -lt 100000 ] && cp "$f" "$dir/"
        done
        cp "$root"/Tests/Guests/wat/*.wat "$dir/" ;;
    FuzzJSON|FuzzInvokeBody)
        printf '%s' '{"functionId":"f","entryPoint":"add","args":[1,2.5,-3e10,"x\u00e9\ud83d\ude00",null,true,{"a":[]}],"assemblyData":"KGZuIGYgKCkgMSk="}' > "$dir/invoke.json"
        printf '%s' '[[[[[]]]]]' > "$dir/nested.json"
        printf '%s' '"\\u0000\\ud800"' > "$dir/escapes.json" ;;
    FuzzSnapshot)
        # A WASI state as the host encodes it (JSON), and bytes for the binary snapshot format.
        printf '%s' '{"descriptors":[],"arguments":["a"],"environment":[]}' > "$dir/wasi.json"
        printf 'HSNP\x01\x00\x00\x00' > "$dir/instance" ;;
    esac
}

failed=0
for target in "${targets[@]}"; do
    seed "$target"
    echo "== $target: ${seconds}s"
    log=$work/$target.log
    # KILL after a grace period: a target must never hang the run.
    if ! timeout -s KILL $((seconds + 120)) "$bin/$target" "$work/corpus/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -malloc_limit_mb=1024 -artifact_prefix="$work/findings/$target-" -print_final_stats=1 >"$log" 2>&1; then
        failed=1
        echo "$target FAILED:"; tail -n 30 "$log"
        for finding in "$work/findings/$target-"*; do
            [ -f "$finding" ] || continue
            echo "$finding ($(stat -c %s "$finding") bytes)"
            [ "$(stat -c %s "$finding")" -le 4096 ] && echo "  base64: $(base64 -w0 "$finding")"
        done
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" | tr '\n' ' '; echo
    fi
done
exit $failed
