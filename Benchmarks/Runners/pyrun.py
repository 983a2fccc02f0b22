#!/usr/bin/env python3
"""Runs one WASI command module on a peer engine reached from Python, timed like the Swift runners:
from reading the file to the end of `_start` (compile + instantiate + run), reported on stderr as
`BENCH_SECONDS=<seconds>`.

  pyrun.py wasm3 FILE.wasm [args...]     wasm3 (PyPI pywasm3) with the few WASI calls below
  pyrun.py wasmtime FILE.wasm [args...]  wasmtime (PyPI wasmtime) with its own WASI
"""
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wasmimports import function_imports  # noqa: E402

WASI = "wasi_snapshot_preview1"
ERRNO_SUCCESS, ERRNO_BADF, ERRNO_INVAL, ERRNO_SPIPE, ERRNO_NOSYS = 0, 8, 28, 70, 52


class ProcExit(Exception):
    """Raised by proc_exit to unwind out of the guest."""

    def __init__(self, code):
        super().__init__(f"proc_exit({code})")
        self.code = code


class Wasm3WASI:
    """The WASI preview1 calls a libc `printf` program makes, implemented over wasm3's memory.

    pywasm3 has no WASI of its own. Only the calls below are provided; any other imported function
    is linked to a stub that stops the run with an error, so a workload that needs more fails
    loudly instead of silently producing a different checksum."""

    def __init__(self, runtime, argv, environ):
        self.runtime = runtime
        self.argv = [a.encode() + b"\0" for a in argv]
        self.environ = [f"{k}={v}".encode() + b"\0" for k, v in environ.items()]
        self.exit_code = None

    def memory(self):
        # Fetched on every call: memory.grow can move wasm3's linear memory.
        return self.runtime.get_memory(0)

    def _sizes(self, items, count_ptr, size_ptr):
        mem = self.memory()
        struct.pack_into("<I", mem, count_ptr, len(items))
        struct.pack_into("<I", mem, size_ptr, sum(len(i) for i in items))
        return ERRNO_SUCCESS

    def _fill(self, items, pointers_ptr, buffer_ptr):
        mem = self.memory()
        for index, item in enumerate(items):
            struct.pack_into("<I", mem, pointers_ptr + 4 * index, buffer_ptr)
            mem[buffer_ptr:buffer_ptr + len(item)] = item
            buffer_ptr += len(item)
        return ERRNO_SUCCESS

    def args_sizes_get(self, count_ptr, size_ptr):
        return self._sizes(self.argv, count_ptr, size_ptr)

    def args_get(self, pointers_ptr, buffer_ptr):
        return self._fill(self.argv, pointers_ptr, buffer_ptr)

    def environ_sizes_get(self, count_ptr, size_ptr):
        return self._sizes(self.environ, count_ptr, size_ptr)

    def environ_get(self, pointers_ptr, buffer_ptr):
        return self._fill(self.environ, pointers_ptr, buffer_ptr)

    def fd_write(self, fd, iovs, iovs_len, nwritten_ptr):
        if fd not in (1, 2):
            return ERRNO_BADF
        mem = self.memory()
        total = 0
        for i in range(iovs_len):
            base, length = struct.unpack_from("<II", mem, iovs + 8 * i)
            total += os.write(fd, bytes(mem[base:base + length]))
        struct.pack_into("<I", mem, nwritten_ptr, total)
        return ERRNO_SUCCESS

    def fd_fdstat_get(self, fd, stat_ptr):
        if fd not in (0, 1, 2):
            return ERRNO_BADF
        # filetype = character device, no flags, rights without seek/tell (a terminal-like stream).
        struct.pack_into("<BxHxxxxQQ", self.memory(), stat_ptr, 2, 0, 0x1FFFFFFF & ~0x24, 0)
        return ERRNO_SUCCESS

    def fd_seek(self, fd, offset, whence, new_offset_ptr):
        return ERRNO_SPIPE if fd in (0, 1, 2) else ERRNO_BADF

    def fd_close(self, fd):
        return ERRNO_SUCCESS if fd in (0, 1, 2) else ERRNO_BADF

    def clock_time_get(self, clock_id, precision, time_ptr):
        if clock_id == 0:
            now = time.time_ns()
        elif clock_id == 1:
            now = time.monotonic_ns()
        else:
            return ERRNO_INVAL
        struct.pack_into("<Q", self.memory(), time_ptr, now)
        return ERRNO_SUCCESS

    def proc_exit(self, code):
        self.exit_code = code
        raise ProcExit(code)


def run_wasm3(data, argv):
    import wasm3

    env = wasm3.Environment()
    runtime = env.new_runtime(4 << 20)
    module = env.parse_module(data)
    runtime.load(module)
    wasi = Wasm3WASI(runtime, argv, {})
    for module_name, name, signature in function_imports(data):
        implementation = getattr(wasi, name, None) if module_name == WASI else None
        if implementation is None:
            def missing(*_, _name=f"{module_name}.{name}"):
                raise RuntimeError(f"unsupported: import {_name} is not provided by the wasm3 harness")
            implementation = missing
        module.link_function(module_name, name, signature, implementation)
    try:
        runtime.find_function("_start")()
    except Exception:
        # pywasm3 re-raises a host function's exception as its own error; the exit code we
        # recorded tells a clean proc_exit from a real failure.
        if wasi.exit_code is None:
            raise
    return wasi.exit_code or 0


def run_wasmtime(data, argv):
    import wasmtime

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    config = wasmtime.WasiConfig()
    config.argv = argv
    config.inherit_stdin()
    config.inherit_stdout()
    config.inherit_stderr()
    store.set_wasi(config)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    module = wasmtime.Module(engine, data)
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as exit_trap:
        return exit_trap.code
    return 0


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("wasm3", "wasmtime"):
        sys.stderr.write(__doc__)
        return 64
    engine, path = sys.argv[1], sys.argv[2]
    argv = [os.path.basename(path)] + sys.argv[3:]
    start = time.perf_counter()
    with open(path, "rb") as f:
        data = f.read()
    code = (run_wasm3 if engine == "wasm3" else run_wasmtime)(data, argv)
    elapsed = time.perf_counter() - start
    sys.stdout.flush()
    sys.stderr.write(f"BENCH_SECONDS={elapsed}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
