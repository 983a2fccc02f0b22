/// The vocabulary the instruction set is written in.
///
/// An internal instruction is a handler word followed by operand words. Each operand word has
/// a declared meaning (`Word`); the generator turns the declaration into the reads at the top
/// of the handler, so every operand form (an operand taken from the accumulator, the result
/// left there, the backward branch) is a change of *declared* reads and writes, never a
/// rewrite of handler source.

/// How a frame slot or a constant word is viewed by the handler body.
enum View: String {
    case i32, i64, f32, f64
    /// An i32/i64 slot read as a signed integer.
    case s32, s64
    /// The whole 64-bit slot, whatever it holds (copies, `select`, globals).
    case raw

    /// The expression reading frame slot `word` of the instruction.
    func slotRead(_ word: Int) -> String {
        let slot = "imm(pc, \(word))"
        switch self {
        case .i32: return "readI32(fp, \(slot))"
        case .i64: return "readI64(fp, \(slot))"
        case .f32: return "readF32(fp, \(slot))"
        case .f64: return "readF64(fp, \(slot))"
        case .s32: return "Int32(bitPattern: readI32(fp, \(slot)))"
        case .s64: return "Int64(bitPattern: readI64(fp, \(slot)))"
        case .raw: return "fp[\(slot)]"
        }
    }

    /// Whether the value is a float, which travels in the float accumulator.
    var isFloat: Bool { self == .f32 || self == .f64 }

    /// The same value read from the accumulator variable `name` of class `accumulator`: a
    /// `UInt64` for the integer one, a `Double` for the float one (an f32 or raw bits in its
    /// low half or whole, as a slot would hold them).
    func read(from name: String, _ accumulator: Accumulator) -> String {
        switch accumulator {
        case .integer: return fromBits(name)
        case .float: return self == .f64 ? name : fromBits("\(name).bitPattern")
        }
    }

    /// `value` as the accumulator variable of class `accumulator` holds it.
    func accumulatorValue(_ value: String, _ accumulator: Accumulator) -> String {
        switch accumulator {
        case .integer: return bits(value)
        case .float: return self == .f64 ? value : "Double(bitPattern: \(bits(value)))"
        }
    }

    /// The same value taken from the 64-bit variable `bits`.
    func fromBits(_ bits: String) -> String { Self.convert(bits: bits, to: self) }

    /// How many bits the value has (a pair hands over only values of the same width).
    var width: Int {
        switch self {
        case .i32, .s32, .f32: return 32
        case .i64, .s64, .f64, .raw: return 64
        }
    }

    /// The expression reading constant word `word` of the instruction.
    func constantRead(_ word: Int) -> String { Self.convert(bits: "pc[\(word)]", to: self) }

    private static func convert(bits: String, to view: View) -> String {
        switch view {
        case .i32: return "UInt32(truncatingIfNeeded: \(bits))"
        case .i64, .raw: return bits
        case .f32: return "Float(bitPattern: UInt32(truncatingIfNeeded: \(bits)))"
        case .f64: return "Double(bitPattern: \(bits))"
        case .s32: return "Int32(bitPattern: UInt32(truncatingIfNeeded: \(bits)))"
        case .s64: return "Int64(bitPattern: \(bits))"
        }
    }

    /// The statement storing `value` into the instruction's slot `word`.
    func slotWrite(_ word: Int, _ value: String) -> String {
        let slot = "imm(pc, \(word))"
        switch self {
        case .i32: return "writeI32(fp, \(slot), \(value))"
        case .i64: return "writeI64(fp, \(slot), \(value))"
        case .f32: return "writeF32(fp, \(slot), \(value))"
        case .f64: return "writeF64(fp, \(slot), \(value))"
        case .s32: return "writeI32(fp, \(slot), UInt32(bitPattern: \(value)))"
        case .s64: return "writeI64(fp, \(slot), UInt64(bitPattern: \(value)))"
        case .raw: return "fp[\(slot)] = \(value)"
        }
    }

    /// `value` as the 64-bit pattern a slot (or the accumulator) holds.
    func bits(_ value: String) -> String {
        switch self {
        case .i32: return "UInt64(\(value))"
        case .i64, .raw: return value
        case .f32: return "UInt64((\(value)).bitPattern)"
        case .f64: return "(\(value)).bitPattern"
        case .s32: return "UInt64(UInt32(bitPattern: \(value)))"
        case .s64: return "UInt64(bitPattern: \(value))"
        }
    }
}

/// The register a value travels in from one instruction to the next (DESIGN.md, "Accumulator"):
/// integers in a general-purpose register (`acc`), floats in a vector register (`facc`), so a
/// chain of float operations never moves its values between the two.
enum Accumulator: Equatable {
    case integer, float
}

/// What one operand word of an instruction holds.
enum Word: Equatable {
    /// The frame slot the result goes to.
    case destination(View)
    /// A frame slot read into the local `name`.
    case source(String, View)
    /// A value stored in the word itself, read into the local `name`.
    case constant(String, View)
    /// A signed word-sized immediate (a memory offset), read into the local `name` as an `Int`.
    case offset(String)
    /// The address of the memory cell the access is to. Accesses to memory 0 use the memory
    /// registers; the word is there for the slow paths and for tooling.
    case memory
    /// The address of a global's cell, read into the local `name`.
    case global(String)
    /// A branch offset in words, relative to the instruction's handler word.
    case branch
}

/// What an instruction does after its body.
enum Effect {
    /// Writes `expression` (of view `view`) to its `destination` word.
    case value(View, String)
    /// Nothing more: the body had the effect (a store).
    case none
    /// Branches to its `branch` word's target when `condition` holds, else falls through.
    case branch(String)
}

/// One internal instruction: a handler and its operand words.
struct Instruction {
    /// The handler's name without `h_`.
    var name: String
    /// One line saying what it does, for the generated source and the disassembler.
    var summary: String
    /// The operand words after the handler word (word 1 first).
    var words: [Word]
    /// Statements run after the operands are read (bounds checks, traps, stores).
    var body: [String] = []
    var effect: Effect
    /// Whether the translator may hand its operands and result over in the accumulator.
    var hasAccumulatorForms = true
    /// Whether its result may be a float although its view is an integer's: a load shared by
    /// integer and float accesses. (A `raw` result or source is always of either class.)
    var carriesFloats = false

    var handler: String { "h_" + name }
    /// Words including the handler word: the distance to the next instruction.
    var length: Int { words.count + 1 }
    var isBranch: Bool { if case .branch = effect { return true } else { return false } }
}

/// The numeric semantics of one Wasm-level operator, from which the instructions implementing
/// it (plain, with a constant operand, fused with a branch) are derived.
struct Operation {
    /// Handler base name (`i32Add`), also the `NumericOperator` case unless `implements` says otherwise.
    var name: String
    /// The operand views: one for unary operators, two for binary (named `a`, `b`).
    var operands: [View]
    var result: View
    /// The result, in terms of `a` and `b` (and locals the `body` defines).
    var expression: String
    /// Statements before the result (the trapping checks).
    var body: [String] = []
    /// The `NumericOperator` cases it implements.
    var implements: [String]
    /// Whether a constant right operand gets its own instruction (`Imm`).
    var immediate = false
    /// How a constant *left* operand is handled: swapped to the right (`sameAsImmediate`) or
    /// with an instruction computing `constant op x` (`own`).
    var reversed: Reversal = .none
    /// Whether `a op b == b op a` for every input (the translator may swap the operands).
    var commutes = false
    /// For integer comparisons: the `IntCompare` case and the condition, which also give the
    /// value form with a constant and the fused compare-and-branch instructions.
    var compare: Comparison?

    /// An integer comparison: its `IntCompare` case and its condition on `a` and `b`.
    struct Comparison {
        var kind: String
        var condition: String
    }

    enum Reversal { case none, sameAsImmediate, own }
}
