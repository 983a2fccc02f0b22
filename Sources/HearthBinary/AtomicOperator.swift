/// A 0xFE-prefixed memory instruction of the threads proposal (Wasm 3.0); the raw value is the
/// sub-opcode. Every one takes a memory argument whose alignment must be exactly natural.
///
/// From 0x10 on the operators come in groups of seven, one group per kind (load, store, the six
/// read-modify-write operations, cmpxchg), each group in the same order of shapes: i32 and i64
/// at full width, then the narrow i32 forms (8, 16 bits) and the narrow i64 forms (8, 16, 32).
/// The properties below compute kind and shape from that layout instead of listing 63 cases.
public enum AtomicOperator: UInt32, CaseIterable, Sendable {
    case memoryAtomicNotify = 0x00, memoryAtomicWait32, memoryAtomicWait64
    case i32AtomicLoad = 0x10, i64AtomicLoad, i32AtomicLoad8U, i32AtomicLoad16U
    case i64AtomicLoad8U, i64AtomicLoad16U, i64AtomicLoad32U
    case i32AtomicStore, i64AtomicStore, i32AtomicStore8, i32AtomicStore16
    case i64AtomicStore8, i64AtomicStore16, i64AtomicStore32
    case i32AtomicRmwAdd, i64AtomicRmwAdd, i32AtomicRmw8AddU, i32AtomicRmw16AddU
    case i64AtomicRmw8AddU, i64AtomicRmw16AddU, i64AtomicRmw32AddU
    case i32AtomicRmwSub, i64AtomicRmwSub, i32AtomicRmw8SubU, i32AtomicRmw16SubU
    case i64AtomicRmw8SubU, i64AtomicRmw16SubU, i64AtomicRmw32SubU
    case i32AtomicRmwAnd, i64AtomicRmwAnd, i32AtomicRmw8AndU, i32AtomicRmw16AndU
    case i64AtomicRmw8AndU, i64AtomicRmw16AndU, i64AtomicRmw32AndU
    case i32AtomicRmwOr, i64AtomicRmwOr, i32AtomicRmw8OrU, i32AtomicRmw16OrU
    case i64AtomicRmw8OrU, i64AtomicRmw16OrU, i64AtomicRmw32OrU
    case i32AtomicRmwXor, i64AtomicRmwXor, i32AtomicRmw8XorU, i32AtomicRmw16XorU
    case i64AtomicRmw8XorU, i64AtomicRmw16XorU, i64AtomicRmw32XorU
    case i32AtomicRmwXchg, i64AtomicRmwXchg, i32AtomicRmw8XchgU, i32AtomicRmw16XchgU
    case i64AtomicRmw8XchgU, i64AtomicRmw16XchgU, i64AtomicRmw32XchgU
    case i32AtomicRmwCmpxchg, i64AtomicRmwCmpxchg, i32AtomicRmw8CmpxchgU, i32AtomicRmw16CmpxchgU
    case i64AtomicRmw8CmpxchgU, i64AtomicRmw16CmpxchgU, i64AtomicRmw32CmpxchgU

    /// What an atomic operator does; the value operands and result follow from it.
    public enum Kind: Hashable, Sendable {
        /// `[address, count] -> [woken]`
        case notify
        /// `[address, expected, timeout: i64] -> [0 ok | 1 not-equal | 2 timed-out]`
        case wait
        /// `[address] -> [value]`
        case load
        /// `[address, value] -> []`
        case store
        /// `[address, value] -> [old]`
        case readModifyWrite(ReadModifyWrite)
        /// `[address, expected, replacement] -> [old]`
        case compareExchange
    }

    /// The operation of an `*.atomic.rmw*` operator, in opcode order.
    public enum ReadModifyWrite: Int, CaseIterable, Hashable, Sendable {
        case add, sub, and, or, xor, xchg

        var textName: String {
            switch self {
            case .add: return "add"
            case .sub: return "sub"
            case .and: return "and"
            case .or: return "or"
            case .xor: return "xor"
            case .xchg: return "xchg"
            }
        }
    }

    /// Position in its group of seven (see the type's comment), for the operators from 0x10.
    private var shape: Int { Int(rawValue - 0x10) % 7 }

    /// What the operator does, computed from its sub-opcode's group (see the type's comment).
    public var kind: Kind {
        switch self {
        case .memoryAtomicNotify: return .notify
        case .memoryAtomicWait32, .memoryAtomicWait64: return .wait
        default:
            switch Int(rawValue - 0x10) / 7 {
            case 0: return .load
            case 1: return .store
            case 8: return .compareExchange
            case let group: return .readModifyWrite(ReadModifyWrite(rawValue: group - 2)!)
            }
        }
    }

    /// Whether the value operands and result are i64 (for `wait64`: the expected value).
    public var is64: Bool {
        switch self {
        case .memoryAtomicNotify, .memoryAtomicWait32: return false
        case .memoryAtomicWait64: return true
        default: return [false, true, false, false, true, true, true][shape]
        }
    }

    /// The type of the value operands and result: i64 when `is64`, i32 otherwise.
    public var valueType: ValueType { is64 ? .i64 : .i32 }

    /// How many bytes are accessed (a narrow access zero-extends what it reads).
    public var width: Int {
        switch self {
        case .memoryAtomicNotify, .memoryAtomicWait32: return 4
        case .memoryAtomicWait64: return 8
        default: return [4, 8, 1, 2, 1, 2, 4][shape]
        }
    }

    /// The only alignment allowed: the natural one, as a power of two.
    public var alignLog2: UInt32 { UInt32(width.trailingZeroBitCount) }

    /// The name in the text format, e.g. `i32.atomic.rmw8.add_u`.
    public var textName: String {
        // Narrow forms name their width; the unsigned suffix is on loads and rmw only.
        let narrow = width < (is64 ? 8 : 4)
        let bits = narrow ? String(width * 8) : ""
        let u = narrow ? "_u" : ""
        let prefix = (is64 ? "i64" : "i32") + ".atomic."
        switch kind {
        case .notify: return "memory.atomic.notify"
        case .wait: return "memory.atomic.wait" + String(width * 8)
        case .load: return prefix + "load" + bits + u
        case .store: return prefix + "store" + bits
        case .compareExchange: return prefix + "rmw" + bits + ".cmpxchg" + u
        case .readModifyWrite(let op): return prefix + "rmw" + bits + "." + op.textName + u
        }
    }

    /// Every operator by its text name.
    public static let byTextName: [String: AtomicOperator] = {
        var table: [String: AtomicOperator] = [:]
        for op in allCases { table[op.textName] = op }
        return table
    }()
}

/// A decoded 0xFE-prefixed instruction: `atomic.fence` (no operands) or an operator with its
/// memory argument.
public enum AtomicInstruction: Hashable, Sendable {
    case fence
    case access(AtomicOperator, MemoryArgument)
}
