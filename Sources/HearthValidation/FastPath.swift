import HearthBinary

/// The validator's fast path: the common instructions read straight from the module's bytes,
/// without building an `Instruction` through a cross-module `CodeReader.read()` call.
///
/// It accepts only encodings it checks completely. Whenever an immediate is out of its reach
/// (a block type given by index, a 3.0 memory argument, a prefix it does not know) or the
/// bytes are malformed or run out, it returns nil *before changing any state*, and the
/// instruction is decoded by `CodeReader`, which reports the decoder's exact error. The typing
/// rules themselves are the methods the general path uses (InstructionTyping.swift).
extension FunctionValidator {
    /// Validates the instruction at `start` if it is a common one in a plain encoding; returns
    /// the offset after it, or nil to have it decoded the general way.
    @inline(__always)
    mutating func fastInstruction(_ bytes: UnsafePointer<UInt8>, at start: Int, end: Int) throws(HearthError) -> Int? {
        guard start < end else { return nil }
        let opcode = bytes[start]
        var p = start + 1
        // The two big ranges first: a `switch` with range patterns compiles to a chain of
        // comparisons, one with only single values to a jump table.
        if opcode >= 0x45 && opcode <= 0xC4 {
            try numeric(numericSignatures[opcode: opcode])
            return p
        }
        if opcode >= 0x28 && opcode <= 0x3E {
            // 2.0 encodings only: alignment exponent below 32, 32-bit offset, memory 0.
            guard !isWasm3, let alignLog2 = FastLEB.u32(bytes, &p, end), alignLog2 < 32,
                  FastLEB.u32(bytes, &p, end) != nil else { return nil }
            if opcode >= MemoryOperator.i32Store.rawValue {
                try store(memoryAccessTypes[opcode: opcode], alignLog2: alignLog2, memory: 0)
            } else {
                try load(memoryAccessTypes[opcode: opcode], alignLog2: alignLog2, memory: 0)
            }
            return p
        }
        switch opcode {
        // Control
        case 0x00: markUnreachable()
        case 0x01: break
        case 0x02, 0x03, 0x04:
            // The one-byte block types that need no feature check: empty and the numeric and
            // reference value types (v128 is left to the decoder, which knows about SIMD).
            guard p < end else { return nil }
            let result: OperandType?
            switch bytes[p] {
            case 0x40: result = nil
            case 0x7F: result = .i32
            case 0x7E: result = .i64
            case 0x7D: result = .f32
            case 0x7C: result = .f64
            case 0x70: result = .funcref
            case 0x6F: result = .externref
            default: return nil
            }
            p += 1
            switch opcode {
            case 0x02: pushControl(.block, result: result)
            case 0x03: pushControl(.loop, result: result)
            default:
                try pop(.i32)
                pushControl(.if, result: result)
            }
        case 0x05: try elseRule()
        case 0x0B: try endRule()
        case 0x0C:
            guard let depth = FastLEB.u32(bytes, &p, end) else { return nil }
            try br(depth)
        case 0x0D:
            guard let depth = FastLEB.u32(bytes, &p, end) else { return nil }
            try brIf(depth)
        case 0x0E:
            guard let count = FastLEB.u32(bytes, &p, end) else { return nil }
            // Read every target once to find the default (and to know the bytes are sound),
            // then type them in a second pass.
            let targets = p
            for _ in 0..<count {
                guard FastLEB.u32(bytes, &p, end) != nil else { return nil }
            }
            guard let defaultTarget = FastLEB.u32(bytes, &p, end) else { return nil }
            let defaultTypes = try branchTableStart(defaultTarget: defaultTarget)
            var q = targets
            for _ in 0..<count {
                try branchTableTarget(FastLEB.u32(bytes, &q, end)!, arity: defaultTypes.count)
            }
            try branchTableFinish(defaultTypes)
        case 0x0F: try returnRule()
        case 0x10:
            guard let index = FastLEB.u32(bytes, &p, end) else { return nil }
            try call(index)
        case 0x11:
            guard let typeIndex = FastLEB.u32(bytes, &p, end),
                  let table = FastLEB.u32(bytes, &p, end) else { return nil }
            try callIndirect(typeIndex: typeIndex, table: table, tail: false)

        // Parametric
        case 0x1A: _ = try pop()
        case 0x1B: try select()

        // Variables
        case 0x20:
            guard let index = FastLEB.u32(bytes, &p, end) else { return nil }
            try localGet(index)
        case 0x21:
            guard let index = FastLEB.u32(bytes, &p, end) else { return nil }
            try localSet(index)
        case 0x22:
            guard let index = FastLEB.u32(bytes, &p, end) else { return nil }
            try localTee(index)
        case 0x23:
            guard let index = FastLEB.u32(bytes, &p, end) else { return nil }
            push(try global(index).type)
        case 0x24:
            guard let index = FastLEB.u32(bytes, &p, end) else { return nil }
            try globalSet(index)

        // Memory
        case 0x3F, 0x40:
            // 2.0: the memory index is a single zero byte, not a LEB128.
            guard !isWasm3, p < end, bytes[p] == 0 else { return nil }
            p += 1
            if opcode == 0x3F { push(try memoryAddressType(0)) } else { try memoryGrow(0) }

        // Constants
        case 0x41:
            guard FastLEB.skipSigned(bytes, &p, end, lastIndex: 4, lastMask: 0x78) else { return nil }
            push(.i32)
        case 0x42:
            guard FastLEB.skipSigned(bytes, &p, end, lastIndex: 9, lastMask: 0x7F) else { return nil }
            push(.i64)
        case 0x43:
            guard end - p >= 4 else { return nil }
            p += 4
            push(.f32)
        case 0x44:
            guard end - p >= 8 else { return nil }
            p += 8
            push(.f64)

        // Numeric
        case 0xFC:
            // Only the saturating truncations (0...7); bulk memory and tables go the general way.
            guard let sub = FastLEB.u32(bytes, &p, end), sub <= 7 else { return nil }
            try numeric(numericSignatures[prefixedFC: sub])

        // References
        case 0xD0:
            guard p < end, bytes[p] == 0x70 || bytes[p] == 0x6F else { return nil }
            push(bytes[p] == 0x70 ? .funcref : .externref)
            p += 1
        case 0xD1: try refIsNull()
        case 0xD2:
            guard let index = FastLEB.u32(bytes, &p, end) else { return nil }
            try refFunc(index)

        default: return nil
        }
        return p
    }
}

/// LEB128 readers for the fast path. They accept exactly the encodings `ByteReader` accepts
/// (any length up to the maximum, with the spec's limits on the last byte) and return nil,
/// leaving the position alone, for anything else, so the decoder reports the error.
enum FastLEB {
    /// An unsigned 32-bit LEB128 at `p`, ending before `end`.
    @inline(__always)
    static func u32(_ bytes: UnsafePointer<UInt8>, _ p: inout Int, _ end: Int) -> UInt32? {
        guard p < end else { return nil }
        let first = bytes[p]
        if first < 0x80 {
            p += 1
            return UInt32(first)
        }
        return u32Tail(bytes, &p, end)
    }

    static func u32Tail(_ bytes: UnsafePointer<UInt8>, _ p: inout Int, _ end: Int) -> UInt32? {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        var i = p
        while i < end {
            let b = bytes[i]
            if shift == 28 {
                // The fifth byte: no continuation, and only the 4 bits that fit may be set.
                guard b & 0xF0 == 0 else { return nil }
                p = i + 1
                return result | UInt32(b) << 28
            }
            result |= UInt32(b & 0x7F) << shift
            i += 1
            if b < 0x80 {
                p = i
                return result
            }
            shift += 7
        }
        return nil
    }

    /// Skips a signed LEB128 of at most `lastIndex + 1` bytes at `p`. The last allowed byte
    /// must not continue, and its bits in `lastMask` (those beyond the integer's width, plus
    /// its sign bit) must be all zero or all one: 0x78 for s32, 0x7F for s64.
    @inline(__always)
    static func skipSigned(_ bytes: UnsafePointer<UInt8>, _ p: inout Int, _ end: Int,
                           lastIndex: Int, lastMask: UInt8) -> Bool {
        var i = p
        var k = 0
        while i < end {
            let b = bytes[i]
            if k == lastIndex {
                let high = b & lastMask
                guard b < 0x80, high == 0 || high == lastMask else { return false }
                p = i + 1
                return true
            }
            i += 1
            if b < 0x80 {
                p = i
                return true
            }
            k += 1
        }
        return false
    }
}
