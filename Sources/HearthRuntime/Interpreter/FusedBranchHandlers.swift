/// Fused compare-and-branch: an integer comparison followed by `br_if` (or `if`, with the
/// comparison negated) is one instruction. `[handler, lhs, rhs, offset]` compares two slots,
/// `[handler, lhs, constant, offset]` (the `Imm` forms) a slot with a constant; `offset` is
/// relative to the instruction. The branch is hinted taken: loops close with it.

func h_brI32Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) == readI32(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32EqImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) == UInt32(truncatingIfNeeded: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) != readI32(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32NeImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) != UInt32(truncatingIfNeeded: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32LtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int32(bitPattern: readI32(fp, imm(pc, 1))) < Int32(bitPattern: readI32(fp, imm(pc, 2)))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32LtSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int32(bitPattern: readI32(fp, imm(pc, 1))) < Int32(bitPattern: UInt32(truncatingIfNeeded: pc[2]))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32LtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) < readI32(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32LtUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) < UInt32(truncatingIfNeeded: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32GtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int32(bitPattern: readI32(fp, imm(pc, 1))) > Int32(bitPattern: readI32(fp, imm(pc, 2)))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32GtSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int32(bitPattern: readI32(fp, imm(pc, 1))) > Int32(bitPattern: UInt32(truncatingIfNeeded: pc[2]))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32GtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) > readI32(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32GtUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) > UInt32(truncatingIfNeeded: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32LeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int32(bitPattern: readI32(fp, imm(pc, 1))) <= Int32(bitPattern: readI32(fp, imm(pc, 2)))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32LeSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int32(bitPattern: readI32(fp, imm(pc, 1))) <= Int32(bitPattern: UInt32(truncatingIfNeeded: pc[2]))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32LeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) <= readI32(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32LeUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) <= UInt32(truncatingIfNeeded: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32GeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int32(bitPattern: readI32(fp, imm(pc, 1))) >= Int32(bitPattern: readI32(fp, imm(pc, 2)))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32GeSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int32(bitPattern: readI32(fp, imm(pc, 1))) >= Int32(bitPattern: UInt32(truncatingIfNeeded: pc[2]))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32GeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) >= readI32(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI32GeUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI32(fp, imm(pc, 1)) >= UInt32(truncatingIfNeeded: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) == readI64(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64EqImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) == pc[2]) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) != readI64(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64NeImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) != pc[2]) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64LtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int64(bitPattern: readI64(fp, imm(pc, 1))) < Int64(bitPattern: readI64(fp, imm(pc, 2)))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64LtSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int64(bitPattern: readI64(fp, imm(pc, 1))) < Int64(bitPattern: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64LtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) < readI64(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64LtUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) < pc[2]) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64GtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int64(bitPattern: readI64(fp, imm(pc, 1))) > Int64(bitPattern: readI64(fp, imm(pc, 2)))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64GtSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int64(bitPattern: readI64(fp, imm(pc, 1))) > Int64(bitPattern: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64GtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) > readI64(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64GtUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) > pc[2]) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64LeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int64(bitPattern: readI64(fp, imm(pc, 1))) <= Int64(bitPattern: readI64(fp, imm(pc, 2)))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64LeSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int64(bitPattern: readI64(fp, imm(pc, 1))) <= Int64(bitPattern: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64LeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) <= readI64(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64LeUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) <= pc[2]) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64GeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int64(bitPattern: readI64(fp, imm(pc, 1))) >= Int64(bitPattern: readI64(fp, imm(pc, 2)))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64GeSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(Int64(bitPattern: readI64(fp, imm(pc, 1))) >= Int64(bitPattern: pc[2])) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64GeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) >= readI64(fp, imm(pc, 2))) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_brI64GeUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) >= pc[2]) { return dispatch(pc + imm(pc, 3), fp, m, ms, st, acc) }
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

/// `[handler, condition, offset]`: `i64.eqz` + `br_if` branches when the value is zero.
func h_brI64Eqz(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) == 0) { return dispatch(pc + imm(pc, 2), fp, m, ms, st, acc) }
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

/// `[handler, condition, offset]`: branches when the i64 value is not zero.
func h_brI64Nez(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    if _fastPath(readI64(fp, imm(pc, 1)) != 0) { return dispatch(pc + imm(pc, 2), fp, m, ms, st, acc) }
    return dispatch(pc + 3, fp, m, ms, st, acc)
}
