/// The internal instructions, derived from the operator semantics and the access table.

/// `[handler, dst, a]` or `[handler, dst, a, b]`: an operator on slots.
func plainInstruction(_ op: Operation) -> Instruction {
    let names = ["a", "b"]
    let sources = op.operands.enumerated().map { Word.source(names[$0.offset], $0.element) }
    return Instruction(name: op.name, summary: "`\(op.name)` of slots", words: [.destination(op.result)] + sources,
                       body: op.body, effect: .value(op.result, op.expression))
}

/// `[handler, dst, a, constant]`: the right operand is a constant (`x + 1`, `x & mask`).
func immediateInstruction(_ op: Operation) -> Instruction {
    Instruction(name: op.name + "Imm", summary: "`\(op.name)` of a slot and a constant",
                words: [.destination(op.result), .source("a", op.operands[0]), .constant("b", op.operands[1])],
                body: op.body, effect: .value(op.result, op.expression))
}

/// `[handler, dst, b, constant]` computing `constant op b`: the left operand is the constant.
/// The words are named after the operands they hold, so the expression is unchanged.
func reversedInstruction(_ op: Operation) -> Instruction {
    Instruction(name: op.name + "ImmRev", summary: "`\(op.name)` of a constant and a slot",
                words: [.destination(op.result), .source("b", op.operands[1]), .constant("a", op.operands[0])],
                body: op.body, effect: .value(op.result, op.expression))
}

/// `"i32LtS"` -> `"brI32LtS"`.
func branchName(_ name: String) -> String { "br" + name.prefix(1).uppercased() + name.dropFirst() }

/// Compare-and-branch: `[handler, a, b, offset]` and `[handler, a, constant, offset]`. An
/// integer comparison followed by `br_if` (or `if`, negated) is one instruction.
func fusedBranchInstructions(_ op: Operation) -> [Instruction] {
    let test = op.compare!.condition
    return [
        Instruction(name: branchName(op.name), summary: "branch if `\(op.name)` of slots",
                    words: [.source("a", op.operands[0]), .source("b", op.operands[1]), .branch],
                    effect: .branch(test)),
        Instruction(name: branchName(op.name) + "Imm", summary: "branch if `\(op.name)` of a slot and a constant",
                    words: [.source("a", op.operands[0]), .constant("b", op.operands[1]), .branch],
                    effect: .branch(test)),
    ]
}

/// The conditional branches on one value: `br_if`, its negation (an `if`), and i64 tests.
let valueBranches: [Instruction] = [
    Instruction(name: "brIf", summary: "branch if the i32 is not zero", words: [.source("c", .i32), .branch],
                effect: .branch("c != 0")),
    Instruction(name: "brUnless", summary: "branch if the i32 is zero", words: [.source("c", .i32), .branch],
                effect: .branch("c == 0")),
    Instruction(name: "brI64Eqz", summary: "branch if the i64 is zero (`i64.eqz` + `br_if`)",
                words: [.source("c", .i64), .branch], effect: .branch("c == 0")),
    Instruction(name: "brI64Nez", summary: "branch if the i64 is not zero", words: [.source("c", .i64), .branch],
                effect: .branch("c != 0")),
]

/// Constants, globals, `select` and the slot copy (local access, reinterpretations).
let variableInstructions: [Instruction] = [
    // A constant is an immediate of its consumer; its result form would never be chosen.
    Instruction(name: "const", summary: "a constant (also `ref.null`, `ref.func`)",
                words: [.destination(.raw), .constant("c", .raw)], effect: .value(.raw, "c"),
                hasAccumulatorForms: false),
    Instruction(name: "globalGet", summary: "read a global", words: [.destination(.raw), .global("cell")],
                effect: .value(.raw, "cell.pointee")),
    Instruction(name: "globalSet", summary: "write a global", words: [.source("value", .raw), .global("cell")],
                body: ["cell.pointee = value"], effect: .none),
    Instruction(name: "select", summary: "`c != 0 ? a : b`",
                words: [.destination(.raw), .source("a", .raw), .source("b", .raw), .source("c", .i32)],
                effect: .value(.raw, "c != 0 ? a : b")),
    Instruction(name: "copy", summary: "copy a slot (also the reinterpretations: slots hold raw bits)",
                words: [.destination(.raw), .source("a", .raw)], effect: .value(.raw, "a")),
]

/// Every generated instruction, in the order of the generated files.
struct InstructionSet {
    var numeric: [Instruction] = []
    var memory: [Instruction] = []
    var variables = variableInstructions
    var branches: [Instruction] = []

    init() {
        numeric = numericOperations.map(plainInstruction)
            + numericOperations.filter(\.immediate).map(immediateInstruction)
            + numericOperations.filter { $0.reversed == .own }.map(reversedInstruction)
            + numericOperations.filter { $0.compare != nil }.map(immediateInstruction)
        memory = memoryAccesses.flatMap { access in access.modes.map { access.instruction($0) } }
            + memoryAccesses.filter(\.isStore).flatMap { access in
                access.modes.map { access.instruction($0, constantValue: true) }
            }
            + [addShift]
        branches = valueBranches + numericOperations.filter { $0.compare != nil }.flatMap(fusedBranchInstructions)
    }

    var all: [Instruction] { numeric + memory + variables + branches }
}
