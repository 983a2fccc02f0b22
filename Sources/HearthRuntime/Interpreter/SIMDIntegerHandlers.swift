// The integer SIMD lane operations and the shape-independent v128 bitwise operations: one handler
// per operator, working on Swift's SIMD types so that most of them compile to vector
// instructions. A v128 occupies two frame slots (bytes 0-7 in slot s, 8-15 in s + 1), read and
// written whole through `readV`/`writeV` as whatever lane shape the operator needs.
// Layouts (slot indices; dst may be any operand's slot, so every operand is read first):
//   unary, and v128 -> i32 (any_true, all_true, bitmask)   [handler, dst, a]
//   binary (also compares, swizzle, narrow, extmul, dot)    [handler, dst, a, b]
//   shifts (count: an i32 slot)                             [handler, dst, a, count]
//   v128.bitselect (c is the mask)                          [handler, dst, a, b, c]

fileprivate typealias U8x16 = SIMD16<UInt8>
fileprivate typealias I8x16 = SIMD16<Int8>
fileprivate typealias U16x8 = SIMD8<UInt16>
fileprivate typealias I16x8 = SIMD8<Int16>
fileprivate typealias U32x4 = SIMD4<UInt32>
fileprivate typealias I32x4 = SIMD4<Int32>
fileprivate typealias U64x2 = SIMD2<UInt64>
fileprivate typealias I64x2 = SIMD2<Int64>

// MARK: v128 bitwise

func h_v128Not(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeV(fp, imm(pc, 1), ~a)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_v128And(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self)
    writeV(fp, imm(pc, 1), a & b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_v128Andnot(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self)
    writeV(fp, imm(pc, 1), a & ~b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_v128Or(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self)
    writeV(fp, imm(pc, 1), a | b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_v128Xor(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self)
    writeV(fp, imm(pc, 1), a ^ b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_v128Bitselect(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self), c = readV(fp, imm(pc, 4), U64x2.self)
    writeV(fp, imm(pc, 1), (a & c) | (b & ~c))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

func h_v128AnyTrue(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeI32(fp, imm(pc, 1), (a[0] | a[1]) != 0 ? 1 : 0)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i8x16Swizzle(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    writeV(fp, imm(pc, 1), swizzle(fp, imm(pc, 2), imm(pc, 3)))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// MARK: Comparisons (all-ones lanes for true)

func h_i8x16Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .== b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .!= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16LtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16LtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16GtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .> b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16GtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .> b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16LeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .<= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16LeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .<= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16GeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .>= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16GeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), lanes(a .>= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .== b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .!= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8LtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8LtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8GtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .> b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8GtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .> b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8LeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .<= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8LeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .<= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8GeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .>= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8GeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), lanes(a .>= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .== b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .!= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4LtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4LtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4GtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .> b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4GtU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .> b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4LeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .<= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4LeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .<= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4GeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .>= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4GeU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .>= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .== b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .!= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2LtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I64x2.self), b = readV(fp, imm(pc, 3), I64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2GtS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I64x2.self), b = readV(fp, imm(pc, 3), I64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .> b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2LeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I64x2.self), b = readV(fp, imm(pc, 3), I64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .<= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2GeS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I64x2.self), b = readV(fp, imm(pc, 3), I64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .>= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// MARK: Unary lane operations

func h_i8x16Abs(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self)
    writeV(fp, imm(pc, 1), wrappingAbs(a))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i8x16Neg(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self)
    writeV(fp, imm(pc, 1), 0 &- a)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8Abs(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self)
    writeV(fp, imm(pc, 1), wrappingAbs(a))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8Neg(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self)
    writeV(fp, imm(pc, 1), 0 &- a)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4Abs(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self)
    writeV(fp, imm(pc, 1), wrappingAbs(a))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4Neg(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeV(fp, imm(pc, 1), 0 &- a)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i64x2Abs(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I64x2.self)
    writeV(fp, imm(pc, 1), wrappingAbs(a))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i64x2Neg(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeV(fp, imm(pc, 1), 0 &- a)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i8x16Popcnt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeV(fp, imm(pc, 1), bytePopcounts(a))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

// MARK: Reductions to i32

func h_i8x16AllTrue(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self)
    writeI32(fp, imm(pc, 1), noLane(a .== .zero) ? 1 : 0)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8AllTrue(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self)
    writeI32(fp, imm(pc, 1), noLane(a .== .zero) ? 1 : 0)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4AllTrue(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeI32(fp, imm(pc, 1), noLane(a .== .zero) ? 1 : 0)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i64x2AllTrue(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeI32(fp, imm(pc, 1), noLane(a .== .zero) ? 1 : 0)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i8x16Bitmask(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeI32(fp, imm(pc, 1), byteSigns(a[0]) | (byteSigns(a[1]) << 8))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8Bitmask(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeI32(fp, imm(pc, 1), halfSigns(a[0]) | (halfSigns(a[1]) << 4))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4Bitmask(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeI32(fp, imm(pc, 1), (a[0] >> 31) | ((a[1] >> 31) << 1) | ((a[2] >> 31) << 2) | ((a[3] >> 31) << 3))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i64x2Bitmask(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeI32(fp, imm(pc, 1), UInt32(truncatingIfNeeded: (a[0] >> 63) | ((a[1] >> 63) << 1)))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

// MARK: Narrowing and widening

func h_i8x16NarrowI16x8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), I8x16(truncatingIfNeeded: saturate(SIMD16(lowHalf: a, highHalf: b), -128, 127)))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16NarrowI16x8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), U8x16(truncatingIfNeeded: saturate(SIMD16(lowHalf: a, highHalf: b), 0, 255)))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8NarrowI32x4S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), I16x8(truncatingIfNeeded: saturate(SIMD8(lowHalf: a, highHalf: b), -32768, 32767)))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8NarrowI32x4U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), U16x8(truncatingIfNeeded: saturate(SIMD8(lowHalf: a, highHalf: b), 0, 65535)))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtendLowI8x16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self)
    writeV(fp, imm(pc, 1), I16x8(truncatingIfNeeded: a.lowHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtendHighI8x16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self)
    writeV(fp, imm(pc, 1), I16x8(truncatingIfNeeded: a.highHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtendLowI8x16U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self)
    writeV(fp, imm(pc, 1), U16x8(truncatingIfNeeded: a.lowHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtendHighI8x16U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self)
    writeV(fp, imm(pc, 1), U16x8(truncatingIfNeeded: a.highHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtendLowI16x8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self)
    writeV(fp, imm(pc, 1), I32x4(truncatingIfNeeded: a.lowHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtendHighI16x8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self)
    writeV(fp, imm(pc, 1), I32x4(truncatingIfNeeded: a.highHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtendLowI16x8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self)
    writeV(fp, imm(pc, 1), U32x4(truncatingIfNeeded: a.lowHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtendHighI16x8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self)
    writeV(fp, imm(pc, 1), U32x4(truncatingIfNeeded: a.highHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i64x2ExtendLowI32x4S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self)
    writeV(fp, imm(pc, 1), I64x2(truncatingIfNeeded: a.lowHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i64x2ExtendHighI32x4S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self)
    writeV(fp, imm(pc, 1), I64x2(truncatingIfNeeded: a.highHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i64x2ExtendLowI32x4U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeV(fp, imm(pc, 1), U64x2(truncatingIfNeeded: a.lowHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i64x2ExtendHighI32x4U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeV(fp, imm(pc, 1), U64x2(truncatingIfNeeded: a.highHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

// MARK: Shifts (the count is taken modulo the lane width)

func h_i8x16Shl(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), n = shiftCount(fp, imm(pc, 3), UInt8.self)
    writeV(fp, imm(pc, 1), a &<< n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16ShrS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), n = shiftCount(fp, imm(pc, 3), Int8.self)
    writeV(fp, imm(pc, 1), a &>> n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16ShrU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), n = shiftCount(fp, imm(pc, 3), UInt8.self)
    writeV(fp, imm(pc, 1), a &>> n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8Shl(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), n = shiftCount(fp, imm(pc, 3), UInt16.self)
    writeV(fp, imm(pc, 1), a &<< n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8ShrS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), n = shiftCount(fp, imm(pc, 3), Int16.self)
    writeV(fp, imm(pc, 1), a &>> n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8ShrU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), n = shiftCount(fp, imm(pc, 3), UInt16.self)
    writeV(fp, imm(pc, 1), a &>> n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4Shl(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), n = shiftCount(fp, imm(pc, 3), UInt32.self)
    writeV(fp, imm(pc, 1), a &<< n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4ShrS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), n = shiftCount(fp, imm(pc, 3), Int32.self)
    writeV(fp, imm(pc, 1), a &>> n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4ShrU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), n = shiftCount(fp, imm(pc, 3), UInt32.self)
    writeV(fp, imm(pc, 1), a &>> n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2Shl(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), n = shiftCount(fp, imm(pc, 3), UInt64.self)
    writeV(fp, imm(pc, 1), a &<< n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2ShrS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I64x2.self), n = shiftCount(fp, imm(pc, 3), Int64.self)
    writeV(fp, imm(pc, 1), a &>> n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2ShrU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), n = shiftCount(fp, imm(pc, 3), UInt64.self)
    writeV(fp, imm(pc, 1), a &>> n)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// MARK: Arithmetic

func h_i8x16Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), a &+ b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16AddSatS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), addSatS(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// a + min(b, ~a): ~a is the room left above a.
func h_i8x16AddSatU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), a &+ b.replacing(with: ~a, where: ~a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), a &- b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16SubSatS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), subSatS(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// a - min(a, b).
func h_i8x16SubSatU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), a &- b.replacing(with: a, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16MinS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: b .< a))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16MinU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: b .< a))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16MaxS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16MaxU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// (a + b + 1) >> 1 without leaving the lane: as a + b = 2(a & b) + (a ^ b), it is
// (a & b) + (a ^ b) - ((a ^ b) >> 1) = (a | b) - ((a ^ b) >> 1).
func h_i8x16AvgrU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), (a | b) &- ((a ^ b) &>> 1))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), a &+ b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8AddSatS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), addSatS(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// a + min(b, ~a): ~a is the room left above a.
func h_i16x8AddSatU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), a &+ b.replacing(with: ~a, where: ~a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), a &- b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8SubSatS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), subSatS(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// a - min(a, b).
func h_i16x8SubSatU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), a &- b.replacing(with: a, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8Mul(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), a &* b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8MinS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: b .< a))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8MinU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: b .< a))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8MaxS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8MaxU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// (a + b + 1) >> 1 without leaving the lane: as a + b = 2(a & b) + (a ^ b), it is
// (a & b) + (a ^ b) - ((a ^ b) >> 1) = (a | b) - ((a ^ b) >> 1).
func h_i16x8AvgrU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), (a | b) &- ((a ^ b) &>> 1))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), a &+ b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), a &- b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4Mul(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), a &* b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4MinS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: b .< a))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4MinU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: b .< a))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4MaxS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4MaxU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self)
    writeV(fp, imm(pc, 1), a &+ b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self)
    writeV(fp, imm(pc, 1), a &- b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2Mul(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self), b = readV(fp, imm(pc, 3), U64x2.self)
    writeV(fp, imm(pc, 1), a &* b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// MARK: Widening arithmetic

// Each i16 lane holds the pair it sums: lane 2i in its low byte, lane 2i + 1 in its high byte.
func h_i16x8ExtaddPairwiseI8x16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self)
    writeV(fp, imm(pc, 1), ((a &<< 8) &>> 8) &+ (a &>> 8))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtaddPairwiseI8x16U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self)
    writeV(fp, imm(pc, 1), (a & 0xFF) &+ (a &>> 8))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtaddPairwiseI16x8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self)
    writeV(fp, imm(pc, 1), ((a &<< 16) &>> 16) &+ (a &>> 16))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtaddPairwiseI16x8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeV(fp, imm(pc, 1), (a & 0xFFFF) &+ (a &>> 16))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtmulLowI8x16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), I16x8(truncatingIfNeeded: a.lowHalf) &* I16x8(truncatingIfNeeded: b.lowHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtmulHighI8x16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    writeV(fp, imm(pc, 1), I16x8(truncatingIfNeeded: a.highHalf) &* I16x8(truncatingIfNeeded: b.highHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtmulLowI8x16U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), U16x8(truncatingIfNeeded: a.lowHalf) &* U16x8(truncatingIfNeeded: b.lowHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtmulHighI8x16U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U8x16.self), b = readV(fp, imm(pc, 3), U8x16.self)
    writeV(fp, imm(pc, 1), U16x8(truncatingIfNeeded: a.highHalf) &* U16x8(truncatingIfNeeded: b.highHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtmulLowI16x8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), I32x4(truncatingIfNeeded: a.lowHalf) &* I32x4(truncatingIfNeeded: b.lowHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtmulHighI16x8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), I32x4(truncatingIfNeeded: a.highHalf) &* I32x4(truncatingIfNeeded: b.highHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtmulLowI16x8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), U32x4(truncatingIfNeeded: a.lowHalf) &* U32x4(truncatingIfNeeded: b.lowHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4ExtmulHighI16x8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U16x8.self), b = readV(fp, imm(pc, 3), U16x8.self)
    writeV(fp, imm(pc, 1), U32x4(truncatingIfNeeded: a.highHalf) &* U32x4(truncatingIfNeeded: b.highHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2ExtmulLowI32x4S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), I64x2(truncatingIfNeeded: a.lowHalf) &* I64x2(truncatingIfNeeded: b.lowHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2ExtmulHighI32x4S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self), b = readV(fp, imm(pc, 3), I32x4.self)
    writeV(fp, imm(pc, 1), I64x2(truncatingIfNeeded: a.highHalf) &* I64x2(truncatingIfNeeded: b.highHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2ExtmulLowI32x4U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), U64x2(truncatingIfNeeded: a.lowHalf) &* U64x2(truncatingIfNeeded: b.lowHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i64x2ExtmulHighI32x4U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self), b = readV(fp, imm(pc, 3), U32x4.self)
    writeV(fp, imm(pc, 1), U64x2(truncatingIfNeeded: a.highHalf) &* U64x2(truncatingIfNeeded: b.highHalf))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8Q15mulrSatS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), q15mulrSat(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i32x4DotI16x8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I16x8.self), b = readV(fp, imm(pc, 3), I16x8.self)
    writeV(fp, imm(pc, 1), dot(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// MARK: Relaxed dot products (Wasm 3.0)
// Both operands are taken as signed bytes (the spec lets b's top bit be read either way), and a
// pair's sum wraps to 16 bits (only (-128 * -128) * 2 overflows, to -32768: an allowed result).

/// `[handler, dst, a, b]`
func h_i16x8RelaxedDotI8x16I7x16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self)
    var r = I16x8()
    for i in 0..<8 { r[i] = pairDot(a, b, 2 &* i) }
    writeV(fp, imm(pc, 1), r)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, a, b, c]`: the 16-bit pair sums, added pairwise into 32 bits, plus c.
func h_i32x4RelaxedDotI8x16I7x16AddS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I8x16.self), b = readV(fp, imm(pc, 3), I8x16.self), c = readV(fp, imm(pc, 4), I32x4.self)
    var r = I32x4()
    for i in 0..<4 { r[i] = Int32(pairDot(a, b, 4 &* i)) &+ Int32(pairDot(a, b, 4 &* i &+ 2)) &+ c[i] }
    writeV(fp, imm(pc, 1), r)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

@inline(__always) fileprivate func pairDot(_ a: I8x16, _ b: I8x16, _ k: Int) -> Int16 {
    Int16(truncatingIfNeeded: Int32(a[k]) &* Int32(b[k]) &+ Int32(a[k &+ 1]) &* Int32(b[k &+ 1]))
}

// MARK: Lane arithmetic
// Swift picks a SIMD comparison's vector instruction only where the lane type is concrete: a
// comparison inside a generic function is the stdlib's lane-by-lane loop, even after
// specialization. So comparisons stay in the handlers (or in helpers with concrete types) and
// the generic helpers below use only bitwise and arithmetic operations, which LLVM vectorizes.

/// A comparison's lane mask as a vector: all ones where true, zero where false.
@inline(__always) fileprivate func lanes<S>(_ mask: SIMDMask<S>) -> S where S.MaskStorage == S {
    S(repeating: 0).replacing(with: -1, where: mask)
}

/// True when no lane of the mask is set (`all_true` asks this of "lane == 0").
@inline(__always) fileprivate func noLane<S>(_ mask: SIMDMask<S>) -> Bool where S.MaskStorage == S {
    let set = unsafeBitCast(lanes(mask), to: U64x2.self)
    return (set[0] | set[1]) == 0
}

/// `i8x16.swizzle` of the v128s in slots a and s: byte s[i] of a, or 0 when s[i] >= 16. SSE2 has
/// no byte shuffle, so this loads the bytes one by one from a's slots (the load at `j & 15` is
/// always in bounds, so choosing 0 is a conditional move, not a branch).
@inline(__always) fileprivate func swizzle(_ fp: FP, _ a: Int, _ s: Int) -> U64x2 {
    let bytes = UnsafeRawPointer(fp + a), indices = UnsafeRawPointer(fp + s)
    @inline(__always) func pick(_ i: Int) -> UInt64 {
        let j = Int(indices.load(fromByteOffset: i, as: UInt8.self))
        let byte = UInt64(bytes.load(fromByteOffset: j & 15, as: UInt8.self))
        return j < 16 ? byte : 0
    }
    var low: UInt64 = 0, high: UInt64 = 0
    for i in 0..<8 {
        low |= pick(i) << (8 * i)
        high |= pick(i + 8) << (8 * i)
    }
    return U64x2(low, high)
}

/// |a| with the minimum value wrapping to itself, as Wasm requires (`abs` would trap).
@inline(__always) fileprivate func wrappingAbs<V: SIMD>(_ a: V) -> V where V.Scalar: FixedWidthInteger & SignedInteger {
    let sign = a &>> V.Scalar(V.Scalar.bitWidth - 1)
    return (a ^ sign) &- sign
}

/// The population count of every byte, by the usual bit-parallel sums (2-bit, 4-bit, 8-bit
/// fields): SSE2 has no popcount instruction for vectors.
@inline(__always) fileprivate func bytePopcounts(_ a: U64x2) -> U64x2 {
    let pairs = a &- ((a &>> 1) & 0x5555_5555_5555_5555)
    let nibbles = (pairs & 0x3333_3333_3333_3333) &+ ((pairs &>> 2) & 0x3333_3333_3333_3333)
    return (nibbles &+ (nibbles &>> 4)) & 0x0F0F_0F0F_0F0F_0F0F
}

/// The top bits of the 8 bytes of `w`, as bits 0-7. Each top bit is moved to bit 0 of its byte,
/// then one multiply gathers them: byte k's bit lands at 56 + k; the other partial products
/// land below bit 56 or above bit 63 at distinct positions, so no carry disturbs the result.
@inline(__always) fileprivate func byteSigns(_ w: UInt64) -> UInt32 {
    UInt32(truncatingIfNeeded: (((w >> 7) & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) >> 56)
}

/// The top bits of the 4 16-bit lanes of `w`, as bits 0-3 (the same gather: lane k's bit lands at 48 + k).
@inline(__always) fileprivate func halfSigns(_ w: UInt64) -> UInt32 {
    UInt32(truncatingIfNeeded: (((w >> 15) & 0x0001_0001_0001_0001) &* 0x0001_0002_0004_0008) >> 48)
}

// Clamping for the narrowing operations (one copy per lane type, see above).
@inline(__always) fileprivate func saturate(_ a: SIMD16<Int16>, _ low: Int16, _ high: Int16) -> SIMD16<Int16> {
    let low = SIMD16(repeating: low), high = SIMD16(repeating: high)
    return a.replacing(with: low, where: a .< low).replacing(with: high, where: high .< a)
}
@inline(__always) fileprivate func saturate(_ a: SIMD8<Int32>, _ low: Int32, _ high: Int32) -> SIMD8<Int32> {
    let low = SIMD8(repeating: low), high = SIMD8(repeating: high)
    return a.replacing(with: low, where: a .< low).replacing(with: high, where: high .< a)
}

// Signed saturating add and subtract. The result overflows exactly when the operands' signs
// make it impossible (add: both operands differ in sign from the sum; sub: the operands differ
// in sign and the difference differs from a), and then saturates toward a's sign:
// (a >> (w - 1)) ^ max is max for a >= 0 and min for a < 0. The overflow test's sign bit,
// spread over the lane by the arithmetic shift, selects between the two.
@inline(__always) fileprivate func addSatS<V: SIMD>(_ a: V, _ b: V) -> V where V.Scalar: FixedWidthInteger & SignedInteger {
    let sum = a &+ b
    let top = V.Scalar(V.Scalar.bitWidth - 1)
    let overflow = ((a ^ sum) & (b ^ sum)) &>> top
    return (sum & ~overflow) | (((a &>> top) ^ V.Scalar.max) & overflow)
}
@inline(__always) fileprivate func subSatS<V: SIMD>(_ a: V, _ b: V) -> V where V.Scalar: FixedWidthInteger & SignedInteger {
    let difference = a &- b
    let top = V.Scalar(V.Scalar.bitWidth - 1)
    let overflow = ((a ^ b) & (a ^ difference)) &>> top
    return (difference & ~overflow) | (((a &>> top) ^ V.Scalar.max) & overflow)
}

/// `i16x8.q15mulr_sat_s`: (a * b + 0x4000) >> 15 in 32 bits. Only -0x8000 * -0x8000 leaves the
/// i16 range (giving 0x8000); the smallest result is -0x7FFF, so only the top needs clamping.
@inline(__always) fileprivate func q15mulrSat(_ a: I16x8, _ b: I16x8) -> I16x8 {
    let product = SIMD8<Int32>(truncatingIfNeeded: a) &* SIMD8<Int32>(truncatingIfNeeded: b)
    let rounded = (product &+ 0x4000) &>> 15, high = SIMD8<Int32>(repeating: 0x7FFF)
    return I16x8(truncatingIfNeeded: rounded.replacing(with: high, where: high .< rounded))
}

/// `i32x4.dot_i16x8_s`: products of adjacent lane pairs summed. The sum wraps: its one overflow,
/// two products of -0x8000 * -0x8000, gives 0x8000_0000 as in the spec.
@inline(__always) fileprivate func dot(_ a: I16x8, _ b: I16x8) -> I32x4 {
    let product = SIMD8<Int32>(truncatingIfNeeded: a) &* SIMD8<Int32>(truncatingIfNeeded: b)
    return product.evenHalf &+ product.oddHalf
}

// MARK: Operand plumbing
// Generic over the lane shape; each is inlined into its handler and specialized there.

/// A shift count taken modulo the lane width, as the lane's scalar type.
@inline(__always) fileprivate func shiftCount<S: FixedWidthInteger>(_ fp: FP, _ slot: Int, _: S.Type) -> S {
    S(truncatingIfNeeded: readI32(fp, slot) & UInt32(S.bitWidth - 1))
}
