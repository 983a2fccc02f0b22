/// Bounds on guest code run from the host: how long a call may take and how much it may do.
///
/// One type from the top of the stack to the bottom: the server reads it from configuration,
/// the object host and the bridge pass it down unchanged, and `Store.withLimits` enforces it
/// here, through the engine's own interrupt and fuel counter. That is the one place a running
/// guest is stopped: at its next loop back edge or function entry, whether it computes or
/// calls the host in a loop. (Host work a guest starts, such as a storage query, is bounded by
/// the host function itself; see the object host's SQLite progress handler.)
public struct ExecutionLimits: Sendable, Equatable {
    /// Wall-clock time a call may take; past it the code traps with `.interrupted` within
    /// 4,096 polls (loop iterations or calls; see `Store.interrupt()`), and up to
    /// `CancellableTimer`'s resolution, 5 ms, late. nil: no deadline.
    public var deadline: Duration?
    /// Fuel a call may burn: one unit per loop iteration and per function call; running out
    /// traps with `.outOfFuel`. nil: unmetered (metering is free when off).
    public var fuel: UInt64?
    /// The group whose `stop()` interrupts the call (a host shutting down); nil: none.
    public var group: InterruptGroup?

    /// Limits with the given `deadline`, `fuel` and `group`; nil leaves that bound off (all are
    /// by default).
    public init(deadline: Duration? = nil, fuel: UInt64? = nil, group: InterruptGroup? = nil) {
        self.deadline = deadline
        self.fuel = fuel
        self.group = group
    }

    /// Whether nothing is bounded.
    public var isEmpty: Bool { deadline == nil && fuel == nil && group == nil }

    /// Equal bounds and the same group (by identity).
    public static func == (a: ExecutionLimits, b: ExecutionLimits) -> Bool {
        a.deadline == b.deadline && a.fuel == b.fuel && a.group === b.group
    }
}

/// The bound of `ExecutionLimits` that stopped a call.
public enum ExceededLimit: String, Sendable, CustomStringConvertible {
    /// The wall-clock deadline passed (or another thread interrupted the store, or its
    /// `InterruptGroup` was stopped).
    case deadline
    /// The fuel budget ran out.
    case fuel

    public var description: String { rawValue }
}

extension HearthError {
    /// Which limit stopped the call: `deadline` for a trap of `.interrupted`, `fuel` for
    /// `.outOfFuel`; nil for every other trap and every other kind of error.
    public var exceededLimit: ExceededLimit? {
        switch trap {
        case .interrupted: return .deadline
        case .outOfFuel: return .fuel
        default: return nil
        }
    }
}
