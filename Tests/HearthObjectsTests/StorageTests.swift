import Foundation
import HearthObjects
import HearthRuntimeHost
import HearthSQLite
import Testing

/// Storage API tests, each run inside one `blockConcurrencyWhile` turn of a fresh object.
@Suite struct StorageTests {
    private func withStorage(limits: StorageLimits = StorageLimits(),
                             _ body: @escaping @Sendable (ObjectStorage) throws -> Void) async throws {
        let dir = try makeTemporaryDirectory()
        var configuration = ObjectConfiguration()
        configuration.limits = limits
        let namespace = try await openNamespace(dir, configuration: configuration, onFetch: { _, _, _ in ObjectResponse() })
        let object = try namespace.get(namespace.idFromName("storage"))
        try await object.blockConcurrencyWhile { @Sendable object in try body(object.storage) }
        await namespace.close()
    }

    @Test func keyValueGetPutDeleteOneAndMany() async throws {
        try await withStorage { storage in
            #expect(try storage.get("missing") == nil)
            try storage.put("a", [1])
            try storage.put(["b": [2], "c": [3], "d": []])
            #expect(try storage.get("a") == [1])
            #expect(try storage.get("d") == [])
            #expect(try storage.get(["c", "zz", "a"]) == [KeyValueEntry(key: "a", value: [1]), KeyValueEntry(key: "c", value: [3])])
            #expect(try storage.delete("a") == true)
            #expect(try storage.delete("a") == false)
            #expect(try storage.delete(["b", "c", "nope"]) == 2)
            try storage.putJSON("json", ["x": 1])
            #expect(try storage.getJSON([String: Int].self, "json") == ["x": 1])
            try storage.deleteAll()
            #expect(try storage.list().isEmpty)
            #expect(throws: ObjectError.keyTooLarge(bytes: 3000, limit: 2048)) {
                try storage.put(String(repeating: "k", count: 3000), [])
            }
        }
    }

    @Test func listHonoursStartEndPrefixReverseAndLimit() async throws {
        try await withStorage { storage in
            for key in ["a", "b", "ba", "bb", "bc", "c", "é"] { try storage.put(key, Array(key.utf8)) }
            let keys = { (entries: [KeyValueEntry]) in entries.map(\.key) }
            #expect(keys(try storage.list()) == ["a", "b", "ba", "bb", "bc", "c", "é"])
            #expect(keys(try storage.list(start: "b", end: "bc")) == ["b", "ba", "bb"])
            #expect(keys(try storage.list(prefix: "b")) == ["b", "ba", "bb", "bc"])
            #expect(keys(try storage.list(prefix: "b", reverse: true, limit: 2)) == ["bc", "bb"])
            #expect(keys(try storage.list(start: "ba", prefix: "b", limit: 2)) == ["ba", "bb"])
            #expect(keys(try storage.list(reverse: true, limit: 1)) == ["é"])
            #expect(try storage.list(prefix: "c").first?.value == Array("c".utf8))
        }
    }

    @Test func sqlExecRunsMultipleStatementsWithBoundParameters() async throws {
        try await withStorage { storage in
            let cursor = try storage.sql.exec("""
                CREATE TABLE people (name TEXT, age INTEGER);
                INSERT INTO people VALUES (?, ?), (?, ?);
                SELECT name, age FROM people WHERE age > ? ORDER BY age
                """, "ada", 36, "alan", 41, 30)
            #expect(cursor.columnNames == ["name", "age"])
            #expect(cursor.raw() == [[.text("ada"), .integer(36)], [.text("alan"), .integer(41)]])
            #expect(cursor.toArray()[1] == ["name": .text("alan"), "age": .integer(41)])
            #expect(cursor.rowsRead == 2)
            #expect(cursor.rowsWritten == 2)
            let update = try storage.sql.exec("UPDATE people SET age = age + 1")
            #expect(update.rowsWritten == 2)
            #expect(try storage.sql.exec("SELECT age FROM people WHERE name = ?", "ada").one() == ["age": .integer(37)])
            #expect(throws: ObjectError.expectedOneRow(found: 2)) { try storage.sql.exec("SELECT * FROM people").one() }
            let missing = #expect(throws: SQLiteError.self) { try storage.sql.exec("SELECT ?, ?", 1) }
            #expect(missing?.message == "the SQL needs more than the 1 parameter(s) given")
            let extra = #expect(throws: SQLiteError.self) { try storage.sql.exec("SELECT ?", 1, 2) }
            #expect(extra?.message == "1 of 2 parameter(s) left unused")
            #expect(try storage.sql.databaseSize > 0)
        }
    }

    @Test func authorizerHidesInternalTablesAndRefusesTransactions() async throws {
        try await withStorage { storage in
            try storage.put("secret", [1])
            for sql in ["SELECT * FROM _hearth_kv", "DELETE FROM _HEARTH_KV", "CREATE TABLE _hearth_mine (x)",
                        "PRAGMA table_info(_hearth_alarm)", "INSERT INTO _hearth_alarm VALUES (0, 0, 0)"] {
                let error = #expect(throws: SQLiteError.self) { try storage.sql.exec(sql) }
                #expect(error?.code == SQLiteError.Code.auth)
                #expect(error?.message.hasPrefix("not authorized: access to internal table") == true, "\(sql)")
            }
            for sql in ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s", "RELEASE s"] {
                let error = #expect(throws: SQLiteError.self) { try storage.sql.exec(sql) }
                #expect(error?.message == "not authorized: BEGIN, COMMIT, ROLLBACK and SAVEPOINT are not allowed; use transactionSync")
            }
            let pragma = #expect(throws: SQLiteError.self) { try storage.sql.exec("PRAGMA synchronous = OFF") }
            #expect(pragma?.message == "not authorized: PRAGMA synchronous is not allowed")
            let attach = #expect(throws: SQLiteError.self) { try storage.sql.exec("ATTACH DATABASE '/tmp/x.db' AS x") }
            #expect(attach?.code == SQLiteError.Code.auth)
            // Ordinary SQL, and the KV API's own access, are unaffected.
            try storage.sql.exec("CREATE TABLE mine (x); INSERT INTO mine VALUES (1)")
            #expect(try storage.sql.exec("PRAGMA table_info(mine)").raw().count == 1)
            #expect(try storage.get("secret") == [1])
        }
    }

    @Test func transactionSyncNestsAndRollsBackOnlyItsOwnWrites() async throws {
        try await withStorage { storage in
            try storage.sql.exec("CREATE TABLE t (x)")
            struct Abort: Error {}
            try storage.transactionSync {
                try storage.sql.exec("INSERT INTO t VALUES (1)")
                #expect(throws: Abort.self) {
                    try storage.transactionSync {
                        try storage.sql.exec("INSERT INTO t VALUES (2)")
                        try storage.put("inner", [2])
                        throw Abort()
                    }
                }
                try storage.transactionSync { try storage.sql.exec("INSERT INTO t VALUES (3)") }
            }
            #expect(throws: Abort.self) {
                try storage.transactionSync {
                    try storage.sql.exec("INSERT INTO t VALUES (4)")
                    throw Abort()
                }
            }
            #expect(try storage.sql.exec("SELECT x FROM t ORDER BY x").raw() == [[.integer(1)], [.integer(3)]])
            #expect(try storage.get("inner") == nil)
            #expect(try storage.transactionSync { 42 } == 42)
        }
    }

    @Test func sqliteLimitsCapColumnsAndValueSizes() async throws {
        var limits = StorageLimits()
        limits.maxColumns = 3
        limits.maxValueBytes = 1000
        limits.maxSQLLength = 200
        try await withStorage(limits: limits) { storage in
            let columns = #expect(throws: SQLiteError.self) { try storage.sql.exec("CREATE TABLE wide (a, b, c, d)") }
            #expect(columns?.message == "too many columns on wide")
            let value = #expect(throws: SQLiteError.self) { try storage.put("k", [UInt8](repeating: 1, count: 2000)) }
            #expect(value?.code == SQLiteError.Code.tooBig)
            let long = #expect(throws: SQLiteError.self) { try storage.sql.exec("SELECT '" + String(repeating: "x", count: 300) + "'") }
            #expect(long?.message == "statement too long")
        }
    }

    @Test func batchWritesAreCheckedFirstAndAllOrNothingAndAtMost128Keys() async throws {
        try await withStorage { storage in
            try storage.put("kept", [1])
            let tooLong = String(repeating: "k", count: 3000)
            #expect(throws: ObjectError.keyTooLarge(bytes: 3000, limit: 2048)) { try storage.put(["a": [1], tooLong: [2]]) }
            #expect(throws: ObjectError.keyTooLarge(bytes: 3000, limit: 2048)) { try storage.delete(["kept", tooLong]) }
            #expect(try storage.get("a") == nil)
            #expect(try storage.get("kept") == [1])
            let many = Dictionary(uniqueKeysWithValues: (0..<129).map { ("k\($0)", [UInt8(1)]) })
            #expect(throws: ObjectError.tooManyKeys(129, limit: 128)) { try storage.put(many) }
            #expect(throws: ObjectError.tooManyKeys(129, limit: 128)) { try storage.delete(Array(many.keys)) }
            #expect(throws: ObjectError.tooManyKeys(129, limit: 128)) { try storage.get(Array(many.keys)) }
            #expect(try storage.list().map(\.key) == ["kept"])
        }
    }

    @Test func listStartsAfterAKeyForPaging() async throws {
        try await withStorage { storage in
            for key in ["a", "b", "c", "d"] { try storage.put(key, []) }
            #expect(try storage.list(startAfter: "b").map(\.key) == ["c", "d"])
            #expect(try storage.list(startAfter: "b", limit: 1).map(\.key) == ["c"])
            #expect(throws: ObjectError.self) { try storage.list(start: "a", startAfter: "b") }
        }
    }

    @Test func deleteAllEmptiesTheWholeDatabaseButNotInsideATransaction() async throws {
        try await withStorage { storage in
            try storage.put("k", [1])
            try storage.sql.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x'); CREATE INDEX by_text ON notes (text)")
            #expect(throws: ObjectError.self) { try storage.transactionSync { try storage.deleteAll() } }
            #expect(try storage.get("k") == [1])
            try storage.deleteAll()
            #expect(try storage.list().isEmpty)
            #expect(try storage.sql.exec("SELECT name FROM sqlite_master WHERE name NOT LIKE '_hearth_%'").raw().isEmpty)
        }
    }

    @Test func rowsReadCountsRowsScannedNotRowsReturned() async throws {
        try await withStorage { storage in
            try storage.sql.exec("CREATE TABLE t (n INTEGER); WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100) INSERT INTO t SELECT i FROM r")
            let cursor = try storage.sql.exec("SELECT n FROM t WHERE n = 50")
            #expect(cursor.raw().count == 1)
            #expect(cursor.rowsRead >= 100)
        }
    }

    @Test func boundParameterAndLikePatternLimitsApply() async throws {
        try await withStorage { storage in
            let placeholders = Array(repeating: "?", count: 101).joined(separator: ",")
            #expect(throws: SQLiteError.self) {
                try storage.sql.exec("SELECT " + placeholders, parameters: Array(repeating: .integer(1), count: 101))
            }
            let pattern = String(repeating: "a", count: 51)
            #expect(throws: SQLiteError.self) { try storage.sql.exec("SELECT 'a' LIKE ?", .text(pattern)) }
            let allowed = try storage.sql.exec("SELECT 'a' LIKE ?", .text(String(pattern.dropLast())))
            #expect(allowed.raw().count == 1)
        }
    }
}
