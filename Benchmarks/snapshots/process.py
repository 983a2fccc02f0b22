#!/usr/bin/env python3
"""Whole-process timings of `hearth invoke` waking a runtime from its warm snapshot.

Usage: process.py HEARTH HEAP_RUNTIME.wasm EMPTY.wasm [RUNS]

Times, as a user sees them (one process each, wall clock, peak RSS from wait4): `hearth --help`,
`hearth run` of an empty module, the first `hearth invoke` (cold start, snapshot saved), and the
invokes after it (each a new process waking the object from its snapshot). Prints a markdown
table of medians and the two ratios issue #15 asks about.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def measure_rss(command, runs):
    """Median wall seconds and peak RSS (KiB, from wait4) of `runs` runs of `command`, and its output."""
    times, rss, out = [], [], ""
    for _ in range(runs):
        read, write = os.pipe()
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.dup2(write, 1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.execv(command[0], command)
        os.close(write)
        chunks = []
        while True:
            chunk = os.read(read, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(read)
        _, status, usage = os.wait4(pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{' '.join(command)} exited {os.waitstatus_to_exitcode(status)}")
        rss.append(usage.ru_maxrss)
        out = b"".join(chunks).decode().strip()
    return statistics.median(times), statistics.median(rss), out


def main():
    hearth, runtime, empty = (os.path.abspath(p) for p in sys.argv[1:4])
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 11
    assembly = os.path.join(tempfile.mkdtemp(), "heap.ember")
    with open(assembly, "w") as f:
        f.write('(fn greet (name) (concat "Hello, " name "!"))\n(fn check () (= (heap-sum) (heap-expected)))\n')
    rows = []
    help_s, help_rss, _ = measure_rss([hearth, "--help"], runs)
    rows.append(("`hearth --help`", help_s, help_rss))
    empty_s, empty_rss, _ = measure_rss([hearth, "run", empty], runs)
    rows.append(("`hearth run` of an empty module", empty_s, empty_rss))
    invoke = [hearth, "invoke", "demo", "hello", "--entry-point", "greet", "--args", '["world"]',
              "--runtime", runtime, "--assembly", assembly]
    colds = []
    for _ in range(3):
        data = tempfile.mkdtemp()
        colds.append(measure_rss(invoke + ["--data", data], 1))
    cold_s = statistics.median(c[0] for c in colds)
    cold_rss = statistics.median(c[1] for c in colds)
    rows.append(("first `hearth invoke` (cold start, snapshot saved)", cold_s, cold_rss))
    wake_s, wake_rss, out = measure_rss(invoke + ["--data", data], runs)
    assert out == '{"success":true,"result":"Hello, world!"}', out
    rows.append(("later `hearth invoke` (woken from the snapshot), same flags", wake_s, wake_rss))
    bare = [hearth, "invoke", "demo", "hello", "--entry-point", "greet", "--args", '["world"]', "--data", data]
    bare_s, bare_rss, _ = measure_rss(bare, runs)
    rows.append(("later `hearth invoke` without `--runtime`/`--assembly`", bare_s, bare_rss))
    check = [hearth, "invoke", "demo", "hello", "--entry-point", "check", "--data", data]
    check_s, check_rss, out = measure_rss(check, runs)
    assert out == '{"success":true,"result":true}', out
    rows.append(("later `hearth invoke` of `check` (reads all 48 MiB of heap)", check_s, check_rss))
    print("| process | median wall time | median peak RSS |")
    print("|---|---:|---:|")
    for name, seconds, rss in rows:
        print(f"| {name} | {seconds * 1000:.1f} ms | {rss / 1024:.1f} MB |")
    print()
    print(f"- wake / `--help`: {wake_s / help_s:.2f}x (at most 3x asked); wake / cold start: 1/{cold_s / wake_s:.0f} "
          f"(at most 1/10 asked)")
    print(f"- wake peak RSS / empty-module run peak RSS: {wake_rss / empty_rss:.2f}x (below 2x plus the pages touched asked)")


if __name__ == "__main__":
    main()
