/// Numeric handlers that can trap: integer division and remainder, float->int truncation.

func h_i32DivS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = Int32(bitPattern: readI32(fp, imm(pc, 2))), b = Int32(bitPattern: readI32(fp, imm(pc, 3)))
    if _slowPath(b == 0) { return raise(st, .integerDivideByZero) }
    if _slowPath(a == .min && b == -1) { return raise(st, .integerOverflow) }
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: a / b))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32DivU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    if _slowPath(b == 0) { return raise(st, .integerDivideByZero) }
    writeI32(fp, imm(pc, 1), a / b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32RemS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = Int32(bitPattern: readI32(fp, imm(pc, 2))), b = Int32(bitPattern: readI32(fp, imm(pc, 3)))
    if _slowPath(b == 0) { return raise(st, .integerDivideByZero) }
    // INT_MIN % -1 overflows in hardware, but Wasm defines it as 0.
    writeI32(fp, imm(pc, 1), b == -1 ? 0 : UInt32(bitPattern: a % b))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32RemU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    if _slowPath(b == 0) { return raise(st, .integerDivideByZero) }
    writeI32(fp, imm(pc, 1), a % b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64DivS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = Int64(bitPattern: readI64(fp, imm(pc, 2))), b = Int64(bitPattern: readI64(fp, imm(pc, 3)))
    if _slowPath(b == 0) { return raise(st, .integerDivideByZero) }
    if _slowPath(a == .min && b == -1) { return raise(st, .integerOverflow) }
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: a / b))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64DivU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    if _slowPath(b == 0) { return raise(st, .integerDivideByZero) }
    writeI64(fp, imm(pc, 1), a / b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64RemS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = Int64(bitPattern: readI64(fp, imm(pc, 2))), b = Int64(bitPattern: readI64(fp, imm(pc, 3)))
    if _slowPath(b == 0) { return raise(st, .integerDivideByZero) }
    // INT_MIN % -1 overflows in hardware, but Wasm defines it as 0.
    writeI64(fp, imm(pc, 1), b == -1 ? 0 : UInt64(bitPattern: a % b))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64RemU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    if _slowPath(b == 0) { return raise(st, .integerDivideByZero) }
    writeI64(fp, imm(pc, 1), a % b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32TruncF32S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let x = Double(readF32(fp, imm(pc, 2)))
    if _slowPath(x.isNaN) { return raise(st, .invalidConversionToInteger) }
    if _slowPath(!(x > -2147483649.0 && x < 2147483648.0)) { return raise(st, .integerOverflow) }
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(x)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32TruncF32U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let x = Double(readF32(fp, imm(pc, 2)))
    if _slowPath(x.isNaN) { return raise(st, .invalidConversionToInteger) }
    if _slowPath(!(x > -1.0 && x < 4294967296.0)) { return raise(st, .integerOverflow) }
    writeI32(fp, imm(pc, 1), UInt32(x))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32TruncF64S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let x = Double(readF64(fp, imm(pc, 2)))
    if _slowPath(x.isNaN) { return raise(st, .invalidConversionToInteger) }
    if _slowPath(!(x > -2147483649.0 && x < 2147483648.0)) { return raise(st, .integerOverflow) }
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(x)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32TruncF64U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let x = Double(readF64(fp, imm(pc, 2)))
    if _slowPath(x.isNaN) { return raise(st, .invalidConversionToInteger) }
    if _slowPath(!(x > -1.0 && x < 4294967296.0)) { return raise(st, .integerOverflow) }
    writeI32(fp, imm(pc, 1), UInt32(x))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64TruncF32S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let x = Double(readF32(fp, imm(pc, 2)))
    if _slowPath(x.isNaN) { return raise(st, .invalidConversionToInteger) }
    if _slowPath(!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) { return raise(st, .integerOverflow) }
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(x)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64TruncF32U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let x = Double(readF32(fp, imm(pc, 2)))
    if _slowPath(x.isNaN) { return raise(st, .invalidConversionToInteger) }
    if _slowPath(!(x > -1.0 && x < 18446744073709551616.0)) { return raise(st, .integerOverflow) }
    writeI64(fp, imm(pc, 1), UInt64(x))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64TruncF64S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let x = Double(readF64(fp, imm(pc, 2)))
    if _slowPath(x.isNaN) { return raise(st, .invalidConversionToInteger) }
    if _slowPath(!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) { return raise(st, .integerOverflow) }
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(x)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64TruncF64U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let x = Double(readF64(fp, imm(pc, 2)))
    if _slowPath(x.isNaN) { return raise(st, .invalidConversionToInteger) }
    if _slowPath(!(x > -1.0 && x < 18446744073709551616.0)) { return raise(st, .integerOverflow) }
    writeI64(fp, imm(pc, 1), UInt64(x))
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
