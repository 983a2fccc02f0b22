import HearthBinary

/// A 128-bit SIMD value (two little-endian halves).
public struct V128: Hashable, Sendable {
    /// Bytes 0-7 of the vector, little-endian.
    public var low: UInt64
    /// Bytes 8-15 of the vector, little-endian.
    public var high: UInt64
    /// The vector whose bytes 0-7 are `low` and 8-15 are `high`.
    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }
}

/// A WebAssembly value as the host sees it. Floats are carried as bit patterns so NaN
/// payloads survive the trip.
public enum Value: Hashable {
    case i32(UInt32), i64(UInt64), f32(UInt32), f64(UInt64), v128(V128), ref(Reference)

    /// The value's type (a reference's as precise as the reference knows it).
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
    /// An opaque host value, below 2^62 (the word keeps two tag bits). Converted into the
    /// `any` hierarchy (`any.convert_extern`) it stays the same host value.
    case extern(UInt64)
    /// A 31-bit integer boxed as a reference (`ref.i31`), zero-extended.
    case i31(UInt32)
    /// A struct or array of Wasm GC.
    case object(GCObject)

    /// The heap type the reference points into.
    public var heapType: HeapType {
        switch self {
        case .null(let t): return t
        case .function: return .function
        case .extern: return .extern
        case .i31: return .i31
        case .object(let o): return o.isArray ? .array : .structure
        }
    }

    /// Whether this is a null reference.
    public var isNull: Bool { if case .null = self { return true } else { return false } }
}
