#!/bin/sh
# Load test of `hearth serve` on loopback: warm invokes of a trivial function over keep-alive
# HTTP (wrk), to an object and to the stateless pool, then over WebSockets to the object
# (ws.py). Bounded: DURATION seconds per run (default 60), 2 wrk threads, CONNECTIONS
# connections (default 32). Needs: wrk (apt install wrk), websockets (pip install websockets),
# a release build of `hearth` and `hearth-host` beside it (swift build -c release).
set -eu
cd "$(dirname "$0")/../.."
HEARTH=${HEARTH:-.build/release/hearth}
PORT=${PORT:-18080}
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-32}
DATA=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT

"$HEARTH" serve --host 127.0.0.1 --port "$PORT" --data "$DATA" --log-level warning &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

ASM=$(printf '(fn add (a b) (+ a b))' | base64 -w0)
curl -sf -X PUT --data-binary @Tests/Guests/test-runtime.wasm "http://127.0.0.1:$PORT/runtimes/bench/default" >/dev/null
curl -sf -X PUT -d "{\"assemblyData\":\"$ASM\",\"entryPoint\":\"add\",\"routing\":\"object\",\"object\":\"calc\"}" \
  "http://127.0.0.1:$PORT/functions/bench/math" >/dev/null
curl -sf -X PUT -d "{\"assemblyData\":\"$ASM\",\"entryPoint\":\"add\",\"routing\":\"pool\"}" \
  "http://127.0.0.1:$PORT/functions/bench/math" >/dev/null
curl -sf -X POST -d '{"functionId":"math","entryPoint":"add","args":[2,3]}' "http://127.0.0.1:$PORT/objects/bench/calc/invoke"; echo

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$SERVER/status"; }
echo "RSS before: $(rss)"
echo "== object route: POST /objects/bench/calc/invoke"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/load/invoke.lua "http://127.0.0.1:$PORT/objects/bench/calc/invoke"
echo "RSS after object run: $(rss)"
echo "== pool route: POST /functions/bench/math/invoke"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/load/invoke.lua "http://127.0.0.1:$PORT/functions/bench/math/invoke"
echo "RSS after pool run: $(rss)"
echo "== WebSocket: {type: invoke} messages to /objects/bench/calc/ws"
if python3 -c "import websockets" 2>/dev/null; then
  python3 Benchmarks/load/ws.py "ws://127.0.0.1:$PORT/objects/bench/calc/ws?functionId=math&entryPoint=add" \
    --connections "$CONNECTIONS" --duration "$DURATION"
  echo "RSS after WebSocket run: $(rss)"
else
  echo "skipped: pip install websockets"
fi
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^hearth_(invocations|invocation_errors|overload)'
