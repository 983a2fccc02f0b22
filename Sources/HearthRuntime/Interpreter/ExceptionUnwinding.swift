import HearthBinary

/// The cold paths of exception handling: allocating an exception, finding its handler across
/// Wasm frames, and carrying an uncaught exception across the host boundary.
///
/// Frames are found through the control stack: the running function is the top entry's callee
/// and the throw's pc is in its code; each caller's pc is the entry's return pc (the search
/// uses the word before it, inside the call instruction). An entry returning to `exitCode` was
/// pushed by `Store.invoke`: the exception does not go past it.

/// Where a caught exception resumes: the landing code, its frame and that function's memory 0.
struct Landing {
    var pc: PC
    var fp: FP
    var memory: UnsafeMutablePointer<MemoryCell>
}

/// `throw`'s allocation, through the store's one exception API; nil after raising a trap.
@inline(never)
func allocateException(_ tag: UnsafeMutablePointer<TagCell>, _ payload: FP, _ slots: Int, _ st: ST) -> UInt64? {
    Store.from(st).exceptions.allocate(tag: tag, payload: payload, slots: slots, st)
}

/// Finds the handler of `exception` thrown at `pc` in the frame `fp` (the top control entry's
/// function). On a match, writes the payload (and the `exnref`) into the handler's frame, pops
/// the control entries above it and returns where to continue. Otherwise records the
/// exception as pending with an `.uncaughtException` trap and returns nil.
@inline(never)
func unwind(_ exception: UInt64, at pc: PC, fp: FP, _ st: ST) -> Landing? {
    let heap = Store.from(st).exceptions
    let tag = UInt64(UInt(bitPattern: ExceptionHeap.tag(exception)))
    var entry = st.pointee.csp
    var searchPC = pc
    var frame = fp
    while true {
        let record = entry.pointee.callee
        if let table = heap.handlerTables[record],
           let clause = table.clause(catching: tag, at: searchPC - record.pointee.code) {
            let payload = ExceptionHeap.payload(exception)
            for (i, word) in payload.enumerated() { frame[clause.payloadSlot + i] = word }
            if clause.referenceSlot >= 0 { frame[clause.referenceSlot] = exception }
            st.pointee.csp = entry
            return Landing(pc: record.pointee.code + clause.landing, fp: frame, memory: record.pointee.memory)
        }
        if entry.pointee.returnPC == exitCode || entry - 1 <= st.pointee.cspBase {
            heap.pending = exception
            st.pointee.trap = TrapKind.uncaughtException.rawValue
            return nil
        }
        searchPC = entry.pointee.returnPC - 1
        frame = entry.pointee.callerFP
        entry -= 1
    }
}

/// After a host function failed: when it let a Wasm exception of this store through (an
/// uncaught exception of a call back into Wasm), the exception continues from the host
/// function's frame into its Wasm callers. Returns where it is caught, or nil (the trap stays).
@inline(never)
func continueUnwindingAfterHostCall(_ fp: FP, _ st: ST) -> Landing? {
    let heap = Store.from(st).exceptions
    guard st.pointee.trap == TrapKind.uncaughtException.rawValue, heap.pending != 0 else { return nil }
    let exception = heap.pending
    heap.pending = 0
    st.pointee.trap = 0
    // The host function's record has no handler table: the search starts at its caller.
    return unwind(exception, at: st.pointee.csp.pointee.returnPC, fp: fp, st)
}

extension Store {
    /// In `callHostFunction`'s error path: an uncaught exception of this store thrown by the
    /// host function becomes pending again (true), so it unwinds into the calling Wasm code.
    func adoptUncaughtException(_ error: Error, _ st: ST) -> Bool {
        guard let trap = error as? HearthError, trap.trap == .uncaughtException, let exception = trap.exception,
              exception.store === self else { return false }
        exceptions.pending = exception.word
        st.pointee.trap = TrapKind.uncaughtException.rawValue
        return true
    }

    /// The trap `Store.invoke` throws for the pending uncaught exception (which it clears).
    func uncaughtExceptionTrap(backtrace: [BacktraceFrame]) -> HearthError {
        let word = exceptions.pending
        exceptions.pending = 0
        var trap = HearthError.trap(.uncaughtException, backtrace: backtrace)
        if word != 0 {
            let tag = TagEntity.from(ExceptionHeap.tag(word))
            var payload: [Value] = []
            var slot = 0
            let words = ExceptionHeap.payload(word)
            for type in tag.type.parameters {
                if type == .v128 {
                    payload.append(.v128(V128(low: words[slot], high: words[slot + 1])))
                } else {
                    payload.append(value(of: words[slot], type: type))
                }
                slot += type.slotWidth
            }
            trap.exception = WasmException(store: self, object: GCObject(store: self, address: UInt(word)),
                                           tag: Tag(store: self, entity: tag), payload: payload)
        }
        return trap
    }
}

/// A Wasm exception that no Wasm handler caught, carried by its trap (a `HearthError` of kind
/// `trap`, `.uncaughtException`).
/// A host function called from Wasm may let it through (rethrow the trap): it then continues
/// unwinding into the calling Wasm code, where a handler may still catch it.
public struct WasmException {
    let store: Store
    /// The exception object, kept alive (a heap root) while the host holds this.
    let object: GCObject
    /// The `exnref` word of the exception object.
    var word: UInt64 { UInt64(object.address) }
    /// The tag it was thrown with.
    public let tag: Tag
    /// The payload values (the tag type's parameters).
    public let payload: [Value]
}

extension HearthError {
    /// For a trap of `.uncaughtException`: the exception (tag and payload), used under the
    /// contract of the store that threw it.
    public var exception: WasmException? {
        get { attachment as? WasmException }
        set { attachment = newValue }
    }
}
