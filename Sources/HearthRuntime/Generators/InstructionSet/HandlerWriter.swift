/// Writes the Swift source of a handler: the declared operand reads, the body, the effect and
/// the dispatch to the next instruction.

let signature = "(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double)"

/// The variables an instruction passes on as the accumulators when it does not set one.
struct Carried {
    var integer = "acc"
    var float = "facc"

    /// Both, `result` in place of the one of class `accumulator`.
    func with(_ result: String, in accumulator: Accumulator) -> String {
        accumulator == .integer ? "\(result), \(float)" : "\(integer), \(result)"
    }
}

/// A source read from an accumulator variable instead of its slot: the word, the variable, its class.
typealias HandOver = (word: Int, variable: String, accumulator: Accumulator)

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
        let handOver = form.accumulatorOperand.map { k -> HandOver in
            let accumulator = self.accumulator(ofSource: k, form)
            return (k, accumulator == .float ? "facc" : "acc", accumulator)
        }
        let lines = reads(shift: 0, handOver: handOver) + body + effect(form, shift: 0, carrying: Carried())
        return "func \(form.handler(of: self))\(signature) {\n"
            + lines.map { "    " + $0 }.joined(separator: "\n") + "\n}\n"
    }

    /// The `let` line reading the operand words, counted from `shift` words after the handler
    /// word; the source of `handOver`'s word (counted the same way) comes from its variable
    /// instead of its slot.
    func reads(shift: Int, handOver: HandOver?) -> [String] {
        var lets: [String] = []
        for (index, word) in words.enumerated() {
            let k = index + 1 + shift
            switch word {
            case .source(let name, let view):
                if let handOver, handOver.word == k {
                    lets.append("\(name) = " + view.read(from: handOver.variable, handOver.accumulator))
                } else {
                    lets.append("\(name) = " + view.slotRead(k))
                }
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
    /// or handed on in its accumulator, or the branch (polling when taken backward). The next
    /// instruction gets `carrying` in the accumulators this one does not set.
    func effect(_ form: Form, shift: Int, carrying: Carried) -> [String] {
        let both = carrying.with(carrying.integer, in: .integer)
        let next = "pc + \(length + shift)"
        switch effect {
        case .value(let view, let expression):
            guard let destination = words.firstIndex(of: .destination(view)) else {
                preconditionFailure("\(name): no destination word of view \(view)")
            }
            if form.resultInAccumulator {
                let accumulator = resultAccumulator(form)
                return ["let result: \(accumulator == .float ? "Double" : "UInt64") = " + view.accumulatorValue(expression, accumulator),
                        "return dispatch(\(next), fp, m, ms, st, \(carrying.with("result", in: accumulator)))"]
            }
            return [view.slotWrite(destination + 1 + shift, expression), "return dispatch(\(next), fp, m, ms, st, \(both))"]
        case .none:
            return ["return dispatch(\(next), fp, m, ms, st, \(both))"]
        case .branch(let condition):
            let target = "pc + " + (shift == 0 ? "" : "\(shift) + ") + "imm(pc, \(branchWord! + shift))"
            let taken = form.backward
                ? ["if _fastPath(\(condition)) {",
                   "    if _slowPath(pollSpent(st)) { return continueAfterPoll(\(target), fp, m, ms, st, \(both)) }",
                   "    return dispatch(\(target), fp, m, ms, st, \(both))",
                   "}"]
                : ["if _fastPath(\(condition)) { return dispatch(\(target), fp, m, ms, st, \(both)) }"]
            return taken + ["return dispatch(\(next), fp, m, ms, st, \(both))"]
        }
    }
}

/// The handler running two adjacent instructions as one: `first`'s words, `second`'s handler
/// word (unread), `second`'s words. With `handOver`, `first`'s result goes to `second`'s word
/// `handOver` (counted in `second`'s words) in a register, never to a slot, and is carried on in
/// its accumulator unless `second` sets it (a fused pair, `Pairs.swift`); without, `first`
/// writes its slot as it would alone (a stepped branch, `Forms.swift`). Either may trap: the
/// first's trap comes first, as in the sequence, and neither writes before its checks pass.
func fusedSource(_ name: String, first: Instruction, handOver: Int?, second: Instruction, _ form: Form,
                 firstForm: Form = Form(resultInAccumulator: true)) -> String {
    // The value travels as the first's result form `firstForm` would leave it (a first without
    // a value has no accumulator to name; it hands nothing over).
    let accumulator = handOver == nil ? .integer : first.resultAccumulator(firstForm)
    var lines = handOver == nil ? ["do {"] : ["let t: " + (accumulator == .float ? "Double" : "UInt64"), "do {"]
    lines += (first.reads(shift: 0, handOver: nil) + first.body).map { "    " + $0 }
    switch first.effect {
    case .value(let view, let expression):
        lines.append("    " + (handOver == nil ? view.slotWrite(first.words.firstIndex(of: .destination(view))! + 1, expression)
                                              : "t = " + view.accumulatorValue(expression, accumulator)))
    case .none where handOver == nil:
        break  // A store: its body wrote memory.
    default:
        preconditionFailure("\(name): the first has no value to hand over")
    }
    lines.append("}")
    let shift = first.length
    lines += second.reads(shift: shift, handOver: handOver.map { ($0 + shift, "t", accumulator) }) + second.body
    var carried = Carried()
    if handOver != nil {
        if accumulator == .float { carried.float = "t" } else { carried.integer = "t" }
    }
    lines += second.effect(form, shift: shift, carrying: carried)
    return "func \(name)\(signature) {\n" + lines.map { "    " + $0 }.joined(separator: "\n") + "\n}\n"
}
