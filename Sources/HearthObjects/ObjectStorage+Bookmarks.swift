import Foundation
import HearthSQLite

/// Point-in-time recovery (`StorageHistory`), as workerd's SQLite-backed objects offer it: a
/// bookmark names the database as it was after one committed turn; an object can ask to start
/// its next session from any bookmark of the retention window (30 days by default).
///
/// A bookmark names the state after a whole turn: one asked for inside an event includes all
/// of that event's writes (workerd's includes the writes made before the call). And the next
/// session starts right after the turn that asked for it commits (workerd waits for the object
/// to be restarted, e.g. by `ctx.abort()`).
extension ObjectStorage {
    /// The bookmark of the database as it is now: inside an event, as it will be when the
    /// event's turn commits (with the writes made so far, as in workerd, and any made later in
    /// the turn); if the turn rolls back instead, the bookmark names the state before it.
    public func currentBookmark() throws -> String {
        let history = try requireHistory()
        let db = try connection.open()
        try history.capture(db, checkpointAbove: .max)
        if connection.inTurn {
            connection.bookmarkHandedOut = true
            return StorageHistory.bookmark((try history.lastSequence() ?? 0) + 1)
        }
        guard let seq = try history.lastSequence() else { throw ObjectError.invalidStorageCall("the object has no history yet") }
        return StorageHistory.bookmark(seq)
    }

    /// The bookmark of the database as it was at `date` (the last turn committed at or before
    /// it); throws for a time in the future or before the retained history.
    public func bookmark(for date: Date) throws -> String {
        let history = try requireHistory()
        _ = try connection.open()
        return try history.bookmark(at: date)
    }

    /// Asks for the object's next session to start from `bookmark`: when the current turn
    /// commits, the object drops its state and its database is replaced by the bookmarked one
    /// (if the turn rolls back, nothing happens). Answers the bookmark of the state the restore
    /// replaces (this turn's commit), which undoes the restore when restored to in turn.
    public func onNextSessionRestoreBookmark(_ bookmark: String) throws -> String {
        let history = try requireHistory()
        guard connection.inTurn else { throw ObjectError.invalidStorageCall("onNextSessionRestoreBookmark must be called inside an event") }
        let target = try connection.run { db -> Int64 in
            try history.capture(db, checkpointAbove: .max)
            return try history.sequence(of: bookmark)
        }
        connection.restoreRequest = target
        connection.bookmarkHandedOut = true
        return StorageHistory.bookmark((try history.lastSequence() ?? 0) + 1)
    }

    private func requireHistory() throws -> StorageHistory {
        guard let history = connection.history else {
            throw ObjectError.unsupported("point-in-time recovery is turned off for this namespace (ObjectConfiguration.historyRetention)")
        }
        return history
    }
}
