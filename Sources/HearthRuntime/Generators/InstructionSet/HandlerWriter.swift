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
        var lines: [String] = []
        // A stepped branch's own words follow the add's.
        let shift = form.stepped ? Form.stepWords : 0
        if form.stepped {
            precondition(isBranch && form.accumulatorOperand == nil && !form.resultInAccumulator, name)
            lines.append("writeI32(fp, imm(pc, 1), readI32(fp, imm(pc, 2)) &+ UInt32(truncatingIfNeeded: pc[3]))")
        }
        lines += reads(shift: shift, accumulatorOperand: form.accumulatorOperand, accumulator: "acc")
        lines += body
        let next = "pc + \(length + shift)"
        switch effect {
        case .value(let view, let expression):
            let destination = words.firstIndex(of: .destination(view)).map { $0 + 1 }
            precondition(destination != nil, "\(name): no destination word of view \(view)")
            if form.resultInAccumulator {
                lines.append("let result: UInt64 = " + view.bits(expression))
                lines.append("return dispatch(\(next), fp, m, ms, st, result)")
            } else {
                lines.append(view.slotWrite(destination!, expression))
                lines.append("return dispatch(\(next), fp, m, ms, st, acc)")
            }
        case .none:
            lines.append("return dispatch(\(next), fp, m, ms, st, acc)")
        case .branch(let condition):
            let target = form.stepped ? "pc + \(shift) + imm(pc, \(branchWord! + shift))" : "pc + imm(pc, \(branchWord!))"
            if form.backward || form.stepped {
                lines.append("if _fastPath(\(condition)) {")
                lines.append("    if _slowPath(mustStop(st)) { return raise(st, stopReason(st)) }")
                lines.append("    return dispatch(\(target), fp, m, ms, st, acc)")
                lines.append("}")
            } else {
                lines.append("if _fastPath(\(condition)) { return dispatch(\(target), fp, m, ms, st, acc) }")
            }
            lines.append("return dispatch(\(next), fp, m, ms, st, acc)")
        }
        return "func \(form.handler(of: self))\(signature) {\n"
            + lines.map { "    " + $0 }.joined(separator: "\n") + "\n}\n"
    }
}

extension Instruction {
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
}

/// The handler of a fused pair (`Pairs.swift`): the producer's words, the consumer's handler
/// word (unread), the consumer's words. The producer's result goes to the consumer's word
/// `form.accumulatorOperand` (counted in the consumer's words) in a register instead of the
/// accumulator; the consumer's result goes where its form says (its slot, or with
/// `resultInAccumulator` the accumulator), and a pair whose consumer leaves the accumulator
/// alone passes the producer's result on in it, as the two instructions one after the other
/// would. Either may trap (a load's bounds, a division): the producer's trap comes first, as
/// in the sequence, and neither writes anything before its checks pass.
func pairSource(_ pair: FusedPair, _ form: Form) -> String {
    let p = pair.producer, c = pair.consumer
    guard case .value(let producedView, let produced) = p.effect, let k = form.accumulatorOperand else {
        preconditionFailure("\(pair.name): the producer has no value")
    }
    var lines = ["let t: UInt64", "do {"]
    lines += p.reads(shift: 0, accumulatorOperand: nil, accumulator: "acc").map { "    " + $0 }
    lines += p.body.map { "    " + $0 }
    lines.append("    t = " + producedView.bits(produced))
    lines.append("}")
    let shift = p.length
    lines += c.reads(shift: shift, accumulatorOperand: k + shift, accumulator: "t")
    lines += c.body
    let next = "pc + \(shift + c.length)"
    switch c.effect {
    case .value(let view, let expression) where form.resultInAccumulator:
        lines.append("let result: UInt64 = " + view.bits(expression))
        lines.append("return dispatch(\(next), fp, m, ms, st, result)")
    case .value(let view, let expression):
        let destination = c.words.firstIndex(of: .destination(view))! + 1 + shift
        lines.append(view.slotWrite(destination, expression))
        lines.append("return dispatch(\(next), fp, m, ms, st, t)")
    case .none:
        lines.append("return dispatch(\(next), fp, m, ms, st, t)")
    case .branch:
        preconditionFailure("\(pair.name): a branch cannot end a pair")
    }
    return "func \(pair.handler(form))\(signature) {\n" + lines.map { "    " + $0 }.joined(separator: "\n") + "\n}\n"
}
