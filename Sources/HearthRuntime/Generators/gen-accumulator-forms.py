#!/usr/bin/env python3
"""Generates the accumulator forms of the value handlers.

  Sources/HearthRuntime/Interpreter/AccumulatorHandlers.swift   the handlers
  Sources/HearthRuntime/Translation/AccumulatorFormTable.swift  handler -> its forms

Every handler receives and passes on `acc`, a 64-bit register that survives between handlers.
When an instruction's result is consumed by the very next instruction, the translator switches
the producer to its `_r` form (result into `acc`, its destination word unused) and the consumer
to an `_aK` form (the operand of word K read from `acc`, that word unused), so the value never
goes through the frame: no store, no load, no store-to-load forwarding in a dependency chain.
The layouts do not change, which is what lets the translator switch forms by rewriting one word
and switch back when it later removes the consumer (a fused branch or access absorbs it).

The forms are derived from the handlers' own source, so they cannot drift apart: a handler
qualifies when it reads word K exactly once through `readI32/readI64/readF32/readF64(fp,
imm(pc, K))` or `fp[imm(pc, K)]`, or writes its result once to word 1 through
`writeI32/...(fp, imm(pc, 1), value)` or `fp[imm(pc, 1)] = value`.
"""
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
INTERPRETER = os.path.join(ROOT, "Sources", "HearthRuntime", "Interpreter")
TRANSLATION = os.path.join(ROOT, "Sources", "HearthRuntime", "Translation")
SOURCES = ["NumericHandlers.swift", "NumericTrapping.swift", "ImmediateHandlers.swift",
           "CompareImmediateHandlers.swift", "MemoryAccessHandlers.swift", "BiasedMemoryHandlers.swift",
           "IndexedMemoryHandlers.swift", "VariableHandlers.swift", "FusedBranchHandlers.swift",
           "ControlHandlers.swift"]
# Of ControlHandlers.swift, only the conditional branches (calls and tables have no forms).
ONLY = {"ControlHandlers.swift": {"h_brIf", "h_brUnless"}}
# Handlers whose forms would never be chosen: a constant is an immediate of its consumer.
SKIPPED = {"h_const"}
SIGNATURE = "(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64)"
HANDLER = re.compile(r"^func (h_\w+)" + re.escape(SIGNATURE) + r" \{\n(.*?)\n\}$", re.S | re.M)
HELPER_START = re.compile(r"^(?:@inline\(__always\)\n)?(?:@inline\(__always\) )?fileprivate func (\w+)", re.M)

READS = [("readI32(fp, imm(pc, {k}))", "UInt32(truncatingIfNeeded: acc)"),
         ("readI64(fp, imm(pc, {k}))", "acc"),
         ("readF32(fp, imm(pc, {k}))", "Float(bitPattern: UInt32(truncatingIfNeeded: acc))"),
         ("readF64(fp, imm(pc, {k}))", "Double(bitPattern: acc)"),
         ("fp[imm(pc, {k})]", "acc")]
WRITE = re.compile(r"^    (?:write(I32|I64|F32|F64)\(fp, imm\(pc, 1\), (.*)\)|fp\[imm\(pc, 1\)\] = (.*))$", re.M)
CONVERT = {"I32": "UInt64({})", "I64": "{}", "F32": "UInt64(({}).bitPattern)", "F64": "({}).bitPattern", None: "{}"}


def helpers_in(text):
    """The file-local helper functions of a handler file: name -> source (brace-balanced)."""
    found = {}
    for match in HELPER_START.finditer(text):
        depth, i = 0, text.index("{", match.end())
        while True:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
            if depth == 0:
                break
        found[match.group(1)] = text[match.start():i]
    return found


def operand_form(body, k):
    """The body reading word k from the accumulator, or None."""
    if body.count(f"imm(pc, {k})") != 1 or f"fp[imm(pc, {k})] =" in body:
        return None
    for pattern, replacement in READS:
        p = pattern.format(k=k)
        if body.count(p) == 1:
            return body.replace(p, replacement)
    return None


def result_form(body):
    """The body leaving its result in the accumulator, or None."""
    if body.count("imm(pc, 1)") != 1 or "result" in body:
        return None
    writes = WRITE.findall(body)
    if len(writes) != 1:
        return None
    kind, value, raw = writes[0]
    value = value if kind else raw
    body = WRITE.sub(lambda _: "    let result: UInt64 = " + CONVERT[kind or None].format(value), body)
    dispatches = body.count(", st, acc)")
    if dispatches == 0:
        return None
    return body.replace(", st, acc)", ", st, result)")


def handler(name, body):
    return f"func {name}{SIGNATURE} {{\n{body}\n}}\n"


def main():
    handlers_out = []
    helpers = {}
    table = []
    for source in SOURCES:
        text = open(os.path.join(INTERPRETER, source)).read()
        for name, source_text in helpers_in(text).items():
            helpers.setdefault(name, source_text)
        for name, body in HANDLER.findall(text):
            if name in SKIPPED or (source in ONLY and name not in ONLY[source]):
                continue
            operands = {}
            for k in (1, 2, 3, 4):
                form = operand_form(body, k)
                if form is not None:
                    operands[k] = form
            result = result_form(body)
            if result is None and not operands:
                continue
            forms = {"result": None, "operands": {}, "operandsWithResult": {}}
            if result is not None:
                forms["result"] = f"{name}_r"
                handlers_out.append(handler(f"{name}_r", result))
            for k, form in operands.items():
                forms["operands"][k] = f"{name}_a{k}"
                handlers_out.append(handler(f"{name}_a{k}", form))
                with_result = result_form(form)
                if with_result is not None:
                    forms["operandsWithResult"][k] = f"{name}_a{k}r"
                    handlers_out.append(handler(f"{name}_a{k}r", with_result))
            table.append((name, forms))

    lines = ["// Generated by Sources/HearthRuntime/Generators/gen-accumulator-forms.py from the value handlers; do not edit.",
             "import HearthBinary",
             "#if canImport(Glibc)",
             "import Glibc",
             "#elseif canImport(Darwin)",
             "import Darwin",
             "#endif",
             "",
             "/// Accumulator forms (DESIGN.md, \"Accumulator\"): `h_x_r` is `h_x` leaving its result in",
             "/// `acc` instead of word 1's slot; `h_x_aK` reads the operand of word K from `acc`;",
             "/// `h_x_aKr` does both. Operand layouts are those of `h_x`; the replaced words are unused.",
             ""]
    lines += handlers_out
    # The shared accessors (dispatch, imm, read/write...) live in Operands.swift; the handler
    # files' own helpers are file-private, so the ones the generated handlers use are copied,
    # directly used or used through another helper.
    used, text = [], "\n".join(handlers_out)
    for name in sorted(helpers):
        if re.search(r"\b" + name + r"\(", text):
            used.append(name)
    for name in sorted(helpers):
        if name not in used and any(re.search(r"\b" + name + r"\(", helpers[u]) for u in used):
            used.append(name)
    if used:
        lines.append("// MARK: File-private helpers of the handler files the forms come from")
        lines.append("")
    for name in used:
        lines.append(helpers[name])
    with open(os.path.join(INTERPRETER, "AccumulatorHandlers.swift"), "w") as f:
        f.write("\n".join(lines) + "\n")

    def opt(name):
        return name if name else "nil"

    def quad(d):
        return "[" + ", ".join(opt(d.get(k)) for k in (1, 2, 3, 4)) + "]"

    entries = []
    for name, forms in table:
        entries.append(f"    word({name}): AccumulatorForms(result: {opt(forms['result'])},\n"
                       f"        operands: {quad(forms['operands'])},\n"
                       f"        operandsWithResult: {quad(forms['operandsWithResult'])}),")
        # A consumer reading the accumulator may itself feed the next instruction.
        for k, variant in forms["operands"].items():
            with_result = forms["operandsWithResult"].get(k)
            if with_result:
                entries.append(f"    word({variant}): AccumulatorForms(result: {with_result}, operands: [nil, nil, nil, nil],\n"
                               f"        operandsWithResult: [nil, nil, nil, nil]),")
    table_lines = ["// Generated by Sources/HearthRuntime/Generators/gen-accumulator-forms.py from the value handlers; do not edit.",
                   "",
                   "/// The accumulator forms of every handler that has some, by handler word (see",
                   "/// `AccumulatorForms`).",
                   "let accumulatorForms: [UInt64: AccumulatorForms] = ["]
    table_lines += entries
    table_lines.append("]")
    with open(os.path.join(TRANSLATION, "AccumulatorFormTable.swift"), "w") as f:
        f.write("\n".join(table_lines) + "\n")
    print(f"{len(handlers_out)} handlers, {len(table)} handlers with forms")


main()
