#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthBinary
import Synchronization

/// The threads proposal's atomic accesses, `notify` and `wait` (Wasm 3.0), single-threaded.
///
/// A store runs its guest code on one thread at a time and a memory belongs to one store, so no
/// other agent can observe an access half done: plain loads and stores already are sequentially
/// consistent atomics here, and `atomic.fence` translates to nothing. What differs from the
/// ordinary accesses is the trap on a misaligned effective address ("unaligned atomic"; checked
/// before the bounds, as the threads proposal's reference interpreter and wasmtime do, so an
/// access both misaligned and out of bounds is "unaligned atomic")
/// and the read-modify-write forms. Narrow forms read zero-extended and wrap their operands, so
/// i32 and i64 share the handlers of each width.
///
/// Operands: loads `[h, dst, addr, offset]`, stores `[h, addr, value, offset]`, rmw and notify
/// `[h, dst, addr, value, offset]`, cmpxchg `[h, dst, addr, expected, replacement, offset]`,
/// wait `[h, dst, addr, expected, timeout, offset, shared]`. Every handler reads all its
/// operands before writing `dst`, which a following `local.set` may have retargeted onto one.
/// Memory k and 64-bit memories come through the registers and `h_address64` as for loads.

/// The effective address of an access of `width` bytes, or nil once the trap is raised.
@inline(__always)
fileprivate func atomicAddress(_ pc: PC, _ fp: FP, _ ms: Int, _ st: ST, address: Int, offset: Int, width: Int) -> Int? {
    let ea = Int(readI32(fp, imm(pc, address))) &+ imm(pc, offset)
    if _slowPath(ea & (width &- 1) != 0) {
        raise(st, .unalignedAtomic)
        return nil
    }
    if _slowPath(ea &+ width > ms) {
        raise(st, .memoryOutOfBounds)
        return nil
    }
    return ea
}

/// The body of a read-modify-write of a `T`: the old value (zero-extended) to `dst`, `combine(old,
/// operand)` to memory. False when it trapped.
@inline(__always)
fileprivate func readModifyWrite<T: FixedWidthInteger & UnsignedInteger>(
    _ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _: T.Type, _ combine: (T, T) -> T
) -> Bool {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 2, offset: 4, width: MemoryLayout<T>.size) else { return false }
    let operand = T(truncatingIfNeeded: fp[imm(pc, 3)])
    let old = m.loadUnaligned(fromByteOffset: ea, as: T.self)
    m.storeBytes(of: combine(old, operand), toByteOffset: ea, as: T.self)
    fp[imm(pc, 1)] = UInt64(old)
    return true
}

/// Compare-exchange of a `T`: the expected value is wrapped to the width before comparing, and
/// memory is written only when they are equal. False when it trapped.
@inline(__always)
fileprivate func compareExchange<T: FixedWidthInteger & UnsignedInteger>(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _: T.Type) -> Bool {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 2, offset: 5, width: MemoryLayout<T>.size) else { return false }
    let expected = T(truncatingIfNeeded: fp[imm(pc, 3)]), replacement = T(truncatingIfNeeded: fp[imm(pc, 4)])
    let old = m.loadUnaligned(fromByteOffset: ea, as: T.self)
    if old == expected { m.storeBytes(of: replacement, toByteOffset: ea, as: T.self) }
    fp[imm(pc, 1)] = UInt64(old)
    return true
}
// MARK: Loads and stores
func h_atomicLoad8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 2, offset: 3, width: 1) else { return }
    fp[imm(pc, 1)] = UInt64(m.loadUnaligned(fromByteOffset: ea, as: UInt8.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}
func h_atomicLoad16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 2, offset: 3, width: 2) else { return }
    fp[imm(pc, 1)] = UInt64(m.loadUnaligned(fromByteOffset: ea, as: UInt16.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}
func h_atomicLoad32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 2, offset: 3, width: 4) else { return }
    fp[imm(pc, 1)] = UInt64(m.loadUnaligned(fromByteOffset: ea, as: UInt32.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}
func h_atomicLoad64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 2, offset: 3, width: 8) else { return }
    fp[imm(pc, 1)] = UInt64(m.loadUnaligned(fromByteOffset: ea, as: UInt64.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}
func h_atomicStore8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 1, offset: 3, width: 1) else { return }
    m.storeBytes(of: UInt8(truncatingIfNeeded: fp[imm(pc, 2)]), toByteOffset: ea, as: UInt8.self)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}
func h_atomicStore16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 1, offset: 3, width: 2) else { return }
    m.storeBytes(of: UInt16(truncatingIfNeeded: fp[imm(pc, 2)]), toByteOffset: ea, as: UInt16.self)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}
func h_atomicStore32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 1, offset: 3, width: 4) else { return }
    m.storeBytes(of: UInt32(truncatingIfNeeded: fp[imm(pc, 2)]), toByteOffset: ea, as: UInt32.self)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}
func h_atomicStore64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 1, offset: 3, width: 8) else { return }
    m.storeBytes(of: UInt64(truncatingIfNeeded: fp[imm(pc, 2)]), toByteOffset: ea, as: UInt64.self)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}
// MARK: Read-modify-write
func h_atomicAdd8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt8.self, { $0 &+ $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicAdd16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt16.self, { $0 &+ $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicAdd32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt32.self, { $0 &+ $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicAdd64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt64.self, { $0 &+ $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicSub8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt8.self, { $0 &- $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicSub16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt16.self, { $0 &- $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicSub32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt32.self, { $0 &- $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicSub64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt64.self, { $0 &- $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicAnd8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt8.self, { $0 & $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicAnd16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt16.self, { $0 & $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicAnd32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt32.self, { $0 & $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicAnd64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt64.self, { $0 & $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicOr8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt8.self, { $0 | $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicOr16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt16.self, { $0 | $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicOr32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt32.self, { $0 | $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicOr64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt64.self, { $0 | $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicXor8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt8.self, { $0 ^ $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicXor16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt16.self, { $0 ^ $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicXor32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt32.self, { $0 ^ $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicXor64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt64.self, { $0 ^ $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicXchg8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt8.self, { $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicXchg16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt16.self, { $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicXchg32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt32.self, { $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicXchg64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard readModifyWrite(pc, fp, m, ms, st, UInt64.self, { $1 }) else { return }
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}
func h_atomicCmpxchg8(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard compareExchange(pc, fp, m, ms, st, UInt8.self) else { return }
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}
func h_atomicCmpxchg16(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard compareExchange(pc, fp, m, ms, st, UInt16.self) else { return }
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}
func h_atomicCmpxchg32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard compareExchange(pc, fp, m, ms, st, UInt32.self) else { return }
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}
func h_atomicCmpxchg64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard compareExchange(pc, fp, m, ms, st, UInt64.self) else { return }
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}
// MARK: Wait and notify

/// No agent can be waiting (see `h_atomicWait32`), so a notify wakes none: 0. It still checks
/// the address, as the spec asks.
func h_atomicNotify(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard atomicAddress(pc, fp, ms, st, address: 2, offset: 4, width: 4) != nil else { return }
    fp[imm(pc, 1)] = 0
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// 1 ("not-equal") when the value differs from the expected one, else the wait times out (2)
/// because nothing can notify it: the store's only thread is the waiting one. On an unshared
/// memory (word 6 is 0) it traps "expected shared memory".
func h_atomicWait32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 2, offset: 5, width: 4) else { return }
    if _slowPath(pc[6] == 0) { return raise(st, .expectedSharedMemory) }
    let differs = m.loadUnaligned(fromByteOffset: ea, as: UInt32.self) != UInt32(truncatingIfNeeded: fp[imm(pc, 3)])
    guard let result = differs ? 1 : timeOut(st, Int64(bitPattern: fp[imm(pc, 4)])) else { return }
    fp[imm(pc, 1)] = result
    return dispatch(pc + 7, fp, m, ms, st, acc, facc)
}

/// `h_atomicWait32` on an i64.
func h_atomicWait64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = atomicAddress(pc, fp, ms, st, address: 2, offset: 5, width: 8) else { return }
    if _slowPath(pc[6] == 0) { return raise(st, .expectedSharedMemory) }
    let differs = m.loadUnaligned(fromByteOffset: ea, as: UInt64.self) != fp[imm(pc, 3)]
    guard let result = differs ? 1 : timeOut(st, Int64(bitPattern: fp[imm(pc, 4)])) else { return }
    fp[imm(pc, 1)] = result
    return dispatch(pc + 7, fp, m, ms, st, acc, facc)
}

/// A wait whose value matched: sleeps `timeout` nanoseconds and returns 2 ("timed-out"), or
/// returns nil with a trap raised. Guests sleep this way (a `nanosleep` built on `wait`), so
/// the time really passes; it passes in slices of at most 10 ms, after each of which a pending
/// `Store.interrupt()` stops the guest as a loop's poll would. A negative timeout means "until
/// notified", which can never happen in a single-threaded store: that traps instead of hanging.
@inline(never)
func timeOut(_ st: ST, _ timeout: Int64) -> UInt64? {
    if timeout < 0 {
        raise(st, .waitWithoutNotifier)
        return nil
    }
    let start = monotonicNanoseconds()
    let (sum, overflow) = start.addingReportingOverflow(timeout)
    let deadline = overflow ? Int64.max : sum
    while true {
        let now = monotonicNanoseconds()
        if now >= deadline { return 2 }
        var slice = timespec(tv_sec: 0, tv_nsec: Int(min(deadline - now, 10_000_000)))
        nanosleep(&slice, nil)
        if st.pointee.interruptFlag.pointee.exchange(0, ordering: .relaxed) != 0 {
            raise(st, .interrupted)
            return nil
        }
    }
}

fileprivate func monotonicNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
}

/// The handler of each atomic operator. Narrow i64 forms are their i32 twins (same bytes, same
/// zero-extended result), as in `memoryHandler`.
func atomicHandler(_ op: AtomicOperator) -> Handler {
    let handlers: [Handler]
    switch op.kind {
    case .notify: return h_atomicNotify
    case .wait: return op.is64 ? h_atomicWait64 : h_atomicWait32
    case .load: handlers = [h_atomicLoad8, h_atomicLoad16, h_atomicLoad32, h_atomicLoad64]
    case .store: handlers = [h_atomicStore8, h_atomicStore16, h_atomicStore32, h_atomicStore64]
    case .compareExchange: handlers = [h_atomicCmpxchg8, h_atomicCmpxchg16, h_atomicCmpxchg32, h_atomicCmpxchg64]
    case .readModifyWrite(let operation):
        switch operation {
        case .add: handlers = [h_atomicAdd8, h_atomicAdd16, h_atomicAdd32, h_atomicAdd64]
        case .sub: handlers = [h_atomicSub8, h_atomicSub16, h_atomicSub32, h_atomicSub64]
        case .and: handlers = [h_atomicAnd8, h_atomicAnd16, h_atomicAnd32, h_atomicAnd64]
        case .or: handlers = [h_atomicOr8, h_atomicOr16, h_atomicOr32, h_atomicOr64]
        case .xor: handlers = [h_atomicXor8, h_atomicXor16, h_atomicXor32, h_atomicXor64]
        case .xchg: handlers = [h_atomicXchg8, h_atomicXchg16, h_atomicXchg32, h_atomicXchg64]
        }
    }
    // Widths 1, 2, 4, 8 bytes: index 0...3.
    return handlers[op.width.trailingZeroBitCount]
}
