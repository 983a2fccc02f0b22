import HearthBinary

/// An append-only byte buffer with the binary format's primitive encodings.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    mutating func u32(_ value: UInt32) { u64(UInt64(value)) }

    mutating func u64(_ value: UInt64) {
        var v = value
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            bytes.append(b)
        } while v != 0
    }

    mutating func s64(_ value: Int64) {
        var v = value
        while true {
            let b = UInt8(truncatingIfNeeded: v) & 0x7F
            v >>= 7
            let done = (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0)
            bytes.append(done ? b : b | 0x80)
            if done { return }
        }
    }

    mutating func s32(_ value: Int32) { s64(Int64(value)) }

    /// A length-prefixed byte vector (names, data payloads).
    mutating func vector(_ payload: [UInt8]) {
        u32(UInt32(payload.count))
        bytes.append(contentsOf: payload)
    }

    mutating func name(_ text: String) { vector(Array(text.utf8)) }

    mutating func fixed32(_ value: UInt32) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }

    mutating func fixed64(_ value: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    mutating func valueType(_ type: ValueType) {
        switch type {
        case .i32: byte(0x7F)
        case .i64: byte(0x7E)
        case .f32: byte(0x7D)
        case .f64: byte(0x7C)
        case .v128: byte(0x7B)
        case .ref(let r): referenceType(r)
        }
    }

    mutating func referenceType(_ type: ReferenceType) {
        if type.isNullable {
            byte(type.heapType == .function ? 0x70 : 0x6F)
        } else {
            // Wasm 3.0 `(ref ht)`: non-nullable reference to an abstract heap type.
            byte(0x64)
            heapType(type.heapType)
        }
    }

    mutating func heapType(_ type: HeapType) {
        byte(type == .function ? 0x70 : 0x6F)
    }

    mutating func limits(_ limits: Limits) {
        var flags: UInt8 = limits.max == nil ? 0 : 1
        if limits.isShared { flags |= 2 }
        if limits.is64 { flags |= 4 }
        byte(flags)
        u64(limits.min)
        if let max = limits.max { u64(max) }
    }
}
