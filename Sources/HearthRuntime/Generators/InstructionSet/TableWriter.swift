/// Writes the translator's selection tables (Wasm operator -> instruction) and the instruction
/// table the disassembler and the enumeration test read.
import Foundation

func selectionTables(_ set: InstructionSet) -> String {
    var out = header("The translator's choice of instruction for each Wasm operator and operand shape.")
        + "import HearthBinary\n\n"
    func function(_ doc: String, _ signature: String, _ cases: [String], default fallback: String? = nil) {
        out += doc.split(separator: "\n").map { "/// \($0)\n" }.joined() + "func \(signature) {\n    switch op {\n"
        out += cases.map { "    \($0)\n" }.joined()
        if let fallback { out += "    default: return \(fallback)\n" }
        out += "    }\n}\n\n"
    }
    let ops = numericOperations
    var numeric = ops.flatMap { op in
        op.implements.map { "case .\($0): return (h_\(op.name), \(op.operands.count == 2))" }
    }
    numeric += reinterpretations.map { "case .\($0): return (h_copy, false)" }
    function("The instruction for `op` on slots, and whether it takes two operands.",
             "numericHandler(_ op: NumericOperator) -> (handler: Handler, isBinary: Bool)", numeric)
    function("The `[handler, dst, lhs, constant]` instruction of `op`, if it has one.",
             "immediateHandler(_ op: NumericOperator) -> Handler?",
             ops.filter(\.immediate).map { "case .\($0.name): return h_\($0.name)Imm" }, default: "nil")
    function("The `[handler, dst, rhs, constant]` instruction computing `constant op rhs`, for operators\n"
             + "whose constant left operand cannot simply be swapped to the right.",
             "reversedImmediateHandler(_ op: NumericOperator) -> Handler?",
             ops.filter { $0.reversed != .none }.map {
                 "case .\($0.name): return h_\($0.name)" + ($0.reversed == .own ? "ImmRev" : "Imm")
             }, default: "nil")
    function("Whether `op`'s operands may be swapped (so a constant left operand can become the immediate).",
             "isCommutative(_ op: NumericOperator) -> Bool",
             ops.filter(\.commutes).map { "case .\($0.name): return true" }, default: "false")
    let compares = ops.filter { $0.compare != nil }
    function("The integer comparison `op` performs, and whether on i64, if it can fuse with a branch.",
             "intCompare(_ op: NumericOperator) -> (IntCompare, is64: Bool)?",
             compares.map { "case .\($0.name): return (.\($0.compare!.kind), \($0.name.hasPrefix("i64")))" }, default: "nil")
    var fused: [String] = [], valueForms: [String] = []
    for op in compares {
        let key = ".\(op.compare!.kind), \(op.name.hasPrefix("i64"))"
        fused.append("case (\(key), false): return h_\(branchName(op.name))")
        fused.append("case (\(key), true): return h_\(branchName(op.name))Imm")
        valueForms.append("case (\(key)): return h_\(op.name)Imm")
    }
    out += "/// The fused branch taken when `compare` holds: `[handler, lhs, rhs or constant, offset]`.\n"
        + "func fusedBranchHandler(_ compare: IntCompare, is64: Bool, immediate: Bool) -> Handler {\n"
        + "    switch (compare, is64, immediate) {\n" + fused.map { "    \($0)\n" }.joined() + "    }\n}\n\n"
    out += "/// The `[handler, dst, lhs, constant]` value form of an integer comparison.\n"
        + "func compareImmediateHandler(_ compare: IntCompare, is64: Bool) -> Handler {\n"
        + "    switch (compare, is64) {\n" + valueForms.map { "    \($0)\n" }.joined() + "    }\n}\n\n"
    function("The instruction of each load or store operator.", "memoryHandler(_ op: MemoryOperator) -> Handler",
             memoryAccesses.flatMap { access in access.implements.map { "case .\($0): return h_\(access.name)" } })
    for mode in [AddressMode.biased, .indexed, .absolute] {
        let noun = mode.suffix.lowercased()
        function("The \(noun) instruction of a load or store, if it has one.",
                 "\(noun)MemoryHandler(_ op: MemoryOperator) -> Handler?",
                 memoryAccesses.flatMap { access in
                     access.fusedImplements.map { "case .\($0): return h_\(access.name)\(mode.suffix)" }
                 }, default: "nil")
    }
    var constantStores: [String] = []
    for access in memoryAccesses where access.isStore {
        for mode in access.modes {
            constantStores.append("    word(h_\(access.name)\(mode.suffix)): h_\(access.name)\(mode.suffix)Constant,")
        }
    }
    out += "/// The form of a store instruction (any address mode) whose value is a constant word.\n"
        + "let constantStoreHandlers: FlatTable<UInt64, Handler> = [\n" + constantStores.joined(separator: "\n") + "\n]\n\n"
    return String(out.dropLast())
}

/// The hand-written handlers, by name: every `func h_...` of the interpreter's other files.
func handWrittenHandlers() -> [String] {
    let generated: Set = ["NumericHandlers.swift", "MemoryAccessHandlers.swift", "VariableHandlers.swift",
                          "BranchHandlers.swift", "AccumulatorHandlers.swift", "LoopBranchHandlers.swift"]
    let folder = runtime.appendingPathComponent("Interpreter")
    let files = try! FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
        $0.hasSuffix(".swift") && !generated.contains($0)
    }.sorted()
    var names: [String] = []
    for file in files {
        let text = try! String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        for line in text.split(separator: "\n") where line.hasPrefix("func h_") && line.contains(signature) {
            names.append(String(line.dropFirst("func ".count).prefix { $0 != "(" }))
        }
    }
    return names
}

func instructionTable(_ set: InstructionSet, backward: [(Instruction, Form)], step: Instruction, stepped: [Instruction],
                      pairs: [(FusedPair, Form)], adjacent: [AdjacentPair], handWritten: [String]) -> String {
    var entries: [String] = []
    func wordNames(_ instruction: Instruction) -> [String] {
        instruction.words.map { word -> String in
            switch word {
            case .destination(let view): return "destination.\(view.rawValue)"
            case .source(_, let view): return "source.\(view.rawValue)"
            case .constant(_, let view): return "constant.\(view.rawValue)"
            case .offset: return "offset"
            case .memory: return "memory"
            case .global: return "global"
            case .branch: return "branch"
            }
        }
    }
    // Whether the form leaves its result in the float accumulator.
    func usesFloat(_ instruction: Instruction, _ form: Form) -> Bool {
        form.resultInAccumulator && instruction.resultAccumulator(form) == .float
    }
    func describe(_ instruction: Instruction, _ form: Form) {
        // A stepped branch: the step's words, the branch's handler word (unread), the branch's.
        let words = (form.stepped ? wordNames(step) + ["unused"] : []) + wordNames(instruction)
        let k = form.accumulatorOperand.map(String.init) ?? "nil"
        entries.append("    all.append(InstructionDescription(\(form.handler(of: instruction)), \"\(form.handler(of: instruction))\", "
                       + "plain: \(instruction.handler), words: \"\(words.joined(separator: " "))\",\n"
                       + "        accumulatorOperand: \(k), resultInAccumulator: \(form.resultInAccumulator), "
                       + "resultInFloatAccumulator: \(usesFloat(instruction, form)), "
                       + "backward: \(form.backward), stepped: \(form.stepped)))")
    }
    for instruction in set.all {
        for form in instruction.accumulatorForms { describe(instruction, form) }
    }
    for (instruction, form) in backward {
        var b = form
        b.backward = true
        describe(instruction, b)
    }
    for instruction in stepped { describe(instruction, Form(backward: true, stepped: true)) }
    for (pair, form) in pairs {
        let all = wordNames(pair.producer) + ["unused"] + wordNames(pair.consumer)
        entries.append("    all.append(InstructionDescription(\(pair.handler(form)), \"\(pair.handler(form))\", "
                       + "plain: \(pair.consumer.handler), words: \"\(all.joined(separator: " "))\",\n"
                       + "        accumulatorOperand: \(form.accumulatorOperand!), resultInAccumulator: \(form.resultInAccumulator), "
                       + "resultInFloatAccumulator: \(usesFloat(pair.consumer, form)), "
                       + "backward: \(form.backward), stepped: false, producer: \(pair.producer.handler)))")
    }
    for pair in adjacent {
        let all = wordNames(pair.first) + ["unused"] + wordNames(pair.second)
        entries.append("    all.append(InstructionDescription(h_\(pair.name), \"h_\(pair.name)\", "
                       + "plain: \(pair.second.handler), words: \"\(all.joined(separator: " "))\",\n"
                       + "        accumulatorOperand: nil, resultInAccumulator: false, resultInFloatAccumulator: false, "
                       + "backward: \(pair.secondForm.backward), stepped: false,\n"
                       + "        sequence: (\(pair.first.handler), \(pair.secondForm.handler(of: pair.second)))))")
    }
    return header("Every generated instruction form with its words, and the hand-written handlers by name.")
        + "\n/// Every handler the instruction set generates, with the words it reads and which form it is.\n"
        + staticTable("generatedInstructions", "[InstructionDescription]", "all", "[]", entries) + "\n"
        + "/// The handlers written by hand (control flow, calls, tables, SIMD...): names only.\n"
        + staticTable("handWrittenInstructions", "[(name: String, handler: Handler)]", "all", "[]",
                      handWritten.map { "    all.append((\"\($0)\", \($0)))" })
}
