import Foundation
@testable import HearthObjects
@testable import HearthRuntimeHost
import HearthSQLite
import Testing

/// Point-in-time recovery (issue #17, item 13): bookmarks name committed turns; a restore
/// brings back the whole database as it was, schema included, and can itself be undone.
@Suite struct PointInTimeRecoveryTests {
    private func turn<T: Sendable>(_ object: DurableObject, _ body: @escaping @Sendable (ObjectStorage) throws -> T) async throws -> T {
        try await object.blockConcurrencyWhile { @Sendable object in try body(object.storage) }
    }

    @Test func aRestoreBringsBackKeysAndTablesAsTheyWereAtTheBookmarkAndItsAnswerUndoesIt() async throws {
        let namespace = try await openNamespace(try makeTemporaryDirectory(), onFetch: { _, _, _ in ObjectResponse() })
        let object = try namespace.get(namespace.idFromName("pitr"))
        try await turn(object) { storage throws in
            try storage.setInteger("a", 1)
            _ = try storage.sql.exec("CREATE TABLE t (x INTEGER)")
            _ = try storage.sql.exec("INSERT INTO t VALUES (1), (2)")
        }
        let early = try await turn(object) { try $0.currentBookmark() }
        try await turn(object) { storage throws in
            try storage.setInteger("a", 2)
            _ = try storage.sql.exec("DROP TABLE t")
            try storage.setInteger("b", 3)
        }
        let undo = try await turn(object) { storage in try storage.onNextSessionRestoreBookmark(early) }
        #expect(undo > early)
        try await turn(object) { storage throws in
            #expect(try storage.integer("a") == 1)
            #expect(try storage.get("b") == nil)
            #expect(try storage.sql.exec("SELECT sum(x) AS s FROM t").one()["s"] == .integer(3))
        }
        // The bookmark answered by the restore is the state it replaced.
        _ = try await turn(object) { storage in try storage.onNextSessionRestoreBookmark(undo) }
        try await turn(object) { storage throws in
            #expect(try storage.integer("a") == 2)
            #expect(try storage.integer("b") == 3)
            #expect(throws: SQLiteError.self) { try storage.sql.exec("SELECT * FROM t") }
            #expect(try storage.internalQuery("PRAGMA integrity_check").first?.first == .text("ok"))
        }
        await namespace.close()
    }

    @Test func aRestoreAskedForInATurnThatFailsNeverHappens() async throws {
        let namespace = try await openNamespace(try makeTemporaryDirectory(), onFetch: { _, _, _ in ObjectResponse() })
        let object = try namespace.get(namespace.idFromName("pitr"))
        try await turn(object) { try $0.setInteger("a", 1) }
        let early = try await turn(object) { try $0.currentBookmark() }
        try await turn(object) { try $0.setInteger("a", 2) }
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await turn(object) { storage throws in
                _ = try storage.onNextSessionRestoreBookmark(early)
                throw Refused()
            }
        }
        await object.hibernate()
        try await turn(object) { s throws in #expect(try s.integer("a") == 2) }
        await namespace.close()
    }

    @Test func aBookmarkForATimeNamesTheLastTurnCommittedByThenWithinTheRetentionWindow() async throws {
        let clock = ManualClock()
        let namespace = try await openNamespace(try makeTemporaryDirectory(), configuration: ObjectConfiguration(clock: clock),
                                                onFetch: { _, _, _ in ObjectResponse() })
        let object = try namespace.get(namespace.idFromName("pitr"))
        try await turn(object) { try $0.setInteger("a", 1) }
        let afterFirst = clock.now()
        clock.advance(by: 3600)
        try await turn(object) { try $0.setInteger("a", 2) }
        clock.advance(by: 3600)
        let bookmark = try await turn(object) { try $0.bookmark(for: afterFirst.addingTimeInterval(60)) }
        _ = try await turn(object) { try $0.onNextSessionRestoreBookmark(bookmark) }
        try await turn(object) { s throws in #expect(try s.integer("a") == 1) }
        await #expect(throws: ObjectError.self) { try await turn(object) { try $0.bookmark(for: clock.now().addingTimeInterval(60)) } }
        // 31 days on, the hour after the first write is out of the window.
        clock.advance(by: 31 * 86_400)
        try await turn(object) { try $0.setInteger("a", 5) }
        await object.hibernate()
        await #expect(throws: ObjectError.self) { try await turn(object) { try $0.bookmark(for: afterFirst) } }
        let recent = try await turn(object) { try $0.bookmark(for: clock.now()) }
        _ = try await turn(object) { try $0.onNextSessionRestoreBookmark(recent) }
        try await turn(object) { s throws in #expect(try s.integer("a") == 5) }
        await namespace.close()
    }

    @Test func historyOutlivesCheckpointsOfAWalThatGrewPastItsLimit() async throws {
        let namespace = try await openNamespace(try makeTemporaryDirectory(), onFetch: { _, _, _ in ObjectResponse() })
        let object = try namespace.get(namespace.idFromName("pitr"))
        try await turn(object) { try $0.setInteger("n", 0) }
        let start = try await turn(object) { try $0.currentBookmark() }
        var bookmarks: [Int: String] = [:]
        // 40 turns of 200 KiB each: the WAL is checkpointed and restarted several times.
        for n in 1...40 {
            try await turn(object) { storage throws in
                try storage.setInteger("n", n)
                try storage.put("blob\(n % 7)", [UInt8](repeating: UInt8(n), count: 200 << 10))
            }
            if n % 10 == 0 { bookmarks[n] = try await turn(object) { try $0.currentBookmark() } }
        }
        let wal = try FileManager.default.attributesOfItem(atPath: try await objectPath(namespace, object) + "-wal")[.size] as? Int ?? 0
        #expect(wal < 8 << 20)
        for (n, bookmark) in bookmarks.sorted(by: { $0.key < $1.key }) + [(0, start)] {
            _ = try await turn(object) { try $0.onNextSessionRestoreBookmark(bookmark) }
            try await turn(object) { storage throws in
                #expect(try storage.integer("n") == n)
                if n > 0 { #expect(try storage.get("blob\(n % 7)") == [UInt8](repeating: UInt8(n), count: 200 << 10)) }
            }
        }
        await namespace.close()
    }

    @Test func aBookmarkTakenInATurnNamesItsWholeCommitOrTheStateBeforeItIfItRollsBack() async throws {
        let namespace = try await openNamespace(try makeTemporaryDirectory(), onFetch: { _, _, _ in ObjectResponse() })
        let object = try namespace.get(namespace.idFromName("pitr"))
        let whole = try await turn(object) { storage throws in
            try storage.setInteger("a", 1)
            let bookmark = try storage.currentBookmark()
            try storage.setInteger("b", 2)
            return bookmark
        }
        try await turn(object) { storage throws in try storage.setInteger("a", 3) }
        struct Refused: Error { let bookmark: String }
        var rolledBack = ""
        do {
            _ = try await turn(object) { storage throws -> String in
                try storage.setInteger("a", 4)
                throw Refused(bookmark: try storage.currentBookmark())
            }
        } catch let refused as Refused {
            rolledBack = refused.bookmark
        }
        try await turn(object) { storage throws in try storage.setInteger("a", 5) }
        _ = try await turn(object) { try $0.onNextSessionRestoreBookmark(whole) }
        try await turn(object) { storage throws in
            #expect(try storage.integer("a") == 1)
            #expect(try storage.integer("b") == 2)
        }
        let named = rolledBack
        _ = try await turn(object) { try $0.onNextSessionRestoreBookmark(named) }
        try await turn(object) { s throws in #expect(try s.integer("a") == 3) }
        await namespace.close()
    }

    @Test func withoutHistoryBookmarksAreRefusedAsUnsupported() async throws {
        let namespace = try await openNamespace(try makeTemporaryDirectory(), configuration: ObjectConfiguration(historyRetention: nil),
                                                onFetch: { _, _, _ in ObjectResponse() })
        let object = try namespace.get(namespace.idFromName("pitr"))
        await #expect(throws: ObjectError.unsupported("point-in-time recovery is turned off for this namespace (ObjectConfiguration.historyRetention)")) {
            try await turn(object) { try $0.currentBookmark() }
        }
        await namespace.close()
    }

    private func objectPath(_ namespace: ObjectNamespace, _ object: DurableObject) async throws -> String {
        try await object.blockConcurrencyWhile { @Sendable object in object.storage.connection.path }
    }
}
