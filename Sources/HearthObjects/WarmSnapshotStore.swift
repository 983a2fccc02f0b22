import Foundation
import HearthBridge
import HearthRuntime
import HearthWASI

/// A saved warm snapshot as read back: what it was taken of and its state.
struct SavedSnapshot {
    var runtimeHash: String
    var snapshot: InstanceSnapshot
    var wasi: WASIState
    /// Function id -> (version, guest assembly id, entry point -> delegate id) at snapshot time.
    var functions: [(functionId: String, version: Int, assemblyId: Int32?, delegates: [String: Int32])]
}

/// Keeps an object's warm snapshot (instance state, WASI state, loaded functions) in internal
/// tables of its own database (invisible to user and guest SQL), written inside the turn that
/// produced the state. The bytes are split in
/// chunks under the per-value size cap, and verified against their SHA-256 when read.
struct WarmSnapshotStore {
    let storage: ObjectStorage
    private static let chunkBytes = 1 << 20

    private func ensureSchema() throws {
        try storage.connection.run { db in
            try db.exec("""
                CREATE TABLE IF NOT EXISTS _hearth_snapshot (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 0), runtime_hash TEXT NOT NULL,
                    snapshot_hash TEXT NOT NULL, functions TEXT NOT NULL, wasi_state BLOB NOT NULL,
                    byte_count INTEGER NOT NULL, created_at INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS _hearth_snapshot_chunks (seq INTEGER PRIMARY KEY, bytes BLOB NOT NULL);
                """)
        }
    }

    /// Replaces the saved snapshot.
    func save(runtimeHash: String, snapshot: InstanceSnapshot, wasi: WASIState, functions: [CachedFunction],
              versions: [String: Int]) throws {
        try ensureSchema()
        let bytes = snapshot.serialized()
        let hash = SHA256.hex(bytes)
        let described: JSONValue = .array(functions.map { f in
            .object([("functionId", .string(f.functionId)), ("version", .number(Double(versions[f.functionId] ?? 0))),
                     ("assemblyId", f.assemblyId.map { .number(Double($0)) } ?? .null),
                     ("delegates", .object(f.delegates.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) }))])
        })
        try storage.connection.run { db in
            try db.exec("DELETE FROM _hearth_snapshot_chunks")
            var seq: Int64 = 0
            for start in stride(from: 0, to: bytes.count, by: Self.chunkBytes) {
                try db.query("INSERT INTO _hearth_snapshot_chunks (seq, bytes) VALUES (?, ?)",
                             [.integer(seq), .blob(Array(bytes[start..<min(start + Self.chunkBytes, bytes.count)]))])
                seq += 1
            }
            try db.query("""
                INSERT OR REPLACE INTO _hearth_snapshot (singleton, runtime_hash, snapshot_hash, functions, wasi_state,
                                                         byte_count, created_at)
                VALUES (0, ?, ?, ?, ?, ?, ?)
                """, [.text(runtimeHash), .text(hash), .text(described.text), .blob(wasi.encoded),
                      .integer(Int64(bytes.count)), .integer(Date().milliseconds)])
        }
    }

    /// The saved snapshot if one exists for `runtimeHash` and its bytes are intact.
    func load(runtimeHash: String) throws -> SavedSnapshot? {
        try ensureSchema()
        let rows = try storage.connection.run {
            try $0.query("SELECT runtime_hash, snapshot_hash, functions, wasi_state FROM _hearth_snapshot")
        }
        guard let row = rows.first, row[0].stringValue == runtimeHash, let expected = row[1].stringValue,
              let functionsText = row[2].stringValue, let wasiBytes = row[3].bytesValue else { return nil }
        let bytes = try storage.connection.run { db in
            try db.query("SELECT bytes FROM _hearth_snapshot_chunks ORDER BY seq").flatMap { $0[0].bytesValue ?? [] }
        }
        guard SHA256.hex(bytes) == expected else { return nil }
        guard case .array(let entries) = try JSONValue.parse(functionsText) else { return nil }
        let functions = entries.compactMap { entry -> (String, Int, Int32?, [String: Int32])? in
            guard let id = entry["functionId"]?.stringValue, let version = entry["version"]?.numberValue else { return nil }
            var delegates: [String: Int32] = [:]
            if case .object(let members)? = entry["delegates"] {
                for (name, value) in members { if let n = value.numberValue { delegates[name] = Int32(n) } }
            }
            return (id, Int(version), entry["assemblyId"]?.numberValue.map { Int32($0) }, delegates)
        }
        return SavedSnapshot(runtimeHash: runtimeHash, snapshot: try InstanceSnapshot(serialized: bytes),
                             wasi: try WASIState(encoded: wasiBytes),
                             functions: functions.map { ($0.0, $0.1, $0.2, $0.3) })
    }

    /// Forgets the snapshot (e.g. after the runtime binary changed).
    func clear() throws {
        try ensureSchema()
        try storage.connection.run { db in
            try db.exec("DELETE FROM _hearth_snapshot; DELETE FROM _hearth_snapshot_chunks")
        }
    }
}

extension SHA256 {
    static func hex(_ bytes: [UInt8]) -> String { digest(bytes).map { String(format: "%02x", $0) }.joined() }
}
