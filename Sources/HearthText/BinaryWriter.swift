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
        if type.isNullable, let code = type.heapType.abstractCode {
            byte(code)
        } else {
            byte(type.isNullable ? 0x63 : 0x64)
            heapType(type.heapType)
        }
    }

    mutating func heapType(_ type: HeapType) {
        if let code = type.abstractCode {
            byte(code)
        } else if case .concrete(let index) = type {
            s64(Int64(index))
        }
    }

    /// A sub type: a bare composite type when final with no supertype, else `sub (final)`.
    mutating func subType(_ type: SubType) {
        if !type.isFinal || !type.supertypes.isEmpty {
            byte(type.isFinal ? 0x4F : 0x50)
            u32(UInt32(type.supertypes.count))
            for s in type.supertypes { u32(s) }
        }
        switch type.composite {
        case .function(let f):
            byte(0x60)
            u32(UInt32(f.parameters.count))
            for p in f.parameters { valueType(p) }
            u32(UInt32(f.results.count))
            for r in f.results { valueType(r) }
        case .structure(let fields):
            byte(0x5F)
            u32(UInt32(fields.count))
            for f in fields { fieldType(f) }
        case .array(let element):
            byte(0x5E)
            fieldType(element)
        }
    }

    private mutating func fieldType(_ field: FieldType) {
        switch field.storage {
        case .i8: byte(0x78)
        case .i16: byte(0x77)
        case .value(let t): valueType(t)
        }
        byte(field.isMutable ? 1 : 0)
    }

    mutating func limits(_ limits: Limits, pageSizeLog2: UInt32? = nil) {
        var flags: UInt8 = limits.max == nil ? 0 : 1
        if limits.isShared { flags |= 2 }
        if limits.is64 { flags |= 4 }
        if pageSizeLog2 != nil { flags |= 8 }
        byte(flags)
        u64(limits.min)
        if let max = limits.max { u64(max) }
        if let pageSizeLog2 { u32(pageSizeLog2) }
    }

    /// A memory type: its limits, with a custom page size only when it is not the default.
    mutating func memoryType(_ type: MemoryType) {
        limits(type.limits, pageSizeLog2: type.pageSizeLog2 == 16 ? nil : type.pageSizeLog2)
    }
}
