/// The vector loads and stores. Layouts, as the scalar accesses:
/// loads `[handler, dst, addr, offset, memoryCell]`, stores `[handler, addr, value, offset,
/// memoryCell]`; the lane forms add the lane: `[handler, dst, addr, vector, offset,
/// memoryCell, lane]` and `[handler, addr, vector, offset, memoryCell, lane]`.
/// A `v128` occupies two slots (bytes 0-7 in the first). Like the scalar accesses, they use
/// memory 0's base and size from the registers.

/// Reads the bytes `[ea, ea + size)` of memory 0 as `T` after the bounds check; nil when out
/// of bounds.
@inline(__always)
fileprivate func load<T>(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, addressWord: Int, offsetWord: Int, _: T.Type) -> T? {
    let ea = Int(readI32(fp, imm(pc, addressWord))) &+ imm(pc, offsetWord)
    if _slowPath(ea &+ MemoryLayout<T>.size > ms) { return nil }
    return m.loadUnaligned(fromByteOffset: ea, as: T.self)
}

// Each load is written out in its handler: with a shared helper taking a closure, LLVM
// outlined the closures and merged the handlers behind thunks, and the thunks' calls broke
// the tail-call chain.

func h_v128Load(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, SIMD16<UInt8>.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), raw)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load8x8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, SIMD8<Int8>.self) else { return raise(st, .memoryOutOfBounds) }
    // Lane by lane: the standard library's widening initializer is not inlined here.
    var wide = SIMD8<Int16>()
    for i in 0..<8 { wide[i] = Int16(raw[i]) }
    writeV(fp, imm(pc, 1), wide)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load8x8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, SIMD8<UInt8>.self) else { return raise(st, .memoryOutOfBounds) }
    // Lane by lane: the standard library's widening initializer is not inlined here.
    var wide = SIMD8<UInt16>()
    for i in 0..<8 { wide[i] = UInt16(raw[i]) }
    writeV(fp, imm(pc, 1), wide)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load16x4S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, SIMD4<Int16>.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD4<Int32>(truncatingIfNeeded: raw))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load16x4U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, SIMD4<UInt16>.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD4<UInt32>(truncatingIfNeeded: raw))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load32x2S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, SIMD2<Int32>.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD2<Int64>(truncatingIfNeeded: raw))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load32x2U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, SIMD2<UInt32>.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD2<UInt64>(truncatingIfNeeded: raw))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load8Splat(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, UInt8.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD16<UInt8>(repeating: raw))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load16Splat(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, UInt16.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD8<UInt16>(repeating: raw))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load32Splat(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, UInt32.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD4<UInt32>(repeating: raw))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load64Splat(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, UInt64.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD2<UInt64>(repeating: raw))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load32Zero(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, UInt32.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD4<UInt32>(raw, 0, 0, 0))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_v128Load64Zero(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let raw = load(pc, fp, m, ms, addressWord: 2, offsetWord: 3, UInt64.self) else { return raise(st, .memoryOutOfBounds) }
    writeV(fp, imm(pc, 1), SIMD2<UInt64>(raw, 0))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

func h_v128Store(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let ea = Int(readI32(fp, imm(pc, 1))) &+ imm(pc, 3)
    if _slowPath(ea &+ 16 > ms) { return raise(st, .memoryOutOfBounds) }
    m.storeBytes(of: readV(fp, imm(pc, 2), SIMD16<UInt8>.self), toByteOffset: ea, as: SIMD16<UInt8>.self)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `v128.loadN_lane`: replaces lane `lane` of the vector with the `Lane` read from memory.
@inline(__always)
fileprivate func laneLoad<V: SIMD>(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double, _: V.Type) {
    guard let value = load(pc, fp, m, ms, addressWord: 2, offsetWord: 4, V.Scalar.self) else {
        return raise(st, .memoryOutOfBounds)
    }
    var vector = readV(fp, imm(pc, 3), V.self)
    vector[imm(pc, 6)] = value
    writeV(fp, imm(pc, 1), vector)
    return dispatch(pc + 7, fp, m, ms, st, acc, facc)
}

func h_v128Load8Lane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    laneLoad(pc, fp, m, ms, st, acc, facc, SIMD16<UInt8>.self)
}
func h_v128Load16Lane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    laneLoad(pc, fp, m, ms, st, acc, facc, SIMD8<UInt16>.self)
}
func h_v128Load32Lane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    laneLoad(pc, fp, m, ms, st, acc, facc, SIMD4<UInt32>.self)
}
func h_v128Load64Lane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    laneLoad(pc, fp, m, ms, st, acc, facc, SIMD2<UInt64>.self)
}

/// `v128.storeN_lane`: writes lane `lane` of the vector to memory.
@inline(__always)
fileprivate func laneStore<V: SIMD>(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double, _: V.Type) {
    let ea = Int(readI32(fp, imm(pc, 1))) &+ imm(pc, 3)
    if _slowPath(ea &+ MemoryLayout<V.Scalar>.size > ms) { return raise(st, .memoryOutOfBounds) }
    m.storeBytes(of: readV(fp, imm(pc, 2), V.self)[imm(pc, 5)], toByteOffset: ea, as: V.Scalar.self)
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}

func h_v128Store8Lane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    laneStore(pc, fp, m, ms, st, acc, facc, SIMD16<UInt8>.self)
}
func h_v128Store16Lane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    laneStore(pc, fp, m, ms, st, acc, facc, SIMD8<UInt16>.self)
}
func h_v128Store32Lane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    laneStore(pc, fp, m, ms, st, acc, facc, SIMD4<UInt32>.self)
}
func h_v128Store64Lane(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    laneStore(pc, fp, m, ms, st, acc, facc, SIMD2<UInt64>.self)
}
