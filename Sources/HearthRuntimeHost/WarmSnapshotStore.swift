import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime
import HearthWASI

/// A saved warm snapshot as read back: its memories' manifest and the rest of its state.
struct SavedSnapshot {
    var runtimeHash: String
    var manifest: SnapshotManifest
    /// Globals, tables and memory sizes (memory contents are in the manifest's images).
    var instance: InstanceSnapshot
    var wasi: WASIState
    /// Function id -> (version, guest assembly id, entry point -> delegate id) at snapshot time.
    var functions: [(functionId: String, version: Int, assemblyId: Int32?, delegates: [String: Int32])]
}

/// Keeps an object's warm snapshot row in an internal table of its own database (invisible to
/// user and guest SQL), written inside the turn that produced the state: the memories'
/// manifest (a few hundred bytes naming image files, see `SnapshotImages`), the instance's
/// globals and tables, the WASI state, and which functions were loaded.
struct WarmSnapshotStore {
    let storage: ObjectStorage

    private func ensureSchema() throws {
        try storage.connection.run { db in
            // The first format kept whole memories in the database; it is dropped, not read.
            try db.exec("""
                DROP TABLE IF EXISTS _hearth_snapshot;
                DROP TABLE IF EXISTS _hearth_snapshot_chunks;
                CREATE TABLE IF NOT EXISTS _hearth_warm_snapshot (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 0), runtime_hash TEXT NOT NULL,
                    manifest TEXT NOT NULL, instance_state BLOB NOT NULL, wasi_state BLOB NOT NULL,
                    functions TEXT NOT NULL, created_at INTEGER NOT NULL);
                """)
        }
    }

    /// Replaces the saved snapshot row.
    func save(runtimeHash: String, manifest: SnapshotManifest, instance: InstanceSnapshot, wasi: WASIState,
              functions: [CachedFunction], versions: [String: Int]) throws {
        try ensureSchema()
        let described: JSONValue = .array(functions.map { f in
            .object([("functionId", .string(f.functionId)), ("version", .number(Double(versions[f.functionId] ?? 0))),
                     ("assemblyId", f.assemblyId.map { .number(Double($0)) } ?? .null),
                     ("delegates", .object(f.delegates.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) }))])
        })
        let manifestText = String(decoding: try JSONEncoder().encode(manifest), as: UTF8.self)
        try storage.connection.run { db in
            try db.query("""
                INSERT OR REPLACE INTO _hearth_warm_snapshot (singleton, runtime_hash, manifest, instance_state, wasi_state,
                                                              functions, created_at)
                VALUES (0, ?, ?, ?, ?, ?, ?)
                """, [.text(runtimeHash), .text(manifestText), .blob(instance.serialized()), .blob(wasi.encoded),
                      .text(described.text), .integer(Date().milliseconds)])
        }
    }

    /// The saved manifest, whatever runtime it was taken of (for housekeeping).
    func manifest() throws -> SnapshotManifest? {
        try ensureSchema()
        let text = try storage.connection.run { try $0.scalar("SELECT manifest FROM _hearth_warm_snapshot") }?.stringValue
        return try text.map { try JSONDecoder().decode(SnapshotManifest.self, from: Data($0.utf8)) }
    }

    /// The saved snapshot if one exists for `runtimeHash`. Throws a `HearthError` (`snapshot`) when the row
    /// exists but cannot be read back.
    func load(runtimeHash: String) throws -> SavedSnapshot? {
        try ensureSchema()
        let rows = try storage.connection.run {
            try $0.query("SELECT runtime_hash, manifest, instance_state, wasi_state, functions FROM _hearth_warm_snapshot")
        }
        guard let row = rows.first, row[0].stringValue == runtimeHash else { return nil }
        guard let manifestText = row[1].stringValue, let state = row[2].bytesValue, let wasiBytes = row[3].bytesValue,
              let functionsText = row[4].stringValue,
              let manifest = try? JSONDecoder().decode(SnapshotManifest.self, from: Data(manifestText.utf8)),
              case .array(let entries)? = try? JSONValue.parse(functionsText) else {
            throw HearthError.snapshot("the saved snapshot's row is corrupt")
        }
        let functions = entries.compactMap { entry -> (String, Int, Int32?, [String: Int32])? in
            guard let id = entry["functionId"]?.stringValue, let version = entry["version"]?.numberValue else { return nil }
            var delegates: [String: Int32] = [:]
            if case .object(let members)? = entry["delegates"] {
                for (name, value) in members { if let n = value.numberValue { delegates[name] = Int32(n) } }
            }
            return (id, Int(version), entry["assemblyId"]?.numberValue.map { Int32($0) }, delegates)
        }
        return SavedSnapshot(runtimeHash: runtimeHash, manifest: manifest, instance: try InstanceSnapshot(serialized: state),
                             wasi: try WASIState(encoded: wasiBytes), functions: functions.map { ($0.0, $0.1, $0.2, $0.3) })
    }

    /// Forgets the snapshot (e.g. after an image failed its scrub).
    func clear() throws {
        try ensureSchema()
        try storage.connection.run { try $0.exec("DELETE FROM _hearth_warm_snapshot") }
    }
}

extension SHA256 {
    static func hex(_ bytes: [UInt8]) -> String { digest(bytes).map { String(format: "%02x", $0) }.joined() }
}
