import Foundation
import HearthBridge
import HearthRuntime
import HearthSQLite

/// A deployed runtime binary as the catalog describes it.
public struct RuntimeInfo: Sendable, Equatable, Codable {
    public var name: String
    /// SHA-256 of the binary, hex: snapshots record it, so a changed binary invalidates them.
    public var hash: String
    public var byteCount: Int

    /// The content hash `deploy` records for `bytes`.
    public static func hash(of bytes: [UInt8]) -> String { SHA256.hex(bytes) }
}

/// The blob store of runtime binaries of a namespace (the seed kept them in an R2 bucket): a
/// table of named modules in one SQLite database beside the objects' files, content-hashed,
/// plus the compiled modules in memory so waking objects do not decode and validate again.
///
/// All objects share one `Engine`; its type registry is not thread-safe, so every compilation
/// and instantiation through the catalog is serialized by `withEngine`.
public final class RuntimeCatalog: @unchecked Sendable {
    private let database: Database
    private let lock = NSLock()
    private let engineLock = NSLock()
    public let engine: Engine
    private var compiled: [String: CompiledModule] = [:]

    /// Opens (creating) the catalog database at `path`; its runtimes run in `engine`'s stores.
    public init(path: String, engine: Engine = Engine()) throws {
        self.engine = engine
        database = try Database(path: path)
        try database.exec("""
            CREATE TABLE IF NOT EXISTS runtimes (name TEXT PRIMARY KEY, hash TEXT NOT NULL, bytes BLOB NOT NULL,
                                                 updated_at INTEGER NOT NULL) WITHOUT ROWID
            """)
    }

    /// Stores (or replaces) the binary named `name`; it must compile. Returns its description.
    @discardableResult
    public func deploy(name: String, bytes: [UInt8]) throws -> RuntimeInfo {
        let hash = RuntimeInfo.hash(of: bytes)
        let module = try withEngine { () throws -> CompiledModule in
            do {
                return try CompiledModule(engine: engine, bytes: bytes)
            } catch {
                throw BridgeError.instantiation("\(error)")
            }
        }
        try lock.withLock {
            try database.query("INSERT OR REPLACE INTO runtimes (name, hash, bytes, updated_at) VALUES (?, ?, ?, ?)",
                               [.text(name), .text(hash), .blob(bytes), .integer(Date().milliseconds)])
            compiled[hash] = module
        }
        return RuntimeInfo(name: name, hash: hash, byteCount: bytes.count)
    }

    /// The deployed runtimes, by name.
    public func list() throws -> [RuntimeInfo] {
        try lock.withLock {
            try database.query("SELECT name, hash, length(bytes) FROM runtimes ORDER BY name").map {
                RuntimeInfo(name: $0[0].stringValue ?? "", hash: $0[1].stringValue ?? "", byteCount: Int($0[2].int64Value ?? 0))
            }
        }
    }

    /// Removes a runtime; true when it existed.
    @discardableResult
    public func delete(name: String) throws -> Bool {
        try lock.withLock {
            try database.query("DELETE FROM runtimes WHERE name = ?", [.text(name)])
            return database.changes > 0
        }
    }

    /// The binary of runtime `name`; nil when none is deployed.
    public func bytes(named name: String) throws -> [UInt8]? {
        try lock.withLock { try database.scalar("SELECT bytes FROM runtimes WHERE name = ?", [.text(name)])?.bytesValue }
    }

    /// The compiled module of runtime `name` and its hash; nil when none is deployed.
    public func module(named name: String) throws -> (hash: String, module: CompiledModule)? {
        let row: (String, CompiledModule?)? = try lock.withLock {
            guard let row = try database.query("SELECT hash FROM runtimes WHERE name = ?", [.text(name)]).first,
                  let hash = row[0].stringValue else { return nil }
            return (hash, compiled[hash])
        }
        guard let (hash, cached) = row else { return nil }
        if let cached { return (hash, cached) }
        let bytes: [UInt8] = try lock.withLock {
            try database.scalar("SELECT bytes FROM runtimes WHERE name = ?", [.text(name)])?.bytesValue ?? []
        }
        let module = try withEngine { () throws -> CompiledModule in
            do {
                return try CompiledModule(engine: engine, bytes: bytes)
            } catch {
                throw BridgeError.instantiation("\(error)")
            }
        }
        lock.withLock { compiled[hash] = module }
        return (hash, module)
    }

    /// Runs `body` with exclusive use of the shared engine (compiling, instantiating).
    public func withEngine<T>(_ body: () throws -> T) rethrows -> T {
        engineLock.lock()
        defer { engineLock.unlock() }
        return try body()
    }

    func close() { lock.withLock { database.close() } }
}
