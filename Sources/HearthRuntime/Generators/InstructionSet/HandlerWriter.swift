/// Writes the Swift source of a handler: the declared operand reads, the body, the effect and
/// the dispatch to the next instruction.

let signature = "(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64)"

extension Instruction {
    /// `[handler, dst, a, b]`: the layout, for comments.
    var layout: String {
        let names = words.map { word -> String in
            switch word {
            case .destination: return "dst"
            case .source(let name, _), .constant(let name, _), .offset(let name), .global(let name): return name
            case .memory: return "memoryCell"
            case .branch: return "offset"
            }
        }
        return "[" + (["handler"] + names).joined(separator: ", ") + "]"
    }

    /// The handler of `form`.
    func source(_ form: Form) -> String {
        precondition(!form.stepped, "\(name): a stepped form is written by `fusedSource`")
        let lines = reads(shift: 0, accumulatorOperand: form.accumulatorOperand, accumulator: "acc") + body
            + effect(form, shift: 0, carrying: "acc")
        return "func \(form.handler(of: self))\(signature) {\n"
            + lines.map { "    " + $0 }.joined(separator: "\n") + "\n}\n"
    }

    /// The `let` line reading the operand words, counted from `shift` words after the handler
    /// word; word `accumulatorOperand`'s source (counted the same way) comes from the 64-bit
    /// variable `accumulator` instead of its slot.
    func reads(shift: Int, accumulatorOperand: Int?, accumulator: String) -> [String] {
        var lets: [String] = []
        for (index, word) in words.enumerated() {
            let k = index + 1 + shift
            switch word {
            case .source(let name, let view):
                lets.append("\(name) = " + (accumulatorOperand == k ? view.fromBits(accumulator) : view.slotRead(k)))
            case .constant(let name, let view): lets.append("\(name) = \(view.constantRead(k))")
            case .offset(let name): lets.append("\(name) = imm(pc, \(k))")
            case .global(let name): lets.append("\(name) = immPointer(pc, \(k), UInt64.self)")
            case .destination, .memory, .branch: break
            }
        }
        return lets.isEmpty ? [] : ["let " + lets.joined(separator: ", ")]
    }

    /// The effect of `form` and the dispatch after it, the words counted from `shift` words
    /// after the handler word (as is the branch offset's base): the result written to its slot
    /// or handed on in the accumulator, or the branch (polling when taken backward). Unless it
    /// sets the accumulator, the next instruction gets `carrying` there.
    func effect(_ form: Form, shift: Int, carrying: String) -> [String] {
        let next = "pc + \(length + shift)"
        switch effect {
        case .value(let view, let expression):
            guard let destination = words.firstIndex(of: .destination(view)) else {
                preconditionFailure("\(name): no destination word of view \(view)")
            }
            if form.resultInAccumulator {
                return ["let result: UInt64 = " + view.bits(expression), "return dispatch(\(next), fp, m, ms, st, result)"]
            }
            return [view.slotWrite(destination + 1 + shift, expression), "return dispatch(\(next), fp, m, ms, st, \(carrying))"]
        case .none:
            return ["return dispatch(\(next), fp, m, ms, st, \(carrying))"]
        case .branch(let condition):
            let target = "pc + " + (shift == 0 ? "" : "\(shift) + ") + "imm(pc, \(branchWord! + shift))"
            let taken = form.backward
                ? ["if _fastPath(\(condition)) {",
                   "    if _slowPath(mustStop(st)) { return raise(st, stopReason(st)) }",
                   "    return dispatch(\(target), fp, m, ms, st, \(carrying))",
                   "}"]
                : ["if _fastPath(\(condition)) { return dispatch(\(target), fp, m, ms, st, \(carrying)) }"]
            return taken + ["return dispatch(\(next), fp, m, ms, st, \(carrying))"]
        }
    }
}

/// The handler running two adjacent instructions as one: `first`'s words, `second`'s handler
/// word (unread), `second`'s words. With `handOver`, `first`'s result goes to `second`'s word
/// `handOver` (counted in `second`'s words) in a register, never to a slot, and is carried on in
/// the accumulator unless `second` sets it (a fused pair, `Pairs.swift`); without, `first`
/// writes its slot as it would alone (a stepped branch, `Forms.swift`). Either may trap: the
/// first's trap comes first, as in the sequence, and neither writes before its checks pass.
func fusedSource(_ name: String, first: Instruction, handOver: Int?, second: Instruction, _ form: Form) -> String {
    guard case .value(let view, let expression) = first.effect else { preconditionFailure("\(name): the first has no value") }
    var lines = handOver == nil ? ["do {"] : ["let t: UInt64", "do {"]
    lines += (first.reads(shift: 0, accumulatorOperand: nil, accumulator: "acc") + first.body).map { "    " + $0 }
    lines.append("    " + (handOver == nil ? view.slotWrite(first.words.firstIndex(of: .destination(view))! + 1, expression)
                                          : "t = " + view.bits(expression)))
    lines.append("}")
    let shift = first.length
    lines += second.reads(shift: shift, accumulatorOperand: handOver.map { $0 + shift }, accumulator: "t") + second.body
    lines += second.effect(form, shift: shift, carrying: handOver == nil ? "acc" : "t")
    return "func \(name)\(signature) {\n" + lines.map { "    " + $0 }.joined(separator: "\n") + "\n}\n"
}
