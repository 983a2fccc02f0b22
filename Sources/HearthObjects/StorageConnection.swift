import Foundation
import HearthSQLite

/// The database connection of one object and the bookkeeping of its current turn. It opens
/// lazily (so a hibernated object holds no file handles), applies the limits, installs the
/// authorizer, and remembers a write failure so the rest of the turn cannot slip past the
/// output gate: once a write failed, every later storage call of the turn fails the same way.
package final class StorageConnection {
    let path: String
    let limits: StorageLimits
    let synchronous: SynchronousMode
    /// Point-in-time recovery, if the namespace keeps it.
    let history: StorageHistory?
    private var database: Database?
    /// Non-zero while user SQL is being prepared or run: only then does the authorizer apply.
    private var userSQLDepth = 0
    private var lastRefusal: String?
    /// The error that doomed the current turn, if any.
    private(set) var failure: SQLiteError?
    private(set) var inTurn = false
    var savepointDepth = 0
    /// The turn read or changed the alarm, so the namespace index must be brought in line.
    var alarmTouched = false
    /// The turn called setAlarm/deleteAlarm (an alarm handler's own choice wins over retry logic).
    var alarmChangedThisTurn = false
    /// An `alarm()` handler is running: its own alarm reads as none until it sets one (workerd).
    var inAlarmHandler = false
    /// The turn was cut off (`ObjectStorage.discardTurn`): it ends in a rollback, not a commit.
    var discarded = false
    /// How long one call of user SQL may run (`runUserSQL`); nil: unbounded. Set by whoever runs
    /// guest code with a deadline, so a guest's query cannot outlive the guest.
    package var userSQLTimeout: Duration?
    /// The turn the transaction belongs to. Storage used from a task of another turn (a block
    /// abandoned at its timeout, resumed later) is refused: it would write into this one.
    var turn: TurnToken?
    /// The commit `ObjectStorage.onNextSessionRestoreBookmark` asked for in this turn; recorded
    /// in the history when the turn commits.
    var restoreRequest: Int64?
    /// The turn handed out a bookmark naming its own commit: that commit is recorded in the
    /// history even if the turn wrote nothing, and an empty one if it rolls back.
    var bookmarkHandedOut = false
    /// A committed turn asked for a restore: the object starts a new session right after it.
    var restartRequested = false
    /// Fault injection for tests: runs just before the turn's COMMIT, and its error fails it
    /// as a failed commit would.
    var commitFault: (() throws -> Void)?
    /// SQLite's count of changed rows when the turn began (see `hasChangedRowsThisTurn`).
    private var changesAtTurnStart: Int64 = 0

    private static let schema = """
        CREATE TABLE IF NOT EXISTS _hearth_kv (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS _hearth_alarm (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 0),
            scheduled_ms INTEGER NOT NULL,
            retry_count INTEGER NOT NULL DEFAULT 0,
            retry_at_ms INTEGER);
        """

    init(path: String, limits: StorageLimits, synchronous: SynchronousMode, history: StorageHistory?) {
        self.path = path
        self.limits = limits
        self.synchronous = synchronous
        self.history = history
    }

    private var configuration: DatabaseConfiguration { DatabaseConfiguration(synchronous: synchronous) }

    var isOpen: Bool { database != nil }

    func open() throws -> Database {
        if let database { return database }
        try history?.restoreIfRequested(configuration: configuration)
        let db = try Database(path: path, configuration: configuration)
        // The history must see every frame before SQLite may checkpoint it away.
        if history != nil { try db.exec("PRAGMA wal_autocheckpoint=0") }
        try db.exec(Self.schema)
        // Alarm rows of objects made before retries kept the time they were set for.
        if !(try db.query("PRAGMA table_info(_hearth_alarm)").contains { $0[1].stringValue == "retry_at_ms" }) {
            try db.exec("ALTER TABLE _hearth_alarm ADD COLUMN retry_at_ms INTEGER")
        }
        db.setLimit(.length, limits.maxValueBytes)
        db.setLimit(.sqlLength, limits.maxSQLLength)
        db.setLimit(.columns, limits.maxColumns)
        db.setLimit(.variableNumber, limits.maxBoundParameters)
        db.setLimit(.likePatternLength, limits.maxLikePatternBytes)
        db.setLimit(.attached, 0)
        try db.setMaximumSize(bytes: limits.maxDatabaseBytes)
        do {
            try history?.attach(db)
        } catch {
            db.close()
            throw error
        }
        try db.setAuthorizer { [unowned self] request in
            guard self.userSQLDepth > 0 else { return .allow }
            guard let reason = InternalTablePolicy.refusal(for: request) else { return .allow }
            self.lastRefusal = reason
            return .deny
        }
        database = db
        return db
    }

    /// Whether the object's database exists on disk (an object never written, or deleted, has
    /// none: looking at its alarm must not create it).
    var databaseExists: Bool { database != nil || FileManager.default.fileExists(atPath: path) }

    /// Deletes the database for good: the WAL is checkpointed into it and truncated (so no
    /// later database under that name can replay it), the connection closed, the file renamed
    /// to a tombstone and the folder synced (the atomic step: from here the object is gone even
    /// after a crash), then the tombstone and what is left removed. True if it existed.
    func deleteDatabase() throws -> Bool {
        guard !inTurn else { throw SQLiteError(extendedCode: 5, message: "cannot delete an object's database mid-turn") }
        let existed = databaseExists
        if let database {
            try? database.exec("PRAGMA wal_checkpoint(TRUNCATE)")
            database.close()
            self.database = nil
        }
        let tombstone = path + ".deleted"
        if rename(path, tombstone) == 0 { syncFolder(of: path) }
        for name in [tombstone, path + "-wal", path + "-shm", tombstone + "-wal", tombstone + "-shm"] { unlink(name) }
        history?.delete()
        return existed
    }

    /// Releases the connection (hibernation). Refused mid-turn: the turn's transaction lives on it.
    func close() {
        guard !inTurn else { return }
        if let database {
            captureHistory(database, checkpointAbove: .max)
            // Closing lets SQLite checkpoint the WAL away: the history must be on disk first.
            if let history {
                do { try history.makeDurable() } catch { return }
            }
        }
        database?.close()
        database = nil
        history?.close()
    }

    /// Takes what the WAL committed into the history. A failure loses nothing: the frames stay
    /// in the WAL (it is not checkpointed past them) and the next capture takes them.
    private func captureHistory(_ db: Database, force: Bool = false, checkpointAbove: Int64 = 4 << 20) {
        guard let history else { return }
        do {
            try history.capture(db, force: force, checkpointAbove: checkpointAbove)
            if let restoreRequest {
                try history.requestRestore(to: restoreRequest)
                restartRequested = true
            }
        } catch {}
        restoreRequest = nil
        bookmarkHandedOut = false
    }

    /// Starts the turn's transaction. IMMEDIATE takes the write lock up front, so a turn never
    /// fails halfway because another connection (a second process) got it first.
    func beginTurn() throws {
        let db = try open()
        try db.exec("BEGIN IMMEDIATE")
        changesAtTurnStart = db.totalChanges
        inTurn = true
        failure = nil
        savepointDepth = 0
        alarmTouched = false
        alarmChangedThisTurn = false
        inAlarmHandler = false
        discarded = false
        restoreRequest = nil
        bookmarkHandedOut = false
    }

    /// Whether the current turn has inserted, updated or deleted rows (schema changes alone do
    /// not count), i.e. whether its commit will write and sync. A turn that changed nothing
    /// commits without writing to the WAL, so without an fsync.
    package var hasChangedRowsThisTurn: Bool {
        guard inTurn, let database else { return false }
        return database.totalChanges != changesAtTurnStart
    }

    /// Commits the turn; with synchronous=FULL the writes are on disk when this returns.
    func commitTurn() throws {
        guard inTurn, let db = database else { return }
        if let failure { throw failure }
        // A turn that changed no rows (most warm invokes) leaves the WAL to the next capture:
        // reading it costs syscalls, and frames of schema-only changes wait there safely.
        let captures = history != nil && (hasChangedRowsThisTurn || bookmarkHandedOut)
        do {
            try commitFault?()
            try db.exec("COMMIT")
        } catch let error as SQLiteError {
            failure = error
            throw error
        }
        inTurn = false
        turn = nil
        if captures { captureHistory(db, force: bookmarkHandedOut) }
        bookmarkHandedOut = false
    }

    /// Abandons the turn's writes.
    func rollbackTurn() {
        if let db = database, !db.isAutocommit { try? db.exec("ROLLBACK") }
        if let db = database, bookmarkHandedOut {
            restoreRequest = nil
            captureHistory(db, force: true)
        }
        inTurn = false
        failure = nil
        savepointDepth = 0
        discarded = false
        restoreRequest = nil
        turn = nil
    }

    /// Opens a savepoint nested in the turn (and in any savepoint open); answers its name for
    /// `endSavepoint`. `savepointDepth` counts the open ones.
    package func beginSavepoint() throws -> String {
        let name = "_hearth_savepoint_\(savepointDepth)"
        try run { try $0.exec("SAVEPOINT \(name)") }
        savepointDepth += 1
        return name
    }

    /// Closes the savepoint `name`: its writes kept (`commit`), or undone exactly. A release
    /// that fails undoes them too, and throws.
    package func endSavepoint(_ name: String, commit: Bool) throws {
        defer { savepointDepth -= 1 }
        if commit {
            do {
                try run { try $0.exec("RELEASE \(name)") }
                return
            } catch {
                undo(name)
                throw error
            }
        }
        undo(name)
    }

    private func undo(_ savepoint: String) {
        try? run { db in
            try db.exec("ROLLBACK TO \(savepoint)")
            try db.exec("RELEASE \(savepoint)")
        }
    }

    /// Runs internal statements (no authorizer).
    @discardableResult
    package func run<T>(_ body: (Database) throws -> T) throws -> T {
        if let failure { throw failure }
        try checkTurn()
        let db = try open()
        do {
            return try body(db)
        } catch let error as SQLiteError {
            noteFailure(error, db)
            throw error
        }
    }

    /// Runs user SQL under the authorizer, turning SQLite's bare "not authorized" into the reason.
    func runUserSQL<T>(_ body: (Database) throws -> T) throws -> T {
        if let failure { throw failure }
        try checkTurn()
        let db = try open()
        userSQLDepth += 1
        lastRefusal = nil
        defer { userSQLDepth -= 1 }
        do {
            return try db.withDeadline(userSQLTimeout.map { ContinuousClock.now + $0 }) { try body(db) }
        } catch let error as SQLiteError {
            noteFailure(error, db)
            if error.code == SQLiteError.Code.auth, let reason = lastRefusal {
                throw SQLiteError(extendedCode: error.extendedCode, message: "not authorized: \(reason)", sql: error.sql)
            }
            throw error
        }
    }

    private func checkTurn() throws {
        if let current = TurnContext.current, current != turn { throw ObjectError.turnAbandoned }
    }

    /// A durability failure, or SQLite having rolled back the whole transaction by itself, dooms
    /// the turn: later statements would otherwise run in autocommit and escape the output gate.
    private func noteFailure(_ error: SQLiteError, _ db: Database) {
        if inTurn, error.breaksTransaction || db.isAutocommit { failure = error }
    }
}

/// Makes a rename in the folder of `path` durable.
func syncFolder(of path: String) {
    let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY)
    guard folder >= 0 else { return }
    fsync(folder)
    close(folder)
}
