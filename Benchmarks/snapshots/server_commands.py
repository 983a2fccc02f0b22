#!/usr/bin/env python3
"""Command functions through `hearth serve`: a resumed invocation against a cold run.

Usage: server_commands.py HEARTH PROGRAM.wasm INPUT

Starts a server on a free loopback port with a fresh data folder, deploys PROGRAM as a command
function of object `o` and to the namespace's pool, and times POSTs from the client (a new
connection each): the first (start-up captured), then 21 resumed ones for each routing, checking
every answer against a cold `hearth run` of the program with the same input, which is also timed
(whole processes, median of 5). Prints one markdown table row.
"""
import base64
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

from server import start_server


def post(url, body, method="POST"):
    start = time.perf_counter()
    req = urllib.request.Request(url, data=body, method=method, headers={"Connection": "close"})
    with urllib.request.urlopen(req, timeout=120) as response:
        return time.perf_counter() - start, response.read()


def main():
    hearth, program, request = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3].encode()
    name = os.path.basename(program)
    cold = []
    for _ in range(5):
        start = time.perf_counter()
        done = subprocess.run([hearth, "run", program], input=request, capture_output=True, check=True)
        cold.append(time.perf_counter() - start)
    expected = done.stdout
    server, base = start_server(hearth)
    try:
        module = base64.b64encode(open(program, "rb").read()).decode()
        for routing in ("object", "pool"):
            body = {"kind": "command", "module": module, "routing": routing, "contentType": "text/plain"}
            if routing == "object":
                body["object"] = "o"
            post(f"{base}/functions/demo/{routing}", json.dumps(body).encode(), method="PUT")
        url = {"object": f"{base}/objects/demo/o/commands/object", "pool": f"{base}/functions/demo/pool/command"}
        first_s, first = post(url["object"], request)
        assert first == expected, f"the server answered {first!r}, a cold run {expected!r}"
        medians = {}
        for routing in ("object", "pool"):
            samples = []
            for _ in range(21):
                seconds, answer = post(url[routing], request)
                assert answer == expected, f"{routing}: answered {answer!r}"
                samples.append(seconds)
            medians[routing] = statistics.median(samples)
        cold_s = statistics.median(cold)
        print(f"| {name} | {first_s * 1000:.0f} ms | {medians['object'] * 1000:.2f} ms | {medians['pool'] * 1000:.2f} ms | "
              f"{cold_s * 1000:.0f} ms | {cold_s / medians['object']:.0f}x |")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
