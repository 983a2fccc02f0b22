import HearthSQLite

/// An object's durable storage: a key-value API (in `ObjectStorage+KeyValue`), an SQL API
/// (`sql`), transactions and the alarm, all in the object's own SQLite database. Every call is
/// synchronous and isolated to the owning object; the object wraps each event in a transaction
/// (the turn) committed before the event's response is released.
public final class ObjectStorage {
    let connection: StorageConnection
    /// The SQL API over the same database.
    public let sql: SQLStorage

    init(path: String, limits: StorageLimits, synchronous: SynchronousMode) {
        connection = StorageConnection(path: path, limits: limits, synchronous: synchronous)
        sql = SQLStorage(connection: connection)
    }

    /// The caps this storage enforces.
    public var limits: StorageLimits { connection.limits }

    /// Runs `body` atomically inside the turn: nested calls become nested savepoints, and an
    /// error thrown out of `body` undoes exactly its own writes before propagating.
    public func transactionSync<T>(_ body: () throws -> T) throws -> T {
        let name = "_hearth_savepoint_\(connection.savepointDepth)"
        try connection.run { try $0.exec("SAVEPOINT \(name)") }
        connection.savepointDepth += 1
        defer { connection.savepointDepth -= 1 }
        do {
            let result = try body()
            try connection.run { try $0.exec("RELEASE \(name)") }
            return result
        } catch {
            try? connection.run { db in
                try db.exec("ROLLBACK TO \(name)")
                try db.exec("RELEASE \(name)")
            }
            throw error
        }
    }
}
