// The floating-point SIMD lane operations (f32x4, f64x2) and the conversions between float and
// integer lanes, on Swift's SIMD types. A v128 occupies two frame slots (bytes 0-7 in slot s,
// 8-15 in s + 1). Layouts (slot indices; dst may be any operand's slot, so every operand is
// read first):
//   unary and conversions          [handler, dst, a]
//   binary (also comparisons)      [handler, dst, a, b]
// A NaN result must be the canonical NaN when every NaN operand is canonical, and any quiet NaN
// otherwise: SSE arithmetic (which Swift's is) quiets and propagates an operand's NaN, or makes
// the canonical one, so it meets both. abs and neg only touch the sign bit, even of a NaN, so
// they work on the bits.

fileprivate typealias F32x4 = SIMD4<Float>
fileprivate typealias F64x2 = SIMD2<Double>
fileprivate typealias U32x4 = SIMD4<UInt32>
fileprivate typealias I32x4 = SIMD4<Int32>
fileprivate typealias U64x2 = SIMD2<UInt64>

// MARK: f32x4

func h_f32x4Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .== b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .!= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Lt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Gt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .> b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Le(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .<= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Ge(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), lanes(a .>= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Abs(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeV(fp, imm(pc, 1), a & 0x7FFF_FFFF)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4Neg(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeV(fp, imm(pc, 1), a ^ 0x8000_0000)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4Sqrt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self)
    // `wasmSquareRoot` lane-wise, kept one `sqrtps`: roots of the magnitudes (which LLVM knows
    // are never negative, so no library call), each sign copied back, NaN where negative.
    let roots = F32x4(a[0].magnitude, a[1].magnitude, a[2].magnitude, a[3].magnitude).squareRoot()
    var result = F32x4(bitPattern: roots.bitPattern | (a.bitPattern & 0x8000_0000))
    result.replace(with: .nan, where: a .< 0)
    writeV(fp, imm(pc, 1), result)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4Ceil(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self)
    writeV(fp, imm(pc, 1), integral(a, .up))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4Floor(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self)
    writeV(fp, imm(pc, 1), integral(a, .down))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4Trunc(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self)
    writeV(fp, imm(pc, 1), integral(a, .towardZero))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4Nearest(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self)
    writeV(fp, imm(pc, 1), integral(a, .toNearestOrEven))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), a + b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), a - b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Mul(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), a * b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Div(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), a / b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Min(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), wasmMin(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f32x4Max(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), wasmMax(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// pmin(a, b) = b < a ? b : a: a when either is NaN (no NaN rule, unlike min).
func h_f32x4Pmin(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: b .< a))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// pmax(a, b) = a < b ? b : a.
func h_f32x4Pmax(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// MARK: f64x2

func h_f64x2Eq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .== b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Ne(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .!= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Lt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Gt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .> b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Le(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .<= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Ge(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), lanes(a .>= b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Abs(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeV(fp, imm(pc, 1), a & 0x7FFF_FFFF_FFFF_FFFF)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2Neg(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U64x2.self)
    writeV(fp, imm(pc, 1), a ^ 0x8000_0000_0000_0000)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2Sqrt(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self)
    // As f32x4.sqrt: one `sqrtpd` of the magnitudes, signs copied back, NaN where negative.
    let roots = F64x2(a[0].magnitude, a[1].magnitude).squareRoot()
    var result = F64x2(bitPattern: roots.bitPattern | (a.bitPattern & 0x8000_0000_0000_0000))
    result.replace(with: .nan, where: a .< 0)
    writeV(fp, imm(pc, 1), result)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2Ceil(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self)
    writeV(fp, imm(pc, 1), integral(a, .up))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2Floor(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self)
    writeV(fp, imm(pc, 1), integral(a, .down))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2Trunc(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self)
    writeV(fp, imm(pc, 1), integral(a, .towardZero))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2Nearest(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self)
    writeV(fp, imm(pc, 1), integral(a, .toNearestOrEven))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2Add(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), a + b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Sub(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), a - b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Mul(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), a * b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Div(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), a / b)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Min(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), wasmMin(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_f64x2Max(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), wasmMax(a, b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// pmin(a, b) = b < a ? b : a: a when either is NaN (no NaN rule, unlike min).
func h_f64x2Pmin(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: b .< a))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// pmax(a, b) = a < b ? b : a.
func h_f64x2Pmax(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self)
    writeV(fp, imm(pc, 1), a.replacing(with: b, where: a .< b))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// MARK: Conversions

func h_i32x4TruncSatF32x4S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self)
    writeV(fp, imm(pc, 1), I32x4(saturatingS(a[0]), saturatingS(a[1]), saturatingS(a[2]), saturatingS(a[3])))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4TruncSatF32x4U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self)
    writeV(fp, imm(pc, 1), U32x4(saturatingU(a[0]), saturatingU(a[1]), saturatingU(a[2]), saturatingU(a[3])))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4ConvertI32x4S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self)
    writeV(fp, imm(pc, 1), F32x4(a))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4ConvertI32x4U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeV(fp, imm(pc, 1), F32x4(a))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4TruncSatF64x2SZero(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self)
    writeV(fp, imm(pc, 1), I32x4(saturatingS(a[0]), saturatingS(a[1]), 0, 0))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i32x4TruncSatF64x2UZero(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self)
    writeV(fp, imm(pc, 1), U32x4(saturatingU(a[0]), saturatingU(a[1]), 0, 0))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2ConvertLowI32x4S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), I32x4.self)
    writeV(fp, imm(pc, 1), F64x2(a.lowHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2ConvertLowI32x4U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), U32x4.self)
    writeV(fp, imm(pc, 1), F64x2(a.lowHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f32x4DemoteF64x2Zero(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self)
    writeV(fp, imm(pc, 1), F32x4(lowHalf: SIMD2<Float>(a), highHalf: .zero))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_f64x2PromoteLowF32x4(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self)
    writeV(fp, imm(pc, 1), F64x2(a.lowHalf))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

// MARK: Exact float semantics

/// A comparison's lane mask as a vector: all ones where true, zero where false.
@inline(__always) fileprivate func lanes<S>(_ mask: SIMDMask<S>) -> S where S.MaskStorage == S {
    S(repeating: 0).replacing(with: -1, where: mask)
}

// One copy of these per shape: Swift picks a SIMD comparison's vector instruction only where the
// lane type is concrete; inside a generic function it is the stdlib's lane-by-lane loop, even
// after specialization.
//
// `integral` rounds to an integral value without libm: SSE2 has no rounding instruction, and
// four `floorf` calls would also make the handler save registers on every dispatch. Adding and
// subtracting 2^p (p = the significand width, so every number of that magnitude is an integer),
// with x's sign, rounds any |x| < 2^p to an integer, half to even; a compare then steps one
// toward the wanted direction. Lanes of magnitude 2^p or more, and infinities, are integers
// already and stay as they are; NaN lanes come out of the arithmetic quieted. The result takes
// x's sign, which is what makes ceil(-0.5) = -0 and trunc(-0.7) = -0.

// MARK: f32x4

/// Wasm `min` per lane: NaN if either operand is NaN, and -0 is smaller than +0.
@inline(__always) fileprivate func wasmMin(_ a: F32x4, _ b: F32x4) -> F32x4 {
    // Equal lanes differ at most in the sign of a zero; OR-ing the bits picks -0.
    let either = F32x4(bitPattern: a.bitPattern | b.bitPattern)
    let ordered = a.replacing(with: b, where: b .< a).replacing(with: either, where: a .== b)
    // a + b is a quiet NaN carrying a payload when either is NaN (OR-ing could leave it signalling).
    return ordered.replacing(with: a + b, where: (a .!= a) .| (b .!= b))
}

/// Wasm `max` per lane: NaN if either operand is NaN, and +0 is larger than -0.
@inline(__always) fileprivate func wasmMax(_ a: F32x4, _ b: F32x4) -> F32x4 {
    // Equal lanes differ at most in the sign of a zero; AND-ing the bits picks +0.
    let both = F32x4(bitPattern: a.bitPattern & b.bitPattern)
    let ordered = a.replacing(with: b, where: a .< b).replacing(with: both, where: a .== b)
    return ordered.replacing(with: a + b, where: (a .!= a) .| (b .!= b))
}

/// The four roundings of ceil, floor, trunc and nearest. The standard library's
/// `FloatingPointRoundingRule` is a resilient enum: comparing it calls into the runtime.
fileprivate enum Rounding { case up, down, towardZero, toNearestOrEven }

/// ceil, floor, trunc or nearest per lane, without libm (see above).
@inline(__always) fileprivate func integral(_ x: F32x4, _ rule: Rounding) -> F32x4 {
    let sign = x.bitPattern & 0x8000_0000
    let magnitude = F32x4(bitPattern: x.bitPattern & ~0x8000_0000), large = F32x4(repeating: 0x1p23)
    let offset = F32x4(bitPattern: large.bitPattern | sign) // 2^p with x's sign
    var r = (x + offset) - offset // nearest, ties to even
    switch rule {
    case .up: r = r.replacing(with: r + 1, where: r .< x)
    case .down: r = r.replacing(with: r - 1, where: x .< r)
    case .towardZero: // floor(|x|), with x's sign below
        r = (magnitude + large) - large
        r = r.replacing(with: r - 1, where: magnitude .< r)
    default: break
    }
    return F32x4(bitPattern: (r.bitPattern & ~0x8000_0000) | sign).replacing(with: x, where: large .<= magnitude)
}

// MARK: f64x2

/// Wasm `min` per lane: NaN if either operand is NaN, and -0 is smaller than +0.
@inline(__always) fileprivate func wasmMin(_ a: F64x2, _ b: F64x2) -> F64x2 {
    // Equal lanes differ at most in the sign of a zero; OR-ing the bits picks -0.
    let either = F64x2(bitPattern: a.bitPattern | b.bitPattern)
    let ordered = a.replacing(with: b, where: b .< a).replacing(with: either, where: a .== b)
    // a + b is a quiet NaN carrying a payload when either is NaN (OR-ing could leave it signalling).
    return ordered.replacing(with: a + b, where: (a .!= a) .| (b .!= b))
}

/// Wasm `max` per lane: NaN if either operand is NaN, and +0 is larger than -0.
@inline(__always) fileprivate func wasmMax(_ a: F64x2, _ b: F64x2) -> F64x2 {
    // Equal lanes differ at most in the sign of a zero; AND-ing the bits picks +0.
    let both = F64x2(bitPattern: a.bitPattern & b.bitPattern)
    let ordered = a.replacing(with: b, where: a .< b).replacing(with: both, where: a .== b)
    return ordered.replacing(with: a + b, where: (a .!= a) .| (b .!= b))
}

/// ceil, floor, trunc or nearest per lane, without libm (see above).
@inline(__always) fileprivate func integral(_ x: F64x2, _ rule: Rounding) -> F64x2 {
    let sign = x.bitPattern & 0x8000_0000_0000_0000
    let magnitude = F64x2(bitPattern: x.bitPattern & ~0x8000_0000_0000_0000), large = F64x2(repeating: 0x1p52)
    let offset = F64x2(bitPattern: large.bitPattern | sign) // 2^p with x's sign
    var r = (x + offset) - offset // nearest, ties to even
    switch rule {
    case .up: r = r.replacing(with: r + 1, where: r .< x)
    case .down: r = r.replacing(with: r - 1, where: x .< r)
    case .towardZero: // floor(|x|), with x's sign below
        r = (magnitude + large) - large
        r = r.replacing(with: r - 1, where: magnitude .< r)
    default: break
    }
    return F64x2(bitPattern: (r.bitPattern & ~0x8000_0000_0000_0000) | sign).replacing(with: x, where: large .<= magnitude)
}

fileprivate extension SIMD4 where Scalar == Float {
    init(bitPattern: SIMD4<UInt32>) { self = unsafeBitCast(bitPattern, to: Self.self) }
    var bitPattern: SIMD4<UInt32> { unsafeBitCast(self, to: SIMD4<UInt32>.self) }
}
fileprivate extension SIMD2 where Scalar == Double {
    init(bitPattern: SIMD2<UInt64>) { self = unsafeBitCast(bitPattern, to: Self.self) }
    var bitPattern: SIMD2<UInt64> { unsafeBitCast(self, to: SIMD2<UInt64>.self) }
}

// Saturating truncation of one lane: NaN is 0, out-of-range values clamp to the bounds. Every
// f32 is exactly a Double, so the f64 rules serve both widths. Lane by lane: Swift's vector
// conversions trap on out-of-range lanes, so they would be no shorter.
@inline(__always) fileprivate func saturatingS<F: BinaryFloatingPoint>(_ lane: F) -> Int32 {
    let x = Double(lane)
    if x.isNaN { return 0 }
    if x <= -2147483648.0 { return .min }
    if x >= 2147483648.0 { return .max }
    return Int32(x)
}
@inline(__always) fileprivate func saturatingU<F: BinaryFloatingPoint>(_ lane: F) -> UInt32 {
    let x = Double(lane)
    if x.isNaN || x <= 0 { return 0 }
    if x >= 4294967296.0 { return .max }
    return UInt32(x)
}

// MARK: Relaxed SIMD (Wasm 3.0)
// `[handler, dst, a, b, c]`. The spec allows a fused or an unfused multiply-add; these round
// twice (no FMA), the same on every machine.

func h_f32x4RelaxedMadd(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self), c = readV(fp, imm(pc, 4), F32x4.self)
    writeV(fp, imm(pc, 1), a * b + c)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

func h_f32x4RelaxedNmadd(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F32x4.self), b = readV(fp, imm(pc, 3), F32x4.self), c = readV(fp, imm(pc, 4), F32x4.self)
    writeV(fp, imm(pc, 1), c - a * b)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

func h_f64x2RelaxedMadd(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self), c = readV(fp, imm(pc, 4), F64x2.self)
    writeV(fp, imm(pc, 1), a * b + c)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

func h_f64x2RelaxedNmadd(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let a = readV(fp, imm(pc, 2), F64x2.self), b = readV(fp, imm(pc, 3), F64x2.self), c = readV(fp, imm(pc, 4), F64x2.self)
    writeV(fp, imm(pc, 1), c - a * b)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
