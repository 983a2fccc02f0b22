import HearthBinary

/// A value type as the validator tracks it on its operand stack: one 32-bit word, so the stack
/// is a flat buffer reused across instructions and functions without allocating, and equal
/// types compare as integers.
///
/// Numeric and vector types are 0...4 and `unknown` (the spec algorithm's "Unknown": any type,
/// after `unreachable` and the like) is all ones. A reference has bit 31 set, bit 30 when
/// nullable, and its heap type in the low bits: an abstract heap type (`Heap`) below 16, or a
/// module type index plus 16.
struct OperandType: Equatable {
    let raw: UInt32

    private init(raw: UInt32) { self.raw = raw }

    static let i32 = OperandType(raw: 0)
    static let i64 = OperandType(raw: 1)
    static let f32 = OperandType(raw: 2)
    static let f64 = OperandType(raw: 3)
    static let v128 = OperandType(raw: 4)
    static let unknown = OperandType(raw: .max)
    static let funcref = OperandType.reference(nullable: true, heap: Heap.function)
    static let externref = OperandType.reference(nullable: true, heap: Heap.extern)

    /// Heap type codes: the abstract heap types, `bottom` (the heap type of a reference popped
    /// from an unreachable stack, below every other) and the first concrete code.
    enum Heap {
        static let function: UInt32 = 0, extern: UInt32 = 1, any: UInt32 = 2, eq: UInt32 = 3
        static let i31: UInt32 = 4, structure: UInt32 = 5, array: UInt32 = 6, none: UInt32 = 7
        static let noFunction: UInt32 = 8, noExtern: UInt32 = 9, exception: UInt32 = 10
        static let noException: UInt32 = 11, bottom: UInt32 = 12
        static let firstConcrete: UInt32 = 16

        /// The abstract heap type of each code below `bottom` (the inverse of `code`).
        static let abstractTypes: [HeapType] = [.function, .extern, .any, .eq, .i31, .structure, .array,
                                                .none, .noFunction, .noExtern, .exception, .noException]

        static func code(_ heap: HeapType) -> UInt32 {
            switch heap {
            case .function: return function
            case .extern: return extern
            case .any: return any
            case .eq: return eq
            case .i31: return i31
            case .structure: return structure
            case .array: return array
            case .none: return none
            case .noFunction: return noFunction
            case .noExtern: return noExtern
            case .exception: return exception
            case .noException: return noException
            case .concrete(let index): return firstConcrete + index
            }
        }
    }

    static func reference(nullable: Bool, heap: UInt32) -> OperandType {
        OperandType(raw: 1 << 31 | (nullable ? 1 << 30 : 0) | heap)
    }

    init(_ type: ValueType) {
        switch type {
        case .i32: self = .i32
        case .i64: self = .i64
        case .f32: self = .f32
        case .f64: self = .f64
        case .v128: self = .v128
        case .ref(let r): self.init(r)
        }
    }

    init(_ type: ReferenceType) {
        self = .reference(nullable: type.isNullable, heap: Heap.code(type.heapType))
    }

    var isNumeric: Bool { raw <= OperandType.f64.raw }
    var isReference: Bool { raw != OperandType.unknown.raw && raw & 1 << 31 != 0 }
    var isNullable: Bool { raw & 1 << 30 != 0 }
    /// The heap type code of a reference.
    var heap: UInt32 { raw & 0x3FFF_FFFF }
    /// The module type index of a concrete reference, nil for an abstract one.
    var typeIndex: UInt32? { heap >= Heap.firstConcrete ? heap - Heap.firstConcrete : nil }

    /// The same reference type, nullable or not.
    func withNullable(_ nullable: Bool) -> OperandType { .reference(nullable: nullable, heap: heap) }
}

/// Operand and result types of every `NumericOperator`, in one flat table indexed by a dense
/// operator number, so typing a numeric instruction is two array reads instead of building
/// the arrays `NumericOperator.signature` returns.
struct NumericSignatures: Sendable {
    /// Per operator: first operand, second operand (or nil for unary), result.
    struct Entry: Sendable {
        var first: OperandType
        var second: OperandType?
        var result: OperandType
    }

    /// Opcodes 0x45...0xC4 sit at `opcode - 0x45`; the 0xFC-prefixed ones after them.
    private let entries: LookupTable<Entry>
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
        self.entries = LookupTable(entries)
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
struct MemoryAccessTypes: Sendable {
    struct Entry: Sendable {
        var value: OperandType
        var maxAlignLog2: UInt32
    }

    private let entries: LookupTable<Entry>
    private static let firstOpcode = MemoryOperator.i32Load.rawValue

    static let shared = MemoryAccessTypes()

    private init() {
        var entries = [Entry](repeating: Entry(value: .unknown, maxAlignLog2: 0),
                              count: Int(MemoryOperator.i64Store32.rawValue - Self.firstOpcode) + 1)
        for op in MemoryOperator.allCases {
            entries[Int(op.rawValue - Self.firstOpcode)] = Entry(value: OperandType(op.valueType),
                                                                 maxAlignLog2: op.maxAlignLog2)
        }
        self.entries = LookupTable(entries)
    }

    @inline(__always)
    subscript(op: MemoryOperator) -> Entry { entries[Int(op.rawValue - Self.firstOpcode)] }

    /// The entry of a load or store opcode (0x28...0x3E).
    @inline(__always)
    subscript(opcode opcode: UInt8) -> Entry { entries[Int(opcode - Self.firstOpcode)] }
}
