import Foundation
import HearthObjects
import HearthRuntimeHost
import HearthSQLite
import Testing

@Suite struct GateTests {
    /// Each event reads the counter, suspends (as a storage round trip or any await would),
    /// then writes counter + 1. Actor reentrancy alone would let the events interleave and
    /// lose increments; the input gate must keep every read-modify-write whole.
    @Test func concurrentEventsNeverInterleaveAcrossAnAwait() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        let namespace = try await openNamespace(dir, onFetch: { _, request, object in
            let before = try object.storage.integer("count")
            await recorder.record("start \(request.url)")
            try await Task.sleep(nanoseconds: 5_000_000)
            try object.storage.setInteger("count", before + 1)
            await recorder.record("end \(request.url)")
            return .text(String(before + 1))
        })
        let object = try namespace.get(namespace.idFromName("counter"))
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<12 { group.addTask { try await object.fetch(ObjectRequest(url: "/\(i)")).text } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results) == Set((1...12).map(String.init)))
        let entries = await recorder.entries
        #expect(entries.count == 24)
        for pair in stride(from: 0, to: entries.count, by: 2) {
            #expect(entries[pair].replacingOccurrences(of: "start", with: "end") == entries[pair + 1])
        }
        #expect(try committedValue(directory: dir, id: object.id, key: "count") == "12")
        await namespace.close()
    }

    @Test func responseIsReleasedOnlyAfterItsWriteIsDurable() async throws {
        let dir = try makeTemporaryDirectory()
        let written = Latch()
        let proceed = Latch()
        let namespace = try await openNamespace(dir, onFetch: { _, _, object in
            try object.storage.put("greeting", Array("hello".utf8))
            await written.open()
            await proceed.wait()
            return .text("done")
        })
        let object = try namespace.get(namespace.idFromName("durable"))
        let response = Task { try await object.fetch(ObjectRequest(url: "/")) }
        await written.wait()
        // The write happened inside the turn but is not committed: nobody else can see it yet.
        #expect(try committedValue(directory: dir, id: object.id, key: "greeting") == nil)
        await proceed.open()
        #expect(try await response.value.text == "done")
        #expect(try committedValue(directory: dir, id: object.id, key: "greeting") == "hello")
        await namespace.close()
    }

    /// The handler hits the size cap, swallows the error and answers 200 anyway: the output gate
    /// must drop that response, undo the turn's other writes and reset the in-memory state.
    @Test func failedWriteDropsTheResponseAndResetsTheObject() async throws {
        let dir = try makeTemporaryDirectory()
        var configuration = ObjectConfiguration()
        configuration.limits.maxDatabaseBytes = 64 * 1024
        let namespace = try await openNamespace(dir, configuration: configuration, onFetch: { handler, request, object in
            handler.memory["events", default: 0] += 1
            if request.url == "/big" {
                try object.storage.put("small", [1])
                _ = try? object.storage.put("big", [UInt8](repeating: 9, count: 256 * 1024))
            } else {
                try object.storage.put("base", [2])
            }
            return .text("events=\(handler.memory["events"]!)")
        })
        let object = try namespace.get(namespace.idFromName("capped"))
        #expect(try await object.fetch(ObjectRequest(url: "/base")).text == "events=1")
        let error = await #expect(throws: ObjectError.self) { try await object.fetch(ObjectRequest(url: "/big")) }
        guard case .writeFailed(let cause)? = error else {
            Issue.record("expected writeFailed, got \(String(describing: error))")
            return
        }
        #expect(cause.isDatabaseFull)
        #expect(await object.isResident == false)
        #expect(try committedValue(directory: dir, id: object.id, key: "small") == nil)
        #expect(try committedValue(directory: dir, id: object.id, key: "base") == "\u{2}")
        // The next event runs on freshly built state.
        #expect(try await object.fetch(ObjectRequest(url: "/base")).text == "events=1")
        #expect(await object.stateConstructions == 2)
        await namespace.close()
    }

    /// KV and SQL writes of one event become visible together, at the end of the turn.
    @Test func allWritesOfATurnCommitTogether() async throws {
        let dir = try makeTemporaryDirectory()
        let midTurn = Latch()
        let finish = Latch()
        let namespace = try await openNamespace(dir, onFetch: { _, request, object in
            try object.storage.put("a", [1])
            try object.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x); INSERT INTO t VALUES (?)", 1)
            if request.url == "/slow" {
                await midTurn.open()
                await finish.wait()
            }
            if request.url == "/fail" { throw ObjectError.unsupported("handler failure after writes") }
            try object.storage.put("b", [2])
            return ObjectResponse()
        })
        let object = try namespace.get(namespace.idFromName("atomic"))
        let event = Task { try await object.fetch(ObjectRequest(url: "/slow")) }
        await midTurn.wait()
        #expect(try committedValue(directory: dir, id: object.id, key: "a") == nil)
        await finish.open()
        _ = try await event.value
        #expect(try committedValue(directory: dir, id: object.id, key: "a") == "\u{1}")
        #expect(try committedValue(directory: dir, id: object.id, key: "b") == "\u{2}")
        // A handler error is an ordinary (error) response: the writes made before it still commit.
        await #expect(throws: ObjectError.unsupported("handler failure after writes")) {
            try await object.fetch(ObjectRequest(url: "/fail"))
        }
        let rows = try await object.blockConcurrencyWhile { @Sendable object in
            try object.storage.sql.exec("SELECT count(*) AS n FROM t").one()["n"]
        }
        #expect(rows == .integer(2))
        await namespace.close()
    }

    @Test func blockConcurrencyWhileHoldsOtherEventsBack() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        let inside = Latch()
        let release = Latch()
        let namespace = try await openNamespace(dir, onFetch: { _, _, object in
            await recorder.record("event saw \(try object.storage.integer("setup"))")
            return ObjectResponse()
        })
        let object = try namespace.get(namespace.idFromName("blocking"))
        let blocker = Task {
            try await object.blockConcurrencyWhile { @Sendable object in
                await inside.open()
                await release.wait()
                try object.storage.setInteger("setup", 7)
            }
        }
        await inside.wait()
        let event = Task { try await object.fetch(ObjectRequest(url: "/")) }
        try await Task.sleep(nanoseconds: 20_000_000)
        #expect(await recorder.entries.isEmpty)
        await release.open()
        try await blocker.value
        _ = try await event.value
        #expect(await recorder.entries == ["event saw 7"])
        await namespace.close()
    }
}
