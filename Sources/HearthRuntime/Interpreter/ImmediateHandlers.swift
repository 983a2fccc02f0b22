/// Binary operators with a constant operand: `[handler, dst, lhs, constant]`.
/// `x + 1`, `x & mask`, `x << 2` and friends are most of a loop's arithmetic, and the
/// constant read from the instruction saves the slot traffic of materialising it.

func h_i32AddImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), a &+ b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32SubImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), a &- b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32MulImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), a &* b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32AndImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), a & b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32OrImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), a | b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32XorImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), a ^ b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32ShlImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), a &<< b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32ShrSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(bitPattern: a) &>> Int32(bitPattern: b)))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32ShrUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), a &>> b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64AddImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), a &+ b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64SubImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), a &- b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64MulImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), a &* b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64AndImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), a & b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64OrImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), a | b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64XorImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), a ^ b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64ShlImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), a &<< b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64ShrSImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(bitPattern: a) &>> Int64(bitPattern: b)))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64ShrUImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), a &>> b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

// Constant left operand, `c - x` (`0 - x` is C's negation): `[handler, dst, x, constant]`.

func h_i32SubImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = UInt32(truncatingIfNeeded: pc[3])
    writeI32(fp, imm(pc, 1), b &- a)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64SubImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = pc[3]
    writeI64(fp, imm(pc, 1), b &- a)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

// Float operators with a constant operand, right (`Imm`) or left (`ImmRev`, computed in the
// original order so NaN payloads come out exactly as from the unfused instruction).

func h_f32AddImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = Float(bitPattern: UInt32(truncatingIfNeeded: pc[3]))
    writeF32(fp, imm(pc, 1), a + b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32AddImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = Float(bitPattern: UInt32(truncatingIfNeeded: pc[3]))
    writeF32(fp, imm(pc, 1), b + a)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32SubImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = Float(bitPattern: UInt32(truncatingIfNeeded: pc[3]))
    writeF32(fp, imm(pc, 1), a - b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32SubImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = Float(bitPattern: UInt32(truncatingIfNeeded: pc[3]))
    writeF32(fp, imm(pc, 1), b - a)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32MulImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = Float(bitPattern: UInt32(truncatingIfNeeded: pc[3]))
    writeF32(fp, imm(pc, 1), a * b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32MulImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = Float(bitPattern: UInt32(truncatingIfNeeded: pc[3]))
    writeF32(fp, imm(pc, 1), b * a)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32DivImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = Float(bitPattern: UInt32(truncatingIfNeeded: pc[3]))
    writeF32(fp, imm(pc, 1), a / b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32DivImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = Float(bitPattern: UInt32(truncatingIfNeeded: pc[3]))
    writeF32(fp, imm(pc, 1), b / a)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64AddImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = Double(bitPattern: pc[3])
    writeF64(fp, imm(pc, 1), a + b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64AddImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = Double(bitPattern: pc[3])
    writeF64(fp, imm(pc, 1), b + a)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64SubImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = Double(bitPattern: pc[3])
    writeF64(fp, imm(pc, 1), a - b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64SubImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = Double(bitPattern: pc[3])
    writeF64(fp, imm(pc, 1), b - a)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64MulImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = Double(bitPattern: pc[3])
    writeF64(fp, imm(pc, 1), a * b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64MulImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = Double(bitPattern: pc[3])
    writeF64(fp, imm(pc, 1), b * a)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64DivImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = Double(bitPattern: pc[3])
    writeF64(fp, imm(pc, 1), a / b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64DivImmRev(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = Double(bitPattern: pc[3])
    writeF64(fp, imm(pc, 1), b / a)
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
