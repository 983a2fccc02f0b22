/// Handlers of the wide-arithmetic proposal: `[handler, base]`, with the operands in
/// consecutive slots from `base` (low word first) and the (low, high) result written there.

/// `i64.add128`: (a_lo, a_hi) + (b_lo, b_hi), wrapping at 128 bits.
func h_i64Add128(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let base = imm(pc, 1)
    let (low, carry) = fp[base].addingReportingOverflow(fp[base &+ 2])
    fp[base &+ 1] = fp[base &+ 1] &+ fp[base &+ 3] &+ (carry ? 1 : 0)
    fp[base] = low
    return dispatch(pc + 2, fp, m, ms, st, acc, facc)
}

/// `i64.sub128`: (a_lo, a_hi) - (b_lo, b_hi), wrapping at 128 bits.
func h_i64Sub128(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let base = imm(pc, 1)
    let (low, borrow) = fp[base].subtractingReportingOverflow(fp[base &+ 2])
    fp[base &+ 1] = fp[base &+ 1] &- fp[base &+ 3] &- (borrow ? 1 : 0)
    fp[base] = low
    return dispatch(pc + 2, fp, m, ms, st, acc, facc)
}

/// `i64.mul_wide_s`: the signed 128-bit product of two i64s.
func h_i64MulWideS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let base = imm(pc, 1)
    let (high, low) = Int64(bitPattern: fp[base]).multipliedFullWidth(by: Int64(bitPattern: fp[base &+ 1]))
    fp[base] = low
    fp[base &+ 1] = UInt64(bitPattern: high)
    return dispatch(pc + 2, fp, m, ms, st, acc, facc)
}

/// `i64.mul_wide_u`: the unsigned 128-bit product of two i64s.
func h_i64MulWideU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let base = imm(pc, 1)
    let (high, low) = fp[base].multipliedFullWidth(by: fp[base &+ 1])
    fp[base] = low
    fp[base &+ 1] = high
    return dispatch(pc + 2, fp, m, ms, st, acc, facc)
}
