#!/usr/bin/env python3
"""WebSocket load for `hearth serve`: CONNECTIONS sockets to one object, each sending
`{"type":"invoke",...}` messages one after another (the next when the answer arrives) for
DURATION seconds. Prints answers per second and p50/p99 latency; any answer that is not
`success: true` counts as an error. Needs the PyPI package `websockets`.

  ws.py URL [--connections 32] [--duration 30]
"""
import argparse
import asyncio
import json
import statistics
import time

import websockets


async def client(url, stop_at, latencies, errors):
    async with websockets.connect(url, max_size=1 << 20) as socket:
        serial = 0
        while time.perf_counter() < stop_at:
            serial += 1
            started = time.perf_counter()
            await socket.send(json.dumps({"type": "invoke", "id": serial, "params": [2, 3]}))
            answer = json.loads(await socket.recv())
            latencies.append(time.perf_counter() - started)
            if answer.get("success") is not True or answer.get("id") != serial:
                errors.append(answer)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30)
    args = parser.parse_args()
    latencies, errors = [], []
    started = time.perf_counter()
    stop_at = started + args.duration
    await asyncio.gather(*(client(args.url, stop_at, latencies, errors) for _ in range(args.connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1e3
    p99 = latencies[int(len(latencies) * 0.99)] * 1e3
    print(f"{len(latencies)} answers in {elapsed:.1f} s over {args.connections} sockets: "
          f"{len(latencies) / elapsed:.0f}/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, errors {len(errors)}")


if __name__ == "__main__":
    asyncio.run(main())
