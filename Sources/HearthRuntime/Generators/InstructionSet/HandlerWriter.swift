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
        var reads: [String] = []
        // A stepped branch's own words follow the add's.
        let shift = form.stepped ? Form.stepWords : 0
        if form.stepped {
            precondition(isBranch && form.accumulatorOperand == nil && !form.resultInAccumulator, name)
            lines.append("writeI32(fp, imm(pc, 1), readI32(fp, imm(pc, 2)) &+ UInt32(truncatingIfNeeded: pc[3]))")
        }
        for (index, word) in words.enumerated() {
            let k = index + 1 + shift
            switch word {
            case .source(let name, let view):
                reads.append("\(name) = " + (form.accumulatorOperand == k ? view.accumulatorRead : view.slotRead(k)))
            case .constant(let name, let view): reads.append("\(name) = \(view.constantRead(k))")
            case .offset(let name): reads.append("\(name) = imm(pc, \(k))")
            case .global(let name): reads.append("\(name) = immPointer(pc, \(k), UInt64.self)")
            case .destination, .memory, .branch: break
            }
        }
        if !reads.isEmpty { lines.append("let " + reads.joined(separator: ", ")) }
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
