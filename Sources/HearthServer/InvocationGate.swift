import Synchronization
import HearthBridge

/// Caps the invocations running at once. Requests beyond the cap are refused immediately (503 +
/// Retry-After) rather than queued: queueing would only turn overload into timeouts.
final class InvocationGate: Sendable {
    private let running = Mutex(0)
    let capacity: Int
    let retryAfter: Int

    init(capacity: Int, retryAfter: Int) {
        self.capacity = max(1, capacity)
        self.retryAfter = retryAfter
    }

    var inFlight: Int { running.withLock { $0 } }

    /// Takes a slot, or throws 503 when none is free. Every successful `enter` needs one `leave`.
    func enter() throws(ServerError) {
        let admitted = running.withLock { running in
            guard running < capacity else { return false }
            running += 1
            return true
        }
        guard admitted else {
            throw ServerError(.serviceUnavailable, "server overloaded: \(capacity) invocations already running", retryAfter: retryAfter)
        }
    }

    func leave() { running.withLock { $0 -= 1 } }
}
