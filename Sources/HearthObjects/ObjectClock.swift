import Foundation

/// The time source of a namespace: alarms and idle hibernation read and wait on it, so tests can
/// substitute a clock that is ahead of real time (e.g. to find alarms overdue at boot).
public protocol ObjectClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Suspends until `deadline` by this clock; throws `CancellationError` when cancelled.
    func sleep(until deadline: Date) async throws
}

/// The wall clock.
public struct SystemObjectClock: ObjectClock {
    /// The wall clock; it holds no state, so any instance reads the same time.
    public init() {}
    /// The system's current wall-clock time.
    public func now() -> Date { Date() }
    /// Sleeps (`Task.sleep`) until `deadline`, returning at once if it has passed; throws
    /// `CancellationError` when the task is cancelled.
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSince(now())
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) }
        try Task.checkCancellation()
    }
}
