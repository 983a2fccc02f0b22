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
