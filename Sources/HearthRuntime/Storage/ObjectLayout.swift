import HearthBinary

/// How one struct field or array element is stored in a heap object: packed integers take
/// their own width, references 8 bytes, a `v128` 16.
enum FieldKind: UInt8 {
    case i8, i16, i32, i64, v128, reference

    init(_ storage: StorageType) {
        switch storage {
        case .i8: self = .i8
        case .i16: self = .i16
        case .value(.i32), .value(.f32): self = .i32
        case .value(.i64), .value(.f64): self = .i64
        case .value(.v128): self = .v128
        case .value(.ref): self = .reference
        }
    }

    var size: Int {
        switch self {
        case .i8: return 1
        case .i16: return 2
        case .i32: return 4
        case .i64, .reference: return 8
        case .v128: return 16
        }
    }

    /// Frame slots the unpacked value takes.
    var slots: Int { self == .v128 ? 2 : 1 }

    /// Stores a value given as its slot words (`high`: a `v128`'s bytes 8-15) at `p`.
    func store(_ low: UInt64, _ high: UInt64, at p: UnsafeMutableRawPointer) {
        switch self {
        case .i8: p.storeBytes(of: UInt8(truncatingIfNeeded: low), as: UInt8.self)
        case .i16: p.storeBytes(of: UInt16(truncatingIfNeeded: low), as: UInt16.self)
        case .i32: p.storeBytes(of: UInt32(truncatingIfNeeded: low), as: UInt32.self)
        case .i64, .reference: p.storeBytes(of: low, as: UInt64.self)
        case .v128:
            p.storeBytes(of: low, as: UInt64.self)
            p.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
        }
    }
}

/// Where a field sits in an object's payload and how it is stored.
struct FieldLayout {
    var offset: Int32
    var kind: FieldKind
}

/// The memory layout of a struct or array type's objects, computed once per registered type.
///
/// An object is a 16-byte header (its `RuntimeType` address; then the array length in the low
/// 32 bits and the collector's mark in bit 63) followed by the payload: a struct's fields in
/// declaration order, each aligned to its size up to 8; an array's elements back to back.
struct ObjectLayout {
    static let headerBytes = 16
    static let markBit: UInt64 = 1 << 63

    /// Per struct field, or the one array element.
    var fields: [FieldLayout]
    /// A struct's payload size (arrays: 0, their size depends on the length).
    var payloadBytes: Int

    init(_ composite: CompositeType) {
        switch composite {
        case .function:
            fields = []
            payloadBytes = 0
        case .structure(let types):
            var offset = 0
            fields = types.map { field in
                let kind = FieldKind(field.storage)
                let alignment = min(kind.size, 8)
                offset = (offset + alignment - 1) / alignment * alignment
                defer { offset += kind.size }
                return FieldLayout(offset: Int32(offset), kind: kind)
            }
            payloadBytes = offset
        case .array(let element):
            fields = [FieldLayout(offset: 0, kind: FieldKind(element.storage))]
            payloadBytes = 0
        }
    }
}
