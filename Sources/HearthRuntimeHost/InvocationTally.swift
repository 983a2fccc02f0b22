import Foundation
import HearthObjects
import HearthSQLite

/// A function's invocation statistics as a runtime object keeps them in its `_hearth_functions` table.
public struct FunctionStatistics: Sendable, Equatable {
    /// The id the function was deployed under in the object.
    public var functionId: String
    /// Invocations since the function was first deployed to the object (redeploys keep counting).
    public var invocations: Int
    /// When it was last invoked (millisecond precision), nil if never.
    public var lastInvoked: Date?
}

/// The invocation statistics (`_hearth_functions.invocation_count`, `last_invoked`) a runtime
/// object has counted but not yet written. They are the host's own bookkeeping, not guest
/// writes, so a warm invoke that writes nothing else does not commit (and fsync) them: they are
/// written coalesced, one UPDATE per function, by the first invoke after `interval` has passed
/// since the last write, by any turn that commits writes anyway (a deploy, a new delegate or
/// snapshot, the guest's own storage writes), before the maintenance alarm reads `last_invoked`,
/// and before the object hibernates (idle timeout, eviction, namespace close).
///
/// What a crash can lose: the counts of the invocations since the last write, that is at most
/// one interval's worth of calls (they stay unwritten until the next invoke or hibernation). A
/// turn whose commit fails, or an object dropped without hibernating, loses them the same way.
struct InvocationTally {
    private var pending: [String: (count: Int64, lastInvoked: Int64)] = [:]
    /// When pending counts were last written (or the tally started).
    private var writtenAt: Date

    init(now: Date) { writtenAt = now }

    var isEmpty: Bool { pending.isEmpty }

    /// Counts one invocation of `functionId` at `ms` (Unix milliseconds).
    mutating func count(_ functionId: String, at ms: Int64) {
        let previous = pending[functionId] ?? (0, ms)
        pending[functionId] = (previous.count + 1, max(previous.lastInvoked, ms))
    }

    /// Whether the pending counts are due by time alone (a clock that went back counts as due).
    func isDue(at now: Date, interval: TimeInterval) -> Bool {
        let elapsed = now.timeIntervalSince(writtenAt)
        return elapsed >= interval || elapsed < 0
    }

    /// Adds the pending counts to `_hearth_functions` inside the current turn, all or none; they commit
    /// with it. Writes nothing when none are pending.
    mutating func write(to storage: ObjectStorage, at now: Date) throws {
        writtenAt = now
        guard !pending.isEmpty else { return }
        try storage.transactionSync {
            for (functionId, tally) in pending {
                try storage.internalQuery("""
                    UPDATE _hearth_functions SET last_invoked = ?, invocation_count = invocation_count + ? WHERE function_id = ?
                    """, [.integer(tally.lastInvoked), .integer(tally.count), .text(functionId)])
            }
        }
        pending = [:]
    }
}
