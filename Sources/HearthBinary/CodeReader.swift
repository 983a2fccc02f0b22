/// Reads the instructions of a function body or constant expression, one at a time, straight
/// from the module's bytes.
///
/// It checks only the encoding (opcodes, immediates, LEB128 forms, reserved zero bytes); whether
/// the instructions make sense (types, indices, `data.drop` without a data count section) is the
/// validator's business. Reading past `range` throws "unexpected end of section or function".
public struct CodeReader {
    var reader: ByteReader
    let features: FeatureSet

    /// Reads the instructions in `range` of `bytes` (the whole module binary), accepting only the
    /// opcodes `features` turns on.
    public init(bytes: [UInt8], range: Range<Int>, features: FeatureSet = .default) {
        reader = ByteReader(bytes: bytes, position: range.lowerBound, limit: range.upperBound)
        self.features = features
    }

    /// Absolute offset (in the module) of the next instruction.
    public var offset: Int { reader.position }
    /// Whether every byte of the range has been read.
    public var isAtEnd: Bool { reader.isAtEnd }

    /// Decodes the next instruction and its immediates. Throws a `HearthError` (`decode`) for an illegal or
    /// turned-off opcode, a malformed immediate, or an instruction running past the range.
    public mutating func read() throws(HearthError) -> Instruction {
        let at = reader.position
        let opcode = try reader.byte()
        switch opcode {
        case 0x00: return .unreachable
        case 0x01: return .nop
        case 0x02: return .block(try reader.blockType(features: features))
        case 0x03: return .loop(try reader.blockType(features: features))
        case 0x04: return .if(try reader.blockType(features: features))
        case 0x05: return .else
        case 0x0B: return .end
        case 0x0C: return .br(try reader.u32())
        case 0x0D: return .brIf(try reader.u32())
        case 0x0E: return .brTable(try branchTable())
        case 0x0F: return .return
        case 0x10: return .call(try reader.u32())
        case 0x11:
            let type = try reader.u32()
            return .callIndirect(typeIndex: type, table: try reader.u32())
        case 0x12 where features.version == .wasm3: return .returnCall(try reader.u32())
        case 0x13 where features.version == .wasm3:
            let type = try reader.u32()
            return .returnCallIndirect(typeIndex: type, table: try reader.u32())
        case 0x1A: return .drop
        case 0x1B: return .select
        case 0x1C:
            let count = try reader.count()
            var types: [ValueType] = []
            types.reserveCapacity(reader.reservation(for: count))
            for _ in 0..<count { types.append(try reader.valueType(features: features)) }
            return .typedSelect(types)
        case 0x20: return .localGet(try reader.u32())
        case 0x21: return .localSet(try reader.u32())
        case 0x22: return .localTee(try reader.u32())
        case 0x23: return .globalGet(try reader.u32())
        case 0x24: return .globalSet(try reader.u32())
        case 0x25: return .tableGet(try reader.u32())
        case 0x26: return .tableSet(try reader.u32())
        case 0x28...0x35:
            return .load(MemoryOperator(rawValue: opcode)!, try memoryArgument())
        case 0x36...0x3E:
            return .store(MemoryOperator(rawValue: opcode)!, try memoryArgument())
        case 0x3F: return .memorySize(try memoryIndex())
        case 0x40: return .memoryGrow(try memoryIndex())
        case 0x41: return .i32Const(try reader.s32())
        case 0x42: return .i64Const(try reader.s64())
        case 0x43: return .f32Const(try reader.fixed32())
        case 0x44: return .f64Const(try reader.fixed64())
        case 0x45...0xC4: return .numeric(NumericOperator(rawValue: UInt16(opcode))!)
        case 0xD0: return .refNull(try reader.heapType(features: features))
        case 0xD1: return .refIsNull
        case 0xD2: return .refFunc(try reader.u32())
        case 0xD3 where features.version == .wasm3: return .refEq
        case 0xD4 where features.version == .wasm3: return .refAsNonNull
        case 0xD5 where features.version == .wasm3: return .brOnNull(try reader.u32())
        case 0xD6 where features.version == .wasm3: return .brOnNonNull(try reader.u32())
        case 0x14 where features.version == .wasm3: return .callRef(try reader.u32())
        case 0x15 where features.version == .wasm3: return .returnCallRef(try reader.u32())
        case 0xFC: return try prefixedFC(at: at)
        case 0xFD:
            guard features.simd else {
                throw HearthError.decoding("unsupported: SIMD instructions (0xFD prefix)", at: at)
            }
            return .simd(try prefixedFD(at: at))
        case 0xFB where features.version == .wasm3: return .gc(try prefixedFB(at: at))
        case 0xFE where features.version == .wasm3: return .atomic(try prefixedFE(at: at))
        default:
            if let exception = try exceptionInstruction(opcode) { return .exception(exception) }
            if features.version != .wasm3, let feature = Self.wasm3Feature(of: opcode) {
                throw HearthError.turnedOff("illegal opcode \(hex(opcode))", feature, at: at)
            }
            throw HearthError.decoding("illegal opcode \(hex(opcode))", at: at)
        }
    }

    /// The 3.0 feature an opcode that 2.0 does not have belongs to, if any.
    private static func wasm3Feature(of opcode: UInt8) -> String? {
        switch opcode {
        case 0x12, 0x13: return "tail calls"
        case 0x14, 0x15, 0xD3, 0xD4, 0xD5, 0xD6: return "typed function references"
        case 0xFB: return "garbage collection"
        case 0xFE: return "threads (atomics)"
        case 0x06...0x0A, 0x18, 0x19, 0x1F: return "exception handling"
        default: return nil
        }
    }

    private mutating func branchTable() throws(HearthError) -> BranchTable {
        let count = try reader.count()
        var targets: [UInt32] = []
        targets.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count { targets.append(try reader.u32()) }
        return BranchTable(targets: targets, defaultTarget: try reader.u32())
    }

    /// `memarg`: alignment flags then offset. In 2.0 the flags are a plain exponent below 32;
    /// with multi-memory (3.0) bit 6 announces an explicit memory index.
    fileprivate mutating func memoryArgument() throws(HearthError) -> MemoryArgument {
        let at = reader.position
        var flags = try reader.u32()
        var memory: UInt32 = 0
        if features.version == .wasm3 {
            guard flags < 0x80 else { throw HearthError.decoding("malformed memop flags", at: at) }
            if flags & 0x40 != 0 {
                flags &= ~0x40
                memory = try reader.u32()
            }
        } else {
            guard flags < 32 else { throw HearthError.decoding("malformed memop flags", at: at) }
        }
        let offset = features.version == .wasm3 ? try reader.u64() : UInt64(try reader.u32())
        return MemoryArgument(alignLog2: flags, offset: offset, memory: memory)
    }

    /// The memory index after `memory.*` instructions: a single zero byte in 2.0 (not a LEB128:
    /// `0x80 0x00` is "zero byte expected"), any index with multi-memory.
    private mutating func memoryIndex() throws(HearthError) -> UInt32 {
        if features.version == .wasm3 { return try reader.u32() }
        let at = reader.position
        guard try reader.byte() == 0 else { throw HearthError.decoding("zero byte expected", at: at) }
        return 0
    }

    private mutating func prefixedFC(at: Int) throws(HearthError) -> Instruction {
        let sub = try reader.u32()
        switch sub {
        case 0...7: return .numeric(NumericOperator(rawValue: 0xFC00 | UInt16(sub))!)
        case 8:
            let data = try reader.u32()
            return .memoryInit(data: data, memory: try memoryIndex())
        case 9: return .dataDrop(try reader.u32())
        case 10:
            let destination = try memoryIndex()
            return .memoryCopy(destination: destination, source: try memoryIndex())
        case 11: return .memoryFill(try memoryIndex())
        case 12:
            let element = try reader.u32()
            return .tableInit(element: element, table: try reader.u32())
        case 13: return .elemDrop(try reader.u32())
        case 14:
            let destination = try reader.u32()
            return .tableCopy(destination: destination, source: try reader.u32())
        case 15: return .tableGrow(try reader.u32())
        case 16: return .tableSize(try reader.u32())
        case 17: return .tableFill(try reader.u32())
        case 19...22 where features.version == .wasm3:
            return .wideArithmetic(WideArithmeticOperator(rawValue: UInt8(sub))!)
        default: throw HearthError.decoding("illegal opcode 0xfc \(sub)", at: at)
        }
    }
}

extension CodeReader {
    /// A 0xFD-prefixed instruction: the u32 sub-opcode, then the immediates of its form.
    private mutating func prefixedFD(at: Int) throws(HearthError) -> SIMDInstruction {
        let sub = try reader.u32()
        guard let op = SIMDOperator(rawValue: sub), !op.isRelaxed || features.version == .wasm3 else {
            throw HearthError.decoding("illegal opcode 0xfd \(sub)", at: at)
        }
        switch op.form {
        case .plain: return .plain(op)
        case .memory: return .memory(op, try memoryArgument())
        case .memoryLane:
            let argument = try memoryArgument()
            return .memoryLane(op, argument, lane: try reader.byte())
        case .lane: return .lane(op, lane: try reader.byte())
        case .constant: return .constant(try v128Bits())
        case .shuffle: return .shuffle(try v128Bits())
        }
    }

    /// A 0xFE-prefixed (threads) instruction: the u32 sub-opcode, then a memory argument, or
    /// for `atomic.fence` a reserved zero byte.
    private mutating func prefixedFE(at: Int) throws(HearthError) -> AtomicInstruction {
        let sub = try reader.u32()
        if sub == 0x03 {
            let flags = reader.position
            guard try reader.byte() == 0 else { throw HearthError.decoding("zero byte expected", at: flags) }
            return .fence
        }
        guard let op = AtomicOperator(rawValue: sub) else { throw HearthError.decoding("illegal opcode 0xfe \(sub)", at: at) }
        return .access(op, try memoryArgument())
    }

    private mutating func v128Bits() throws(HearthError) -> V128Bits {
        let low = try reader.fixed64()
        return V128Bits(low: low, high: try reader.fixed64())
    }
}

func hex(_ byte: UInt8) -> String {
    let s = String(byte, radix: 16)
    return s.count == 1 ? "0" + s : s
}
