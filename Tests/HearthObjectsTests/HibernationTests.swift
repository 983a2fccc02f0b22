import Foundation
import HearthObjects
import HearthRuntimeHost
import Testing

@Suite struct HibernationTests {
    /// The handler caches the counter in memory, loading it from storage when built: after
    /// hibernation the cache is gone and must be rebuilt from what was committed.
    private let counter: @Sendable (ClosureHandler, ObjectRequest, isolated DurableObject) async throws -> ObjectResponse = { handler, _, object in
        if handler.memory["loaded"] == nil {
            handler.memory["loaded"] = 1
            handler.memory["count"] = try object.storage.integer("count")
        }
        let next = handler.memory["count"]! + 1
        handler.memory["count"] = next
        try object.storage.setInteger("count", next)
        return .text(String(next))
    }

    @Test func idleObjectHibernatesAndIsReconstructedFromStorage() async throws {
        let dir = try makeTemporaryDirectory()
        var configuration = ObjectConfiguration()
        configuration.idleTimeout = 0.1
        let namespace = try await openNamespace(dir, configuration: configuration, onFetch: counter)
        let object = try namespace.get(namespace.idFromName("sleepy"))
        #expect(try await object.fetch(ObjectRequest(url: "/")).text == "1")
        #expect(try await object.fetch(ObjectRequest(url: "/")).text == "2")
        #expect(await object.isResident)
        for _ in 0..<100 where await object.isResident { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(await object.isResident == false)
        #expect(await object.hibernations == 1)
        #expect(namespace.residentObjectIDs.isEmpty)
        #expect(try await object.fetch(ObjectRequest(url: "/")).text == "3")
        #expect(await object.stateConstructions == 2)
        await namespace.close()
    }

    /// A namespace of counter objects whose idle timer runs on a manual clock, and its "busy" object.
    private func busyObjectOnManualClock(idleTimeout: TimeInterval) async throws -> (ManualClock, ObjectNamespace, DurableObject) {
        let clock = ManualClock()
        var configuration = ObjectConfiguration()
        configuration.clock = clock
        configuration.idleTimeout = idleTimeout
        let namespace = try await openNamespace(try makeTemporaryDirectory(), configuration: configuration, onFetch: counter)
        return (clock, namespace, try namespace.get(namespace.idFromName("busy")))
    }

    @Test func activityPostponesHibernation() async throws {
        let (clock, namespace, object) = try await busyObjectOnManualClock(idleTimeout: 2)
        // A request every 1.5 s for 6 s: each one re-arms the 2 s idle timer before it expires.
        for _ in 0..<4 {
            _ = try await object.fetch(ObjectRequest(url: "/"))
            clock.advance(by: 1.5)
            await Task.yield()
        }
        #expect(await object.isResident)
        #expect(await object.stateConstructions == 1)
        #expect(await object.hibernations == 0)
        // Then silence past the timeout: it hibernates.
        clock.advance(by: 2.5)
        for _ in 0..<200 where await object.isResident { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(await object.isResident == false)
        #expect(await object.hibernations == 1)
        await namespace.close()
    }

    @Test func manyEventsKeepOneIdleTimerWaiting() async throws {
        let (clock, namespace, object) = try await busyObjectOnManualClock(idleTimeout: 10)
        for _ in 0..<300 { _ = try await object.fetch(ObjectRequest(url: "/")) }
        for _ in 0..<100 where clock.sleeperCount == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        // One task waits for the idle deadline, however many events moved it.
        #expect(clock.sleeperCount == 1)
        clock.advance(by: 11)
        for _ in 0..<200 where await object.isResident { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(await object.isResident == false)
        #expect(clock.sleeperCount == 0)
        await namespace.close()
    }

    @Test func residentCapEvictsTheLeastRecentlyUsedObject() async throws {
        let dir = try makeTemporaryDirectory()
        var configuration = ObjectConfiguration()
        configuration.maxResidentObjects = 2
        configuration.idleTimeout = 3600 // only the cap may evict here
        let namespace = try await openNamespace(dir, configuration: configuration, onFetch: counter)
        let objects = try ["a", "b", "c"].map { try namespace.get(namespace.idFromName($0)) }
        _ = try await objects[0].fetch(ObjectRequest(url: "/"))
        _ = try await objects[1].fetch(ObjectRequest(url: "/"))
        _ = try await objects[0].fetch(ObjectRequest(url: "/"))
        _ = try await objects[2].fetch(ObjectRequest(url: "/"))
        for _ in 0..<100 where await objects[1].isResident { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(await objects[1].isResident == false)
        #expect(await objects[0].isResident)
        #expect(await objects[2].isResident)
        #expect(namespace.residentObjectIDs == [objects[0].id, objects[2].id])
        #expect(try await objects[1].fetch(ObjectRequest(url: "/")).text == "2")
        await namespace.close()
    }

    @Test func memoryPressureEvictsTheLeastRecentlyUsedObject() async throws {
        /// A state holding `bytes`, set per object name through the request URL.
        final class Heavy: ObjectHandler {
            var bytes = 0
            var residentBytes: Int { bytes }
            func handle(_ request: ObjectRequest, object: isolated DurableObject) async throws -> ObjectResponse {
                bytes = Int(request.url.dropFirst()) ?? 0
                return .text("ok")
            }
        }
        let dir = try makeTemporaryDirectory()
        var configuration = ObjectConfiguration()
        configuration.idleTimeout = 3600
        configuration.maxResidentBytes = 1000
        let namespace = try await ObjectNamespace(name: "test", directory: dir, configuration: configuration) { _ in Heavy() }
        let a = try namespace.get(namespace.idFromName("a")), b = try namespace.get(namespace.idFromName("b"))
        _ = try await a.fetch(ObjectRequest(url: "/600"))
        _ = try await b.fetch(ObjectRequest(url: "/300"))
        #expect(namespace.residentObjectIDs == [a.id, b.id])  // 900 bytes: within the budget
        _ = try await b.fetch(ObjectRequest(url: "/500"))        // b grew: 1100 bytes, a goes
        for _ in 0..<100 where await a.isResident { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(await a.isResident == false)
        #expect(namespace.residentObjectIDs == [b.id])
        _ = try await a.fetch(ObjectRequest(url: "/600"))        // a back: 1100 again, now b goes
        for _ in 0..<100 where await b.isResident { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(namespace.residentObjectIDs == [a.id])
        await namespace.close()
    }

    @Test func willHibernateRunsAsACommittedTurn() async throws {
        final class Snapshotting: ObjectHandler {
            func handle(_ request: ObjectRequest, object: isolated DurableObject) async throws -> ObjectResponse {
                .text(String(decoding: try object.storage.get("snapshot") ?? [], as: UTF8.self))
            }
            func willHibernate(object: isolated DurableObject) async throws {
                try object.storage.put("snapshot", Array("saved".utf8))
            }
        }
        let dir = try makeTemporaryDirectory()
        let namespace = try await ObjectNamespace(name: "snap", directory: dir) { _ in Snapshotting() }
        let object = try namespace.get(namespace.idFromName("s"))
        #expect(try await object.fetch(ObjectRequest(url: "/")).text == "")
        await object.hibernate()
        #expect(try committedValue(directory: dir, id: object.id, key: "snapshot") == "saved")
        #expect(try await object.fetch(ObjectRequest(url: "/")).text == "saved")
        await namespace.close()
    }
}
