import Foundation
import HearthSQLite

/// One key-value pair as returned by `list`.
public struct KeyValueEntry: Sendable, Equatable {
    /// The key (keys order by their UTF-8 bytes).
    public let key: String
    /// The bytes stored under `key`.
    public let value: [UInt8]

    /// An entry pairing `key` with `value`.
    public init(key: String, value: [UInt8]) {
        self.key = key
        self.value = value
    }
}

/// The key-value API: values are bytes (raw, or JSON through the helpers), keys are ordered by
/// their UTF-8 bytes (SQLite's BINARY collation compares exactly that).
extension ObjectStorage {
    /// The bytes stored under `key`; nil when there are none. Throws `ObjectError.keyTooLarge` for
    /// a key over `StorageLimits.maxKeyBytes`.
    public func get(_ key: String) throws -> [UInt8]? {
        try checkKey(key)
        return try connection.run { try $0.scalar("SELECT value FROM _hearth_kv WHERE key = ?", [.text(key)]) }?.bytesValue
    }

    /// The entries of those `keys` that exist, in key order (as workerd's map iterates).
    public func get(_ keys: [String]) throws -> [KeyValueEntry] {
        try checkBatch(keys)
        var found: [KeyValueEntry] = []
        for key in Set(keys).sorted(by: Self.keyOrder) {
            if let value = try get(key) { found.append(KeyValueEntry(key: key, value: value)) }
        }
        return found
    }

    /// Stores `value` under `key`, replacing any old value, in the current turn. Throws
    /// `ObjectError.keyTooLarge` for an oversized key, `SQLiteError` when the value or database is too large.
    public func put(_ key: String, _ value: [UInt8]) throws {
        try checkKey(key)
        try connection.run { try $0.query("INSERT OR REPLACE INTO _hearth_kv (key, value) VALUES (?, ?)", [.text(key), .blob(value)]) }
    }

    /// Stores every entry, all or none: the keys are checked before anything is written.
    public func put(_ entries: [String: [UInt8]]) throws {
        try checkBatch(Array(entries.keys))
        try transactionSync {
            for (key, value) in entries.sorted(by: { Self.keyOrder($0.key, $1.key) }) { try put(key, value) }
        }
    }

    /// Deletes one key; true when it existed.
    @discardableResult
    public func delete(_ key: String) throws -> Bool {
        try checkKey(key)
        return try connection.run { db in
            try db.query("DELETE FROM _hearth_kv WHERE key = ?", [.text(key)])
            return db.changes > 0
        }
    }

    /// Deletes several keys, all or none; returns how many existed.
    @discardableResult
    public func delete(_ keys: [String]) throws -> Int {
        try checkBatch(keys)
        return try transactionSync {
            var deleted = 0
            for key in Set(keys) where try delete(key) { deleted += 1 }
            return deleted
        }
    }

    /// Entries in key order: `start` inclusive or `startAfter` exclusive (for paging: the last
    /// key of the previous page), `end` exclusive, only keys beginning with `prefix`,
    /// descending when `reverse`, at most `limit`.
    public func list(start: String? = nil, startAfter: String? = nil, end: String? = nil, prefix: String? = nil,
                     reverse: Bool = false, limit: Int? = nil) throws -> [KeyValueEntry] {
        guard start == nil || startAfter == nil else { throw ObjectError.invalidStorageCall("list takes start or startAfter, not both") }
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let start { conditions.append("key >= ?"); parameters.append(.text(start)) }
        if let startAfter { conditions.append("key > ?"); parameters.append(.text(startAfter)) }
        if let end { conditions.append("key < ?"); parameters.append(.text(end)) }
        if let prefix, !prefix.isEmpty {
            // `key >= prefix` lets SQLite use the primary key; substr/length count characters
            // on both sides, so the comparison is exact for any UTF-8.
            conditions.append("key >= ? AND substr(key, 1, length(?)) = ?")
            parameters += [.text(prefix), .text(prefix), .text(prefix)]
        }
        var sql = "SELECT key, value FROM _hearth_kv"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY key \(reverse ? "DESC" : "ASC")"
        if let limit { sql += " LIMIT ?"; parameters.append(.integer(Int64(max(0, limit)))) }
        let rows = try connection.run { try $0.query(sql, parameters) }
        return rows.map { KeyValueEntry(key: $0[0].stringValue ?? "", value: $0[1].bytesValue ?? []) }
    }

    /// Deletes everything stored, as workerd's does: every key-value pair and every table,
    /// view and trigger of SQL (with their indexes). The alarm stays (`deleteAlarm` removes it,
    /// as in workerd), and so does the host's own internal state. Refused inside
    /// `transactionSync`.
    public func deleteAll() throws {
        guard connection.savepointDepth == 0 else {
            throw ObjectError.invalidStorageCall("deleteAll cannot run inside transactionSync")
        }
        try connection.run { db in
            try db.exec("DELETE FROM _hearth_kv")
            let objects = try db.query("""
                SELECT type, name FROM sqlite_master
                WHERE substr(name, 1, 8) != '_hearth_' AND substr(name, 1, 7) != 'sqlite_' AND type IN ('table', 'view', 'trigger')
                """)
            for row in objects {
                guard let type = row[0].stringValue, let name = row[1].stringValue else { continue }
                try db.exec("DROP \(type.uppercased()) IF EXISTS \"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"")
            }
        }
    }

    /// Stores `value` as JSON.
    public func putJSON<T: Encodable>(_ key: String, _ value: T) throws {
        try put(key, [UInt8](try JSONEncoder().encode(value)))
    }

    /// Reads a JSON value stored with `putJSON`.
    public func getJSON<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        guard let bytes = try get(key) else { return nil }
        return try JSONDecoder().decode(type, from: Data(bytes))
    }

    /// Keys compare by their UTF-8 bytes, as the database orders them.
    static func keyOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// A batch call's keys, checked before anything is read or written.
    private func checkBatch(_ keys: [String]) throws {
        guard keys.count <= limits.maxBatchKeys else { throw ObjectError.tooManyKeys(keys.count, limit: limits.maxBatchKeys) }
        for key in keys { try checkKey(key) }
    }

    private func checkKey(_ key: String) throws {
        let size = key.utf8.count
        guard size <= limits.maxKeyBytes else { throw ObjectError.keyTooLarge(bytes: size, limit: limits.maxKeyBytes) }
    }
}
