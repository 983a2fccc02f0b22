import Synchronization

// The accessors every handler uses: the dispatch to the next handler, immediates, frame slots
// and the fuel/interrupt poll. Release builds compile the target as one module (whole-module
// optimization), so these inline into each handler wherever it is defined.

/// Passes control to the handler at `pc`, with the machine registers as its arguments.
///
/// Two back ends over the same handlers, chosen by the optimization level the engine was
/// compiled with (the test folds to a constant when optimizing):
/// - **tail-call threading** (optimized builds): a call in tail position, which LLVM turns into
///   a `jmp`, so the chain of handlers never grows the native stack;
/// - **trampoline** (unoptimized builds, such as a dependent's debug build): without
///   optimization every call is a real call and the stack would grow by one frame per guest
///   instruction, so the handler instead leaves the registers in `st.pointee.next` and returns
///   to the loop in `run`, which calls the next handler.
@inline(__always) func dispatch(_ pc: PC, _ fp: FP, _ mem: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _isDebugAssertConfiguration() {
        st.pointee.next = NextHandler(pc: pc, fp: fp, memoryBase: mem, memorySize: ms, acc: acc, facc: facc)
        return
    }
    return unsafeBitCast(pc.pointee, to: Handler.self)(pc, fp, mem, ms, st, acc, facc)
}

/// Immediate word `i` of the instruction at `pc`, as a slot index or offset.
@inline(__always) func imm(_ pc: PC, _ i: Int) -> Int { Int(bitPattern: UInt(pc[i])) }

/// Immediate word `i` of the instruction at `pc`, as a pointer to a runtime cell.
@inline(__always) func immPointer<T>(_ pc: PC, _ i: Int, _: T.Type) -> UnsafeMutablePointer<T> {
    UnsafeMutablePointer<T>(bitPattern: UInt(pc[i])).unsafelyUnwrapped
}

/// Takes one poll of the share in `ticks`; true when the share is spent and the handler must
/// go on through `continueAfterPoll`, which looks at the interrupt flag and the fuel reserve.
/// One decrement and one test: the interrupt flag is not read here.
@inline(__always) func pollSpent(_ st: ST) -> Bool {
    st.pointee.ticks &-= 1
    return st.pointee.ticks < 0
}

@inline(__always) func readI32(_ fp: FP, _ s: Int) -> UInt32 { UInt32(truncatingIfNeeded: fp[s]) }
@inline(__always) func readI64(_ fp: FP, _ s: Int) -> UInt64 { fp[s] }
@inline(__always) func readF32(_ fp: FP, _ s: Int) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: fp[s])) }
@inline(__always) func readF64(_ fp: FP, _ s: Int) -> Double { Double(bitPattern: fp[s]) }
@inline(__always) func writeI32(_ fp: FP, _ s: Int, _ v: UInt32) { fp[s] = UInt64(v) }
@inline(__always) func writeI64(_ fp: FP, _ s: Int, _ v: UInt64) { fp[s] = v }
@inline(__always) func writeF32(_ fp: FP, _ s: Int, _ v: Float) { fp[s] = UInt64(v.bitPattern) }
@inline(__always) func writeF64(_ fp: FP, _ s: Int, _ v: Double) { fp[s] = v.bitPattern }

/// A `v128` value in two consecutive frame slots (slots are 8-byte aligned; a vector wants 16).
@inline(__always) func readV<V: SIMD>(_ fp: FP, _ s: Int, _: V.Type) -> V {
    UnsafeRawPointer(fp + s).loadUnaligned(as: V.self)
}
@inline(__always) func writeV<V: SIMD>(_ fp: FP, _ s: Int, _ v: V) {
    UnsafeMutableRawPointer(fp + s).storeBytes(of: v, as: V.self)
}

/// `sqrt` as Wasm defines it, compiled to a bare `sqrtss`/`sqrtsd`. Swift's `squareRoot()` is
/// the C library's `sqrt`, which may set `errno`, so LLVM guards the instruction with a library
/// call for inputs it cannot prove non-negative, and that call makes the handler save
/// registers on every dispatch. The root of the magnitude (never negative) has no guard; a
/// predicted branch sends zeros (`sqrt(-0) = -0`) and negative inputs (NaN) elsewhere, so the
/// value's path is one mask and the root. A NaN's root is a quiet NaN, of either sign, as
/// Wasm allows.
@inline(__always) func wasmSquareRoot(_ x: Float) -> Float {
    if _fastPath(!(x <= 0)) { return x.magnitude.squareRoot() }
    return x == 0 ? x : .nan
}
@inline(__always) func wasmSquareRoot(_ x: Double) -> Double {
    if _fastPath(!(x <= 0)) { return x.magnitude.squareRoot() }
    return x == 0 ? x : .nan
}
