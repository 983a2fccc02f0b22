import Synchronization

/// How long the caller of one event waits for it: the server answers a deadline error at that
/// point and does not wait for the event. So that a client told "failed" can retry without the
/// work happening twice, the event and the caller race for one outcome: an event that has not
/// started by then never runs (`ObjectError.deadlineExceeded`), and one that reaches its commit
/// after the caller gave up is rolled back whole. Either the caller gives up (`expire`) or the
/// turn commits (`claimCommit`), never both.
///
/// Its point in time is the caller's business (a timer); the object only asks whether it has
/// passed, so an injected object clock does not affect it.
public final class EventDeadline: Sendable {
    private enum State { case waiting, expired, committing }
    private let state = Mutex(State.waiting)

    /// A deadline the caller has not given up on yet: pass it with the event, then `expire()` it
    /// from the caller's own timer.
    public init() {}

    /// The caller gives up. True if it may answer "deadline exceeded": the event has not begun to
    /// commit and now never will. False if it is committing: its real answer is on its way.
    public func expire() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return state == .expired }
            state = .expired
            return true
        }
    }

    /// Whether the caller gave up.
    public var hasExpired: Bool { state.withLock { $0 == .expired } }

    /// The event's turn is about to commit: true if the caller still waits (and from now on
    /// cannot give up); false if it gave up, and the turn must roll back.
    func claimCommit() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return state == .committing }
            state = .committing
            return true
        }
    }
}
