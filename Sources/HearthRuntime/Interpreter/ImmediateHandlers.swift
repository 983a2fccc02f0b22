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
// original order). Add and multiply have no `ImmRev`: they commute in every result but the
// payload of a NaN from two NaN operands, which Wasm leaves nondeterministic (and LLVM compiles
// both orders to one instruction anyway).

func h_f32AddImm(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = Float(bitPattern: UInt32(truncatingIfNeeded: pc[3]))
    writeF32(fp, imm(pc, 1), a + b)
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
