import Synchronization

/// Stopping guest code: a thread-safe interrupt and an optional fuel budget.
extension Store {
    /// Makes the code running in this store trap with `.interrupted` at its next loop
    /// iteration or function entry. Safe to call from any thread, also while a call runs.
    /// The request stays pending until a poll consumes it (or `clearInterrupt()`), so an
    /// interrupt sent between two calls stops the next one.
    public func interrupt() {
        interruptFlag.pointee.store(1, ordering: .relaxed)
    }

    /// Drops a pending interrupt request (e.g. one sent by a watchdog that lost the race
    /// against the end of the call it was meant for).
    public func clearInterrupt() {
        interruptFlag.pointee.store(0, ordering: .relaxed)
    }

    /// Fuel left, or nil when unlimited (the default). One unit is taken per loop iteration
    /// and per function call; running out traps with `.outOfFuel` and leaves 0 here. Set it
    /// before a call (it is not reset between calls); read it afterwards for what is left.
    public var fuel: UInt64? {
        get { fuelEnabled ? UInt64(max(state.pointee.fuel, 0)) : nil }
        set {
            fuelEnabled = newValue != nil
            state.pointee.fuel = newValue.map { Int(clamping: $0) } ?? .max
        }
    }
}
