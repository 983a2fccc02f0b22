import Dispatch
import Synchronization

/// Runs an action once after a delay unless cancelled first; cancelling releases the timer and
/// what its action captured at once.
///
/// Per-call deadlines need exactly that. A cancelled `Task.sleep` or `asyncAfter` work item stays
/// queued, with everything it holds, until its deadline passes: with a 30 s deadline and
/// thousands of calls a second, a server measured at well over a gigabyte of such leftovers.
///
/// Timers are entries in one shared `DeadlineTicker`, not dispatch sources of their own: making
/// and cancelling a `DispatchSourceTimer` cost 2.2 µs on the calling thread plus the dispatch
/// manager's work, and a warm object invoke arms one per guest call (five), plus the server's
/// own. Arming here is a locked dictionary insert (~0.1 µs). Actions fire up to
/// `DeadlineTicker.resolution` late.
public final class CancellableTimer: Sendable {
    private let id: UInt64

    /// Schedules `action` to run once, on the shared timer queue, `delay` from now (up to
    /// `DeadlineTicker.resolution` late). Releasing the timer cancels it.
    public init(after delay: Duration, _ action: @escaping @Sendable () -> Void) {
        id = DeadlineTicker.shared.schedule(after: delay, action)
    }

    /// Disarms the timer (harmless after it fired).
    public func cancel() { DeadlineTicker.shared.cancel(id) }

    deinit { cancel() }
}

/// The clock behind every `CancellableTimer`: one repeating dispatch timer that, every
/// `resolution`, runs the actions whose time has come, on its own serial queue.
///
/// The queue is not a global one: on Linux the global queues are width-limited and shared with
/// Swift's cooperative pool, so when guests or other work occupy every thread a deadline would
/// fire seconds late (measured: a 200 ms deadline after 10 s under the test suite's load). The
/// ticker stops after a second with nothing armed, so an idle process is not woken.
final class DeadlineTicker: Sendable {
    static let shared = DeadlineTicker()
    static let resolution: Duration = .milliseconds(5)
    private static let idleTicksBeforeStopping = 200

    private struct Entry {
        var due: UInt64
        var action: @Sendable () -> Void
    }

    private struct State {
        var pending: [UInt64: Entry] = [:]
        var lastID: UInt64 = 0
        var source: DispatchSourceTimer?
        var idleTicks = 0
    }

    private let queue = DispatchQueue(label: "hearth.timers")
    private let state = Mutex(State())

    func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> UInt64 {
        let (seconds, attoseconds) = delay.components
        let nanoseconds = UInt64(clamping: max(0, seconds)) &* 1_000_000_000 &+ UInt64(clamping: max(0, attoseconds / 1_000_000_000))
        let due = DispatchTime.now().uptimeNanoseconds &+ nanoseconds
        return state.withLock { state in
            state.lastID &+= 1
            state.pending[state.lastID] = Entry(due: due, action: action)
            if state.source == nil { start(&state) }
            return state.lastID
        }
    }

    func cancel(_ id: UInt64) {
        let removed = state.withLock { $0.pending.removeValue(forKey: id) }
        _ = removed  // the action (and what it holds) is released here, outside the lock
    }

    /// Called with the lock held.
    private func start(_ state: inout State) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let (_, attoseconds) = Self.resolution.components
        let interval = DispatchTimeInterval.nanoseconds(Int(attoseconds / 1_000_000_000))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(1))
        timer.setEventHandler { [unowned self] in self.tick() }
        timer.resume()
        state.source = timer
        state.idleTicks = 0
    }

    private func tick() {
        let now = DispatchTime.now().uptimeNanoseconds
        let due: [Entry] = state.withLock { state in
            guard !state.pending.isEmpty else {
                state.idleTicks += 1
                if state.idleTicks >= Self.idleTicksBeforeStopping {
                    state.source?.cancel()
                    state.source = nil
                }
                return []
            }
            state.idleTicks = 0
            var due: [Entry] = []
            for (id, entry) in state.pending where entry.due <= now {
                due.append(entry)
                state.pending[id] = nil
            }
            return due
        }
        for entry in due.sorted(by: { $0.due < $1.due }) { entry.action() }
    }
}
