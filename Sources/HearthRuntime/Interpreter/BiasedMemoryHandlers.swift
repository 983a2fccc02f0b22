import HearthBinary

/// Field-access superinstructions: `base + constant` folded into the access. C code reaches
/// struct fields below a pointer as `i32.load (i32.add p (i32.const -32))` (a load's offset
/// immediate cannot be negative); these forms add in 32 bits, wrapping as the separate
/// `i32.add` would, then add the offset in 64 bits and check the bounds once. Loads are
/// `[handler, dst, base, constant, offset]`, stores `[handler, base, constant, value, offset]`.
/// f32/f64 accesses use the i32/i64 forms (slots hold raw bits).

/// The effective address of a biased access, computed as the unfused instructions would.
@inline(__always)
fileprivate func biasedAddress(_ pc: PC, _ fp: FP, base: Int) -> Int {
    Int(readI32(fp, imm(pc, base)) &+ UInt32(truncatingIfNeeded: pc[base + 1])) &+ imm(pc, 4)
}

func h_i32LoadBiased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 2)
    if _slowPath(ea &+ 4 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt32.self)
    writeI32(fp, imm(pc, 1), v)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i64LoadBiased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 2)
    if _slowPath(ea &+ 8 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt64.self)
    writeI64(fp, imm(pc, 1), v)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Load8SBiased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 2)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: Int8.self)
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(v)))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Load8UBiased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 2)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt8.self)
    writeI32(fp, imm(pc, 1), UInt32(v))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Load16SBiased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 2)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: Int16.self)
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(v)))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Load16UBiased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 2)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt16.self)
    writeI32(fp, imm(pc, 1), UInt32(v))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32StoreBiased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 1)
    if _slowPath(ea &+ 4 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: readI32(fp, imm(pc, 3)), toByteOffset: ea, as: UInt32.self)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i64StoreBiased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 1)
    if _slowPath(ea &+ 8 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: readI64(fp, imm(pc, 3)), toByteOffset: ea, as: UInt64.self)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Store8Biased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 1)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: UInt8(truncatingIfNeeded: fp[imm(pc, 3)]), toByteOffset: ea, as: UInt8.self)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Store16Biased(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = biasedAddress(pc, fp, base: 1)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: UInt16(truncatingIfNeeded: fp[imm(pc, 3)]), toByteOffset: ea, as: UInt16.self)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

/// The biased form of a load or store, if it has one (the same operators as the indexed forms).
func biasedMemoryHandler(_ op: MemoryOperator) -> Handler? {
    switch op {
    case .i32Load, .f32Load, .i64Load32U: return h_i32LoadBiased
    case .i64Load, .f64Load: return h_i64LoadBiased
    case .i32Load8S: return h_i32Load8SBiased
    case .i32Load8U, .i64Load8U: return h_i32Load8UBiased
    case .i32Load16S: return h_i32Load16SBiased
    case .i32Load16U, .i64Load16U: return h_i32Load16UBiased
    case .i32Store, .f32Store, .i64Store32: return h_i32StoreBiased
    case .i64Store, .f64Store: return h_i64StoreBiased
    case .i32Store8, .i64Store8: return h_i32Store8Biased
    case .i32Store16, .i64Store16: return h_i32Store16Biased
    default: return nil
    }
}
