/// The input gate of one object: a FIFO lock held for the whole of an event. Swift actors are
/// reentrant (another call may run whenever the running one awaits), so without it a second
/// event could start while the first is suspended between reading and writing storage.
/// Owned by its actor and only used from that actor's isolation.
final class InputGate {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// True while an event holds the gate or waits for it.
    var isBusy: Bool { held || !waiters.isEmpty }

    /// Events waiting for the gate (not counting the one holding it).
    var waiting: Int { waiters.count }

    /// Waits for the gate; ownership passes directly from `leave()` to the first waiter, so a
    /// newcomer can never overtake queued events.
    func enter(isolation: isolated (any Actor)? = #isolation) async {
        if !held {
            held = true
            return
        }
        await withCheckedContinuation(isolation: isolation) { waiters.append($0) }
    }

    /// Hands the gate to the next waiter, or opens it.
    func leave() {
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
