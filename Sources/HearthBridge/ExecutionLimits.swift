import Dispatch
import HearthRuntime

/// Bounds on one guest call. Enforcing them needs the engine to stop running code; the bridge
/// reaches it through a `GuestInterrupter`, so a limit without one is refused up front.
public struct ExecutionLimits {
    /// Wall-clock time a single export call may take.
    public var deadline: Duration?
    /// Instruction budget of a single export call (engine-defined units).
    public var fuel: UInt64?

    /// A wall-clock `deadline` and a `fuel` budget per call; nil leaves that bound off (both are by default).
    public init(deadline: Duration? = nil, fuel: UInt64? = nil) {
        self.deadline = deadline
        self.fuel = fuel
    }

    /// Whether there is nothing to enforce, so no `GuestInterrupter` is needed.
    public var isEmpty: Bool { deadline == nil && fuel == nil }
}

/// The engine hook the bridge needs to stop a guest that loops or runs too long.
///
/// `EngineInterrupter` is the one to use: it stops any guest through the engine's own
/// `Store.interrupt()` and `Store.fuel`. `CooperativeInterrupter` only stops guests that call
/// the host (every bridge import consults the interrupter's `checkpoint`).
public protocol GuestInterrupter: AnyObject {
    /// Called before each export call with that call's fuel budget (nil: unlimited).
    func prepare(fuel: UInt64?) throws
    /// Called from a watchdog thread when the deadline passes: stop the running guest soon.
    func interrupt()
    /// If `trap` was caused by this interrupter, which limit (e.g. "deadline", "fuel").
    func exceededLimit(_ trap: Trap) -> String?
    /// Called at the start of every bridge import: throws to stop a guest that calls the host
    /// after its limit passed (cooperative stopping, independent of engine support).
    func checkpoint() throws
}

/// Arms `interrupter.interrupt()` after a deadline on a background queue; disarmed when the
/// guarded call returns first.
final class Watchdog {
    private var timer: CancellableTimer?

    func arm(after deadline: Duration, _ interrupter: GuestInterrupter) {
        let target = WeakInterrupter(interrupter)
        timer = CancellableTimer(after: deadline) { target.interrupter?.interrupt() }
    }

    func disarm() {
        timer?.cancel()
        timer = nil
    }
}

/// The watchdog must not keep an interrupter (and with it a store) alive past its call.
private final class WeakInterrupter: @unchecked Sendable {
    weak var interrupter: GuestInterrupter?
    init(_ interrupter: GuestInterrupter) { self.interrupter = interrupter }
}
