/// Handlers of the GC proposal's reference instructions: `i31` boxing, `ref.eq` and the casts.
///
/// A reference word is self-describing within its hierarchy: 0 is null, an `i31` has its low
/// bit set (`value << 1 | 1`), a host reference has low bits `10` (`handle << 2 | 2`, the same
/// word as `externref` or, converted, `anyref`), and anything else is the address of a heap
/// object (or, in the function hierarchy, of a `FunctionRecord`).

/// What a cast tests for: immediate word `kind | nullable << 8`, plus a type id for the
/// defined types.
enum CastKind: UInt64 {
    case any, eq, i31, structure, array, none, function, noFunction, extern, noExtern, exception, noException
    /// A struct or array type (and its subtypes), by engine type id.
    case definedObject
    /// A function type (and its subtypes), by engine type id.
    case definedFunction

    static let nullableBit: UInt64 = 1 << 8
}

/// Whether `word` belongs to the cast target `target` (`CastKind` and nullability) with
/// type id `id` (defined types only).
@inline(__always)
fileprivate func castMatches(_ word: UInt64, _ target: UInt64, _ id: Int) -> Bool {
    if word == 0 { return target & CastKind.nullableBit != 0 }
    switch CastKind(rawValue: target & 0xFF).unsafelyUnwrapped {
    case .any, .function, .extern, .exception: return true
    case .eq: return word & 3 != 2
    case .i31: return word & 1 != 0
    case .structure: return word & 3 == 0 && objectType(word).pointee.kind == .structure
    case .array: return word & 3 == 0 && objectType(word).pointee.kind == .array
    case .none, .noFunction, .noExtern, .noException: return false
    case .definedObject: return word & 3 == 0 && objectType(word).pointee.isSubtype(of: id)
    case .definedFunction:
        return UnsafeMutablePointer<FunctionRecord>(bitPattern: UInt(word)).unsafelyUnwrapped.pointee.runtimeType.pointee.isSubtype(of: id)
    }
}

@inline(__always)
fileprivate func objectType(_ word: UInt64) -> UnsafeMutablePointer<RuntimeType> {
    UnsafeMutableRawPointer(bitPattern: UInt(word)).unsafelyUnwrapped.load(as: UnsafeMutablePointer<RuntimeType>.self)
}

/// `[handler, dst, src, target, id]`: `ref.test`.
func h_refTest(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    fp[imm(pc, 1)] = castMatches(fp[imm(pc, 2)], pc[3], imm(pc, 4)) ? 1 : 0
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `[handler, slot, target, id]`: `ref.cast`, in place.
func h_refCast(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(!castMatches(fp[imm(pc, 1)], pc[2], imm(pc, 3))) { return raise(st, .castFailure) }
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, src, target, id, offset]`: `br_on_cast`, taken when the cast succeeds.
func h_brOnCast(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if castMatches(fp[imm(pc, 1)], pc[2], imm(pc, 3)) { return dispatch(pc + imm(pc, 4), fp, m, ms, st, acc, facc) }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `[handler, src, target, id, offset]`: `br_on_cast_fail`, taken when the cast fails.
func h_brOnCastFail(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if !castMatches(fp[imm(pc, 1)], pc[2], imm(pc, 3)) { return dispatch(pc + imm(pc, 4), fp, m, ms, st, acc, facc) }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, src]`: `ref.i31` keeps the low 31 bits.
func h_refI31(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    fp[imm(pc, 1)] = (UInt64(UInt32(truncatingIfNeeded: fp[imm(pc, 2)]) & 0x7FFF_FFFF) << 1) | 1
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, src]`: `i31.get_s`.
func h_i31GetS(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let word = fp[imm(pc, 2)]
    if _slowPath(word == 0) { return raise(st, .nullI31Reference) }
    // The 31 bits sit above the tag bit: an arithmetic shift of the 32-bit word sign-extends.
    fp[imm(pc, 1)] = UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: word) >> 1))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, src]`: `i31.get_u`.
func h_i31GetU(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let word = fp[imm(pc, 2)]
    if _slowPath(word == 0) { return raise(st, .nullI31Reference) }
    fp[imm(pc, 1)] = UInt64(UInt32(truncatingIfNeeded: word) >> 1)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, lhs, rhs]`: `ref.eq` (identity; equal `i31`s have equal words).
func h_refEq(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    fp[imm(pc, 1)] = fp[imm(pc, 2)] == fp[imm(pc, 3)] ? 1 : 0
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}
