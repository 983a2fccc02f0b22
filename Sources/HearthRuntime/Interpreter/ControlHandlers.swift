import Synchronization

/// Branches, calls and returns.
///
/// Branch targets are word offsets relative to the branching instruction, so code can be
/// built in a growable array and copied anywhere. Calls never recurse natively: `call` pushes
/// a `ControlEntry` and jumps into the callee, `return` pops it and jumps back.

@inline(__always)
fileprivate func target(_ pc: PC, _ i: Int) -> PC { pc + imm(pc, i) }

/// Copies branch values down to the label's stack height (source is never below the target).
/// One value is the common case and gets a path of its own.
@inline(__always)
fileprivate func moveValues(_ fp: FP, from src: Int, to dst: Int, count: Int) {
    if _fastPath(count == 1) { fp[dst] = fp[src]; return }
    var i = 0
    while i < count { fp[dst &+ i] = fp[src &+ i]; i &+= 1 }
}

/// `[handler, offset]`
func h_br(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    return dispatch(target(pc, 1), fp, m, ms, st, acc, facc)
}

/// `[handler, offset, src, dst, count]`
func h_brCopy(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    moveValues(fp, from: imm(pc, 2), to: imm(pc, 3), count: imm(pc, 4))
    return dispatch(target(pc, 1), fp, m, ms, st, acc, facc)
}

/// `[handler, offset]`: `br` to a loop header. It polls (fuel, interrupt) as the header's
/// `h_poll` would and jumps past it (the backward forms of the conditional branches are
/// generated: LoopBranchHandlers.swift).
func h_back(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(pollSpent(st)) { return continueAfterPoll(target(pc, 1), fp, m, ms, st, acc, facc) }
    return dispatch(target(pc, 1), fp, m, ms, st, acc, facc)
}

/// `[handler, condition, offset, src, dst, count]`
func h_brIfCopy(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _fastPath(readI32(fp, imm(pc, 1)) != 0) {
        moveValues(fp, from: imm(pc, 3), to: imm(pc, 4), count: imm(pc, 5))
        return dispatch(target(pc, 2), fp, m, ms, st, acc, facc)
    }
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}

/// `[handler, index, targetCount, src, arity, (offset, dst) * (targetCount + 1)]`; the last
/// pair is the default target. This one is for tables whose targets take no values (`arity`
/// 0, `src` and the `dst`s unused); `h_brTableCopy` moves them. One handler for both saved and
/// restored five registers on every branch, for a vectorized move loop most tables never run.
func h_brTable(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let count = imm(pc, 2)
    let i = min(Int(readI32(fp, imm(pc, 1))), count)
    // An index is at most 2^32 - 1, so the entry's word cannot overflow.
    return dispatch(target(pc, 5 &+ 2 &* i), fp, m, ms, st, acc, facc)
}

/// `h_brTable` for targets that take values: moves `arity` slots from `src` to the chosen
/// target's `dst`.
func h_brTableCopy(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let count = imm(pc, 2)
    let i = min(Int(readI32(fp, imm(pc, 1))), count)
    let entry = 5 &+ 2 &* i
    moveValues(fp, from: imm(pc, 3), to: imm(pc, entry &+ 1), count: imm(pc, 4))
    return dispatch(target(pc, entry), fp, m, ms, st, acc, facc)
}

/// Pops the control stack and resumes the caller.
@inline(__always)
fileprivate func returnToCaller(_ st: ST) {
    let entry = st.pointee.csp
    st.pointee.csp = entry - 1
    let memory = entry.pointee.callerMemory
    return dispatch(entry.pointee.returnPC, entry.pointee.callerFP, memory.pointee.base, memory.pointee.byteCount, st, 0, 0)
}

/// `[handler, src, count]`: moves the results to slots 0... and returns.
func h_return(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    moveValues(fp, from: imm(pc, 1), to: 0, count: imm(pc, 2))
    return returnToCaller(st)
}

/// Pushes a control entry for a call made by the instruction at `pc` (its size `length`).
@inline(__always)
fileprivate func enterCallee(_ pc: PC, _ length: Int, _ fp: FP, _ argBase: Int, _ callerMemory: UnsafeMutablePointer<MemoryCell>,
                 _ callee: UnsafeMutablePointer<FunctionRecord>, _ st: ST) {
    let entry = st.pointee.csp + 1
    if _slowPath(entry >= st.pointee.cspLimit) { return raise(st, .callStackExhausted) }
    // Field stores rather than the memberwise initializer: that lives in another file and
    // would not be inlined in debug builds.
    entry.pointee.callerFP = fp
    entry.pointee.returnPC = pc + length
    entry.pointee.callerMemory = callerMemory
    entry.pointee.callee = callee
    st.pointee.csp = entry
    let memory = callee.pointee.memory
    return dispatch(callee.pointee.code, fp + argBase, memory.pointee.base, memory.pointee.byteCount, st, 0, 0)
}

/// `[handler, calleeRecord, argBase, callerMemoryCell]`
func h_call(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    return enterCallee(pc, 4, fp, imm(pc, 2), immPointer(pc, 3, MemoryCell.self),
                       immPointer(pc, 1, FunctionRecord.self), st)
}

/// The moves of a moving call (words 1 and 2 count them, the pairs follow); answers the word
/// after the last pair, where the call's own words begin.
@inline(__always)
fileprivate func moveArguments(_ pc: PC, _ fp: FP) -> Int {
    var w = 3
    let slotEnd = 3 &+ 2 &* imm(pc, 1)
    while w < slotEnd { fp[imm(pc, w)] = fp[imm(pc, w &+ 1)]; w &+= 2 }
    let end = slotEnd &+ 2 &* imm(pc, 2)
    while w < end { fp[imm(pc, w)] = pc[w &+ 1]; w &+= 2 }
    return end
}

/// `[handler, slotMoves, constantMoves, (dst, srcSlot) * slotMoves, (dst, constant) *
/// constantMoves, calleeRecord, argBase, callerMemoryCell, length]`: a `call` that first puts
/// the arguments still in locals or constants into their slots. Most arguments are
/// `local.get`s or constants, and one instruction per argument cost a dispatch each. A move
/// reads a local (below every argument slot) or the word itself, so the order of the moves
/// does not matter. `length` (the instruction's words) closes it so that a return point can
/// find its call from behind (`SuspendedExecution`).
func h_callMoving(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let end = moveArguments(pc, fp)
    return enterCallee(pc, end &+ 4, fp, imm(pc, end &+ 1), immPointer(pc, end &+ 2, MemoryCell.self),
                       immPointer(pc, end, FunctionRecord.self), st)
}

/// The function `call_indirect` and `return_call_indirect` call: words `base`...`base + 2` are
/// the table cell, the expected type id and the index slot (from word 1, or after a moving
/// call's moves). Raises the trap and answers nil when the index is
/// out of range, the entry null or of another type.
@inline(__always)
fileprivate func indirectCallee(_ pc: PC, _ base: Int, _ fp: FP, _ st: ST) -> UnsafeMutablePointer<FunctionRecord>? {
    let table = immPointer(pc, base, TableCell.self)
    let i = Int(readI32(fp, imm(pc, base &+ 2)))
    if _slowPath(i >= table.pointee.count) { raise(st, .undefinedElement); return nil }
    let word = table.pointee.elements[i]
    if _slowPath(word == 0) { raise(st, .uninitializedElement); return nil }
    let callee = UnsafeMutablePointer<FunctionRecord>(bitPattern: UInt(word)).unsafelyUnwrapped
    if _slowPath(callee.pointee.typeID != imm(pc, base &+ 1)) {
        // Different ids can still be subtype and supertype (3.0).
        if !callee.pointee.runtimeType.pointee.isSubtype(of: imm(pc, base &+ 1)) { raise(st, .indirectCallTypeMismatch); return nil }
    }
    return callee
}

/// `[handler, tableCell, typeID, indexSlot, argBase, callerMemoryCell]`
func h_callIndirect(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let callee = indirectCallee(pc, 1, fp, st) else { return }
    return enterCallee(pc, 6, fp, imm(pc, 4), immPointer(pc, 5, MemoryCell.self), callee, st)
}

/// `[handler, slotMoves, constantMoves, (dst, srcSlot) * slotMoves, (dst, constant) *
/// constantMoves, tableCell, typeID, indexSlot, argBase, callerMemoryCell, length]`: a
/// `call_indirect` that first moves its arguments, as `h_callMoving` does (virtual calls pass
/// locals and constants as often as direct ones). The index slot is never an argument's, so the
/// moves cannot change which function is called; a trap after them leaves nothing to undo.
func h_callIndirectMoving(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let end = moveArguments(pc, fp)
    guard let callee = indirectCallee(pc, end, fp, st) else { return }
    return enterCallee(pc, end &+ 6, fp, imm(pc, end &+ 3), immPointer(pc, end &+ 4, MemoryCell.self), callee, st)
}

/// The function a `call_ref` / `return_call_ref` calls: the reference in the slot at word 1.
/// Its type needs no check (validation proved it); raises the trap and answers nil on null.
@inline(__always)
fileprivate func referencedCallee(_ pc: PC, _ fp: FP, _ st: ST) -> UnsafeMutablePointer<FunctionRecord>? {
    let word = fp[imm(pc, 1)]
    if _slowPath(word == 0) { raise(st, .nullFunctionReference); return nil }
    return UnsafeMutablePointer<FunctionRecord>(bitPattern: UInt(word)).unsafelyUnwrapped
}

/// `[handler, referenceSlot, argBase, callerMemoryCell]`: `call_ref`.
func h_callRef(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let callee = referencedCallee(pc, fp, st) else { return }
    return enterCallee(pc, 4, fp, imm(pc, 2), immPointer(pc, 3, MemoryCell.self), callee, st)
}

/// Replaces the running function by `callee` in the same frame and control entry: the
/// arguments move down to slots 0..., the entry names the new callee (backtraces), and the
/// callee returns straight to this function's caller.
///
/// A host function is called normally instead (host calls recurse natively anyway, and its
/// `Caller` must be this function's instance): it returns to the `h_return` the translator put
/// after the tail call, `length` words on.
@inline(__always)
fileprivate func enterTailCallee(_ pc: PC, _ length: Int, _ fp: FP, _ argBase: Int, _ slots: Int,
                                 _ callerMemory: UnsafeMutablePointer<MemoryCell>,
                                 _ callee: UnsafeMutablePointer<FunctionRecord>, _ st: ST) {
    if _slowPath(callee.pointee.code.pointee == hostCallWord) {
        return enterCallee(pc, length, fp, argBase, callerMemory, callee, st)
    }
    var i = 0
    while i < slots { fp[i] = fp[argBase &+ i]; i &+= 1 }
    st.pointee.csp.pointee.callee = callee
    let memory = callee.pointee.memory
    return dispatch(callee.pointee.code, fp, memory.pointee.base, memory.pointee.byteCount, st, 0, 0)
}

/// The first word of a host function's stub, to tell host callees apart.
fileprivate let hostCallWord = word(h_hostCall)

/// `[handler, calleeRecord, argBase, argumentSlots, callerMemoryCell]`: `return_call`; followed
/// by `[h_return, argBase, resultSlots]` for host callees.
func h_returnCall(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    return enterTailCallee(pc, 5, fp, imm(pc, 2), imm(pc, 3), immPointer(pc, 4, MemoryCell.self),
                           immPointer(pc, 1, FunctionRecord.self), st)
}

/// `[handler, tableCell, typeID, indexSlot, argBase, argumentSlots, callerMemoryCell]`:
/// `return_call_indirect`; followed by `[h_return, argBase, resultSlots]` for host callees.
func h_returnCallIndirect(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let callee = indirectCallee(pc, 1, fp, st) else { return }
    return enterTailCallee(pc, 7, fp, imm(pc, 4), imm(pc, 5), immPointer(pc, 6, MemoryCell.self), callee, st)
}

/// `[handler, referenceSlot, argBase, argumentSlots, callerMemoryCell]`: `return_call_ref`;
/// followed by `[h_return, argBase, resultSlots]` for host callees.
func h_returnCallRef(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let callee = referencedCallee(pc, fp, st) else { return }
    return enterTailCallee(pc, 5, fp, imm(pc, 2), imm(pc, 3), immPointer(pc, 4, MemoryCell.self), callee, st)
}

/// `[handler, slot]`: `ref.as_non_null` traps on null and leaves the reference where it is.
func h_refAsNonNull(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(fp[imm(pc, 1)] == 0) { return raise(st, .nullReference) }
    return dispatch(pc + 2, fp, m, ms, st, acc, facc)
}

/// `[handler, frameSize, firstLocal, localCount, zero]`: the first instruction of every
/// function. Checks that the frame fits in the value stack, polls for interrupt/fuel (so
/// recursion without loops is stoppable too) and zeroes the declared locals.
///
/// Three handlers share the layout, chosen by the count of locals (`enterHandler`): this one
/// for none, `h_enterZeroingFew` for one to four, `h_enterZeroing` for more. One handler for
/// every count cost 38 instructions per call: LLVM vectorizes the loop, and the registers the
/// vector loop needs are saved and restored on every entry, even one that zeroes one local.
func h_enter(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(fp + imm(pc, 1) > st.pointee.stackLimit) { return raise(st, .callStackExhausted) }
    if _slowPath(pollSpent(st)) { return continueAfterPoll(pc + 5, fp, m, ms, st, acc, facc) }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `h_enter` for one to four locals: four stores, no loop. The stores at `first`, `last`,
/// `first + count / 2` and `last - count / 2` cover every count from one to four (overlapping
/// below four), and none lands outside the locals.
func h_enterZeroingFew(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(fp + imm(pc, 1) > st.pointee.stackLimit) { return raise(st, .callStackExhausted) }
    let first = fp + imm(pc, 2)
    let count = imm(pc, 3)
    let half = count &>> 1
    first[0] = 0
    first[half] = 0
    first[count &- 1] = 0
    first[count &- 1 &- half] = 0
    // Polled after the stores, so that the slow path goes on where this handler would.
    if _slowPath(pollSpent(st)) { return continueAfterPoll(pc + 5, fp, m, ms, st, 0, 0) }
    // No accumulator is live at a function's entry; passing none frees its register, which
    // these stores need to fit in the registers a handler may use without saving any.
    return dispatch(pc + 5, fp, m, ms, st, 0, 0)
}

/// `h_enter` for more than four locals: two locals per store, the last two stored apart (over
/// the loop's last pair when the count is odd), so no store lands outside the locals and the
/// loop needs no remainder. A loop of one slot per store, vectorized by LLVM, saved and
/// restored five registers on every entry (62 instructions per entry in `cc1`).
///
/// The zero stored is read from the code: with a literal 0 LLVM turns the loop into a `memset`
/// call, and that call makes the handler save six registers on every function entry.
func h_enterZeroing(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(fp + imm(pc, 1) > st.pointee.stackLimit) { return raise(st, .callStackExhausted) }
    let zero = SIMD2<UInt64>(repeating: pc[4])
    var pair = UnsafeMutableRawPointer(fp + imm(pc, 2))
    let lastPair = UnsafeMutableRawPointer(fp + (imm(pc, 2) &+ imm(pc, 3) &- 2))
    repeat {
        pair.storeBytes(of: zero, as: SIMD2<UInt64>.self)
        pair += 16
    } while pair < lastPair
    lastPair.storeBytes(of: zero, as: SIMD2<UInt64>.self)
    if _slowPath(pollSpent(st)) { return continueAfterPoll(pc + 5, fp, m, ms, st, 0, 0) }
    // As in `h_enterZeroingFew`: no accumulator is live here, and its register is one more free.
    return dispatch(pc + 5, fp, m, ms, st, 0, 0)
}

/// `[handler]`
func h_unreachable(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    return raise(st, .unreachable)
}

/// `[handler]`: where a call made from the host returns to; leaves the handler chain.
func h_exit(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {}

/// The stub of a function not translated yet: `[handler, record]`.
func h_translate(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let record = immPointer(pc, 1, FunctionRecord.self)
    if _slowPath(!translateOnFirstCall(record, st)) { return raise(st, .hostError) }
    return dispatch(record.pointee.code, fp, m, ms, st, acc, facc)
}

/// The stub of a host function: `[handler, record]`. Host calls recurse natively.
func h_hostCall(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(!callHostFunction(immPointer(pc, 1, FunctionRecord.self), fp, st)) {
        // A Wasm exception the host function let through continues into the Wasm callers.
        guard let landing = continueUnwindingAfterHostCall(fp, st) else { return }
        return dispatch(landing.pc, landing.fp, landing.memory.pointee.base, landing.memory.pointee.byteCount, st, 0, 0)
    }
    return returnToCaller(st)
}
