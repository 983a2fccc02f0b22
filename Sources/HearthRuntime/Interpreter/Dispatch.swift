import Synchronization

/// The threaded-code machine: instruction words, handler type and the tail-call dispatch.
///
/// A translated function is a flat buffer of 64-bit words. Every instruction starts with the
/// address of its handler, followed by its immediates (frame-slot indices, constants, relative
/// branch offsets, raw pointers to runtime cells). A handler does its work and ends with
/// `return dispatch(next, ...)`; at `-O` LLVM turns that call in tail position into a `jmp`, so
/// the chain of handlers never grows the native stack; unoptimized builds use a trampoline over
/// the same handlers instead (`dispatch` in Operands.swift). Traps and the final exit leave by
/// returning, which unwinds straight back to the `run` that entered the chain.

/// Instruction pointer into a code buffer.
typealias PC = UnsafePointer<UInt64>
/// Frame pointer: slot 0 of the running function's frame (its first parameter).
typealias FP = UnsafeMutablePointer<UInt64>
/// Base address of the running instance's memory 0 (a dummy when it has none).
typealias MB = UnsafeMutableRawPointer
/// The per-store execution state (control stack, limits, trap code).
typealias ST = UnsafeMutablePointer<ExecutionState>

/// Every handler has exactly this signature so that the calls between them are sibling calls.
/// The last two arguments are the accumulators: a value handed from one instruction to the next
/// in a register (DESIGN.md, "Accumulator"), an integer in a general-purpose register and a
/// float in a vector register; handlers that do not use them pass them on unchanged.
typealias Handler = @convention(thin) (PC, FP, MB, Int, ST, UInt64, Double) -> Void

/// Encodes a handler as an instruction word.
@inline(__always)
func word(_ handler: Handler) -> UInt64 { unsafeBitCast(handler, to: UInt64.self) }

/// Enters the handler chain at `pc` and returns when it has left it (by the exit handler or a
/// trap). Handlers pass control on with `dispatch` (Operands.swift); under the trampoline back
/// end this loop calls each next handler in turn. A host function that calls back into Wasm
/// runs a nested loop: the outer handler's `next` is empty until it returns, and the nested
/// loop ends with it empty again.
func run(_ pc: PC, _ fp: FP, _ memory: UnsafeMutablePointer<MemoryCell>, _ st: ST) {
    // An interrupt sent between calls stops this one at its first poll: the polls test only
    // `ticks`, so the share left is returned to the reserve.
    if _slowPath(st.pointee.interruptFlag.pointee.load(ordering: .relaxed) != 0) { st.pointee.returnShare() }
    run(pc, fp, memory.pointee.base, memory.pointee.byteCount, st, 0, 0)
}

/// `run` with the memory registers and the accumulator given.
@inline(__always)
func run(_ pc: PC, _ fp: FP, _ base: MB, _ size: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let handler = unsafeBitCast(pc.pointee, to: Handler.self)
    guard _isDebugAssertConfiguration() else {
        return handler(pc, fp, base, size, st, acc, facc)
    }
    st.pointee.next = NextHandler()
    handler(pc, fp, base, size, st, acc, facc)
    while let pc = st.pointee.next.pc {
        let next = st.pointee.next
        st.pointee.next = NextHandler()
        unsafeBitCast(pc.pointee, to: Handler.self)(pc, next.fp.unsafelyUnwrapped, next.memoryBase.unsafelyUnwrapped,
                                                    next.memorySize, st, next.acc, next.facc)
    }
}

/// The registers of the handler to call next, left by `dispatch` under the trampoline back end
/// (unoptimized builds); `pc == nil` when the handler that ran did not dispatch (it exited or
/// trapped).
struct NextHandler {
    var pc: PC? = nil
    var fp: FP? = nil
    var memoryBase: MB? = nil
    var memorySize = 0
    var acc: UInt64 = 0
    var facc: Double = 0
}

/// One saved call: where to resume the caller and what it was running.
struct ControlEntry {
    var callerFP: FP
    var returnPC: PC
    /// The caller's memory 0, to reload the memory base register on return.
    var callerMemory: UnsafeMutablePointer<MemoryCell>
    /// The callee, for backtraces and for `Caller` in host functions.
    var callee: UnsafeMutablePointer<FunctionRecord>
}

/// Mutable machine state shared by all handlers of one store. Raw memory, never touched by ARC.
struct ExecutionState {
    /// Top (last pushed) control entry.
    var csp: UnsafeMutablePointer<ControlEntry>
    /// One past the last usable control entry: reaching it is "call stack exhausted".
    var cspLimit: UnsafeMutablePointer<ControlEntry>
    var cspBase: UnsafeMutablePointer<ControlEntry>
    /// Value-stack bounds.
    var stackBase: FP
    var stackLimit: FP
    /// Where a call entering from the host puts its frame (above every live frame).
    var stackTop: FP
    /// `TrapKind.rawValue` of the pending trap, 0 while running normally.
    var trap: Int
    /// Back pointer to the owning store, for the cold paths (translation, host calls).
    var store: UnsafeMutableRawPointer?
    /// Polls left before one takes the slow path (`continueAfterPoll`): the polls at loop
    /// headers and function entries each take one and test only this. The slow path looks at
    /// the interrupt flag and hands out the next share of `fuelReserve`, so the interrupt flag
    /// is read once per `pollShare` polls, not by every poll. Only the thread running the guest
    /// touches it.
    var ticks: Int
    /// Fuel not yet handed to `ticks`: fuel left is this plus `ticks`. `Int.max` when fuel is
    /// off (unreachable in practice), so the slow path has no "is fuel enabled?" test.
    var fuelReserve: Int
    /// Non-zero once `Store.interrupt()` was called (from any thread); the polls' slow path
    /// (once per share) and `run` (once per call from the host) read it with a relaxed atomic
    /// load (a plain `mov` on x86-64 and arm64), and the trap clears it.
    var interruptFlag: UnsafeMutablePointer<Atomic<Int>>
    /// The store's `GCHeap`, unretained, for allocations from guest code.
    var heap: UnsafeMutableRawPointer?
    /// The trampoline's next handler (unused by tail-call threading).
    var next = NextHandler()
}

extension ExecutionState {
    /// The most polls one share of the fuel reserve lasts: an interrupt is noticed within
    /// this many loop iterations or function entries of the code running (or at the next
    /// call's first poll, when it came between calls).
    static let pollShare = 4096

    /// Fuel left (polls the code may still make), with the share in `ticks`; setting it puts
    /// it all in the reserve, so the next poll takes the slow path and hands out a share.
    var fuel: Int {
        get { fuelReserve &+ max(ticks, 0) }
        set {
            fuelReserve = newValue
            ticks = 0
        }
    }

    /// Puts the polls left in `ticks` back in the reserve, so the next poll takes the slow path:
    /// what setting `fuel` does, to the fuel there is.
    mutating func returnShare() {
        fuel = fuel
    }
}

/// Records a trap; the handler that calls this must then `return` without dispatching.
@inline(never)
func raise(_ st: ST, _ kind: TrapKind) {
    st.pointee.trap = kind.rawValue
}
