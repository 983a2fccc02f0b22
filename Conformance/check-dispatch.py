#!/usr/bin/env python3
"""Checks the optimized engine's dispatch contract in a built binary (Sources/HearthRuntime/DESIGN.md,
"Dispatch"): every interpreter handler passes control on with a tail jump, so none may make an
indirect call (a dispatch that became a call grows the native stack by one frame per guest
instruction), check a stack canary (which forbids the tail jump), call the exclusivity runtime
(whose access record needs a stack slot, and so a canary), or be a thunk of a body LLVM merged.

    Conformance/check-dispatch.py BINARY
"""
import re
import subprocess
import sys

binary = sys.argv[1]
HANDLER = re.compile(r"^\$s13HearthRuntime\d+h_\w+$")
sizes = {}
for line in subprocess.run(["nm", "--print-size", "--defined-only", binary], capture_output=True, text=True,
                           check=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 4 and HANDLER.match(parts[3]):
        sizes[int(parts[0], 16)] = (int(parts[1], 16), parts[3])
merged = [name for _, name in sizes.values() if name.endswith("Tm")]

problems = {}
current = None
dump = subprocess.Popen(["objdump", "-d", "--no-show-raw-insn", binary], stdout=subprocess.PIPE, text=True)
for line in dump.stdout:
    head = re.match(r"^([0-9a-f]+) <", line)
    if head:
        start = int(head.group(1), 16)
        current = (start, *sizes[start]) if start in sizes else None
        continue
    if current is None:
        continue
    inst = re.match(r"^\s*([0-9a-f]+):\s+(.*)$", line)
    if not inst or int(inst.group(1), 16) >= current[0] + current[1]:
        continue
    text = inst.group(2)
    if re.match(r"call\s+\*", text):
        problems.setdefault(current[2], set()).add("an indirect call")
    elif "__stack_chk_fail" in text:
        problems.setdefault(current[2], set()).add("a stack canary")
    elif "swift_beginAccess" in text:
        problems.setdefault(current[2], set()).add("an exclusivity check")
dump.wait()

demangled = lambda names: subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names),
                                         capture_output=True, text=True).stdout.splitlines() or names
for name in demangled(merged):
    print(f"merged handler (a thunk): {name}")
for name, mangled in zip(demangled(sorted(problems)), sorted(problems)):
    print(f"{name}: {', '.join(sorted(problems[mangled]))}")
if not sizes:
    sys.exit(f"no interpreter handlers found in {binary}")
print(f"{len(sizes)} handlers checked: {len(problems)} break the tail-call chain, {len(merged)} merged")
sys.exit(1 if problems or merged else 0)
