import HearthRuntime

/// A `GuestInterrupter` backed by the engine's own hooks: `Store.interrupt()` stops even a
/// guest that loops without calling the host (polled at loop iterations and function
/// entries), and `Store.fuel` meters each call.
public final class EngineInterrupter: GuestInterrupter {
    /// Weak: the store keeps the host functions that keep this interrupter, so a strong
    /// reference would be a cycle that leaks every instance (its memory, its mapped images).
    private weak var store: Store?

    /// An interrupter for `store`, held weakly.
    public init(store: Store) { self.store = store }

    /// Clears an interrupt left over from the previous call and gives the store `fuel` (nil: unlimited).
    public func prepare(fuel: UInt64?) throws {
        // A watchdog of the previous call may have fired just after that call returned.
        store?.clearInterrupt()
        store?.fuel = fuel
    }

    /// Called on the watchdog's queue; `Store.interrupt()` is safe from any thread.
    public func interrupt() { store?.interrupt() }

    /// "deadline" for an interrupted trap, "fuel" for an out-of-fuel one; nil for any other trap.
    public func exceededLimit(_ trap: Trap) -> String? {
        switch trap.kind {
        case .interrupted: return "deadline"
        case .outOfFuel: return "fuel"
        default: return nil
        }
    }

    /// Nothing to do: the engine stops the guest itself, at its next poll.
    public func checkpoint() throws {}
}
