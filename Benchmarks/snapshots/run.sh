#!/usr/bin/env bash
# Warm snapshot costs, for Benchmarks/RESULTS.md ("Warm snapshots"): whole `hearth invoke`
# processes against `hearth --help` (process.py), then saves, wakes, disk and memory in process
# at 1, 16, 48 and 64 MiB of state and the .NET runtime's state (SnapshotTimings), then wake +
# invoke through `hearth serve` (server.py), and command functions as whole processes (commands.py)
# and through `hearth serve` (server_commands.py).
#
#   Benchmarks/snapshots/run.sh            # prints markdown tables
#
# Needs zig (PyPI `ziglang`, installed if missing) for the 1/16/64 MiB heap runtimes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for mib in 1 16 64; do HEAP_MIB=$mib bash "$root/Tests/Guests/build.sh" heap "$work"; done
(cd "$root" && swift build -c release --product hearth >/dev/null && swift build -c release --product hearth-host >/dev/null)
(cd "$root/Benchmarks" && swift build -c release --product SnapshotTimings >/dev/null)
echo '(module (func (export "_start")))' > "$work/empty.wat"
"$root/.build/release/hearth" wat2wasm "$work/empty.wat" -o "$work/empty.wasm"

echo "### One process per invoke (48 MiB heap runtime)"
echo
python3 "$here/process.py" "$root/.build/release/hearth" "$root/Tests/Guests/heap-runtime.wasm" "$work/empty.wasm" 11
echo
echo "### In process (an object host; medians of 9)"
echo
dotnet=()
[ -f "$root/../shared/real-world/basic.dotnet.wasm" ] && dotnet=(--dotnet "$root/../shared/real-world/basic.dotnet.wasm")
greet_flag=()
[ -f "$root/../shared/real-world/greet-wasi.rs.wasm" ] && greet_flag=(--greet "$root/../shared/real-world/greet-wasi.rs.wasm")
"$root/Tests/Guests/fetch-quickjs.sh" >/dev/null
greet_flag+=(--qjs "$root/.build-guests/qjs-wasi-reactor.wasm")
"$root/Benchmarks/.build/release/SnapshotTimings" "$work/heap-runtime-1.wasm" "$work/heap-runtime-16.wasm" \
    "$root/Tests/Guests/heap-runtime.wasm" "$work/heap-runtime-64.wasm" "${dotnet[@]}" "${greet_flag[@]}"
echo
echo "### Through \`hearth serve\` (HTTP on loopback; medians of 9)"
echo
python3 "$here/server.py" "$root/.build/release/hearth" "$work/heap-runtime-1.wasm" "$work/heap-runtime-16.wasm" \
    "$root/Tests/Guests/heap-runtime.wasm" "$work/heap-runtime-64.wasm"

greet=$root/../shared/real-world/greet-wasi.rs.wasm
if [ -f "$greet" ] && [ ${#dotnet[@]} -gt 0 ]; then
    echo
    echo "### Command functions (whole processes; medians of 11)"
    echo
    echo "| program | first invoke (deploy, capture) | later invoke, resumed | cold \`hearth run\` | \`hearth --help\` | resumed / --help | cold / resumed |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    python3 "$here/commands.py" "$root/.build/release/hearth" "${dotnet[1]}" ""
    python3 "$here/commands.py" "$root/.build/release/hearth" "$greet" "Hearth"
    python3 "$here/commands.py" "$root/.build/release/hearth" "$root/.build-guests/qjs-wasi-reactor.wasm" '{"a": 2, "b": 40}' \
        -- --entry qjs_init_argv --arg --std --arg -e \
        --arg 'const r = JSON.parse(std.in.readAsString()); console.log(JSON.stringify({sum: r.a + r.b}))'
    echo
    echo "### Command functions through \`hearth serve\` (a new connection per request; medians of 21)"
    echo
    echo "| program | first invocation (start-up captured) | resumed, object | resumed, pool | cold \`hearth run\` (median of 5) | cold / resumed in an object |"
    echo "|---|---:|---:|---:|---:|---:|"
    python3 "$here/server_commands.py" "$root/.build/release/hearth" "${dotnet[1]}" ""
    python3 "$here/server_commands.py" "$root/.build/release/hearth" "$greet" "Hearth"
fi
