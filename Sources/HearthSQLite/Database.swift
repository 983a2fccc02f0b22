import CSQLite

/// One connection to an SQLite database file. Not thread-safe by design: its owner (in Hearth,
/// an actor) serializes every use, which is why it is not `Sendable`.
public final class Database {
    private(set) var handle: OpaquePointer?
    /// The path the database was opened with.
    public let path: String
    /// Keeps the authorizer closure alive while SQLite holds a pointer to it.
    private var authorizerBox: AuthorizerBox?

    /// Opens (or creates) the database at `path` and applies `configuration`: journal mode,
    /// synchronous level, busy timeout and foreign keys. Throws if any of them cannot be set.
    public init(path: String, configuration: DatabaseConfiguration = DatabaseConfiguration()) throws {
        self.path = path
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, configuration.flags.rawValue, nil)
        guard rc == SQLITE_OK, let db else {
            let error = db.map { SQLiteError.from($0) } ?? SQLiteError.code(rc)
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, configuration.busyTimeoutMilliseconds)
        do {
            if configuration.exclusiveLocking { try exec("PRAGMA locking_mode=EXCLUSIVE") }
            if !configuration.flags.contains(.readOnly) {
                let mode = try scalar("PRAGMA journal_mode=\(configuration.journalMode.rawValue)")
                // Asking for WAL on an in-memory database silently yields "memory"; only a file
                // that refuses the mode is an error.
                if configuration.journalMode == .wal, mode?.stringValue?.lowercased() != "wal",
                   !configuration.flags.contains(.memory), path != ":memory:", !path.isEmpty {
                    throw SQLiteError(extendedCode: SQLITE_ERROR,
                                      message: "could not enable WAL journal mode (got \(mode.map { "\($0)" } ?? "nothing"))")
                }
            }
            try exec("PRAGMA synchronous=\(configuration.synchronous.rawValue)")
            try exec("PRAGMA foreign_keys=\(configuration.foreignKeys ? "ON" : "OFF")")
        } catch {
            sqlite3_close_v2(db)
            handle = nil
            throw error
        }
    }

    deinit { sqlite3_close_v2(handle) }

    /// Whether `close()` has been called.
    public var isClosed: Bool { handle == nil }

    /// Closes the connection. Statements still alive keep SQLite's side open until they are
    /// released (`sqlite3_close_v2`), so closing never fails because of them.
    public func close() {
        guard let db = handle else { return }
        if authorizerBox != nil { sqlite3_set_authorizer(db, nil, nil) }
        sqlite3_close_v2(db)
        handle = nil
        authorizerBox = nil
    }

    func requireHandle(sql: String? = nil) throws -> OpaquePointer {
        guard let handle else { throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "database is closed", sql: sql) }
        return handle
    }

    /// Runs one or more `;`-separated statements without parameters, discarding any rows.
    public func exec(_ sql: String) throws {
        let db = try requireHandle(sql: sql)
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard rc == SQLITE_OK else {
            var error = SQLiteError.from(db, sql: sql)
            if let message { error = SQLiteError(extendedCode: error.extendedCode, message: String(cString: message), sql: sql) }
            throw error
        }
    }

    /// Prepares exactly one statement; trailing text other than whitespace/comments is an error.
    public func prepare(_ sql: String) throws -> Statement {
        var statements: [Statement] = []
        try forEachStatement(sql) { statements.append($0) }
        guard statements.count == 1 else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE,
                              message: "expected exactly one SQL statement, found \(statements.count)", sql: sql)
        }
        return statements[0]
    }

    /// Prepares the statements of `sql` one at a time and hands each to `body` before preparing
    /// the next, so a statement may depend on schema created by an earlier one.
    public func forEachStatement(_ sql: String, _ body: (Statement) throws -> Void) throws {
        let db = try requireHandle(sql: sql)
        let utf8 = Array(sql.utf8CString)
        try utf8.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let end = base + (buffer.count - 1)  // the terminating NUL
            var cursor = base
            while cursor < end {
                var raw: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let rc = sqlite3_prepare_v2(db, cursor, Int32(end - cursor), &raw, &tail)
                let text = String(decoding: UnsafeRawBufferPointer(start: cursor, count: (tail ?? end) - cursor), as: UTF8.self)
                guard rc == SQLITE_OK else {
                    sqlite3_finalize(raw)
                    throw SQLiteError.from(db, sql: text)
                }
                guard let next = tail, next > cursor else { sqlite3_finalize(raw); break }
                cursor = next
                // Whitespace or a comment prepares to no statement at all.
                guard let raw else { continue }
                try body(Statement(handle: raw, database: self))
            }
        }
    }

    /// Runs one statement with parameters and returns every row it produces.
    @discardableResult
    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var rows: [[SQLValue]] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// The first column of the first row of a one-statement query, or nil when there is no row.
    public func scalar(_ sql: String, _ parameters: [SQLValue] = []) throws -> SQLValue? {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return try statement.step() ? statement.value(at: 0) : nil
    }

    /// Rows changed by the most recent INSERT/UPDATE/DELETE.
    public var changes: Int64 { handle.map { sqlite3_changes64($0) } ?? 0 }
    /// Rows changed since the connection opened.
    public var totalChanges: Int64 { handle.map { sqlite3_total_changes64($0) } ?? 0 }
    /// Rowid of the most recent successful INSERT.
    public var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }
    /// False while a transaction is open (SQLite may also end one by itself after some errors).
    public var isAutocommit: Bool { handle.map { sqlite3_get_autocommit($0) != 0 } ?? true }

    /// Sets a run-time limit and returns the previous value.
    @discardableResult
    public func setLimit(_ limit: SQLiteLimit, _ value: Int32) -> Int32 {
        guard let handle else { return -1 }
        return sqlite3_limit(handle, limit.identifier, value)
    }

    /// The current value of a run-time limit.
    public func limit(_ limit: SQLiteLimit) -> Int32 {
        guard let handle else { return -1 }
        return sqlite3_limit(handle, limit.identifier, -1)
    }

    /// Pages in the database file (`PRAGMA page_count`).
    public func pageCount() throws -> Int64 { try scalar("PRAGMA page_count")?.int64Value ?? 0 }
    /// Bytes per page (`PRAGMA page_size`).
    public func pageSize() throws -> Int64 { try scalar("PRAGMA page_size")?.int64Value ?? 0 }
    /// The database's size in bytes: `page_count * page_size` (WAL content included).
    public func size() throws -> Int64 { try pageCount() * pageSize() }

    /// Caps the database at `bytes` (rounded down to whole pages, at least one) through
    /// `PRAGMA max_page_count`; writes beyond it fail with `SQLITE_FULL`. Returns the cap in pages.
    @discardableResult
    public func setMaximumSize(bytes: Int64) throws -> Int64 {
        let pages = max(1, bytes / max(1, try pageSize()))
        return try scalar("PRAGMA max_page_count=\(pages)")?.int64Value ?? pages
    }

    /// Installs (or with nil removes) an authorizer consulted while statements are prepared.
    public func setAuthorizer(_ authorizer: Authorizer?) throws {
        let db = try requireHandle()
        guard let authorizer else {
            sqlite3_set_authorizer(db, nil, nil)
            authorizerBox = nil
            return
        }
        let box = AuthorizerBox(authorizer)
        authorizerBox = box
        sqlite3_set_authorizer(db, authorizerTrampoline, Unmanaged.passUnretained(box).toOpaque())
    }
}
