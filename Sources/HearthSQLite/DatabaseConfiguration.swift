import CSQLite

/// Flags passed to `sqlite3_open_v2`.
public struct OpenFlags: OptionSet, Sendable {
    /// The `SQLITE_OPEN_*` bits handed to `sqlite3_open_v2`.
    public let rawValue: Int32
    /// Flags from raw `SQLITE_OPEN_*` bits, including ones this type does not name.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Open for reading only (`SQLITE_OPEN_READONLY`); the journal mode is then left as the file
    /// has it.
    public static let readOnly = OpenFlags(rawValue: SQLITE_OPEN_READONLY)
    /// Open for reading and writing, if the file system allows it (`SQLITE_OPEN_READWRITE`).
    public static let readWrite = OpenFlags(rawValue: SQLITE_OPEN_READWRITE)
    /// Create the file if it does not exist; only together with `readWrite` (`SQLITE_OPEN_CREATE`).
    public static let create = OpenFlags(rawValue: SQLITE_OPEN_CREATE)
    /// Multi-thread mode: the connection does no locking of its own; the owner serializes use.
    public static let noMutex = OpenFlags(rawValue: SQLITE_OPEN_NOMUTEX)
    /// Serialized mode: SQLite locks every call, so the connection may be shared between threads.
    public static let fullMutex = OpenFlags(rawValue: SQLITE_OPEN_FULLMUTEX)
    /// Refuse to open the file through a symbolic link.
    public static let noFollow = OpenFlags(rawValue: SQLITE_OPEN_NOFOLLOW)
    /// Interpret the file name as a `file:` URI.
    public static let uri = OpenFlags(rawValue: SQLITE_OPEN_URI)
    /// An in-memory database (the name is then only a label).
    public static let memory = OpenFlags(rawValue: SQLITE_OPEN_MEMORY)

    /// Read-write, created if missing, owner-serialized, no symlinks.
    public static let `default`: OpenFlags = [.readWrite, .create, .noMutex, .noFollow]
}

/// The journal mode a connection runs in.
public enum JournalMode: String, Sendable {
    /// Write-ahead log: readers never block the writer, commits append to the `-wal` file.
    case wal
    /// Classic rollback journal, deleted at the end of each transaction.
    case delete
    /// The journal lives in memory (not crash-safe).
    case memory
}

/// How hard SQLite syncs to disk at commit (`PRAGMA synchronous`).
public enum SynchronousMode: String, Sendable {
    /// Never fsync (fast, not durable).
    case off = "OFF"
    /// In WAL mode, fsync only at checkpoints: a commit may be lost on power failure.
    case normal = "NORMAL"
    /// fsync the WAL at every commit: a returned COMMIT survives power loss.
    case full = "FULL"
    /// Like FULL, plus sync the directory after creating or deleting journal files.
    case extra = "EXTRA"
}

/// How a `Database` is opened and set up.
public struct DatabaseConfiguration: Sendable {
    /// How `sqlite3_open_v2` opens the file (by default read-write, created if missing).
    public var flags: OpenFlags
    /// Set with `PRAGMA journal_mode` unless opened read-only; a file that refuses WAL fails the
    /// open.
    public var journalMode: JournalMode
    /// Set with `PRAGMA synchronous`; FULL by default, so a returned COMMIT survives power loss.
    public var synchronous: SynchronousMode
    /// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
    public var busyTimeoutMilliseconds: Int32
    /// Whether `PRAGMA foreign_keys` is on.
    public var foreignKeys: Bool
    /// `PRAGMA locking_mode=EXCLUSIVE`, set before anything else: for a database only this
    /// connection ever opens. The file lock is taken once and kept, and in WAL mode the WAL index
    /// lives in the heap instead of a shared-memory file, so a transaction makes no lock calls.
    public var exclusiveLocking: Bool

    /// The defaults: `OpenFlags.default`, WAL, FULL sync, a 5 s busy timeout, foreign keys on and
    /// normal (shared) locking.
    public init(flags: OpenFlags = .default, journalMode: JournalMode = .wal,
                synchronous: SynchronousMode = .full, busyTimeoutMilliseconds: Int32 = 5_000,
                foreignKeys: Bool = true, exclusiveLocking: Bool = false) {
        self.exclusiveLocking = exclusiveLocking
        self.flags = flags
        self.journalMode = journalMode
        self.synchronous = synchronous
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.foreignKeys = foreignKeys
    }
}
