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

// MARK: File-local accessors
// Debug builds compile each file on its own (no whole-module optimization), and Swift inlines
// only within a file, so every handler file carries its own copy of these one-liners. Keep the
// copies identical (the Dispatch.swift header explains the machine).

@inline(__always) fileprivate func dispatch(_ pc: PC, _ fp: FP, _ mem: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    return unsafeBitCast(pc.pointee, to: Handler.self)(pc, fp, mem, ms, st, acc)
}
@inline(__always) fileprivate func imm(_ pc: PC, _ i: Int) -> Int { Int(bitPattern: UInt(pc[i])) }
@inline(__always) fileprivate func immPointer<T>(_ pc: PC, _ i: Int, _: T.Type) -> UnsafeMutablePointer<T> {
    UnsafeMutablePointer<T>(bitPattern: UInt(pc[i])).unsafelyUnwrapped
}
@inline(__always) fileprivate func readI32(_ fp: FP, _ s: Int) -> UInt32 { UInt32(truncatingIfNeeded: fp[s]) }
@inline(__always) fileprivate func readI64(_ fp: FP, _ s: Int) -> UInt64 { fp[s] }
@inline(__always) fileprivate func readF32(_ fp: FP, _ s: Int) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: fp[s])) }
@inline(__always) fileprivate func readF64(_ fp: FP, _ s: Int) -> Double { Double(bitPattern: fp[s]) }
@inline(__always) fileprivate func writeI32(_ fp: FP, _ s: Int, _ v: UInt32) { fp[s] = UInt64(v) }
@inline(__always) fileprivate func writeI64(_ fp: FP, _ s: Int, _ v: UInt64) { fp[s] = v }
@inline(__always) fileprivate func writeF32(_ fp: FP, _ s: Int, _ v: Float) { fp[s] = UInt64(v.bitPattern) }
@inline(__always) fileprivate func writeF64(_ fp: FP, _ s: Int, _ v: Double) { fp[s] = v.bitPattern }
