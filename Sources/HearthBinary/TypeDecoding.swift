/// Decoding of the binary format's types (spec 5.3): value, reference, block, function, limits,
/// table, memory and global types.
extension ByteReader {
    mutating func valueType(features: FeatureSet) throws(HearthError) -> ValueType {
        let at = position
        let b = try byte()
        if let t = try valueType(byte: b, at: at, features: features) { return t }
        throw HearthError.decoding("malformed value type", at: at)
    }

    /// The value type starting with byte `b` (already read), reading the heap type that follows
    /// `ref`/`ref null`; nil when `b` starts no value type.
    @inline(__always)
    mutating func valueType(byte b: UInt8, at: Int, features: FeatureSet) throws(HearthError) -> ValueType? {
        switch b {
        case 0x7F: return .i32
        case 0x7E: return .i64
        case 0x7D: return .f32
        case 0x7C: return .f64
        case 0x70: return .funcref
        case 0x6F: return .externref
        case 0x7B:
            guard features.simd else { throw HearthError.decoding("unsupported: SIMD type v128", at: at) }
            return .v128
        default:
            guard features.version == .wasm3, let r = try referenceType(byte: b, at: at) else { return nil }
            return .ref(r)
        }
    }

    /// A 3.0 reference type starting with `b`: `ref ht` (0x64), `ref null ht` (0x63) or a
    /// nullable shorthand (`anyref` ...); nil when `b` starts none.
    private mutating func referenceType(byte b: UInt8, at: Int) throws(HearthError) -> ReferenceType? {
        switch b {
        case 0x63: return ReferenceType(isNullable: true, heapType: try heapType(features: .wasm3))
        case 0x64: return ReferenceType(isNullable: false, heapType: try heapType(features: .wasm3))
        default:
            guard let h = HeapType(abstractCode: b) else { return nil }
            return ReferenceType(isNullable: true, heapType: h)
        }
    }

    mutating func referenceType(features: FeatureSet) throws(HearthError) -> ReferenceType {
        let at = position
        let b = try byte()
        switch b {
        case 0x70: return .funcref
        case 0x6F: return .externref
        default:
            if features.version == .wasm3, let r = try referenceType(byte: b, at: at) { return r }
            throw HearthError.decoding("malformed reference type", at: at)
        }
    }

    /// A heap type: an abstract one (one byte) or, in 3.0, a type index as a positive s33.
    mutating func heapType(features: FeatureSet) throws(HearthError) -> HeapType {
        let at = position
        let b = try byte()
        if b == 0x70 { return .function }
        if b == 0x6F { return .extern }
        guard features.version == .wasm3 else {
            throw HearthError.turnedOff("malformed reference type", "typed references or garbage collection", at: at)
        }
        if let h = HeapType(abstractCode: b) { return h }
        position = at
        let index = try signed(bits: 33)
        guard index >= 0 else { throw HearthError.decoding("malformed heap type", at: at) }
        guard index <= Int64(UInt32.max) else { throw HearthError.decoding("integer too large", at: at) }
        return .concrete(UInt32(index))
    }

    mutating func blockType(features: FeatureSet) throws(HearthError) -> BlockType {
        let at = position
        let b = try byte()
        if b == 0x40 { return .empty }
        if let t = try valueType(byte: b, at: at, features: features) { return .value(t) }
        // Otherwise a type index, encoded as a positive signed 33-bit integer so that it cannot
        // collide with the one-byte forms above (which are negative as s33).
        position = at
        let index = try signed(bits: 33)
        guard index >= 0 else { throw HearthError.decoding("malformed value type", at: at) }
        guard index <= Int64(UInt32.max) else { throw HearthError.decoding("integer too large", at: at) }
        return .typeIndex(UInt32(index))
    }

    /// One entry of a recursion group (3.0): `sub`/`sub final` with supertypes, or a bare
    /// composite type (final, no supertype).
    mutating func subType(features: FeatureSet, limits: ModuleLimits = .default) throws(HearthError) -> SubType {
        let at = position
        let b = try byte()
        guard features.version == .wasm3, b == 0x50 || b == 0x4F else {
            position = at
            return SubType(composite: try compositeType(features: features, limits: limits))
        }
        var supertypes: [UInt32] = []
        let count = try count()
        for _ in 0..<count { supertypes.append(try u32()) }
        return SubType(isFinal: b == 0x4F, supertypes: supertypes, composite: try compositeType(features: features, limits: limits))
    }

    private mutating func compositeType(features: FeatureSet, limits: ModuleLimits) throws(HearthError) -> CompositeType {
        let at = position
        let form = try byte()
        guard form & 0x80 == 0 else { throw HearthError.decoding("integer representation too long", at: at) }
        switch form {
        case 0x60:
            position = at
            return .function(try functionType(features: features, limits: limits))
        case 0x5F where features.version == .wasm3:
            var fields: [FieldType] = []
            let countAt = position
            let count = try count()
            guard count <= limits.structFields else {
                throw ModuleLimits.exceeded("struct fields", count, limits.structFields, at: countAt)
            }
            fields.reserveCapacity(reservation(for: count))
            for _ in 0..<count { fields.append(try fieldType(features: features)) }
            return .structure(fields)
        case 0x5E where features.version == .wasm3:
            return .array(try fieldType(features: features))
        case 0x5F, 0x5E, 0x50, 0x4F, 0x4E:
            guard features.version != .wasm3 else { throw HearthError.decoding("malformed composite type", at: at) }
            // Structs, arrays, subtypes and recursion groups under 2.0 rules. (Under 3.0 the
            // last three reach here only nested where a composite type belongs: malformed.)
            throw HearthError.turnedOff("malformed function type", "garbage collection", at: at)
        default:
            throw HearthError.decoding(features.version == .wasm3 ? "malformed composite type" : "malformed function type", at: at)
        }
    }

    private mutating func fieldType(features: FeatureSet) throws(HearthError) -> FieldType {
        let at = position
        let storage: StorageType
        switch try byte() {
        case 0x78: storage = .i8
        case 0x77: storage = .i16
        default:
            position = at
            storage = .value(try valueType(features: features))
        }
        let mutabilityAt = position
        switch try byte() {
        case 0: return FieldType(storage: storage, isMutable: false)
        case 1: return FieldType(storage: storage, isMutable: true)
        default: throw HearthError.decoding("malformed mutability", at: mutabilityAt)
        }
    }

    mutating func functionType(features: FeatureSet, limits: ModuleLimits = .default) throws(HearthError) -> FunctionType {
        let at = position
        // The form byte is an s7 LEB128 in the spec's grammar, hence the two messages.
        let form = try byte()
        guard form & 0x80 == 0 else { throw HearthError.decoding("integer representation too long", at: at) }
        guard form == 0x60 else { throw HearthError.decoding("malformed function type", at: at) }
        var parameters: [ValueType] = []
        let countAt = position
        let parameterCount = try count()
        guard parameterCount <= limits.functionParameters else {
            throw ModuleLimits.exceeded("parameters", parameterCount, limits.functionParameters, at: countAt)
        }
        parameters.reserveCapacity(reservation(for: parameterCount))
        for _ in 0..<parameterCount { parameters.append(try valueType(features: features)) }
        var results: [ValueType] = []
        let resultsAt = position
        let resultCount = try count()
        guard resultCount <= limits.functionResults else {
            throw ModuleLimits.exceeded("results", resultCount, limits.functionResults, at: resultsAt)
        }
        results.reserveCapacity(reservation(for: resultCount))
        for _ in 0..<resultCount { results.append(try valueType(features: features)) }
        return FunctionType(parameters: parameters, results: results)
    }

    /// Limits; `memory` selects which flag bits are meaningful. In 2.0 the flag is a one-bit
    /// LEB128 (so `0x81 0x00` is "integer representation too long", as the testsuite expects);
    /// 3.0 reads it as one byte with the 64-bit index flag (bit 2), any other bit malformed.
    mutating func limits(memory: Bool, features: FeatureSet) throws(HearthError) -> Limits {
        try limitsAndPageSize(memory: memory, features: features).limits
    }

    /// Limits, and for a 3.0 memory with flag bit 3 the custom page size's log2 after them.
    mutating func limitsAndPageSize(memory: Bool, features: FeatureSet) throws(HearthError) -> (limits: Limits, pageSizeLog2: UInt32?) {
        let at = position
        let flags: UInt64
        if features.version == .wasm3 {
            flags = UInt64(try byte())
            // Bit 3 announces a custom page size (memories, with that proposal only).
            let allowed: UInt64 = memory && features.customPageSizes ? 0b1111 : 0b111
            guard flags & ~allowed == 0 else { throw HearthError.decoding("malformed limits flags", at: at) }
            // Bit 1 is `shared` (threads): memories only, tables cannot be shared.
            if flags & 0b010 != 0 && !memory {
                throw HearthError.decoding("unsupported: shared table (threads)", at: at)
            }
        } else {
            flags = try unsigned(bits: 1)
        }
        let is64 = flags & 0b100 != 0
        if is64 && !features.memory64 { throw HearthError.decoding("unsupported: 64-bit \(memory ? "memory" : "table") (memory64 is off)", at: at) }
        // 3.0 reads both bounds as u64 (a longer one is "integer too large"); whether a 32-bit
        // memory or table can hold them is validation's business.
        let wide = is64 || features.version == .wasm3
        let min = try bound(wide: wide)
        var max: UInt64?
        if flags & 1 != 0 { max = try bound(wide: wide) }
        var pageSizeLog2: UInt32?
        if flags & 0b1000 != 0 {
            let pageAt = position
            let log2 = try u32()
            // A page size that does not fit 64 bits is malformed; others are validation's.
            guard log2 <= 64 else { throw HearthError.decoding("invalid custom page size", at: pageAt) }
            pageSizeLog2 = log2
        }
        return (Limits(min: min, max: max, is64: is64, isShared: flags & 0b010 != 0), pageSizeLog2)
    }

    /// A bound: u32 in 2.0, u64 in 3.0 whatever the address type (validation then rejects a
    /// 32-bit memory or table too large for it, "memory size").
    private mutating func bound(wide: Bool) throws(HearthError) -> UInt64 {
        wide ? try u64() : UInt64(try u32())
    }

    mutating func tableType(features: FeatureSet) throws(HearthError) -> TableType {
        let element = try referenceType(features: features)
        return TableType(elementType: element, limits: try limits(memory: false, features: features))
    }

    mutating func memoryType(features: FeatureSet) throws(HearthError) -> MemoryType {
        let (limits, pageSizeLog2) = try limitsAndPageSize(memory: true, features: features)
        return MemoryType(limits: limits, pageSizeLog2: pageSizeLog2 ?? 16)
    }

    mutating func globalType(features: FeatureSet) throws(HearthError) -> GlobalType {
        let type = try valueType(features: features)
        let at = position
        switch try byte() {
        case 0: return GlobalType(valueType: type, isMutable: false)
        case 1: return GlobalType(valueType: type, isMutable: true)
        default: throw HearthError.decoding("malformed mutability", at: at)
        }
    }
}
