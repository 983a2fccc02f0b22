import Foundation
import HearthObjects

/// Dedicated threads that run objects' guest code, so that guests never occupy Swift's
/// cooperative pool.
///
/// The cooperative pool has one thread per core. A guest running on it until its deadline holds
/// that thread; with one such guest per core every other task of the process (HTTP handling,
/// other objects, timers' continuations) waited for the deadlines (measured: a request to the
/// warm pool answered only after two looping objects were cut off, 4 s later). An object's turn
/// now awaits its guest call here; the call still runs alone for its object, behind the input
/// gate, so its storage is used by one thread at a time as before.
public final class GuestThreads: @unchecked Sendable {
    /// The process's guest threads (twice the cores, at least four).
    public static let shared = GuestThreads(count: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount))

    private let condition = NSCondition()
    /// Queued jobs; a job taken is set to nil at once, so the closure (and the object, bridge and
    /// instance it captures) is released when it finishes, not when the queue is compacted.
    private var jobs: [(() -> Void)?] = []
    private var next = 0

    private init(count: Int) {
        for index in 0..<count {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "hearth.guest.\(index)"
            // Host functions called by guests may re-enter them natively (host -> guest -> host).
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// Runs `body` on a guest thread and returns its result; the calling task suspends (its
    /// thread is free meanwhile). It runs in its caller's isolation (an object's turn), so the
    /// caller's non-Sendable state can be used by `body`: the turn waits for it.
    public nonisolated(nonsending) func run<T>(_ body: @escaping () throws -> T) async throws -> T {
        let work = UncheckedBody(body)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            condition.lock()
            jobs.append { continuation.resume(with: Result { try work.body() }) }
            condition.signal()
            condition.unlock()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]!
            jobs[next] = nil
            next += 1
            if next > 64, next * 2 > jobs.count {
                jobs.removeFirst(next)
                next = 0
            }
            condition.unlock()
            job()
        }
    }
}

/// A guest call's closure handed to another thread. It captures the object's non-Sendable state
/// (storage, bridge); that is safe because the object's turn waits for it and nothing else of
/// the object runs meanwhile (the input gate is held).
private struct UncheckedBody<T>: @unchecked Sendable {
    let body: () throws -> T
    init(_ body: @escaping () throws -> T) { self.body = body }
}
