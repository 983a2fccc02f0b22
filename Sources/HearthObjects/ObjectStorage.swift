import HearthSQLite

/// An object's durable storage: a key-value API (in `ObjectStorage+KeyValue`), an SQL API
/// (`sql`), transactions and the alarm, all in the object's own SQLite database. Every call is
/// synchronous and isolated to the owning object; the object wraps each event in a transaction
/// (the turn) committed before the event's response is released.
public final class ObjectStorage {
    package let connection: StorageConnection
    /// The SQL API over the same database.
    public let sql: SQLStorage

    init(path: String, limits: StorageLimits, synchronous: SynchronousMode, history: StorageHistory? = nil) {
        connection = StorageConnection(path: path, limits: limits, synchronous: synchronous, history: history)
        sql = SQLStorage(connection: connection)
    }

    /// The caps this storage enforces.
    public var limits: StorageLimits { connection.limits }

    /// Runs an internal statement (the host's own `_hearth_` tables: no authorizer) in the turn.
    @discardableResult
    package func internalQuery(_ sql: String, _ parameters: [SQLValue] = []) throws -> [[SQLValue]] {
        try connection.run { try $0.query(sql, parameters) }
    }

    /// Marks the current turn as cut off in the middle (a guest stopped by a trap, its deadline
    /// or its fuel, a deploy that did not load): when the event ends, its writes are rolled back
    /// instead of committed and the object's in-memory state is dropped (it may reflect them),
    /// while the event's response is still delivered. Only an event that *answers*, error or
    /// not, commits.
    public func discardTurn() {
        connection.discarded = true
    }

    /// Runs `body` atomically inside the turn: nested calls become nested savepoints, and an
    /// error thrown out of `body` undoes exactly its own writes before propagating.
    public func transactionSync<T>(_ body: () throws -> T) throws -> T {
        let name = try connection.beginSavepoint()
        let result: T
        do {
            result = try body()
        } catch {
            try connection.endSavepoint(name, commit: false)
            throw error
        }
        try connection.endSavepoint(name, commit: true)
        return result
    }
}
