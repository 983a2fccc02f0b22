import Synchronization

/// Stopping runaway guests: the poll at loop headers and the cold path shared with `h_enter`.
///
/// A poll takes one unit of fuel and checks the store's interrupt flag. Fuel is therefore
/// counted in loop iterations (each entry into a loop header, by fall-through or back edge)
/// plus function entries. With fuel off the counter starts at `Int.max`, so the same code
/// runs whether or not fuel is metered.

/// `[handler]`: the first instruction of every loop body.
func h_poll(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(mustStop(st)) { return raise(st, stopReason(st)) }
    return dispatch(pc + 1, fp, m, ms, st, acc, facc)
}

/// Why a poll failed. An interrupt wins over fuel and gives back the unit it took; the flag
/// is cleared here, so the store's next call runs normally.
@inline(never)
func stopReason(_ st: ST) -> TrapKind {
    if st.pointee.interruptFlag.pointee.exchange(0, ordering: .relaxed) != 0 {
        st.pointee.fuel = max(st.pointee.fuel &+ 1, 0)
        return .interrupted
    }
    st.pointee.fuel = 0
    return .outOfFuel
}

/// `raise(st, stopReason(st))` out of line, for a handler whose fast path has a loop: with the
/// call in the handler, LLVM saved registers for it at the handler's entry (it could not sink
/// the saves past the loop); a tail call to this needs none.
@inline(never)
func raiseStop(_ st: ST) {
    raise(st, stopReason(st))
}
