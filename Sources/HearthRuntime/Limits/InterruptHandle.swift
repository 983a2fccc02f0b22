import Synchronization

/// A store's interrupt, for other threads: `interrupt()` makes the code running in the store
/// trap with `.interrupted` within a few thousand loop iterations or function entries.
///
/// A `Store` is not `Sendable`; this is the part of it another thread may hold (a watchdog, a
/// deadline timer, a shutdown that stops every guest). It keeps only the flag alive, not the
/// store, so a timer still holding it after its call returned does not keep the store's
/// memories and instances alive.
public final class InterruptHandle: @unchecked Sendable {
    /// The flag the interpreter polls through a raw pointer, so it has its own allocation that
    /// never moves. It is an atomic, which is what makes sharing it safe; the pointer cannot
    /// say so to the compiler, hence the unchecked conformance.
    let flag: UnsafeMutablePointer<Atomic<Int>>

    init() {
        flag = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: 1)
        flag.initialize(to: Atomic(0))
    }

    deinit {
        flag.deinitialize(count: 1)
        flag.deallocate()
    }

    /// Asks the store's running code to stop (see `Store.interrupt()`). Safe from any thread.
    public func interrupt() { flag.pointee.store(1, ordering: .relaxed) }
}
