// The numeric instructions: one handler per operator. Binary operators are
// `[handler, dst, lhs, rhs]`, unary ones `[handler, dst, src]` (slot indices).
// Division, remainder and the trapping float->int conversions are in NumericTrapping.swift.

func h_i32Eqz(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), (a == 0) ? 1 : 0)
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a == b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a != b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32LtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (Int32(bitPattern: a) < Int32(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32LtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a < b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32GtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (Int32(bitPattern: a) > Int32(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32GtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a > b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32LeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (Int32(bitPattern: a) <= Int32(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32LeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a <= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32GeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (Int32(bitPattern: a) >= Int32(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32GeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a >= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Clz(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), UInt32(a.leadingZeroBitCount))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32Ctz(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), UInt32(a.trailingZeroBitCount))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32Popcnt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), UInt32(a.nonzeroBitCount))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), a &+ b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), a &- b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Mul(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), a &* b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32And(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), a & b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Or(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), a | b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Xor(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), a ^ b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Shl(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), a &<< b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32ShrU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), a &>> b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32ShrS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(bitPattern: a) &>> Int32(bitPattern: b)))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Rotl(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a &<< b) | (a &>> (32 &- (b & 31))))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Rotr(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2)), b = readI32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a &>> b) | (a &<< (32 &- (b & 31))))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i32Extend8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: a))))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32Extend16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: a))))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64Eqz(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), (a == 0) ? 1 : 0)
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a == b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a != b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64LtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (Int64(bitPattern: a) < Int64(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64LtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a < b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64GtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (Int64(bitPattern: a) > Int64(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64GtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a > b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64LeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (Int64(bitPattern: a) <= Int64(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64LeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a <= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64GeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (Int64(bitPattern: a) >= Int64(bitPattern: b)) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64GeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a >= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Clz(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), UInt64(a.leadingZeroBitCount))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64Ctz(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), UInt64(a.trailingZeroBitCount))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64Popcnt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), UInt64(a.nonzeroBitCount))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), a &+ b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), a &- b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Mul(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), a &* b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64And(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), a & b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Or(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), a | b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Xor(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), a ^ b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Shl(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), a &<< b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64ShrU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), a &>> b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64ShrS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(bitPattern: a) &>> Int64(bitPattern: b)))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Rotl(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), (a &<< b) | (a &>> (64 &- (b & 63))))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Rotr(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2)), b = readI64(fp, imm(pc, 3))
    writeI64(fp, imm(pc, 1), (a &>> b) | (a &<< (64 &- (b & 63))))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64Extend8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: a))))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64Extend16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: a))))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a == b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a != b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Lt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a < b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Gt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a > b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Le(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a <= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Ge(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a >= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Abs(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), Float(bitPattern: a.bitPattern & 0x7FFF_FFFF))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32Neg(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), Float(bitPattern: a.bitPattern ^ 0x8000_0000))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32Ceil(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), a.rounded(.up))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32Floor(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), a.rounded(.down))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32Trunc(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), a.rounded(.towardZero))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32Nearest(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), a.rounded(.toNearestOrEven))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32Sqrt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), wasmSquareRoot(a))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeF32(fp, imm(pc, 1), a + b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeF32(fp, imm(pc, 1), a - b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Mul(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeF32(fp, imm(pc, 1), a * b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Div(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeF32(fp, imm(pc, 1), a / b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Min(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeF32(fp, imm(pc, 1), wasmMin(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Max(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeF32(fp, imm(pc, 1), wasmMax(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f32Copysign(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2)), b = readF32(fp, imm(pc, 3))
    writeF32(fp, imm(pc, 1), Float(bitPattern: (a.bitPattern & 0x7FFF_FFFF) | (b.bitPattern & 0x8000_0000)))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a == b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a != b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Lt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a < b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Gt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a > b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Le(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a <= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Ge(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeI32(fp, imm(pc, 1), (a >= b) ? 1 : 0)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Abs(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), Double(bitPattern: a.bitPattern & 0x7FFF_FFFF_FFFF_FFFF))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64Neg(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), Double(bitPattern: a.bitPattern ^ 0x8000_0000_0000_0000))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64Ceil(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), a.rounded(.up))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64Floor(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), a.rounded(.down))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64Trunc(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), a.rounded(.towardZero))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64Nearest(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), a.rounded(.toNearestOrEven))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64Sqrt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), wasmSquareRoot(a))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeF64(fp, imm(pc, 1), a + b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeF64(fp, imm(pc, 1), a - b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Mul(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeF64(fp, imm(pc, 1), a * b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Div(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeF64(fp, imm(pc, 1), a / b)
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Min(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeF64(fp, imm(pc, 1), wasmMin(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Max(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeF64(fp, imm(pc, 1), wasmMax(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_f64Copysign(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2)), b = readF64(fp, imm(pc, 3))
    writeF64(fp, imm(pc, 1), Double(bitPattern: (a.bitPattern & 0x7FFF_FFFF_FFFF_FFFF) | (b.bitPattern & 0x8000_0000_0000_0000)))
    return dispatch(pc + 4, fp, m, ms, st, acc)
}

func h_i64ExtendI32S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), UInt64(bitPattern: Int64(Int32(bitPattern: a))))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64ExtendI32U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), UInt64(a))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32ConvertI32S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), Float(Int32(bitPattern: a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32ConvertI32U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), Float(a))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32ConvertI64S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), Float(Int64(bitPattern: a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32ConvertI64U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), Float(a))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64ConvertI32S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), Double(Int32(bitPattern: a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64ConvertI32U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI32(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), Double(a))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64ConvertI64S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), Double(Int64(bitPattern: a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64ConvertI64U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readI64(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), Double(a))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f32DemoteF64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeF32(fp, imm(pc, 1), Float(a))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_f64PromoteF32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeF64(fp, imm(pc, 1), Double(a))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32TruncSatF32S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), saturateI32S(Double(a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32TruncSatF32U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), saturateI32U(Double(a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32TruncSatF64S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), saturateI32S(Double(a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i32TruncSatF64U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeI32(fp, imm(pc, 1), saturateI32U(Double(a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64TruncSatF32S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), saturateI64S(Double(a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64TruncSatF32U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF32(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), saturateI64U(Double(a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64TruncSatF64S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), saturateI64S(Double(a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

func h_i64TruncSatF64U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64) {
    let a = readF64(fp, imm(pc, 2))
    writeI64(fp, imm(pc, 1), saturateI64U(Double(a)))
    return dispatch(pc + 3, fp, m, ms, st, acc)
}

// MARK: Exact float semantics

/// Wasm `min`: NaN if either operand is NaN, and -0 is smaller than +0.
@inline(__always)
fileprivate func wasmMin<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
    if a.isNaN || b.isNaN { return a + b } // an arithmetic (quiet) NaN
    if a == b { return a.sign == .minus ? a : b }
    return a < b ? a : b
}

/// Wasm `max`: NaN if either operand is NaN, and +0 is larger than -0.
@inline(__always)
fileprivate func wasmMax<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
    if a.isNaN || b.isNaN { return a + b }
    if a == b { return a.sign == .minus ? b : a }
    return a > b ? a : b
}

// Saturating truncations (every f32 is exactly a Double, so one set serves both widths).
@inline(__always) fileprivate func saturateI32S(_ x: Double) -> UInt32 {
    if x.isNaN { return 0 }
    if x <= -2147483648.0 { return UInt32(bitPattern: Int32.min) }
    if x >= 2147483648.0 { return UInt32(bitPattern: Int32.max) }
    return UInt32(bitPattern: Int32(x))
}
@inline(__always) fileprivate func saturateI32U(_ x: Double) -> UInt32 {
    if x.isNaN || x <= 0 { return 0 }
    if x >= 4294967296.0 { return UInt32.max }
    return UInt32(x)
}
@inline(__always) fileprivate func saturateI64S(_ x: Double) -> UInt64 {
    if x.isNaN { return 0 }
    if x <= -9223372036854775808.0 { return UInt64(bitPattern: Int64.min) }
    if x >= 9223372036854775808.0 { return UInt64(bitPattern: Int64.max) }
    return UInt64(bitPattern: Int64(x))
}
@inline(__always) fileprivate func saturateI64U(_ x: Double) -> UInt64 {
    if x.isNaN || x <= 0 { return 0 }
    if x >= 18446744073709551616.0 { return UInt64.max }
    return UInt64(x)
}
