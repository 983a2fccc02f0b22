import HearthBinary

/// Array-indexing superinstructions: `base + (index << shift)` folded into the access.
/// C code indexes arrays as `i32.load (i32.add base (i32.shl i k))`; these forms do the
/// address arithmetic (wrapping in 32 bits, as the separate `i32.add` would) and the access
/// in one dispatch. Loads are `[handler, dst, base, index, shift, offset, memoryCell]`,
/// stores `[handler, base, index, shift, value, offset, memoryCell]`; a plain `i32.add`
/// address uses shift 0. f32/f64 accesses use the i32/i64 forms (slots hold raw bits).

/// `[handler, dst, base, index, shift]`: `base + (index << shift)`, the address arithmetic
/// on its own when the access does not follow directly.
func h_i32AddShl(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), a &+ (b &<< UInt32(truncatingIfNeeded: pc[4])))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

/// The effective address of an indexed access, computed as the unfused instructions would.
@inline(__always)
fileprivate func indexedAddress(_ pc: PC, _ fp: FP) -> Int {
    let address = readI32(fp, imm(pc, 2)) &+ (readI32(fp, imm(pc, 3)) &<< UInt32(truncatingIfNeeded: pc[4]))
    return Int(address) &+ imm(pc, 5)
}

func h_i32LoadIndexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = indexedAddress(pc, fp)
    if _slowPath(ea &+ 4 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt32.self)
    writeI32(fp, imm(pc, 1), v)
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

func h_i64LoadIndexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = indexedAddress(pc, fp)
    if _slowPath(ea &+ 8 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt64.self)
    writeI64(fp, imm(pc, 1), v)
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

func h_i32Load8SIndexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = indexedAddress(pc, fp)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: Int8.self)
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(v)))
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

func h_i32Load8UIndexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = indexedAddress(pc, fp)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt8.self)
    writeI32(fp, imm(pc, 1), UInt32(v))
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

func h_i32Load16SIndexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = indexedAddress(pc, fp)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: Int16.self)
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(v)))
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

func h_i32Load16UIndexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = indexedAddress(pc, fp)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt16.self)
    writeI32(fp, imm(pc, 1), UInt32(v))
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

func h_i32StoreIndexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 1)) &+ (readI32(fp, imm(pc, 2)) &<< UInt32(truncatingIfNeeded: pc[3]))) &+ imm(pc, 5)
    if _slowPath(ea &+ 4 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: readI32(fp, imm(pc, 4)), toByteOffset: ea, as: UInt32.self)
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

func h_i64StoreIndexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 1)) &+ (readI32(fp, imm(pc, 2)) &<< UInt32(truncatingIfNeeded: pc[3]))) &+ imm(pc, 5)
    if _slowPath(ea &+ 8 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: readI64(fp, imm(pc, 4)), toByteOffset: ea, as: UInt64.self)
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

func h_i32Store8Indexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 1)) &+ (readI32(fp, imm(pc, 2)) &<< UInt32(truncatingIfNeeded: pc[3]))) &+ imm(pc, 5)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: UInt8(truncatingIfNeeded: fp[imm(pc, 4)]), toByteOffset: ea, as: UInt8.self)
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

func h_i32Store16Indexed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 1)) &+ (readI32(fp, imm(pc, 2)) &<< UInt32(truncatingIfNeeded: pc[3]))) &+ imm(pc, 5)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: UInt16(truncatingIfNeeded: fp[imm(pc, 4)]), toByteOffset: ea, as: UInt16.self)
    return dispatch(pc + 7, fp, m, ms, st, acc)
}

/// The indexed form of a load or store, if it has one.
func indexedMemoryHandler(_ op: MemoryOperator) -> Handler? {
    switch op {
    case .i32Load, .f32Load: return h_i32LoadIndexed
    case .i64Load, .f64Load: return h_i64LoadIndexed
    case .i32Load8S: return h_i32Load8SIndexed
    case .i32Load8U: return h_i32Load8UIndexed
    case .i32Load16S: return h_i32Load16SIndexed
    case .i32Load16U: return h_i32Load16UIndexed
    case .i32Store, .f32Store: return h_i32StoreIndexed
    case .i64Store, .f64Store: return h_i64StoreIndexed
    case .i32Store8: return h_i32Store8Indexed
    case .i32Store16: return h_i32Store16Indexed
    default: return nil
    }
}
