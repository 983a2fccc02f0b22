/// The type of a `block`, `loop` or `if`: nothing, one result, or a signature by type index.
public enum BlockType: Hashable, Sendable {
    case empty
    case value(ValueType)
    case typeIndex(UInt32)
}

/// The immediate of a load or store: alignment (as a power of two), offset and memory index.
public struct MemoryArgument: Hashable, Sendable {
    /// The alignment hint as a power of two (2 means 4 bytes); valid only up to the natural one.
    public var alignLog2: UInt32
    /// Bytes added to the address operand (a u64 with memory64, a u32 otherwise).
    public var offset: UInt64
    /// Index of the memory accessed; always 0 without multi-memory.
    public var memory: UInt32

    /// A memory argument; `memory` defaults to 0, the only memory before multi-memory.
    public init(alignLog2: UInt32, offset: UInt64, memory: UInt32 = 0) {
        self.alignLog2 = alignLog2
        self.offset = offset
        self.memory = memory
    }
}

/// A load or store; the raw value is the opcode.
public enum MemoryOperator: UInt8, CaseIterable, Sendable {
    case i32Load = 0x28, i64Load, f32Load, f64Load
    case i32Load8S, i32Load8U, i32Load16S, i32Load16U
    case i64Load8S, i64Load8U, i64Load16S, i64Load16U, i64Load32S, i64Load32U
    case i32Store = 0x36, i64Store, f32Store, f64Store
    case i32Store8, i32Store16, i64Store8, i64Store16, i64Store32

    /// Whether it writes memory (opcodes 0x36 and up) rather than reading it.
    public var isStore: Bool { rawValue >= 0x36 }

    /// The type of the value loaded or stored.
    public var valueType: ValueType {
        switch self {
        case .i32Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U,
             .i32Store, .i32Store8, .i32Store16: return .i32
        case .f32Load, .f32Store: return .f32
        case .f64Load, .f64Store: return .f64
        default: return .i64
        }
    }

    /// How many bytes are accessed.
    public var width: Int {
        switch self {
        case .i32Load8S, .i32Load8U, .i64Load8S, .i64Load8U, .i32Store8, .i64Store8: return 1
        case .i32Load16S, .i32Load16U, .i64Load16S, .i64Load16U, .i32Store16, .i64Store16: return 2
        case .i32Load, .f32Load, .i64Load32S, .i64Load32U, .i32Store, .f32Store, .i64Store32: return 4
        case .i64Load, .f64Load, .i64Store, .f64Store: return 8
        }
    }

    /// The largest alignment allowed (the natural one), as a power of two.
    public var maxAlignLog2: UInt32 { UInt32(width.trailingZeroBitCount) }

    /// The name in the text format, e.g. `i32.load8_u`.
    public var textName: String {
        switch self {
        case .i32Load: return "i32.load"
        case .i64Load: return "i64.load"
        case .f32Load: return "f32.load"
        case .f64Load: return "f64.load"
        case .i32Load8S: return "i32.load8_s"
        case .i32Load8U: return "i32.load8_u"
        case .i32Load16S: return "i32.load16_s"
        case .i32Load16U: return "i32.load16_u"
        case .i64Load8S: return "i64.load8_s"
        case .i64Load8U: return "i64.load8_u"
        case .i64Load16S: return "i64.load16_s"
        case .i64Load16U: return "i64.load16_u"
        case .i64Load32S: return "i64.load32_s"
        case .i64Load32U: return "i64.load32_u"
        case .i32Store: return "i32.store"
        case .i64Store: return "i64.store"
        case .f32Store: return "f32.store"
        case .f64Store: return "f64.store"
        case .i32Store8: return "i32.store8"
        case .i32Store16: return "i32.store16"
        case .i64Store8: return "i64.store8"
        case .i64Store16: return "i64.store16"
        case .i64Store32: return "i64.store32"
        }
    }
}

/// The targets of a `br_table`.
public struct BranchTable: Hashable, Sendable {
    /// The label (a relative depth) taken for each operand value 0, 1, 2...
    public var targets: [UInt32]
    /// The label taken when the operand is not an index into `targets`.
    public var defaultTarget: UInt32

    /// A table branching to `targets[i]` for operand i and to `defaultTarget` for anything larger.
    public init(targets: [UInt32], defaultTarget: UInt32) {
        self.targets = targets
        self.defaultTarget = defaultTarget
    }
}

/// One decoded instruction with its immediates, as `CodeReader` yields it.
///
/// Covers Wasm 2.0, SIMD included (under `.simd`). Everything here is a value type with no per-instruction
/// allocation except `br_table` targets and typed `select`.
public enum Instruction: Hashable, Sendable {
    // Control
    case unreachable
    case nop
    case block(BlockType)
    case loop(BlockType)
    case `if`(BlockType)
    case `else`
    case end
    case br(UInt32)
    case brIf(UInt32)
    case brTable(BranchTable)
    case `return`
    case call(UInt32)
    case callIndirect(typeIndex: UInt32, table: UInt32)
    /// Tail calls (Wasm 3.0): the callee replaces the caller's frame.
    case returnCall(UInt32)
    case returnCallIndirect(typeIndex: UInt32, table: UInt32)
    /// Typed function references (Wasm 3.0): call the function reference on the stack, whose
    /// type is the one at the index.
    case callRef(UInt32)
    case returnCallRef(UInt32)
    /// Branch when the reference on the stack is null (dropping it) / not null (keeping it).
    case brOnNull(UInt32)
    case brOnNonNull(UInt32)

    // Parametric
    case drop
    /// `select` without a type annotation (numeric operands only).
    case select
    /// `select (result t)`: the annotation (exactly one type in Wasm 2.0).
    case typedSelect([ValueType])

    // Variables
    case localGet(UInt32)
    case localSet(UInt32)
    case localTee(UInt32)
    case globalGet(UInt32)
    case globalSet(UInt32)

    // Tables
    case tableGet(UInt32)
    case tableSet(UInt32)
    case tableInit(element: UInt32, table: UInt32)
    case elemDrop(UInt32)
    case tableCopy(destination: UInt32, source: UInt32)
    case tableGrow(UInt32)
    case tableSize(UInt32)
    case tableFill(UInt32)

    // Memory
    case load(MemoryOperator, MemoryArgument)
    case store(MemoryOperator, MemoryArgument)
    case memorySize(UInt32)
    case memoryGrow(UInt32)
    case memoryInit(data: UInt32, memory: UInt32)
    case dataDrop(UInt32)
    case memoryCopy(destination: UInt32, source: UInt32)
    case memoryFill(UInt32)

    // Constants (floats as their bit patterns, so NaN payloads survive)
    case i32Const(Int32)
    case i64Const(Int64)
    case f32Const(UInt32)
    case f64Const(UInt64)

    // Numeric
    case numeric(NumericOperator)

    // References
    case refNull(HeapType)
    case refIsNull
    case refFunc(UInt32)
    /// Trap on null; the result type is the operand's, non-nullable (Wasm 3.0).
    case refAsNonNull
    /// Identity of two `eqref`s (Wasm 3.0).
    case refEq

    // Garbage collection (0xFB prefix, Wasm 3.0)
    case gc(GCInstruction)

    /// 128-bit integer arithmetic on i64 pairs (the wide-arithmetic proposal, under 3.0).
    case wideArithmetic(WideArithmeticOperator)

    // Vector (0xFD prefix)
    case simd(SIMDInstruction)

    // Threads (0xFE prefix, Wasm 3.0)
    case atomic(AtomicInstruction)

    // Exception handling (Wasm 3.0 and the legacy form; ExceptionInstructions.swift)
    case exception(ExceptionInstruction)
}
