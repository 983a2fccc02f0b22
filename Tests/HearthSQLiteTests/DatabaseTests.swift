import CSQLite
import Foundation
import HearthSQLite
import Testing

@Suite struct DatabaseTests {
    @Test func openingAFileEnablesWALAndFullSync() throws {
        let dir = try makeTemporaryDirectory()
        let db = try Database(path: dir.appendingPathComponent("a.sqlite").path)
        #expect(try db.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try db.scalar("PRAGMA synchronous") == .integer(2))
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
    }

    @Test func bindingAndReadingEveryStorageClassRoundTrips() throws {
        let db = try Database(path: ":memory:")
        try db.exec("CREATE TABLE t(i, r, s, b, n); CREATE TABLE u(x)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.bind([.integer(-7), .real(2.5), .text("héllo\u{0}x"), .blob([0, 1, 255]), .null])
        try insert.run()
        try db.query("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [SQLValue(Int64.max), 0.0, "", .blob([]), nil])
        let rows = try db.query("SELECT i, r, s, b, n, typeof(b), typeof(s) FROM t ORDER BY rowid")
        #expect(rows[0] == [.integer(-7), .real(2.5), .text("héllo\u{0}x"), .blob([0, 1, 255]), .null, .text("blob"), .text("text")])
        #expect(rows[1] == [.integer(Int64.max), .real(0), .text(""), .blob([]), .null, .text("blob"), .text("text")])
    }

    @Test func typedColumnReadsFollowTheCurrentRow() throws {
        let db = try Database(path: ":memory:")
        let statement = try db.prepare("SELECT 42 AS answer, 'x' AS letter, x'0A0B' AS bytes, NULL AS nada")
        #expect(statement.columnNames == ["answer", "letter", "bytes", "nada"])
        #expect(try statement.step())
        #expect(statement.int64(at: 0) == 42)
        #expect(statement.string(at: 1) == "x")
        #expect(statement.bytes(at: 2) == [10, 11])
        #expect(statement.columnType(at: 3) == .null)
        #expect(statement.string(at: 3) == nil)
        #expect(try statement.step() == false)
    }

    @Test func multiStatementExecRunsEveryStatementInOrder() throws {
        let db = try Database(path: ":memory:")
        try db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); -- done")
        #expect(try db.scalar("SELECT sum(x) FROM t") == .integer(3))
        var seen: [String] = []
        try db.forEachStatement("CREATE TABLE u(y);  /* c */ INSERT INTO u VALUES (5);\n") { statement in
            seen.append(statement.sql)
            try statement.run()
        }
        // Each statement keeps the leading whitespace and comments that preceded it.
        #expect(seen == ["CREATE TABLE u(y);", "  /* c */ INSERT INTO u VALUES (5);"])
        #expect(try db.scalar("SELECT y FROM u") == .integer(5))
    }

    @Test func wrongParameterCountIsRefused() throws {
        let db = try Database(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) { try db.query("SELECT ?, ?", [1]) }
        #expect(error?.code == SQLITE_RANGE)
        #expect(error?.message == "statement takes 2 parameter(s), 1 given")
    }

    @Test func errorsCarrySQLiteMessageAndCode() throws {
        let db = try Database(path: ":memory:")
        try db.exec("CREATE TABLE t(x PRIMARY KEY)")
        try db.query("INSERT INTO t VALUES (1)")
        let error = #expect(throws: SQLiteError.self) { try db.query("INSERT INTO t VALUES (1)") }
        #expect(error?.code == SQLITE_CONSTRAINT)
        #expect(error?.extendedCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(error?.message == "UNIQUE constraint failed: t.x")
        let syntax = #expect(throws: SQLiteError.self) { try db.exec("SELEC 1") }
        #expect(syntax?.message == "near \"SELEC\": syntax error")
    }

    @Test func sizeCapFailsWithDatabaseFullAndKeepsCommittedData() throws {
        let dir = try makeTemporaryDirectory()
        let db = try Database(path: dir.appendingPathComponent("full.sqlite").path)
        try db.exec("CREATE TABLE t(b BLOB); INSERT INTO t VALUES (x'01')")
        let pageSize = try db.pageSize()
        try db.setMaximumSize(bytes: try db.size() + pageSize)
        try db.exec("BEGIN")
        let error = #expect(throws: SQLiteError.self) {
            try db.query("INSERT INTO t VALUES (?)", [.blob([UInt8](repeating: 7, count: Int(pageSize) * 4))])
        }
        #expect(error?.isDatabaseFull == true)
        #expect(error?.description.hasPrefix("database or disk is full") == true)
        if !db.isAutocommit { try db.exec("ROLLBACK") }
        #expect(try db.query("SELECT b FROM t") == [[.blob([1])]])
    }

    @Test func databaseSizeIsPageCountTimesPageSize() throws {
        let dir = try makeTemporaryDirectory()
        let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
        try db.exec("CREATE TABLE t(x)")
        #expect(try db.size() == (try db.pageCount()) * (try db.pageSize()))
        #expect(try db.pageCount() == 2)
    }

    @Test func limitsCapLengthAndSQLText() throws {
        let db = try Database(path: ":memory:")
        let previous = db.setLimit(.length, 100)
        #expect(previous > 100)
        #expect(db.limit(.length) == 100)
        let tooBig = #expect(throws: SQLiteError.self) { try db.query("SELECT ?", [.blob([UInt8](repeating: 0, count: 101))]) }
        #expect(tooBig?.code == SQLITE_TOOBIG)
        db.setLimit(.sqlLength, 20)
        let longSQL = #expect(throws: SQLiteError.self) { try db.query("SELECT 1 + 1 + 1 + 1 + 1 + 1") }
        #expect(longSQL?.message == "statement too long")
    }

    @Test func authorizerCanDenyTablesAndTransactions() throws {
        let db = try Database(path: ":memory:")
        try db.exec("CREATE TABLE secret(x); CREATE TABLE open(x)")
        try db.setAuthorizer { request in
            if request.action == .transaction { return .deny }
            return request.first == "secret" ? .deny : .allow
        }
        #expect(try db.query("SELECT count(*) FROM open") == [[.integer(0)]])
        let denied = #expect(throws: SQLiteError.self) { try db.query("SELECT * FROM secret") }
        #expect(denied?.code == SQLITE_AUTH)
        #expect(throws: SQLiteError.self) { try db.exec("BEGIN") }
        try db.setAuthorizer(nil)
        #expect(try db.query("SELECT count(*) FROM secret") == [[.integer(0)]])
    }

    @Test func closedDatabaseRefusesWork() throws {
        let db = try Database(path: ":memory:")
        db.close()
        #expect(db.isClosed)
        let error = #expect(throws: SQLiteError.self) { try db.exec("SELECT 1") }
        #expect(error?.message == "database is closed")
    }
}
