import Dispatch

/// Runs an action once after a delay unless cancelled first; cancelling releases the timer and
/// what its action captured at once.
///
/// Per-call deadlines need exactly that. A cancelled `Task.sleep` or `asyncAfter` work item stays
/// queued, with everything it holds, until its deadline passes: with a 30 s deadline and
/// thousands of calls a second, a server measured at well over a gigabyte of such leftovers.
///
/// The default queue is a serial queue of its own, not a global one: on Linux the global queues
/// are width-limited and shared with Swift's cooperative pool, so when guests or other work
/// occupy every thread a deadline would fire seconds late (measured: a 200 ms deadline after
/// 10 s under the test suite's load).
public final class CancellableTimer: @unchecked Sendable {
    private let source: DispatchSourceTimer
    public static let queue = DispatchQueue(label: "hearth.timers")

    public init(after delay: Duration, queue: DispatchQueue = CancellableTimer.queue, _ action: @escaping @Sendable () -> Void) {
        source = DispatchSource.makeTimerSource(queue: queue)
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
        source.schedule(deadline: .now() + .nanoseconds(max(0, nanoseconds)))
        source.setEventHandler(handler: action)
        source.resume()
    }

    /// Disarms the timer (harmless after it fired).
    public func cancel() { source.cancel() }

    deinit { source.cancel() }
}
