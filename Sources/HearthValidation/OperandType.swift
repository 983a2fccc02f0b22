import HearthBinary

/// A value type as the validator tracks it on its operand stack: one byte, so the stack is a
/// flat `[OperandType]` that is reused across instructions and functions without allocating.
/// `unknown` is the spec algorithm's "Unknown" (any type, after `unreachable` and the like).
enum OperandType: UInt8, Equatable {
    case i32, i64, f32, f64, v128, funcref, externref, unknown

    init(_ type: ValueType) {
        switch type {
        case .i32: self = .i32
        case .i64: self = .i64
        case .f32: self = .f32
        case .f64: self = .f64
        case .v128: self = .v128
        case .ref(let r): self = r.heapType == .function ? .funcref : .externref
        }
    }

    init(_ type: ReferenceType) {
        self = type.heapType == .function ? .funcref : .externref
    }

    var isNumeric: Bool { rawValue <= OperandType.f64.rawValue }
    var isReference: Bool { self == .funcref || self == .externref }
}

/// Operand and result types of every `NumericOperator`, in one flat table indexed by a dense
/// operator number, so typing a numeric instruction is two array reads instead of building
/// the arrays `NumericOperator.signature` returns.
struct NumericSignatures {
    /// Per operator: first operand, second operand (or nil for unary), result.
    struct Entry {
        var first: OperandType
        var second: OperandType?
        var result: OperandType
    }

    /// Opcodes 0x45...0xC4 sit at `opcode - 0x45`; the 0xFC-prefixed ones after them.
    private let entries: RawStack<Entry>
    private static let plainCount = 0xC4 - 0x45 + 1

    static let shared = NumericSignatures()

    private init() {
        var entries = [Entry](repeating: Entry(first: .unknown, second: nil, result: .unknown),
                              count: Self.plainCount + 8)
        for op in NumericOperator.allCases {
            let (operands, result) = op.signature
            entries[Self.slot(op)] = Entry(first: OperandType(operands[0]),
                                           second: operands.count > 1 ? OperandType(operands[1]) : nil,
                                           result: OperandType(result))
        }
        self.entries = RawStack(entries)
    }

    @inline(__always)
    private static func slot(_ op: NumericOperator) -> Int {
        let raw = Int(op.rawValue)
        return raw >= 0xFC00 ? plainCount + (raw - 0xFC00) : raw - 0x45
    }

    @inline(__always)
    subscript(op: NumericOperator) -> Entry { entries[Self.slot(op)] }

    /// The entry of the one-byte numeric opcode `opcode` (0x45...0xC4).
    @inline(__always)
    subscript(opcode opcode: UInt8) -> Entry { entries[Int(opcode) - 0x45] }

    /// The entry of the 0xFC-prefixed numeric operator `sub` (0...7: the saturating truncations).
    @inline(__always)
    subscript(prefixedFC sub: UInt32) -> Entry { entries[Self.plainCount + Int(sub)] }
}

/// The value type and natural alignment of every load and store, indexed by opcode, so typing
/// one is a table read rather than calls into `MemoryOperator`'s switches.
struct MemoryAccessTypes {
    struct Entry {
        var value: OperandType
        var maxAlignLog2: UInt32
    }

    private let entries: RawStack<Entry>
    private static let firstOpcode = MemoryOperator.i32Load.rawValue

    static let shared = MemoryAccessTypes()

    private init() {
        var entries = [Entry](repeating: Entry(value: .unknown, maxAlignLog2: 0),
                              count: Int(MemoryOperator.i64Store32.rawValue - Self.firstOpcode) + 1)
        for op in MemoryOperator.allCases {
            entries[Int(op.rawValue - Self.firstOpcode)] = Entry(value: OperandType(op.valueType),
                                                                 maxAlignLog2: op.maxAlignLog2)
        }
        self.entries = RawStack(entries)
    }

    @inline(__always)
    subscript(op: MemoryOperator) -> Entry { entries[Int(op.rawValue - Self.firstOpcode)] }

    /// The entry of a load or store opcode (0x28...0x3E).
    @inline(__always)
    subscript(opcode opcode: UInt8) -> Entry { entries[Int(opcode - Self.firstOpcode)] }
}
