/// Bounds on guest code run from the host: how long a call may take and how much it may do.
///
/// One type from the top of the stack to the bottom: the server reads it from configuration,
/// the object host and the bridge pass it down unchanged, and `Store.withLimits` enforces it
/// here, through the engine's own interrupt and fuel counter. That is the one place a running
/// guest is stopped: at its next loop back edge or function entry, whether it computes or
/// calls the host in a loop. (Host work a guest starts, such as a storage query, is bounded by
/// the host function itself; see the object host's SQLite progress handler.)
public struct ExecutionLimits: Sendable, Equatable {
    /// Wall-clock time a call may take; past it the code traps with `.interrupted` at its next
    /// poll (up to `CancellableTimer`'s resolution, 5 ms, late). nil: no deadline.
    public var deadline: Duration?
    /// Fuel a call may burn: one unit per loop iteration and per function call; running out
    /// traps with `.outOfFuel`. nil: unmetered (metering is free when off).
    public var fuel: UInt64?

    /// Limits with the given `deadline` and `fuel`; nil leaves that bound off (both are by default).
    public init(deadline: Duration? = nil, fuel: UInt64? = nil) {
        self.deadline = deadline
        self.fuel = fuel
    }

    /// Whether nothing is bounded.
    public var isEmpty: Bool { deadline == nil && fuel == nil }
}

/// The bound of `ExecutionLimits` that stopped a call.
public enum ExceededLimit: String, Sendable, CustomStringConvertible {
    /// The wall-clock deadline passed (or another thread interrupted the store).
    case deadline
    /// The fuel budget ran out.
    case fuel

    public var description: String { rawValue }
}

extension Trap {
    /// Which limit caused this trap: `deadline` for `.interrupted`, `fuel` for `.outOfFuel`;
    /// nil for every other trap.
    public var exceededLimit: ExceededLimit? {
        switch kind {
        case .interrupted: return .deadline
        case .outOfFuel: return .fuel
        default: return nil
        }
    }
}
