import CSQLite

/// The action an authorizer is asked about (SQLite's `SQLITE_READ`, `SQLITE_PRAGMA`, ...), named,
/// so the layers above decide on statements without importing the C module.
public struct AuthorizerAction: RawRepresentable, Hashable, Sendable {
    /// SQLite's action code.
    public let rawValue: Int32

    /// The action with SQLite's code `rawValue`.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `BEGIN`, `COMMIT` or `ROLLBACK`.
    public static let transaction = AuthorizerAction(rawValue: SQLITE_TRANSACTION)
    /// `SAVEPOINT`, `RELEASE` or `ROLLBACK TO`.
    public static let savepoint = AuthorizerAction(rawValue: SQLITE_SAVEPOINT)
    /// `ATTACH DATABASE`.
    public static let attach = AuthorizerAction(rawValue: SQLITE_ATTACH)
    /// `DETACH DATABASE`.
    public static let detach = AuthorizerAction(rawValue: SQLITE_DETACH)
    /// A `PRAGMA`: its name is the request's first detail, its argument the second.
    public static let pragma = AuthorizerAction(rawValue: SQLITE_PRAGMA)
    /// A call of an SQL function: its name is the request's second detail.
    public static let function = AuthorizerAction(rawValue: SQLITE_FUNCTION)
    /// A column read: the table is the first detail, the column the second.
    public static let read = AuthorizerAction(rawValue: SQLITE_READ)
    /// An `INSERT` into the table named by the first detail.
    public static let insert = AuthorizerAction(rawValue: SQLITE_INSERT)
}

extension SQLiteError {
    /// The primary result codes callers tell apart (`SQLiteError.code`), named, so the layers
    /// above never import the C module.
    public enum Code {
        /// An authorizer refused the statement (`SQLITE_AUTH`).
        public static let auth = SQLITE_AUTH
        /// A bind index or parameter count out of range (`SQLITE_RANGE`).
        public static let range = SQLITE_RANGE
        /// A string or blob past the connection's length limit (`SQLITE_TOOBIG`).
        public static let tooBig = SQLITE_TOOBIG
        /// A constraint failed (`SQLITE_CONSTRAINT`).
        public static let constraint = SQLITE_CONSTRAINT
        /// The database hit its size cap or the disk is full (`SQLITE_FULL`).
        public static let full = SQLITE_FULL
        /// A statement was interrupted (`SQLITE_INTERRUPT`), e.g. by a deadline.
        public static let interrupt = SQLITE_INTERRUPT
    }
}
