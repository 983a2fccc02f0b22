import Foundation
import HearthSQLite

/// Point-in-time recovery of one object's database: every committed turn's pages, kept for the
/// retention period in a side database (`<object>.history`) the guest cannot reach, so the
/// object can be put back to how it was after any turn in that window (workerd's
/// `getCurrentBookmark` / `getBookmarkForTime` / `onNextSessionRestoreBookmark`).
///
/// How: the object's database runs in WAL mode with automatic checkpoints off. After each commit
/// the new frames of the WAL are read (`WALReader`, checksums verified) and stored as one
/// history commit (its pages, the database size, the clock time); only then may the WAL be
/// checkpointed. A crash between the object's commit and the capture loses nothing: the frames
/// are still in the WAL and the next open captures them. The first commit of a history is the
/// whole database file. Restoring to commit B writes, for each page, its latest image at or
/// before B into a new file, which replaces the database (see `restoreIfRequested`).
///
/// Durability without a second fsync per turn: the side database commits with synchronous=NORMAL
/// (its WAL reaches the disk at its checkpoints), and is made durable (`makeDurable`) before
/// anything lets the object's WAL go: its checkpoint, its close, a restore. Until then what the
/// history may lose to a power cut is still in the object's WAL, from the last durable capture
/// position on, and is captured again at the next open.
///
/// Bookmarks are 16 hex digits of the commit's sequence number, so they sort in time order.
final class StorageHistory {
    /// The object's database file.
    let databasePath: String
    let historyPath: String
    let retention: TimeInterval
    let now: () -> Date
    private var store: Database?
    /// Kept while the side database is open: the per-turn capture is a handful of prepared
    /// statements and no reads.
    private var statements: (insertCommit: Statement, insertPage: Statement, savePosition: Statement)?
    private var cachedPosition: WALPosition??
    private var cachedLastSequence: Int64??

    init(databasePath: String, retention: TimeInterval, now: @escaping () -> Date) {
        self.databasePath = databasePath
        historyPath = databasePath + ".history"
        self.retention = retention
        self.now = now
    }

    private static let schema = """
        CREATE TABLE IF NOT EXISTS commits (seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, database_pages INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS pages (seq INTEGER NOT NULL, pgno INTEGER NOT NULL, data BLOB NOT NULL,
            PRIMARY KEY (pgno, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS state (singleton INTEGER PRIMARY KEY CHECK (singleton = 0),
            page_size INTEGER NOT NULL DEFAULT 0,
            wal_salt1 INTEGER, wal_salt2 INTEGER, wal_offset INTEGER, wal_checksum1 INTEGER, wal_checksum2 INTEGER,
            restore_to INTEGER, restoring INTEGER);
        INSERT OR IGNORE INTO state (singleton) VALUES (0);
        """

    private func open() throws -> Database {
        if let store { return store }
        let db = try Database(path: historyPath, configuration: DatabaseConfiguration(synchronous: .normal, exclusiveLocking: true))
        try db.exec(Self.schema)
        store = db
        return db
    }

    /// Syncs the side database's WAL (and folds it in): every capture so far survives power loss.
    func makeDurable() throws {
        try open().exec("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Closes the side database (the object hibernates).
    func close() {
        statements = nil
        cachedPosition = nil
        cachedLastSequence = nil
        store?.close()
        store = nil
    }

    /// Deletes the history with the object: a deleted object cannot be brought back.
    func delete() {
        close()
        for suffix in ["", "-wal", "-shm"] { unlink(historyPath + suffix) }
    }

    // MARK: Capture

    /// Called right after the object's connection opened (automatic checkpoints already off):
    /// a new history starts from the whole database file, an existing one takes in what the WAL
    /// committed since its last capture (a crash came between a commit and its capture).
    func attach(_ database: Database) throws {
        let store = try open()
        if try lastSequence() == nil {
            try database.exec("PRAGMA wal_checkpoint(TRUNCATE)")
            // Not durable yet: if it is lost, the next open starts the history over.
            try recordWholeFile(store)
        } else {
            try capture(database, checkpointAbove: 0)
        }
        try prune()
    }

    /// Stores what the WAL committed since the last capture as one history commit (or an empty
    /// one if `force`, so a bookmark handed out for this turn names it), then checkpoints the WAL
    /// if it grew past `checkpointAbove` bytes. Never runs inside the object's transaction.
    func capture(_ database: Database, force: Bool = false, checkpointAbove: Int64 = 4 << 20) throws {
        let store = try open()
        let position = try self.position(store)
        let found = try WALReader.commits(walPath: databasePath + "-wal", after: position)
        if found != nil || force {
            let prepared = try self.prepared(store)
            try write(store) {
                let pages = try found.map { Int64($0.databasePages) } ?? (try lastDatabasePages() ?? 0)
                let seq = try appendCommit(store, databasePages: pages)
                for (pgno, data) in found?.pages ?? [:] {
                    try Self.run(prepared.insertPage, [.integer(seq), .integer(Int64(pgno)), .blob(data)])
                }
                if let found {
                    let p = found.position
                    try Self.run(prepared.savePosition, [.integer(Int64(found.pageSize)), .integer(Int64(p.salt1)), .integer(Int64(p.salt2)),
                                                          .integer(p.offset), .integer(Int64(p.checksum1)), .integer(Int64(p.checksum2))])
                }
            }
            if let found { cachedPosition = .some(found.position) }
        }
        // Only captured frames may be checkpointed: a checkpoint lets SQLite restart the WAL.
        // RESTART, not TRUNCATE: the next transactions overwrite the log's blocks in place, and
        // an fdatasync of a file that does not grow is much cheaper (no size or block metadata).
        if (found?.position.offset ?? position?.offset ?? 0) > checkpointAbove, database.isAutocommit {
            try makeDurable()
            try database.exec("PRAGMA wal_checkpoint(RESTART)")
        }
    }

    private func position(_ store: Database) throws -> WALPosition? {
        if let cachedPosition { return cachedPosition }
        let position = try storedPosition(store)
        cachedPosition = .some(position)
        return position
    }

    private func storedPosition(_ store: Database) throws -> WALPosition? {
        guard let row = try store.query("SELECT wal_salt1, wal_salt2, wal_offset, wal_checksum1, wal_checksum2 FROM state").first,
              let s1 = row[0].int64Value, let s2 = row[1].int64Value, let offset = row[2].int64Value,
              let c1 = row[3].int64Value, let c2 = row[4].int64Value else { return nil }
        return WALPosition(salt1: UInt32(truncatingIfNeeded: s1), salt2: UInt32(truncatingIfNeeded: s2), offset: offset,
                           checksum1: UInt32(truncatingIfNeeded: c1), checksum2: UInt32(truncatingIfNeeded: c2))
    }

    /// The first commit of a history: every page of the database file as it is (checkpointed).
    private func recordWholeFile(_ store: Database) throws {
        let bytes = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: databasePath))) ?? Data())
        let pageSize = Self.pageSize(ofDatabaseHeader: bytes)
        try write(store) {
            let pages = pageSize > 0 ? bytes.count / pageSize : 0
            let seq = try appendCommit(store, databasePages: Int64(pages))
            for index in 0..<pages {
                let data = Array(bytes[index * pageSize..<(index + 1) * pageSize])
                try store.query("INSERT INTO pages (seq, pgno, data) VALUES (?, ?, ?)", [.integer(seq), .integer(Int64(index + 1)), .blob(data)])
            }
            try store.query("UPDATE state SET page_size = ?, wal_salt1 = NULL, wal_offset = NULL", [.integer(Int64(pageSize))])
        }
        cachedPosition = .some(nil)
    }

    /// The page size in an SQLite database header (bytes 16–17; 1 means 65536); 0 if none.
    static func pageSize(ofDatabaseHeader bytes: [UInt8]) -> Int {
        guard bytes.count >= 100 else { return 0 }
        let raw = Int(bytes[16]) << 8 | Int(bytes[17])
        return raw == 1 ? 65_536 : raw
    }

    private func appendCommit(_ store: Database, databasePages: Int64) throws -> Int64 {
        let seq = (try lastSequence() ?? 0) + 1
        try Self.run(try prepared(store).insertCommit, [.integer(seq), .integer(now().milliseconds), .integer(databasePages)])
        cachedLastSequence = .some(seq)
        return seq
    }

    private func prepared(_ store: Database) throws -> (insertCommit: Statement, insertPage: Statement, savePosition: Statement) {
        if let statements { return statements }
        let made = (insertCommit: try store.prepare("INSERT INTO commits (seq, time_ms, database_pages) VALUES (?, ?, ?)"),
                    insertPage: try store.prepare("INSERT INTO pages (seq, pgno, data) VALUES (?, ?, ?)"),
                    savePosition: try store.prepare("""
                        UPDATE state SET page_size = ?, wal_salt1 = ?, wal_salt2 = ?, wal_offset = ?, wal_checksum1 = ?, wal_checksum2 = ?
                        """))
        statements = made
        return made
    }

    private static func run(_ statement: Statement, _ values: [SQLValue]) throws {
        statement.reset()
        try statement.bind(values)
        try statement.run()
    }

    /// One transaction of the side database. A failed one also forgets what is cached: the
    /// sequence number or position it moved were rolled back.
    private func write(_ store: Database, _ body: () throws -> Void) throws {
        try store.exec("BEGIN IMMEDIATE")
        do {
            try body()
            try store.exec("COMMIT")
        } catch {
            try? store.exec("ROLLBACK")
            cachedPosition = nil
            cachedLastSequence = nil
            throw error
        }
    }

    // MARK: Bookmarks

    func lastSequence() throws -> Int64? {
        if let cachedLastSequence { return cachedLastSequence }
        let seq = try open().scalar("SELECT max(seq) FROM commits")?.int64Value
        cachedLastSequence = .some(seq)
        return seq
    }

    private func lastDatabasePages() throws -> Int64? {
        try open().scalar("SELECT database_pages FROM commits ORDER BY seq DESC LIMIT 1")?.int64Value
    }

    static func bookmark(_ seq: Int64) -> String {
        let hex = String(seq, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// The commit a bookmark names; throws unless it is one this history still holds.
    func sequence(of bookmark: String) throws -> Int64 {
        guard bookmark.utf8.count == 16, let seq = Int64(bookmark, radix: 16), seq > 0 else {
            throw ObjectError.invalidStorageCall("invalid bookmark \"\(bookmark)\"")
        }
        guard try open().scalar("SELECT 1 FROM commits WHERE seq = ?", [.integer(seq)]) != nil else {
            throw ObjectError.invalidStorageCall("bookmark \(bookmark) is not in this object's retained history")
        }
        return seq
    }

    /// The bookmark of the last commit at or before `date`.
    func bookmark(at date: Date) throws -> String {
        let store = try open()
        guard date <= now() else { throw ObjectError.invalidStorageCall("no bookmark for a time in the future") }
        guard let seq = try store.scalar("SELECT max(seq) FROM commits WHERE time_ms <= ?", [.integer(date.milliseconds)])?.int64Value else {
            throw ObjectError.invalidStorageCall("\(date) is before this object's retained history")
        }
        return Self.bookmark(seq)
    }

    // MARK: Restore

    /// Records that the next session starts from commit `target`.
    func requestRestore(to target: Int64) throws {
        try open().query("UPDATE state SET restore_to = ?", [.integer(target)])
    }

    /// Before the object's database is opened: carries out a requested restore. The steps are
    /// ordered so a crash anywhere leaves either the old database or the restored one, never a
    /// mix, and redoes the rest on the next open:
    /// 1. what the WAL committed is captured, and the image of the target commit is appended to
    ///    the history as a new commit, marked as the restore in progress (one history write);
    /// 2. the old database is checkpointed and closed, so its WAL is empty and can go;
    /// 3. the image is written to a new file, synced, and renamed over the database;
    /// 4. the mark is cleared.
    func restoreIfRequested(configuration: DatabaseConfiguration) throws {
        guard FileManager.default.fileExists(atPath: historyPath) else { return }
        let store = try open()
        guard let row = try store.query("SELECT restore_to, restoring, page_size FROM state").first else { return }
        var restoring = row[1].int64Value
        if restoring == nil, let target = row[0].int64Value {
            let old = try Database(path: databasePath, configuration: configuration)
            try old.exec("PRAGMA wal_autocheckpoint=0")
            try capture(old, checkpointAbove: .max)
            try makeDurable()
            old.close()
            let image = try self.image(at: target)
            try write(store) {
                let seq = try appendCommit(store, databasePages: Int64(image.pages.count))
                for (index, page) in image.pages.enumerated() {
                    try store.query("INSERT INTO pages (seq, pgno, data) VALUES (?, ?, ?)", [.integer(seq), .integer(Int64(index + 1)), .blob(page)])
                }
                try store.query("UPDATE state SET restore_to = NULL, restoring = ?", [.integer(seq)])
            }
            try makeDurable()
            restoring = try lastSequence()
        }
        guard let restoring else { return }
        let old = try Database(path: databasePath, configuration: configuration)
        try old.exec("PRAGMA wal_checkpoint(TRUNCATE)")
        old.close()
        let image = try self.image(at: restoring)
        let temporary = databasePath + ".restoring"
        unlink(temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(image.pages.joined())) else {
            throw SQLiteError(extendedCode: 10, message: "could not write \(temporary)")
        }
        try syncFile(temporary)
        for suffix in ["-wal", "-shm"] { unlink(databasePath + suffix) }
        guard rename(temporary, databasePath) == 0 else {
            throw SQLiteError(extendedCode: 10, message: "could not replace \(databasePath): errno \(errno)")
        }
        syncFolder(of: databasePath)
        try store.exec("UPDATE state SET restoring = NULL, wal_salt1 = NULL, wal_offset = NULL")
        cachedPosition = .some(nil)
        // Durable before the restored database takes commits: redoing the restore after a power
        // cut would replace them.
        try makeDurable()
    }

    /// The database as it was after commit `seq`: each page's latest image at or before it.
    private func image(at seq: Int64) throws -> (pages: [[UInt8]], pageSize: Int) {
        let store = try open()
        guard let pages = try store.scalar("SELECT database_pages FROM commits WHERE seq = ?", [.integer(seq)])?.int64Value else {
            throw ObjectError.invalidStorageCall("bookmark \(Self.bookmark(seq)) is not in this object's retained history")
        }
        let pageSize = Int(try store.scalar("SELECT page_size FROM state")?.int64Value ?? 4096)
        var image = [[UInt8]](repeating: [UInt8](repeating: 0, count: pageSize), count: Int(pages))
        let rows = try store.query("""
            SELECT pgno, data FROM pages p WHERE pgno <= ?1 AND seq = (SELECT max(seq) FROM pages q WHERE q.pgno = p.pgno AND q.seq <= ?2)
            """, [.integer(pages), .integer(seq)])
        for row in rows {
            guard let pgno = row[0].int64Value, let data = row[1].bytesValue, data.count == pageSize else { continue }
            image[Int(pgno) - 1] = data
        }
        return (image, pageSize)
    }

    // MARK: Retention

    /// Folds commits older than the retention window into the newest of them (the state any time
    /// in the window before the next commit maps to): older page images it overrides go.
    func prune() throws {
        let store = try open()
        let horizon = now().addingTimeInterval(-retention).milliseconds
        guard let base = try store.scalar("SELECT max(seq) FROM commits WHERE time_ms <= ?", [.integer(horizon)])?.int64Value,
              let pages = try store.scalar("SELECT database_pages FROM commits WHERE seq = ?", [.integer(base)])?.int64Value,
              try store.scalar("SELECT 1 FROM commits WHERE seq < ?", [.integer(base)]) != nil else { return }
        try write(store) {
            try store.query("""
                DELETE FROM pages WHERE seq < ?1 AND (pgno > ?2 OR EXISTS (
                    SELECT 1 FROM pages newer WHERE newer.pgno = pages.pgno AND newer.seq > pages.seq AND newer.seq <= ?1))
                """, [.integer(base), .integer(pages)])
            try store.query("DELETE FROM commits WHERE seq < ?", [.integer(base)])
        }
    }
}

private func syncFile(_ path: String) throws {
    let fd = Foundation.open(path, O_RDONLY)
    guard fd >= 0 else { throw SQLiteError(extendedCode: 10, message: "could not open \(path) to sync it") }
    defer { Foundation.close(fd) }
    guard fsync(fd) == 0 else { throw SQLiteError(extendedCode: 10, message: "could not sync \(path)") }
}
