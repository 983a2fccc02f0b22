/// Decoding of the binary format's types (spec 5.3): value, reference, block, function, limits,
/// table, memory and global types.
extension ByteReader {
    mutating func valueType(features: FeatureSet) throws(DecodingError) -> ValueType {
        let at = position
        let b = try byte()
        if let t = try Self.valueType(byte: b, at: at, features: features) { return t }
        throw DecodingError("malformed value type", at: at)
    }

    /// The value type a single byte encodes, or nil when it encodes none.
    @inline(__always)
    static func valueType(byte b: UInt8, at: Int, features: FeatureSet) throws(DecodingError) -> ValueType? {
        switch b {
        case 0x7F: return .i32
        case 0x7E: return .i64
        case 0x7D: return .f32
        case 0x7C: return .f64
        case 0x70: return .funcref
        case 0x6F: return .externref
        case 0x7B:
            guard features.simd else { throw DecodingError("unsupported: SIMD type v128", at: at) }
            return .v128
        default: return nil
        }
    }

    mutating func referenceType() throws(DecodingError) -> ReferenceType {
        let at = position
        switch try byte() {
        case 0x70: return .funcref
        case 0x6F: return .externref
        default: throw DecodingError("malformed reference type", at: at)
        }
    }

    /// The heap type of `ref.null`: the same bytes as the reference types in Wasm 2.0.
    mutating func heapType() throws(DecodingError) -> HeapType {
        try referenceType().heapType
    }

    mutating func blockType(features: FeatureSet) throws(DecodingError) -> BlockType {
        let at = position
        let b = try byte()
        if b == 0x40 { return .empty }
        if let t = try Self.valueType(byte: b, at: at, features: features) { return .value(t) }
        // Otherwise a type index, encoded as a positive signed 33-bit integer so that it cannot
        // collide with the one-byte forms above (which are negative as s33).
        position = at
        let index = try signed(bits: 33)
        guard index >= 0 else { throw DecodingError("malformed value type", at: at) }
        guard index <= Int64(UInt32.max) else { throw DecodingError("integer too large", at: at) }
        return .typeIndex(UInt32(index))
    }

    mutating func functionType(features: FeatureSet) throws(DecodingError) -> FunctionType {
        let at = position
        // The form byte is an s7 LEB128 in the spec's grammar, hence the two messages.
        let form = try byte()
        guard form & 0x80 == 0 else { throw DecodingError("integer representation too long", at: at) }
        guard form == 0x60 else { throw DecodingError("malformed function type", at: at) }
        var parameters: [ValueType] = []
        let parameterCount = try count()
        parameters.reserveCapacity(reservation(for: parameterCount))
        for _ in 0..<parameterCount { parameters.append(try valueType(features: features)) }
        var results: [ValueType] = []
        let resultCount = try count()
        results.reserveCapacity(reservation(for: resultCount))
        for _ in 0..<resultCount { results.append(try valueType(features: features)) }
        return FunctionType(parameters: parameters, results: results)
    }

    /// Limits; `memory` selects which flag bits are meaningful. In 2.0 the flag is a one-bit
    /// LEB128 (so `0x81 0x00` is "integer representation too long", as the testsuite expects);
    /// 3.0 reads it as one byte with the 64-bit index flag (bit 2), any other bit malformed.
    mutating func limits(memory: Bool, features: FeatureSet) throws(DecodingError) -> Limits {
        let at = position
        let flags: UInt64
        if features.version == .wasm3 {
            flags = UInt64(try byte())
            guard flags & ~0b111 == 0 else { throw DecodingError("malformed limits flags", at: at) }
            // Bit 1 is `shared` (threads): memories only, tables cannot be shared.
            if flags & 0b010 != 0 && !memory {
                throw DecodingError("unsupported: shared table (threads)", at: at)
            }
        } else {
            flags = try unsigned(bits: 1)
        }
        let is64 = flags & 0b100 != 0
        // 3.0 reads both bounds as u64 and then checks a 32-bit type's range (the testsuite's
        // "integer too large" for a 10-byte bound).
        let wide = is64 || features.version == .wasm3
        let min = try bound(wide: wide, is64: is64)
        var max: UInt64?
        if flags & 1 != 0 { max = try bound(wide: wide, is64: is64) }
        return Limits(min: min, max: max, is64: is64, isShared: flags & 0b010 != 0)
    }

    private mutating func bound(wide: Bool, is64: Bool) throws(DecodingError) -> UInt64 {
        guard wide else { return UInt64(try u32()) }
        let at = position
        let value = try u64()
        guard is64 || value <= UInt64(UInt32.max) else { throw DecodingError("integer too large", at: at) }
        return value
    }

    mutating func tableType(features: FeatureSet) throws(DecodingError) -> TableType {
        let element = try referenceType()
        return TableType(elementType: element, limits: try limits(memory: false, features: features))
    }

    mutating func memoryType(features: FeatureSet) throws(DecodingError) -> MemoryType {
        MemoryType(limits: try limits(memory: true, features: features))
    }

    mutating func globalType(features: FeatureSet) throws(DecodingError) -> GlobalType {
        let type = try valueType(features: features)
        let at = position
        switch try byte() {
        case 0: return GlobalType(valueType: type, isMutable: false)
        case 1: return GlobalType(valueType: type, isMutable: true)
        default: throw DecodingError("malformed mutability", at: at)
        }
    }
}
