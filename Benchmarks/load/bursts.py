#!/usr/bin/env python3
"""Server memory after bursts of large request bodies: the resident set of `hearth serve` idle,
then after N bodies of each kind, each measured 2 s after the burst is answered.

    python3 Benchmarks/load/bursts.py [path/to/hearth] [count] [MiB]

Kinds: a wide JSON array (`args` of ~MiB/2 million zeros: the parser's worst case in memory),
a deep-but-legal JSON nesting refused by the depth cap, and a plain upload (`PUT /runtimes`
with bytes that are not a module). Every request gets a 4xx: the point is what is left after.
"""
import http.client, os, socket, subprocess, sys, time

hearth = sys.argv[1] if len(sys.argv) > 1 else ".build/release/hearth"
count = int(sys.argv[2]) if len(sys.argv) > 2 else 4
mib = int(sys.argv[3]) if len(sys.argv) > 3 else 40

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def send(port, method, path, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request(method, path, body=body, headers={"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    c.close()
    return r.status

port = free_port()
data = f"/tmp/hearth-bursts-{os.getpid()}"
server = subprocess.Popen([hearth, "serve", "--port", str(port), "--data", data,
                           "--max-body", str((mib + 8) << 20)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            send(port, "GET", "/health", None)
            break
        except OSError:
            time.sleep(0.1)
    time.sleep(1)
    print(f"idle: {rss_mb(server.pid):.0f} MB")
    size = mib << 20
    wide = b'{"functionId":"f","entryPoint":"e","args":[' + b"0," * (size // 2 - 40) + b'0]}'
    deep = b'{"functionId":"f","entryPoint":"e","args":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    upload = b"\x01" * size
    for name, method, path, body in [("upload", "PUT", "/runtimes/a/blob", upload),
                                     ("deep JSON", "POST", "/objects/a/x/invoke", deep),
                                     ("wide-array JSON", "POST", "/objects/a/x/invoke", wide)]:
        statuses = [send(port, method, path, body) for _ in range(count)]
        time.sleep(2)
        print(f"after {count} x {name} ({len(body) >> 20} MiB, status {sorted(set(statuses))}): {rss_mb(server.pid):.0f} MB")
finally:
    server.terminate()
    server.wait()
    subprocess.run(["rm", "-rf", data])
