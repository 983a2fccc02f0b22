#!/usr/bin/env python3
"""Whole-process timings of command functions: `hearth invoke --command` against a cold `hearth run`.

Usage: commands.py HEARTH PROGRAM.wasm INPUT [RUNS]

Deploys PROGRAM as a command function (its start-up captured at its first read of stdin or write
to stdout), then times later `hearth invoke` processes (each resuming it) against `hearth --help`
and a cold `hearth run` of the same program with the same input; checks both print the same.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run(command, stdin=b""):
    start = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True)
    return time.perf_counter() - start, done.returncode, done.stdout


def main():
    hearth, program, request = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3].encode()
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 11
    data = tempfile.mkdtemp()
    name = os.path.basename(program)
    deploy_s, code, first = run([hearth, "invoke", "demo", "f", "--command", program, "--data", data], request)
    assert code == 0, f"deploy failed: {code}"
    help_s = statistics.median(run([hearth, "--help"])[0] for _ in range(runs))
    resumed = [run([hearth, "invoke", "demo", "f", "--data", data], request) for _ in range(runs)]
    cold = [run([hearth, "run", program], request) for _ in range(max(3, runs // 2))]
    assert all(r[2] == first for r in resumed), "a resumed invocation printed something else"
    assert all(c[2] == first for c in cold), f"the cold run printed {cold[0][2]!r}, the command function {first!r}"
    resumed_s = statistics.median(r[0] for r in resumed)
    cold_s = statistics.median(c[0] for c in cold)
    print(f"| {name} | {deploy_s * 1000:.0f} ms | {resumed_s * 1000:.1f} ms | {cold_s * 1000:.1f} ms | "
          f"{help_s * 1000:.1f} ms | {resumed_s / help_s:.2f}x | {cold_s / resumed_s:.1f}x |")


if __name__ == "__main__":
    main()
