#!/usr/bin/env python3
"""Wake + invoke latency through `hearth serve`, at the heap sizes given.

Usage: server.py HEARTH HEAP_RUNTIME.wasm...

For each runtime: a server on a free loopback port with a fresh data folder, the runtime uploaded
and a function deployed to object `o`; then, 9 times, the object is hibernated
(`POST /admin/.../hibernate`) and one invoke is timed from the client (HTTP keep-alive off: a new
connection each, as a wake after idle would see). Prints a markdown table of medians.
"""
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def request(method, url, body=None):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.loads(response.read() or b"null")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(hearth):
    """`hearth serve` on a free loopback port with a fresh data folder, once it answers /healthz:
    the process and the base URL."""
    port = free_port()
    server = subprocess.Popen([hearth, "serve", "--port", str(port), "--data", tempfile.mkdtemp(), "--idle-timeout", "3600"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            request("GET", base + "/healthz")
            break
        except OSError:
            time.sleep(0.05)
    return server, base


def measure(hearth, runtime):
    server, base = start_server(hearth)
    try:
        request("PUT", f"{base}/runtimes/demo/default", open(runtime, "rb").read())
        assembly = base64.b64encode(b'(fn greet (name) (concat "Hello, " name "!"))').decode()
        request("PUT", f"{base}/functions/demo/heap",
                {"assemblyData": assembly, "entryPoint": "greet", "routing": "object", "object": "o"})
        invoke = {"functionId": "heap", "entryPoint": "greet", "args": ["x"]}
        start = time.perf_counter()
        first = request("POST", f"{base}/objects/demo/o/invoke", invoke)
        cold = time.perf_counter() - start
        assert first == {"success": True, "result": "Hello, x!"}, first
        wakes = []
        for _ in range(9):
            request("POST", f"{base}/admin/demo/objects/o/hibernate")
            start = time.perf_counter()
            answer = request("POST", f"{base}/objects/demo/o/invoke", invoke)
            wakes.append(time.perf_counter() - start)
            assert answer == {"success": True, "result": "Hello, x!"}, answer
        warm = []
        for _ in range(9):
            start = time.perf_counter()
            request("POST", f"{base}/objects/demo/o/invoke", invoke)
            warm.append(time.perf_counter() - start)
        return cold, statistics.median(wakes), statistics.median(warm)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    hearth = os.path.abspath(sys.argv[1])
    print("| heap | first invoke of the object (it was deployed: snapshot saved) | hibernate, then wake + invoke | warm invoke |")
    print("|---:|---:|---:|---:|")
    for runtime in sys.argv[2:]:
        cold, wake, warm = measure(hearth, runtime)
        name = os.path.splitext(os.path.basename(runtime))[0]
        print(f"| {name} | {cold * 1000:.2f} ms | {wake * 1000:.2f} ms | {warm * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
