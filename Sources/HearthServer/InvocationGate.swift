import Foundation
import HearthBridge

/// Caps the invocations running at once. Requests beyond the cap are refused immediately (503 +
/// Retry-After) rather than queued: queueing would only turn overload into timeouts.
final class InvocationGate: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    let capacity: Int
    let retryAfter: Int

    init(capacity: Int, retryAfter: Int) {
        self.capacity = max(1, capacity)
        self.retryAfter = retryAfter
    }

    var inFlight: Int { lock.withLock { running } }

    /// Runs `body` holding one slot, or throws 503 when none is free.
    func withSlot<T>(_ body: () async throws -> T) async throws -> T {
        try enter()
        defer { leave() }
        return try await body()
    }

    /// Takes a slot, or throws 503 when none is free. Every successful `enter` needs one `leave`.
    func enter() throws(ServerError) {
        let admitted = lock.withLock { () -> Bool in
            guard running < capacity else { return false }
            running += 1
            return true
        }
        guard admitted else {
            throw ServerError(.serviceUnavailable, "server overloaded: \(capacity) invocations already running", retryAfter: retryAfter)
        }
    }

    func leave() { lock.withLock { running -= 1 } }
}

/// Thrown by `withDeadline` when the deadline passes first.
struct DeadlineExceeded: Error {}

/// Races `body` against a deadline. When the deadline wins, the caller gets `DeadlineExceeded` at
/// once; `body` is cancelled, but guest code that cannot be interrupted (see the report on engine
/// interrupt support) may keep running in the background until it returns.
func withDeadline<T: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable () async -> T) async throws -> T {
    let box = OnceBox()
    return try await withCheckedThrowingContinuation { continuation in
        // A dispatch timer, not a sleeping task: cancelling it when the work finishes releases it
        // at once (see `CancellableTimer`), so a busy server holds nothing per finished request.
        let timer = CancellableTimer(after: deadline) {
            if box.claim() { continuation.resume(throwing: DeadlineExceeded()) }
        }
        Task {
            let value = await body()
            timer.cancel()
            if box.claim() { continuation.resume(returning: value) }
        }
    }
}

/// A flag that can be claimed once across threads (the first of two racers wins).
final class OnceBox: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.withLock {
            if claimed { return false }
            claimed = true
            return true
        }
    }
}
