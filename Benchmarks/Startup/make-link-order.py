#!/usr/bin/env python3
"""Writes `Sources/HearthCLI/link-order.txt`: the symbols whose sections `hearth run` touches
from exec to exit, in the order it first touches them: first for a module that does nothing,
then for a WASI program that prints a line (`Tests/Guests/hello.wasm`: translation,
interpretation, WASI calls).

  make-link-order.py          (needs valgrind: `apt-get install valgrind`)

`Package.swift` hands the file to the linker (lld's `--symbol-ordering-file`) when it links
`hearth` for release on Linux, so that those sections sit together at the front of their
output sections: start-up then faults in the pages of those sections, about 90, instead of
pages spread over 12 MB of code and 2 MB of data, about 155. Measured in
`Benchmarks/RESULTS.md` (start-up); the reasoning is in `Sources/HearthRuntime/DESIGN.md`
(*Start-up*).

How: build the deployable `hearth` (a static executable, `README.md`, *Serving*) with a link
map, trace every instruction and data access of both runs with valgrind's lackey, find the
input section holding each address in the map, and name each section by a symbol no other
section has. Sections that have no such symbol (merged strings, linker-made tables) keep their
place. The string routines glibc picks at run time by CPU (memcpy's AVX-512 form on one
machine, SSE2 under valgrind) are listed in every form, since valgrind sees only one.

A stale file costs speed, not correctness: the linker ignores names that no longer exist and
places new code where it would have without the file. Regenerate it when start-up's code
changes (`Benchmarks/compare --startup` reports the page faults).
"""
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRATCH = os.path.join(ROOT, ".build-static")
MAP = os.path.join(SCRATCH, "hearth.map")
OUTPUT = os.path.join(ROOT, "Sources", "HearthCLI", "link-order.txt")

# Input-section lines of lld's map: VMA, LMA, size, alignment, then the section (`file:(name)`)
# or, indented further, a symbol it defines.
MAP_LINE = re.compile(r"\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+\s(\s*)(\S.*)$")
# glibc's string routines in their CPU-specific forms: `__memmove_avx512_unaligned_erms`.
CPU_FORM = re.compile(r"^(__\w+?)_(sse2|ssse3|sse4|avx|avx2|evex|avx512)(_\w*)?$")


def build():
    command = ["swift", "build", "-c", "release", "-Xswiftc", "-static-executable",
               "--scratch-path", SCRATCH, "--product", "hearth",
               "-Xlinker", f"-Map={MAP}", "-Xlinker", "--no-demangle"]
    print(" ".join(command), file=sys.stderr)
    subprocess.run(command, cwd=ROOT, check=True)


def read_map(path):
    """Every input section with a size: [address, size, description, [symbols]]."""
    sections, current = [], None
    for line in open(path):
        match = MAP_LINE.match(line)
        if not match:
            continue
        address, size, indent, what = int(match.group(1), 16), int(match.group(2), 16), len(match.group(3)), match.group(4)
        if ":(" in what:
            current = [address, size, what, []]
            if size > 0 and ":(.debug" not in what:
                sections.append(current)
        elif current is not None and indent > 8:
            if current[0] <= address < current[0] + max(current[1], 1):
                current[3].append(what)
        else:
            current = None
    sections.sort()
    return sections


def empty_module(directory):
    path = os.path.join(directory, "empty.wasm")
    subprocess.run([sys.executable, os.path.join(HERE, "make-modules.py"), directory], check=True,
                   stdout=subprocess.DEVNULL)
    return path


def traced_addresses(hearth, modules, directory):
    """Addresses of every instruction fetched and every datum read or written, in order, by
    `hearth run` of each module in turn."""
    for index, module in enumerate(modules):
        log = os.path.join(directory, f"lackey-{index}.log")
        subprocess.run(["valgrind", "--tool=lackey", "--trace-mem=yes", f"--log-file={log}", hearth, "run", module],
                       check=True, stdout=subprocess.DEVNULL)
        yield from log_addresses(log)


def log_addresses(log):
    with open(log) as lines:
        for line in lines:
            if len(line) > 3 and line[0] in " I" and line[1] in " LSM" and line[2] == " ":
                field = line[3:].split(",", 1)[0].strip()
                try:
                    yield int(field, 16)
                except ValueError:
                    pass


def order(sections, addresses):
    starts = [section[0] for section in sections]
    owners = collections.Counter(name for section in sections for name in set(section[3]))
    first_touched = {}
    for address in addresses:
        index = bisect.bisect_right(starts, address) - 1
        if index >= 0:
            section = sections[index]
            if address < section[0] + section[1] and section[0] not in first_touched:
                first_touched[section[0]] = (len(first_touched), section)
    forms = collections.defaultdict(list)
    for section in sections:
        for name in section[3]:
            match = CPU_FORM.match(name)
            if match and owners[name] == 1:
                forms[match.group(1)].append(name)
    names, listed, unnamed = [], set(), 0
    for _, section in sorted(first_touched.values()):
        unique = [name for name in section[3] if owners[name] == 1]
        if not unique:
            unnamed += 1
            continue
        match = CPU_FORM.match(unique[0])
        for name in forms[match.group(1)] if match else unique[:1]:
            if name not in listed:
                listed.add(name)
                names.append(name)
    size = sum(section[1] for _, section in first_touched.values())
    print(f"{len(first_touched)} sections touched ({size // 1024} KB), {unnamed} without a name of their own; "
          f"{len(names)} symbols listed", file=sys.stderr)
    return names


def main():
    # Always linked here, with the map: a map from an earlier link would not match the
    # executable traced (any other build of `.build-static` relinks it without one).
    build()
    hearth = os.path.join(SCRATCH, "release", "hearth")
    sections = read_map(MAP)
    with tempfile.TemporaryDirectory() as directory:
        modules = [empty_module(directory), os.path.join(ROOT, "Tests", "Guests", "hello.wasm")]
        names = order(sections, traced_addresses(hearth, modules, directory))
    with open(OUTPUT, "w") as file:
        file.write("\n".join(names) + "\n")
    # SwiftPM does not know the link reads the list: without its product the next build links
    # again, with the new order.
    os.remove(os.path.realpath(hearth))
    print(f"wrote {os.path.relpath(OUTPUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
