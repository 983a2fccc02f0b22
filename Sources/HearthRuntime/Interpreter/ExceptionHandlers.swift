/// Throwing exceptions (3.0 `throw`/`throw_ref`, legacy `rethrow`).
///
/// A throw allocates the exception (`ExceptionHeap`) and asks the unwinder
/// (ExceptionUnwinding.swift) for the handler that catches it. When one does, the payload is
/// already in that frame's slots and the control stack is cut back to it: the handler jumps to
/// the landing code with that frame's fp and memory registers. When none does before the Wasm
/// code the host called, the unwinder records an uncaught-exception trap and the handler
/// returns, which ends the chain like any trap. Calls and returns do no extra work for this.

/// `[handler, tagCell, payloadSlot, payloadSlots]`: `throw x`; the payload is in consecutive
/// slots from `payloadSlot`.
func h_throw(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let exception = allocateException(immPointer(pc, 1, TagCell.self), fp + imm(pc, 2), imm(pc, 3), st) else { return }
    guard let landing = unwind(exception, at: pc, fp: fp, st) else { return }
    let memory = landing.memory
    return dispatch(landing.pc, landing.fp, memory.pointee.base, memory.pointee.byteCount, st, 0, 0)
}

/// `[handler, referenceSlot]`: `throw_ref` (traps on null) and legacy `rethrow` (the slot is
/// the catch block's hidden exception slot, never null).
func h_throwRef(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let exception = fp[imm(pc, 1)]
    if _slowPath(exception == 0) { return raise(st, .nullExceptionReference) }
    guard let landing = unwind(exception, at: pc, fp: fp, st) else { return }
    let memory = landing.memory
    return dispatch(landing.pc, landing.fp, memory.pointee.base, memory.pointee.byteCount, st, 0, 0)
}
