import Synchronization

/// Stops every guest call made under it at once: what a host shutting down uses, so a guest
/// that loops (or waits on nothing) cannot hold the shutdown for ever.
///
/// Calls join the group through `ExecutionLimits.group` (`Store.withLimits` registers the
/// store's `InterruptHandle` for the length of the call). `stop()` interrupts every call
/// running, and every call that starts afterwards is interrupted at its first poll: a stopped
/// group stays stopped.
public final class InterruptGroup: Sendable {
    private struct Members {
        var stopped = false
        var next: UInt64 = 0
        var running: [UInt64: InterruptHandle] = [:]
    }

    private let members = Mutex(Members())

    /// A group that has not been stopped.
    public init() {}

    /// Whether `stop()` has been called.
    public var isStopped: Bool { members.withLock { $0.stopped } }

    /// Interrupts every call running under the group, and every later one.
    public func stop() {
        let running = members.withLock { members -> [InterruptHandle] in
            members.stopped = true
            return Array(members.running.values)
        }
        for handle in running { handle.interrupt() }
    }

    /// Registers a call's store; a stopped group interrupts it at once. Answers the token
    /// `leave` takes.
    func enter(_ handle: InterruptHandle) -> UInt64 {
        let (token, stopped) = members.withLock { members -> (UInt64, Bool) in
            members.next &+= 1
            members.running[members.next] = handle
            return (members.next, members.stopped)
        }
        if stopped { handle.interrupt() }
        return token
    }

    /// Unregisters the call `token` names.
    func leave(_ token: UInt64) {
        _ = members.withLock { $0.running.removeValue(forKey: token) }
    }
}
