import HearthBinary

/// Loads `[handler, dst, addr, offset, memoryCell]` and stores `[handler, addr, value, offset,
/// memoryCell]`. The effective address is computed in 64 bits (a 32-bit address plus a 32-bit
/// offset cannot overflow), so a single unsigned compare against the size is the whole check.

func h_i32Load(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 2))) &+ imm(pc, 3)
    if _slowPath(ea &+ 4 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt32.self)
    writeI32(fp, imm(pc, 1), v)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i64Load(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 2))) &+ imm(pc, 3)
    if _slowPath(ea &+ 8 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt64.self)
    writeI64(fp, imm(pc, 1), v)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Load8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 2))) &+ imm(pc, 3)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: Int8.self)
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(v)))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Load8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 2))) &+ imm(pc, 3)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt8.self)
    writeI32(fp, imm(pc, 1), UInt32(v))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Load16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 2))) &+ imm(pc, 3)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: Int16.self)
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(v)))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Load16U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 2))) &+ imm(pc, 3)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: UInt16.self)
    writeI32(fp, imm(pc, 1), UInt32(v))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i64Load8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 2))) &+ imm(pc, 3)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: Int8.self)
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(v)))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i64Load16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 2))) &+ imm(pc, 3)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: Int16.self)
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(v)))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i64Load32S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 2))) &+ imm(pc, 3)
    if _slowPath(ea &+ 4 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    let v = m.loadUnaligned(fromByteOffset: ea, as: Int32.self)
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(v)))
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Store(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 1))) &+ imm(pc, 3)
    if _slowPath(ea &+ 4 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: UInt32(truncatingIfNeeded: fp[imm(pc, 2)]), toByteOffset: ea, as: UInt32.self)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i64Store(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 1))) &+ imm(pc, 3)
    if _slowPath(ea &+ 8 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: UInt64(truncatingIfNeeded: fp[imm(pc, 2)]), toByteOffset: ea, as: UInt64.self)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Store8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 1))) &+ imm(pc, 3)
    if _slowPath(ea &+ 1 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: UInt8(truncatingIfNeeded: fp[imm(pc, 2)]), toByteOffset: ea, as: UInt8.self)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

func h_i32Store16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let ea = Int(readI32(fp, imm(pc, 1))) &+ imm(pc, 3)
    if _slowPath(ea &+ 2 > ms) {
        return raise(st, .memoryOutOfBounds)
    }
    m.storeBytes(of: UInt16(truncatingIfNeeded: fp[imm(pc, 2)]), toByteOffset: ea, as: UInt16.self)
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

/// The handler of each load or store operator.
/// Accesses that move the same bytes share one handler: slots hold raw bits, so an f64 load is
/// an i64 load, and an i64 load8_u or store32 is its i32 twin. Identical handlers would otherwise
/// be merged by LLVM into one body behind a jump thunk, an extra jump on every access.
func memoryHandler(_ op: MemoryOperator) -> Handler {
    switch op {
    case .i32Load: return h_i32Load
    case .i64Load: return h_i64Load
    case .f32Load: return h_i32Load
    case .f64Load: return h_i64Load
    case .i32Load8S: return h_i32Load8S
    case .i32Load8U: return h_i32Load8U
    case .i32Load16S: return h_i32Load16S
    case .i32Load16U: return h_i32Load16U
    case .i64Load8S: return h_i64Load8S
    case .i64Load8U: return h_i32Load8U
    case .i64Load16S: return h_i64Load16S
    case .i64Load16U: return h_i32Load16U
    case .i64Load32S: return h_i64Load32S
    case .i64Load32U: return h_i32Load
    case .i32Store: return h_i32Store
    case .i64Store: return h_i64Store
    case .f32Store: return h_i32Store
    case .f64Store: return h_i64Store
    case .i32Store8: return h_i32Store8
    case .i32Store16: return h_i32Store16
    case .i64Store8: return h_i32Store8
    case .i64Store16: return h_i32Store16
    case .i64Store32: return h_i32Store
    }
}
