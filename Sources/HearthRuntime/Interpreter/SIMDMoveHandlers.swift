/// Moving `v128` values: copies, constants, `select`, globals and `i8x16.shuffle`. A vector
/// is two slots (or, in a global cell, two words), moved as two words: no lane arithmetic.

/// `[handler, dst, src]`: `local.get`/`local.set` of a vector when it must be copied.
func h_copy128(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let s = imm(pc, 2), d = imm(pc, 1)
    let low = fp[s], high = fp[s &+ 1]
    fp[d] = low
    fp[d &+ 1] = high
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, low, high]`: `v128.const`.
func h_v128Const(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let d = imm(pc, 1)
    fp[d] = pc[2]
    fp[d &+ 1] = pc[3]
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, ifTrue, ifFalse, condition]` on vectors.
func h_select128(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let s = UInt32(truncatingIfNeeded: fp[imm(pc, 4)]) != 0 ? imm(pc, 2) : imm(pc, 3)
    let d = imm(pc, 1)
    let low = fp[s], high = fp[s &+ 1]
    fp[d] = low
    fp[d &+ 1] = high
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, globalCell]` for a vector global.
func h_globalGet128(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let cell = UnsafeMutablePointer<UInt64>(bitPattern: UInt(pc[2])).unsafelyUnwrapped
    let d = imm(pc, 1)
    fp[d] = cell[0]
    fp[d &+ 1] = cell[1]
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, src, globalCell]` for a vector global.
func h_globalSet128(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let cell = UnsafeMutablePointer<UInt64>(bitPattern: UInt(pc[2])).unsafelyUnwrapped
    let s = imm(pc, 1)
    cell[0] = fp[s]
    cell[1] = fp[s &+ 1]
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, a, b, lanesLow, lanesHigh]`: byte i of the result is byte `lanes[i]` of
/// the 32 bytes `a ++ b` (the validator checked every index is below 32).
func h_i8x16Shuffle(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), SIMD16<UInt8>.self), b = readV(fp, imm(pc, 3), SIMD16<UInt8>.self)
    let lanes = UnsafeRawPointer(pc + 4).loadUnaligned(as: SIMD16<UInt8>.self)
    var result = SIMD16<UInt8>()
    for i in 0..<16 {
        let k = Int(lanes[i])
        result[i] = k < 16 ? a[k] : b[k & 15]
    }
    writeV(fp, imm(pc, 1), result)
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}
