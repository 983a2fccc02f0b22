import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime
import HearthSQLite
import Synchronization

/// A deployed runtime binary as the catalog describes it.
public struct RuntimeInfo: Sendable, Equatable, Codable {
    /// The name the runtime is deployed under in its namespace.
    public var name: String
    /// SHA-256 of the binary, hex: snapshots record it, so a changed binary invalidates them.
    public var hash: String
    /// Size of the binary, in bytes.
    public var byteCount: Int

    /// The content hash `deploy` records for `bytes`.
    public static func hash(of bytes: [UInt8]) -> String { SHA256.hex(bytes) }
}

/// The blob store of runtime binaries of a namespace (the seed kept them in an R2 bucket): a
/// table of named modules in one SQLite database beside the objects' files, content-hashed,
/// plus the compiled modules in memory so waking objects do not decode and validate again.
///
/// All objects share one `Engine` (`Sendable`: its type registry takes its own lock), so objects
/// compile and instantiate their runtimes at the same time.
public final class RuntimeCatalog: Sendable {
    /// What the catalog's lock guards: the database connection (one thread at a time) and the
    /// compiled modules.
    private struct State {
        let database: Database
        let pool: PoolDeployments
        var compiled: [String: CompiledModule] = [:]
        var validated = 0
    }

    private let state: Mutex<State>
    /// The engine shared by every runtime of the namespace.
    let engine: Engine
    /// Binaries this catalog validated (deploys, and loads of binaries no validation of this
    /// engine vouches for); a binary loaded from the cache of validated modules is not counted.
    public var validations: Int { state.withLock { $0.validated } }

    /// Opens (creating) the catalog database at `path`; its runtimes run in `engine`'s stores.
    public init(path: String, engine: Engine = Engine()) throws {
        self.engine = engine
        let database = try Database(path: path)
        try database.exec("""
            CREATE TABLE IF NOT EXISTS runtimes (name TEXT PRIMARY KEY, hash TEXT NOT NULL, bytes BLOB NOT NULL,
                                                 updated_at INTEGER NOT NULL) WITHOUT ROWID
            """)
        // Which engine validated each binary (`CompiledModule.validationFingerprint`), so a new
        // process decodes a deployed runtime without validating it again.
        // Command functions' programs, by content hash (objects name them by hash).
        try database.exec("""
            CREATE TABLE IF NOT EXISTS modules (hash TEXT PRIMARY KEY, bytes BLOB NOT NULL, validated_by TEXT NOT NULL)
                WITHOUT ROWID
            """)
        let columns = try database.query("PRAGMA table_info(runtimes)").compactMap { $0[1].stringValue }
        if !columns.contains("validated_by") {
            try database.exec("ALTER TABLE runtimes ADD COLUMN validated_by TEXT")
        }
        state = Mutex(State(database: database, pool: try PoolDeployments(database: database)))
    }

    /// Records a function deployed to the namespace's pool (replacing one of that id).
    public func savePoolDeployment(_ functionId: String, _ deployment: PoolDeployment) throws {
        try state.withLock { s in try s.pool.save(functionId, deployment) }
    }

    /// The pool function recorded under `functionId`, if any.
    public func poolDeployment(_ functionId: String) throws -> PoolDeployment? {
        try state.withLock { s in try s.pool.load(functionId) }
    }

    /// Stores (or replaces) the binary named `name`; it must compile. Returns its description.
    @discardableResult
    public func deploy(name: String, bytes: [UInt8]) throws -> RuntimeInfo {
        let hash = RuntimeInfo.hash(of: bytes)
        let module = try { () throws -> CompiledModule in
            do {
                return try CompiledModule(engine: engine, bytes: bytes)
            } catch {
                throw BridgeError.instantiation("\(error)")
            }
        }()
        try state.withLock { s in
            s.validated += 1
            try s.database.query("""
                INSERT OR REPLACE INTO runtimes (name, hash, bytes, updated_at, validated_by) VALUES (?, ?, ?, ?, ?)
                """, [.text(name), .text(hash), .blob(bytes), .integer(Date().milliseconds),
                      .text(validationMark(bytes))])
            s.compiled[hash] = module
        }
        return RuntimeInfo(name: name, hash: hash, byteCount: bytes.count)
    }

    /// The deployed runtimes, by name.
    public func list() throws -> [RuntimeInfo] {
        try state.withLock { s in
            try s.database.query("SELECT name, hash, length(bytes) FROM runtimes ORDER BY name").map {
                RuntimeInfo(name: $0[0].stringValue ?? "", hash: $0[1].stringValue ?? "", byteCount: Int($0[2].int64Value ?? 0))
            }
        }
    }

    /// Removes a runtime; true when it existed.
    @discardableResult
    public func delete(name: String) throws -> Bool {
        try state.withLock { s in
            try s.database.query("DELETE FROM runtimes WHERE name = ?", [.text(name)])
            return s.database.changes > 0
        }
    }

    /// The binary of runtime `name`; nil when none is deployed.
    public func bytes(named name: String) throws -> [UInt8]? {
        try state.withLock { s in try s.database.scalar("SELECT bytes FROM runtimes WHERE name = ?", [.text(name)])?.bytesValue }
    }

    /// The compiled module of runtime `name` and its hash; nil when none is deployed.
    public func module(named name: String) throws -> (hash: String, module: CompiledModule)? {
        let row: (String, CompiledModule?)? = try state.withLock { s in
            guard let row = try s.database.query("SELECT hash FROM runtimes WHERE name = ?", [.text(name)]).first,
                  let hash = row[0].stringValue else { return nil }
            return (hash, s.compiled[hash])
        }
        guard let (hash, cached) = row else { return nil }
        if let cached { return (hash, cached) }
        let (bytes, validatedBy): ([UInt8], String?) = try state.withLock { s in
            let row = try s.database.query("SELECT bytes, validated_by FROM runtimes WHERE name = ?", [.text(name)]).first
            return (row?[0].bytesValue ?? [], row?[1].stringValue)
        }
        // The bytes `deploy` validated, unchanged since (a fast checksum, not the SHA-256, which
        // would cost more than the validation it saves): decoded only. Another engine or Hearth
        // validates again.
        let validated = validatedBy == validationMark(bytes)
        let module = try { () throws -> CompiledModule in
            do {
                return validated ? try CompiledModule(engine: engine, previouslyValidated: bytes)
                                 : try CompiledModule(engine: engine, bytes: bytes)
            } catch {
                throw BridgeError.instantiation("\(error)")
            }
        }()
        state.withLock { s in
            s.compiled[hash] = module
            if !validated { s.validated += 1 }
        }
        return (hash, module)
    }

    /// What `validated_by` records for `bytes` validated by this catalog's engine.
    private func validationMark(_ bytes: [UInt8]) -> String { CompiledModule.validationRecord(of: bytes, engine: engine) }

    /// Stores a program by content (a command function's), validating it first; answers its
    /// hash. Storing the same bytes again validates nothing.
    public func storeModule(_ bytes: [UInt8]) throws -> String {
        let hash = RuntimeInfo.hash(of: bytes)
        if try state.withLock({ s in try !s.database.query("SELECT 1 FROM modules WHERE hash = ?", [.text(hash)]).isEmpty }) { return hash }
        let module = try { () throws -> CompiledModule in
            do {
                return try CompiledModule(engine: engine, bytes: bytes)
            } catch {
                throw GuestRequestError(message: "the module is not valid: \(error)")
            }
        }()
        try state.withLock { s in
            s.validated += 1
            try s.database.query("INSERT OR IGNORE INTO modules (hash, bytes, validated_by) VALUES (?, ?, ?)",
                               [.text(hash), .blob(bytes), .text(validationMark(bytes))])
            s.compiled[hash] = module
        }
        return hash
    }

    /// The compiled program stored under `hash` (decoded once per process; validated again only
    /// when another engine validated it); nil when none is stored.
    public func storedModule(hash: String) throws -> CompiledModule? {
        let row: (cached: CompiledModule?, bytes: [UInt8]?, mark: String?) = try state.withLock { s in
            if let cached = s.compiled[hash] { return (cached, nil, nil) }
            let row = try s.database.query("SELECT bytes, validated_by FROM modules WHERE hash = ?", [.text(hash)]).first
            return (nil, row?[0].bytesValue, row?[1].stringValue)
        }
        if let cached = row.cached { return cached }
        guard let bytes = row.bytes else { return nil }
        let trusted = row.mark == validationMark(bytes)
        let module = trusted ? try CompiledModule(engine: engine, previouslyValidated: bytes)
                             : try CompiledModule(engine: engine, bytes: bytes)
        state.withLock { s in
            s.compiled[hash] = module
            if !trusted { s.validated += 1 }
        }
        return module
    }

    func close() { state.withLock { $0.database.close() } }
}
