// Moving scalars in and out of v128 lanes: splat, extract_lane, replace_lane. A v128 occupies two
// frame slots (bytes 0-7 in slot s, 8-15 in s + 1, lanes little-endian), so lane k of a shape
// with w-byte lanes is the w bytes at byte offset k * w from slot s. Layouts (slot indices;
// `lane` is the literal lane number, already validated against the shape):
//   splat          [handler, dst, x]
//   extract_lane   [handler, dst, v, lane]
//   replace_lane   [handler, dst, v, x, lane]
// dst may be any operand's slot, so every operand is read before dst is written. A float lane
// moves as its bits, so f32x4 and f64x2 use the i32x4 and i64x2 handlers (identical bodies
// would be merged into thunks; DESIGN.md, "Code generation traps").

// MARK: splat

func h_i8x16Splat(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = UInt8(truncatingIfNeeded: fp[imm(pc, 2)])
    writeV(fp, imm(pc, 1), SIMD16<UInt8>(repeating: x))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

func h_i16x8Splat(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = UInt16(truncatingIfNeeded: fp[imm(pc, 2)])
    writeV(fp, imm(pc, 1), SIMD8<UInt16>(repeating: x))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// Also `f32x4.splat` (an f32 is its bits in the low half of the slot).
func h_i32x4Splat(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = UInt32(truncatingIfNeeded: fp[imm(pc, 2)])
    writeV(fp, imm(pc, 1), SIMD4<UInt32>(repeating: x))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// Also `f64x2.splat`.
func h_i64x2Splat(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = fp[imm(pc, 2)]
    writeV(fp, imm(pc, 1), SIMD2<UInt64>(repeating: x))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

// MARK: extract_lane (the scalar result is written like any i32/i64/f32/f64 result)

func h_i8x16ExtractLaneS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = lane(fp, imm(pc, 2), imm(pc, 3), Int8.self)
    fp[imm(pc, 1)] = UInt64(UInt32(bitPattern: Int32(x)))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i8x16ExtractLaneU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = lane(fp, imm(pc, 2), imm(pc, 3), UInt8.self)
    fp[imm(pc, 1)] = UInt64(x)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtractLaneS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = lane(fp, imm(pc, 2), imm(pc, 3), Int16.self)
    fp[imm(pc, 1)] = UInt64(UInt32(bitPattern: Int32(x)))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_i16x8ExtractLaneU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = lane(fp, imm(pc, 2), imm(pc, 3), UInt16.self)
    fp[imm(pc, 1)] = UInt64(x)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// Also `f32x4.extract_lane`.
func h_i32x4ExtractLane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = lane(fp, imm(pc, 2), imm(pc, 3), UInt32.self)
    fp[imm(pc, 1)] = UInt64(x)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// Also `f64x2.extract_lane`.
func h_i64x2ExtractLane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let x = lane(fp, imm(pc, 2), imm(pc, 3), UInt64.self)
    fp[imm(pc, 1)] = x
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

// MARK: replace_lane (copy the vector, then overwrite one lane in place)

func h_i8x16ReplaceLane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    replaceLane(pc, fp, UInt8(truncatingIfNeeded: fp[imm(pc, 3)]))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

func h_i16x8ReplaceLane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    replaceLane(pc, fp, UInt16(truncatingIfNeeded: fp[imm(pc, 3)]))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// Also `f32x4.replace_lane`.
func h_i32x4ReplaceLane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    replaceLane(pc, fp, UInt32(truncatingIfNeeded: fp[imm(pc, 3)]))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// Also `f64x2.replace_lane`.
func h_i64x2ReplaceLane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    replaceLane(pc, fp, fp[imm(pc, 3)])
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

// MARK: Lane access

/// Lane `k` of the v128 in slots s, s + 1, where lanes are `T`s.
@inline(__always) fileprivate func lane<T: FixedWidthInteger>(_ fp: FP, _ s: Int, _ k: Int, _: T.Type) -> T {
    UnsafeRawPointer(fp + s).load(fromByteOffset: k &* MemoryLayout<T>.size, as: T.self)
}

/// `[handler, dst, v, x, lane]`: dst = v with lane `lane` set to `x` (already read, since dst
/// may be x's slot).
@inline(__always) fileprivate func replaceLane<T: FixedWidthInteger>(_ pc: PC, _ fp: FP, _ x: T) {
    let v = readV(fp, imm(pc, 2), SIMD2<UInt64>.self)
    let dst = imm(pc, 1)
    writeV(fp, dst, v)
    UnsafeMutableRawPointer(fp + dst).storeBytes(of: x, toByteOffset: imm(pc, 4) &* MemoryLayout<T>.size, as: T.self)
}
