import CSQLite

/// An error reported by SQLite, carrying its result code and message so callers can tell a full
/// disk or a size cap (`SQLITE_FULL`) from a constraint violation or a syntax error.
public struct SQLiteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The extended result code (e.g. `SQLITE_IOERR_FSYNC`); `code` is its primary part.
    public let extendedCode: Int32
    /// SQLite's own message (`sqlite3_errmsg`) or ours for misuse detected before calling SQLite.
    public let message: String
    /// The SQL being prepared or run, when there was one.
    public let sql: String?

    /// An error with an extended result code (a primary code such as `SQLITE_FULL` will do), its
    /// message and the SQL involved, if any.
    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`SQLITE_FULL`, `SQLITE_CONSTRAINT`, ...).
    public var code: Int32 { extendedCode & 0xff }

    /// True when the database hit its size cap (`max_page_count`) or the disk is full. SQLite rolls
    /// back the failing statement (sometimes the whole transaction); committed data is untouched.
    public var isDatabaseFull: Bool { code == SQLITE_FULL }

    /// True for failures that mean the current transaction can no longer be trusted to commit.
    public var breaksTransaction: Bool {
        switch code {
        case SQLITE_FULL, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOMEM, SQLITE_NOTADB, SQLITE_CANTOPEN,
             SQLITE_READONLY, SQLITE_PROTOCOL:
            return true
        default:
            return false
        }
    }

    /// The symbolic name SQLite gives the primary code ("database or disk is full", ...).
    public var codeDescription: String { String(cString: sqlite3_errstr(code)) }

    public var description: String {
        let base = isDatabaseFull ? "database or disk is full" : message
        let detail = base == message ? "" : ": \(message)"
        return "\(base)\(detail) (SQLite code \(code), extended \(extendedCode))"
    }

    /// Reads the current error of a connection.
    static func from(_ db: OpaquePointer?, sql: String? = nil) -> SQLiteError {
        guard let db else {
            return SQLiteError(extendedCode: SQLITE_MISUSE, message: "database is closed", sql: sql)
        }
        return SQLiteError(extendedCode: sqlite3_extended_errcode(db),
                           message: String(cString: sqlite3_errmsg(db)), sql: sql)
    }

    /// An error built from a result code alone (when no connection holds a message).
    static func code(_ rc: Int32, sql: String? = nil) -> SQLiteError {
        SQLiteError(extendedCode: rc, message: String(cString: sqlite3_errstr(rc)), sql: sql)
    }
}
