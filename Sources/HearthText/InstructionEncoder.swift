import HearthBinary

extension BinaryWriter {
    mutating func blockType(_ type: BlockType) {
        switch type {
        case .empty: byte(0x40)
        case .value(let t): valueType(t)
        case .typeIndex(let i): s64(Int64(i))
        }
    }

    mutating func memoryArgument(_ arg: MemoryArgument) {
        // Multi-memory: bit 6 of the alignment flags announces an explicit memory index.
        if arg.memory != 0 {
            u32(arg.alignLog2 | 0x40)
            u32(arg.memory)
        } else {
            u32(arg.alignLog2)
        }
        u64(arg.offset)
    }

    /// Appends one instruction in the binary format.
    mutating func instruction(_ instruction: Instruction) {
        switch instruction {
        case .unreachable: byte(0x00)
        case .nop: byte(0x01)
        case .block(let t): byte(0x02); blockType(t)
        case .loop(let t): byte(0x03); blockType(t)
        case .if(let t): byte(0x04); blockType(t)
        case .else: byte(0x05)
        case .end: byte(0x0B)
        case .br(let l): byte(0x0C); u32(l)
        case .brIf(let l): byte(0x0D); u32(l)
        case .brTable(let table):
            byte(0x0E)
            u32(UInt32(table.targets.count))
            for t in table.targets { u32(t) }
            u32(table.defaultTarget)
        case .return: byte(0x0F)
        case .call(let f): byte(0x10); u32(f)
        case .callIndirect(let type, let table): byte(0x11); u32(type); u32(table)
        case .returnCall(let f): byte(0x12); u32(f)
        case .returnCallIndirect(let type, let table): byte(0x13); u32(type); u32(table)
        case .callRef(let t): byte(0x14); u32(t)
        case .returnCallRef(let t): byte(0x15); u32(t)
        case .brOnNull(let l): byte(0xD5); u32(l)
        case .brOnNonNull(let l): byte(0xD6); u32(l)
        case .refAsNonNull: byte(0xD4)
        case .drop: byte(0x1A)
        case .select: byte(0x1B)
        case .typedSelect(let types):
            byte(0x1C)
            u32(UInt32(types.count))
            for t in types { valueType(t) }
        case .localGet(let i): byte(0x20); u32(i)
        case .localSet(let i): byte(0x21); u32(i)
        case .localTee(let i): byte(0x22); u32(i)
        case .globalGet(let i): byte(0x23); u32(i)
        case .globalSet(let i): byte(0x24); u32(i)
        case .tableGet(let t): byte(0x25); u32(t)
        case .tableSet(let t): byte(0x26); u32(t)
        case .tableInit(let e, let t): prefixed(12); u32(e); u32(t)
        case .elemDrop(let e): prefixed(13); u32(e)
        case .tableCopy(let d, let s): prefixed(14); u32(d); u32(s)
        case .tableGrow(let t): prefixed(15); u32(t)
        case .tableSize(let t): prefixed(16); u32(t)
        case .tableFill(let t): prefixed(17); u32(t)
        case .load(let op, let arg), .store(let op, let arg): byte(op.rawValue); memoryArgument(arg)
        case .memorySize(let m): byte(0x3F); u32(m)
        case .memoryGrow(let m): byte(0x40); u32(m)
        case .memoryInit(let d, let m): prefixed(8); u32(d); u32(m)
        case .dataDrop(let d): prefixed(9); u32(d)
        case .memoryCopy(let d, let s): prefixed(10); u32(d); u32(s)
        case .memoryFill(let m): prefixed(11); u32(m)
        case .i32Const(let v): byte(0x41); s32(v)
        case .i64Const(let v): byte(0x42); s64(v)
        case .f32Const(let bits): byte(0x43); fixed32(bits)
        case .f64Const(let bits): byte(0x44); fixed64(bits)
        case .numeric(let op):
            if op.rawValue > 0xFF {
                prefixed(UInt32(op.rawValue & 0xFF))
            } else {
                byte(UInt8(op.rawValue))
            }
        case .refNull(let h): byte(0xD0); heapType(h)
        case .refIsNull: byte(0xD1)
        case .refFunc(let f): byte(0xD2); u32(f)
        case .simd(let simd): simdInstruction(simd)
        case .atomic(let atomic): atomicInstruction(atomic)
        case .gc(let gc): gcInstruction(gc)
        case .refEq: byte(0xD3)
        case .wideArithmetic(let op): prefixed(UInt32(op.rawValue))
        case .exception(let exception): exceptionInstruction(exception)
        }
    }

    /// A 0xFD-prefixed (vector) instruction: sub-opcode, then the immediates of its form.
    private mutating func simdInstruction(_ simd: SIMDInstruction) {
        byte(0xFD)
        u32(simd.op.rawValue)
        switch simd {
        case .plain: break
        case .memory(_, let arg): memoryArgument(arg)
        case .memoryLane(_, let arg, let lane): memoryArgument(arg); byte(lane)
        case .lane(_, let lane): byte(lane)
        case .constant(let bits), .shuffle(let bits): fixed64(bits.low); fixed64(bits.high)
        }
    }

    /// A 0xFC-prefixed instruction.
    private mutating func prefixed(_ code: UInt32) {
        byte(0xFC)
        u32(code)
    }
}
