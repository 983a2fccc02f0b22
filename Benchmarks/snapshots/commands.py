#!/usr/bin/env python3
"""Whole-process timings of command functions: `hearth invoke --command` against a cold `hearth run`.

Usage: commands.py HEARTH PROGRAM.wasm INPUT [-- DEPLOY-OPTION...]

Deploys PROGRAM as a command function (its start-up captured at its first read of stdin or write
to stdout), then times later `hearth invoke` processes (each resuming it) against `hearth --help`
and, for a `_start` program, a cold `hearth run` of the same program with the same input; checks
both print the same. DEPLOY-OPTIONs go to the deploying `hearth invoke` (`--entry`, `--arg`...);
with them there is no cold `hearth run` to compare with (a reactor's entry takes argv).
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
    deploy_options = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    runs = 11
    data = tempfile.mkdtemp()
    name = os.path.basename(program)
    deploy_s, code, first = run([hearth, "invoke", "demo", "f", "--command", program, "--data", data] + deploy_options,
                                request)
    assert code == 0, f"deploy failed: {code}"
    help_s = statistics.median(run([hearth, "--help"])[0] for _ in range(runs))
    resumed = [run([hearth, "invoke", "demo", "f", "--data", data], request) for _ in range(runs)]
    assert all(r[2] == first for r in resumed), "a resumed invocation printed something else"
    resumed_s = statistics.median(r[0] for r in resumed)
    if deploy_options:
        cold_s = None
    else:
        cold = [run([hearth, "run", program], request) for _ in range(max(3, runs // 2))]
        assert all(c[2] == first for c in cold), f"the cold run printed {cold[0][2]!r}, the command function {first!r}"
        cold_s = statistics.median(c[0] for c in cold)
    cold_cells = f"{cold_s * 1000:.1f} ms" if cold_s else "—"
    ratio = f"{cold_s / resumed_s:.1f}x" if cold_s else "—"
    print(f"| {name} | {deploy_s * 1000:.0f} ms | {resumed_s * 1000:.1f} ms | {cold_cells} | "
          f"{help_s * 1000:.1f} ms | {resumed_s / help_s:.2f}x | {ratio} |")


if __name__ == "__main__":
    main()
