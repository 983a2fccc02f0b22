/// Integer comparisons with a constant right operand: `[handler, dst, lhs, constant]`, the
/// value form used when the result is not branched on directly (`select`, stored flags).

func h_i32EqImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (a == b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32NeImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (a != b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32LtSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (Int32(bitPattern: a) < Int32(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32LtUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (a < b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32GtSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (Int32(bitPattern: a) > Int32(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32GtUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (a > b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32LeSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (Int32(bitPattern: a) <= Int32(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32LeUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (a <= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32GeSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (Int32(bitPattern: a) >= Int32(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32GeUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), (a >= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64EqImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (a == b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64NeImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (a != b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64LtSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (Int64(bitPattern: a) < Int64(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64LtUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (a < b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64GtSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (Int64(bitPattern: a) > Int64(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64GtUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (a > b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64LeSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (Int64(bitPattern: a) <= Int64(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64LeUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (a <= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64GeSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (Int64(bitPattern: a) >= Int64(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64GeUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI32(fp, imm(pc, 1), (a >= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}
