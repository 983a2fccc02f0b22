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

/// `[handler, dst, src]`: null references are the word 0 whatever their type.
func h_refIsNull(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    writeI32(fp, imm(pc, 1), fp[imm(pc, 2)] == 0 ? 1 : 0)
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

/// Copies one slot to another: `[handler, dst, src]`. Also the reinterpret conversions,
/// which are bit-preserving in this slot representation.
func h_copy(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    fp[imm(pc, 1)] = fp[imm(pc, 2)]
    return dispatch(pc + 3, fp, m, ms, st, acc)
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
