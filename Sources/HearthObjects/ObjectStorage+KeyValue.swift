import Foundation
import HearthSQLite

/// One key-value pair as returned by `list`.
public struct KeyValueEntry: Sendable, Equatable {
    public let key: String
    public let value: [UInt8]
}

/// The key-value API: values are bytes (raw, or JSON through the helpers), keys are ordered by
/// their UTF-8 bytes (SQLite's BINARY collation compares exactly that).
extension ObjectStorage {
    public func get(_ key: String) throws -> [UInt8]? {
        try checkKey(key)
        return try connection.run { try $0.scalar("SELECT value FROM _hearth_kv WHERE key = ?", [.text(key)]) }?.bytesValue
    }

    /// The stored values of those `keys` that exist.
    public func get(_ keys: [String]) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        for key in keys { if let value = try get(key) { found[key] = value } }
        return found
    }

    public func put(_ key: String, _ value: [UInt8]) throws {
        try checkKey(key)
        try connection.run { try $0.query("INSERT OR REPLACE INTO _hearth_kv (key, value) VALUES (?, ?)", [.text(key), .blob(value)]) }
    }

    /// Stores every entry; like every write, they commit together with the turn.
    public func put(_ entries: [String: [UInt8]]) throws {
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) { try put(key, value) }
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

    /// Deletes several keys; returns how many existed.
    @discardableResult
    public func delete(_ keys: [String]) throws -> Int {
        var deleted = 0
        for key in keys where try delete(key) { deleted += 1 }
        return deleted
    }

    /// Entries in key order: `start` inclusive, `end` exclusive, only keys beginning with
    /// `prefix`, descending when `reverse`, at most `limit`.
    public func list(start: String? = nil, end: String? = nil, prefix: String? = nil,
                     reverse: Bool = false, limit: Int? = nil) throws -> [KeyValueEntry] {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let start { conditions.append("key >= ?"); parameters.append(.text(start)) }
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

    /// Deletes every key-value pair (SQL tables and the alarm are left alone).
    public func deleteAll() throws {
        try connection.run { try $0.exec("DELETE FROM _hearth_kv") }
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

    private func checkKey(_ key: String) throws {
        let size = key.utf8.count
        guard size <= limits.maxKeyBytes else { throw ObjectError.keyTooLarge(bytes: size, limit: limits.maxKeyBytes) }
    }
}
