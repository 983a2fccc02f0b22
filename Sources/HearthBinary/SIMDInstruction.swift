/// Which immediates follow a SIMD sub-opcode.
public enum SIMDForm: Hashable, Sendable {
    /// None: the operands are all on the stack.
    case plain
    /// A memory argument (`v128.load`, the extending/splat/zero loads, `v128.store`).
    case memory
    /// A memory argument then a lane index (`v128.loadN_lane`, `v128.storeN_lane`).
    case memoryLane
    /// A lane index (`extract_lane`, `replace_lane`).
    case lane
    /// 16 literal bytes (`v128.const`).
    case constant
    /// 16 lane indices (`i8x16.shuffle`).
    case shuffle
}

/// 128 bits as two little-endian halves: the immediate of `v128.const` and `i8x16.shuffle`.
///
/// Two words rather than a byte array, so a decoded instruction allocates nothing.
public struct V128Bits: Hashable, Sendable {
    /// Bytes 0...7 in memory order, byte 0 in the lowest 8 bits.
    public var low: UInt64
    /// Bytes 8...15 in memory order, byte 8 in the lowest 8 bits.
    public var high: UInt64

    /// The 128 bits whose halves are `low` (bytes 0...7) and `high` (bytes 8...15).
    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// From 16 bytes in memory order (byte 0 is the lowest byte of `low`).
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a v128 has 16 bytes")
        var low: UInt64 = 0, high: UInt64 = 0
        for i in 0..<8 {
            low |= UInt64(bytes[i]) << (8 * UInt64(i))
            high |= UInt64(bytes[8 + i]) << (8 * UInt64(i))
        }
        self.init(low: low, high: high)
    }

    /// Byte `index` (0...15) in memory order.
    public subscript(byte index: Int) -> UInt8 {
        let word = index < 8 ? low : high
        return UInt8(truncatingIfNeeded: word >> (8 * UInt64(index & 7)))
    }

    /// The 16 bytes in memory order.
    public var bytes: [UInt8] { (0..<16).map { self[byte: $0] } }
}

/// A decoded SIMD instruction: the operator with the immediates its `form` calls for.
///
/// Memory forms pop an address of the memory's address type; the lane index of `lane` and
/// `memoryLane` forms and the shuffle indices are bounds-checked by the validator, not here.
public enum SIMDInstruction: Hashable, Sendable {
    case plain(SIMDOperator)
    case memory(SIMDOperator, MemoryArgument)
    case memoryLane(SIMDOperator, MemoryArgument, lane: UInt8)
    case lane(SIMDOperator, lane: UInt8)
    case constant(V128Bits)
    /// `i8x16.shuffle`: byte i of the immediate picks lane i of the result from the 32 input bytes.
    case shuffle(V128Bits)

    /// The operator, whatever the form.
    public var op: SIMDOperator {
        switch self {
        case .plain(let op), .memory(let op, _), .memoryLane(let op, _, _), .lane(let op, _): return op
        case .constant: return .v128Const
        case .shuffle: return .i8x16Shuffle
        }
    }
}
