import Synchronization

/// Stopping guest code: a thread-safe interrupt and an optional fuel budget.
extension Store {
    /// Makes the code running in this store trap with `.interrupted` within a few thousand
    /// loop iterations or function entries (`ExecutionState.pollShare`: the polls read the
    /// flag once per share of fuel). Safe to call from any thread, also while a call runs.
    /// The request stays pending until a poll consumes it (or `clearInterrupt()`), so an
    /// interrupt sent between two calls stops the next one.
    public func interrupt() {
        interruptHandle.interrupt()
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

    /// Runs `body` (calls into this store's code) under `limits`: the store gets `limits.fuel`
    /// for the whole of `body`, and a timer interrupts the store when `limits.deadline` passes.
    /// Every call `body` makes shares the one budget, so an invocation that calls several
    /// exports (`malloc`, the function, `free`) is bounded as a whole. A limit reached traps
    /// with `.interrupted` or `.outOfFuel` (`HearthError.exceededLimit` says which); the store stays
    /// usable. With a `group`, stopping the group interrupts `body` too. Inside another
    /// `withLimits` call, `body` runs under the outer limits. With fuel limited, the store's own
    /// fuel setting is restored afterwards.
    public func withLimits<T>(_ limits: ExecutionLimits, _ body: () throws -> T) rethrows -> T {
        guard !withinLimits, !limits.isEmpty else { return try body() }
        // A timer of an earlier call may have fired just after that call returned.
        clearInterrupt()
        let previousFuel = fuel
        if let budget = limits.fuel { fuel = budget }
        let handle = interruptHandle
        let timer = limits.deadline.map { CancellableTimer(after: $0) { handle.interrupt() } }
        let membership = limits.group?.enter(handle)
        withinLimits = true
        defer {
            withinLimits = false
            timer?.cancel()
            if let membership { limits.group?.leave(membership) }
            if limits.fuel != nil { fuel = previousFuel }
        }
        return try body()
    }
}
