import HearthBinary

/// A 128-bit SIMD value (two little-endian halves).
public struct V128: Hashable, Sendable {
    public var low: UInt64
    public var high: UInt64
    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }
}

/// A WebAssembly value as the host sees it. Floats are carried as bit patterns so NaN
/// payloads survive the trip.
public enum Value: Hashable {
    case i32(UInt32), i64(UInt64), f32(UInt32), f64(UInt64), v128(V128), ref(Reference)

    public var type: ValueType {
        switch self {
        case .i32: return .i32
        case .i64: return .i64
        case .f32: return .f32
        case .f64: return .f64
        case .v128: return .v128
        case .ref(let r): return .ref(ReferenceType(heapType: r.heapType))
        }
    }
}

/// A reference value.
public enum Reference: Hashable {
    case null(HeapType)
    case function(Function)
    /// An opaque host value. (Handle `UInt64.max` is reserved: it cannot be told from null.)
    case extern(UInt64)

    public var heapType: HeapType {
        switch self {
        case .null(let t): return t
        case .function: return .function
        case .extern: return .extern
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
}
