import Synchronization

/// Stopping runaway guests: the poll at loop headers and its slow path, shared with every
/// handler that polls (backward branches, `h_enter`).
///
/// A poll takes one unit of fuel. Fuel is therefore counted in loop iterations (each entry
/// into a loop header, by fall-through or back edge) plus function entries. The poll itself
/// only counts down `ticks`, a share of the fuel of at most `ExecutionState.pollShare` polls;
/// when the share is spent, `continueAfterPoll` checks the store's interrupt flag and hands out
/// the next share. With fuel off the reserve starts at `Int.max`, so the same code runs
/// whether or not fuel is metered.

/// `[handler]`: the first instruction of every loop body.
func h_poll(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(pollSpent(st)) { return continueAfterPoll(pc + 1, fp, m, ms, st, acc, facc) }
    return dispatch(pc + 1, fp, m, ms, st, acc, facc)
}

/// The slow path of a poll whose share of fuel is spent (`ticks` is -1: the poll took a unit
/// it did not have). A pending interrupt wins, gives the unit back and is cleared, so the
/// store's next call runs normally; otherwise the next share of the reserve pays for the poll
/// and the code goes on at `pc`, where the poll would have gone; with the reserve empty, the
/// fuel ran out. Out of line and entered by a tail call with the handlers' signature, so a
/// polling handler saves no registers for it.
@inline(never)
func continueAfterPoll(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if st.pointee.interruptFlag.pointee.exchange(0, ordering: .relaxed) != 0 {
        st.pointee.ticks = 0
        return raise(st, .interrupted)
    }
    let share = min(st.pointee.fuelReserve, ExecutionState.pollShare)
    guard share > 0 else {
        st.pointee.ticks = 0
        return raise(st, .outOfFuel)
    }
    st.pointee.fuelReserve &-= share
    st.pointee.ticks = share &- 1
    return dispatch(pc, fp, m, ms, st, acc, facc)
}
