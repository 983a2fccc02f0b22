/// Garbage collection for the store: the roots of its heap, and allocation from guest code.
extension Store {
    /// Runs a collection; the value stack is live from its base up to `stackTop`.
    func collectGarbage(stackTop: FP) {
        let base = state.pointee.stackBase
        var pendingException = exceptions.pending
        heap.collect { visit in
            visit(UnsafePointer(base), stackTop - base)
            withUnsafePointer(to: &pendingException) { visit($0, 1) }
            for instance in instances {
                for global in instance.globals { visit(UnsafePointer(global.cell), 2) }
                for table in instance.tables { visit(UnsafePointer(table.cell.pointee.elements), table.cell.pointee.count) }
                for segment in instance.elements { visit(UnsafePointer(segment.pointee.elements), segment.pointee.count) }
            }
            for object in objects {
                if let global = object as? GlobalEntity { visit(UnsafePointer(global.cell), 2) }
                if let table = object as? TableEntity { visit(UnsafePointer(table.cell.pointee.elements), table.cell.pointee.count) }
            }
        }
    }

    /// Collects the heap now, keeping only what globals, tables, element segments and host
    /// handles reach (no guest code is running). Returns the live object count.
    @discardableResult
    public func collectGarbage() -> Int {
        collectGarbage(stackTop: state.pointee.stackTop)
        return heap.objects.count
    }

    /// Live heap objects and collections so far (for tests and monitoring).
    public var heapStatistics: (objects: Int, bytes: Int, collections: Int) {
        (heap.objects.count, heap.liveBytes, heap.collections)
    }
}

/// The largest object guest code may allocate (1 GiB); beyond it allocation traps.
let maxObjectBytes = 1 << 30

/// Allocates an object from a handler, collecting first when due. The value stack is live up to
/// `scanTop` (the allocating instruction's operands included). Nil after raising a trap.
///
/// Never inlined: the heap's bookkeeping is class state under Swift's exclusivity checks, whose
/// access records live on the stack behind a canary, and a canary check after the handler's
/// dispatch would turn its tail jump into a call (Conformance/check-dispatch.py).
@inline(never)
func allocateObject(_ st: ST, _ type: UnsafeMutablePointer<RuntimeType>, payloadBytes: Int, length: UInt32,
                    scanTop: FP) -> UnsafeMutableRawPointer? {
    guard payloadBytes <= maxObjectBytes else { raise(st, .allocationTooLarge); return nil }
    let heap = Unmanaged<GCHeap>.fromOpaque(st.pointee.heap.unsafelyUnwrapped).takeUnretainedValue()
    // Due, or over the cap (garbage may be what fills the heap): one collection before refusing.
    if heap.shouldCollect || !heap.fits(payloadBytes: payloadBytes) {
        Store.from(st).collectGarbage(stackTop: scanTop)
    }
    guard heap.fits(payloadBytes: payloadBytes) else { raise(st, .gcHeapExhausted); return nil }
    return heap.allocate(type, payloadBytes: payloadBytes, length: length)
}
