import HearthRuntime
import Foundation

/// A `GuestInterrupter` that needs no engine support: when the deadline passes it raises a
/// flag, and the next call the guest makes into the bridge's imports (console log, fetch)
/// throws, unwinding the guest. It cannot stop a guest that loops without calling the host;
/// that takes the engine hook described on `GuestInterrupter`. Fuel is refused for the same
/// reason.
public final class CooperativeInterrupter: GuestInterrupter {
    // Set from the watchdog queue, read on the guest's thread.
    private let lock = NSLock()
    private var expired = false

    /// An interrupter whose deadline has not passed.
    public init() {}

    /// Thrown by `checkpoint()` once the deadline passed.
    public struct DeadlineReached: Error, CustomStringConvertible {
        public var description: String { "deadline reached" }
    }

    /// Clears the flag for a new call; throws `BridgeError.instantiation` when `fuel` is asked for,
    /// which only the engine can meter.
    public func prepare(fuel: UInt64?) throws {
        if fuel != nil { throw BridgeError.instantiation("unsupported: fuel needs an engine fuel counter") }
        lock.withLock { expired = false }
    }

    /// Raises the flag: the guest stops at its next call into a bridge import.
    public func interrupt() { lock.withLock { expired = true } }

    /// Throws `DeadlineReached` once `interrupt()` was called, unwinding the guest from the import.
    public func checkpoint() throws {
        if lock.withLock({ expired }) { throw DeadlineReached() }
    }

    /// "deadline" when `trap` carries the `DeadlineReached` thrown by `checkpoint()`; nil otherwise.
    public func exceededLimit(_ trap: Trap) -> String? {
        trap.underlying is DeadlineReached ? "deadline" : nil
    }
}
