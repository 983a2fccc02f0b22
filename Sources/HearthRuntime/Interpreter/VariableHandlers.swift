/// Constants, globals, `select` and reference tests. (Local access is `h_copy`.)

/// `[handler, dst, value]`: also `ref.null` (0) and `ref.func` (the function record's address).
func h_const(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    fp[imm(pc, 1)] = pc[2]
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

/// `[handler, dst, globalCell]`
func h_globalGet(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    fp[imm(pc, 1)] = immPointer(pc, 2, UInt64.self).pointee
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

/// `[handler, src, globalCell]`
func h_globalSet(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    immPointer(pc, 2, UInt64.self).pointee = fp[imm(pc, 1)]
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

/// `[handler, dst, ifTrue, ifFalse, condition]`
func h_select(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let c = readI32(fp, imm(pc, 4))
    fp[imm(pc, 1)] = c != 0 ? fp[imm(pc, 2)] : fp[imm(pc, 3)]
    return dispatch(pc + 5, fp, m, ms, st, acc)
}

/// Copies one slot to another: `[handler, dst, src]`. Also the reinterpret conversions,
/// which are bit-preserving in this slot representation.
func h_copy(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    fp[imm(pc, 1)] = fp[imm(pc, 2)]
    return dispatch(pc + 3, fp, m, ms, st, acc)
}
