import Foundation
import HearthSQLite
import HearthBridge
@testable import HearthObjects
@testable import HearthRuntimeHost
import Testing

/// Durable Object semantics under failure (issue #17): one test per behaviour.


private let writers = Array("""
(fn read (k) (kv-get k))
(fn writeThenTrap () (kv-put "trapped" 1) (trap))
(fn writeThenSpin () (kv-put "spun" 1) (let on true) (while on on))
(fn writeThenFail () (kv-put "failed" 1) (get 1 2))
(fn version () 1)
(fn sql (q) (sql q))
(fn write (k) (kv-put k 1))
(fn slowWrite (k n) (let i 0) (while (< i n) (set i (+ i 1))) (kv-put k 1))
""".utf8)

private func call(_ host: HearthHost, _ entry: String, _ args: JSONValue = .array([]), id: String = "w",
                  assembly: [UInt8]? = nil) async -> InvokeResponse {
    await host.invoke(object: "o", InvokeRequest(functionId: id, entryPoint: entry, args: args, assembly: assembly))
}

@Suite(.serialized) struct ObjectSemanticsTests {
    @Test func aGuestStoppedByATrapOrItsDeadlineLeavesNoneOfItsWritesButOneAnsweringAnErrorKeepsThem() async throws {
        var settings = RuntimeObjectSettings()
        settings.limits = ExecutionLimits(deadline: .milliseconds(300))
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600), settings: settings)
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "version", assembly: writers).result == .number(1))
        #expect(await call(host, "writeThenTrap").success == false)
        #expect(await call(host, "writeThenSpin").success == false)
        let failed = await call(host, "writeThenFail")
        #expect(failed.success == false)
        #expect(failed.failure == .guestError)
        #expect(await call(host, "read", .array([.string("trapped")])).result == .null)
        #expect(await call(host, "read", .array([.string("spun")])).result == .null)
        #expect(await call(host, "read", .array([.string("failed")])).result == .number(1))
        await host.close()
    }

    @Test func aDeployThatDoesNotLoadLeavesTheWorkingVersionServing() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "version", assembly: writers).result == .number(1))
        let broken = Array("(fn version () (".utf8)
        // A deploy, then a hot swap with the invoke: both refused, the old version still answers.
        let deploy = await host.deployFunction(object: "o", functionId: "w", entryPoint: "version", assembly: broken)
        #expect(deploy.success == false)
        #expect(await call(host, "version").result == .number(1))
        let swap = await call(host, "version", assembly: broken)
        #expect(swap.success == false)
        #expect(await call(host, "version").result == .number(1))
        // After a hibernation too: nothing of the broken version was stored.
        try await host.hibernate(object: "o")
        #expect(await call(host, "version").result == .number(1))
        await host.close()
    }

    @Test func guestSQLCannotReadOrRewriteTheObjectsFunctionsOrDelegates() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "version", assembly: writers).result == .number(1))
        for query in ["SELECT * FROM _hearth_functions", "UPDATE _hearth_compiled_delegates SET delegate_id = 0",
                      "SELECT * FROM functions", "SELECT * FROM compiled_delegates"] {
            let refused = await call(host, "sql", .array([.string(query)]))
            #expect(refused.success == false, "\(query) was allowed")
        }
        await host.close()
    }

    @Test func objectsMadeWithTheSeedsTablesKeepTheirFunctionsInTheInternalOnes() async throws {
        let folder = try makeTemporaryDirectory()
        do {
            let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
            try await host.deployRuntime(name: "ember", bytes: testRuntime)
            #expect(await call(host, "version", assembly: writers).result == .number(1))
            // As an object of an older Hearth had them.
            let object = try await host.objectNamed("o")
            try await object.blockConcurrencyWhile { @Sendable object in
                try object.storage.internalQuery("ALTER TABLE _hearth_functions RENAME TO functions")
                try object.storage.internalQuery("ALTER TABLE _hearth_compiled_delegates RENAME TO compiled_delegates")
            }
            await host.close()
        }
        let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
        #expect(await call(host, "version").result == .number(1))
        #expect(try await host.functionStatistics(object: "o").map(\.invocations) == [2])
        await host.close()
    }

    @Test func theSweepKeepsDelegatesOfAFunctionDeployedButNotYetInvoked() async throws {
        let clock = ManualClock()
        var settings = RuntimeObjectSettings()
        settings.delegateIdleLimit = 3600
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 36000, clock: clock),
                              settings: settings)
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await host.deployFunction(object: "o", functionId: "w", entryPoint: "version", assembly: writers).success)
        #expect(try await host.health(object: "o").cachedDelegates == 1)
        clock.advance(by: 60)
        try await host.triggerAlarm(object: "o")
        #expect(try await host.health(object: "o").cachedDelegates == 1)
        // Idle past the limit since its deploy: swept.
        clock.advance(by: 7200)
        try await host.triggerAlarm(object: "o")
        #expect(try await host.health(object: "o").cachedDelegates == 0)
        await host.close()
    }

    @Test func anInvocationWhoseCallerGaveUpNeverRunsIfQueuedAndRollsBackIfRunning() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "version", assembly: writers).result == .number(1))
        let object = try await host.objectNamed("o")
        // A slow event holds the gate; one queued behind it is given up on while it waits.
        let slow = Task { await call(host, "slowWrite", .array([.string("first"), .number(300_000)])) }
        while await !object.gateIsBusy { await Task.yield() }
        let queuedDeadline = EventDeadline()
        let queued = Task { await host.invoke(object: "o", InvokeRequest(functionId: "w", entryPoint: "slowWrite",
            args: .array([.string("second"), .number(1)])), deadline: queuedDeadline) }
        while await object.gateWaiting == 0 { await Task.yield() }
        #expect(queuedDeadline.expire())
        #expect(await slow.value.success)
        #expect(await queued.value.failure == .limitExceeded)
        // A running event given up on before it commits rolls back.
        let runningDeadline = EventDeadline()
        let running = Task { await host.invoke(object: "o", InvokeRequest(functionId: "w", entryPoint: "slowWrite",
            args: .array([.string("third"), .number(300_000)])), deadline: runningDeadline) }
        while await !object.gateIsBusy { await Task.yield() }
        #expect(runningDeadline.expire())
        #expect(await running.value.failure == .limitExceeded)
        #expect(await call(host, "read", .array([.string("first")])).result == .number(1))
        #expect(await call(host, "read", .array([.string("second")])).result == .null)
        #expect(await call(host, "read", .array([.string("third")])).result == .null)
        // One that committed first: the caller cannot give up any more, its answer is real.
        let committed = EventDeadline()
        #expect(await host.invoke(object: "o", InvokeRequest(functionId: "w", entryPoint: "version"), deadline: committed).success)
        #expect(committed.expire() == false)
        await host.close()
    }

    @Test func eventsPastTheQueueBoundAreRefusedWithoutRunning() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600, maxQueuedEvents: 1))
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "version", assembly: writers).result == .number(1))
        let object = try await host.objectNamed("o")
        let slow = Task { await call(host, "slowWrite", .array([.string("a"), .number(300_000)])) }
        while await !object.gateIsBusy { await Task.yield() }
        let waiting = Task { await call(host, "slowWrite", .array([.string("b"), .number(1)])) }
        while await object.gateWaiting == 0 { await Task.yield() }
        let refused = await call(host, "slowWrite", .array([.string("c"), .number(1)]))
        #expect(refused.failure == .overloaded)
        let (first, second) = (await slow.value, await waiting.value)
        #expect(first.success && second.success)
        #expect(await call(host, "read", .array([.string("c")])).result == .null)
        await host.close()
    }

    @Test func aDeletedObjectStaysDeletedForLateEventsItsAlarmAndAnotherProcess() async throws {
        let folder = try makeTemporaryDirectory()
        let databaseFile: String
        do {
            let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
            try await host.deployRuntime(name: "ember", bytes: testRuntime)
            #expect(await call(host, "write", .array([.string("kept")]), assembly: writers).success)
            let old = try await host.objectNamed("o")
            databaseFile = old.host.directory.appendingPathComponent(old.id.fileName).path
            // The runtime object's maintenance alarm is scheduled.
            #expect(await old.host.scheduler.scheduled[old.id] != nil)
            #expect(try await host.deleteObject(object: "o"))
            #expect(!FileManager.default.fileExists(atPath: databaseFile))
            #expect(await old.host.scheduler.scheduled[old.id] == nil)
            // Events that still hold the old actor (an alarm delivery, a socket's event) find it
            // deleted and create nothing.
            await old.deliverAlarm()
            await #expect(throws: ObjectError.deleted) { try await old.blockConcurrencyWhile { @Sendable _ in } }
            #expect(!FileManager.default.fileExists(atPath: databaseFile))
            // The name now denotes a new, empty object.
            #expect(await call(host, "read", .array([.string("kept")])).failure == .unknownFunction)
            #expect(try await host.deleteObject(object: "o"))
            await host.close()
        }
        // Another process over the folder: no alarm of the deleted object, no database.
        let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
        let fresh = try await host.objectNamed("o")
        #expect(await fresh.host.scheduler.scheduled.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: databaseFile))
        await host.close()
    }

    @Test func aStartedHostFiresEveryNamespacesOverdueAlarmsWithoutARequest() async throws {
        let folder = try makeTemporaryDirectory()
        var files: [String] = []
        do {
            let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
            for namespace in ["a", "b"] {
                try await host.deployRuntime(namespace: namespace, name: "ember", bytes: testRuntime)
                #expect(await host.invoke(namespace: namespace, object: "o", InvokeRequest(
                    functionId: "w", entryPoint: "version", assembly: writers)).success)
                let object = try await host.objectNamed("o", in: namespace)
                files.append(object.host.directory.appendingPathComponent(object.id.fileName).path)
                // Overdue by the time the next process starts.
                try await object.blockConcurrencyWhile { @Sendable object in
                    try object.storage.setAlarm(at: Date().addingTimeInterval(0.2))
                }
            }
            await host.close()
        }
        try await Task.sleep(for: .milliseconds(300))
        let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
        try await host.start()
        // The maintenance alarm ran in both namespaces and rescheduled itself hours ahead.
        for file in files {
            var scheduled: Int64 = 0
            for _ in 0..<500 {
                let database = try Database(path: file)
                scheduled = try database.scalar("SELECT scheduled_ms FROM _hearth_alarm")?.int64Value ?? 0
                database.close()
                if scheduled > Date().addingTimeInterval(3600).milliseconds { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(scheduled > Date().addingTimeInterval(3600).milliseconds, "\(file)")
        }
        // A second host over the same folder refuses to start.
        let second = HearthHost(directory: folder)
        await #expect(throws: ObjectError.self) { try await second.start() }
        await host.close()
    }

    @Test func aThrowingBlockConcurrencyWhileLeavesNoWritesAndResetsTheObject() async throws {
        struct Refused: Error {}
        let dir = try makeTemporaryDirectory()
        let namespace = try await openNamespace(dir, onFetch: { _, request, object in
            // Inside an event: the nested block's throw dooms the whole turn.
            try object.storage.setInteger("event", 1)
            _ = try? await object.blockConcurrencyWhile { @Sendable object in
                try object.storage.setInteger("nested", 1)
                throw Refused()
            }
            return ObjectResponse()
        })
        let object = try namespace.get(namespace.idFromName("b"))
        await #expect(throws: Refused.self) {
            try await object.blockConcurrencyWhile { @Sendable object in
                try object.storage.setInteger("outer", 1)
                throw Refused()
            }
        }
        _ = try await object.fetch(ObjectRequest(url: "/"))
        #expect(try committedValue(directory: dir, id: object.id, key: "outer") == nil)
        #expect(try committedValue(directory: dir, id: object.id, key: "event") == nil)
        #expect(try committedValue(directory: dir, id: object.id, key: "nested") == nil)
        // The event built the object's state; the nested throw reset it.
        #expect(await object.stateConstructions == 1)
        #expect(await object.isResident == false)
        await namespace.close()
        // A closed namespace's object runs nothing more, not even a block.
        await #expect(throws: ObjectError.namespaceClosed) { try await object.blockConcurrencyWhile { @Sendable _ in } }
    }

    @Test func aBlockConcurrencyWhileThatOverrunsItsTimeoutIsAbandonedAndLeavesNoTrace() async throws {
        let dir = try makeTemporaryDirectory()
        let namespace = try await openNamespace(dir, configuration: .init(blockConcurrencyTimeout: 0.3), onFetch: { _, _, object in
            try object.storage.setInteger("served", 1)
            return ObjectResponse()
        })
        let object = try namespace.get(namespace.idFromName("slow"))
        let release = Latch(), inside = Latch()
        let stuck = Task {
            try await object.blockConcurrencyWhile { @Sendable object in
                try object.storage.setInteger("before", 1)
                await inside.open()
                await release.wait()
                // Resumed after its turn was abandoned: its storage is gone from under it.
                try object.storage.setInteger("after", 1)
            }
        }
        // Other events are served again once the block is given up on.
        await inside.wait()
        _ = try await object.fetch(ObjectRequest(url: "/"))
        await release.open()
        await #expect(throws: ObjectError.self) { try await stuck.value }
        #expect(try committedValue(directory: dir, id: object.id, key: "served") == "1")
        #expect(try committedValue(directory: dir, id: object.id, key: "before") == nil)
        #expect(try committedValue(directory: dir, id: object.id, key: "after") == nil)
        await namespace.close()
    }

    @Test func aDeployNamingARuntimeRunsOnItAndARuntimeRedeployReachesResidentObjects() async throws {
        let heapRuntime = try [UInt8](Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Guests/heap-runtime.wasm")))
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        try await host.deployRuntime(name: "default", bytes: testRuntime)
        try await host.deployRuntime(name: "heap", bytes: heapRuntime)
        // Both runtimes are Ember; only the heap runtime's `_initialize` fills a heap.
        let heapSize = Array("(fn size () (heap-expected))".utf8)
        func size() async -> JSONValue? { await host.invoke(object: "o", InvokeRequest(functionId: "h", entryPoint: "size")).result }
        // An object created (and bound to `default`) by an earlier call, then deployed to with
        // the heap runtime named: it runs on that runtime from then on.
        #expect(await call(host, "version", assembly: writers).result == .number(1))
        #expect(await host.deployFunction(object: "o", functionId: "h", entryPoint: "size", assembly: heapSize, runtime: "heap").success)
        let filled = await size()
        #expect(filled != nil && filled != .number(0))
        // Its other functions are reloaded into the new runtime as they are called.
        #expect(await call(host, "version").result == .number(1))
        // Redeploying the runtime it is bound to reaches it while it is resident: the next call
        // runs on the new binary (here: the test runtime, whose heap is empty).
        try await host.deployRuntime(name: "heap", bytes: testRuntime)
        #expect(await size() == .number(0))
        await host.close()
    }

    @Test func concurrentDeployInvokeDeleteHibernateAndAlarmOnOneObjectNeverMeetABrokenFile() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        let errors = try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<60 {
                group.addTask {
                    switch i % 5 {
                    case 0: return await call(host, "write", .array([.string("k\(i)")]), assembly: writers).error
                    case 1: return await host.deployFunction(object: "o", functionId: "w", entryPoint: "version", assembly: writers).error
                    case 2:
                        do { try await host.deleteObject(object: "o") } catch { return "\(error)" }
                    case 3: try? await host.hibernate(object: "o")
                    default:
                        do { try await host.triggerAlarm(object: "o") } catch { return "\(error)" }
                    }
                    return nil
                }
            }
            var all: [String] = []
            for try await error in group { if let error { all.append(error) } }
            return all
        }
        // Calls that met a deletion answer that the function is gone or the object was
        // deleted, never that a file broke under them.
        for error in errors { #expect(!error.contains("I/O") && !error.contains("code 10"), "\(error)") }
        #expect(await call(host, "write", .array([.string("last")]), assembly: writers).success)
        let object = try await host.objectNamed("o")
        let check = try await object.blockConcurrencyWhile { @Sendable object in
            try object.storage.internalQuery("PRAGMA integrity_check").first?.first
        }
        #expect(check == .text("ok"))
        await host.close()
    }

    @Test func anAsyncTransactionUndoesItsOwnWritesWhenItThrowsAndSyncMakesEarlierWritesDurableMidEvent() async throws {
        struct Refused: Error {}
        let dir = try makeTemporaryDirectory()
        let midEvent = Latch(), finish = Latch()
        let namespace = try await openNamespace(dir, onFetch: { _, request, object in
            try object.storage.setInteger("before", 1)
            try? await object.transaction { object in
                try object.storage.setInteger("inside", 1)
                await Task.yield()
                throw Refused()
            }
            let kept = try await object.transaction { object in
                try object.storage.setInteger("kept", 1)
                return 7
            }
            try await object.sync()
            try object.storage.setInteger("after", kept)
            await midEvent.open()
            await finish.wait()
            return ObjectResponse()
        })
        let object = try namespace.get(namespace.idFromName("t"))
        let event = Task { try await object.fetch(ObjectRequest(url: "/")) }
        await midEvent.wait()
        // Synced: durable before the event ends; what came after is not committed yet.
        #expect(try committedValue(directory: dir, id: object.id, key: "before") == "1")
        #expect(try committedValue(directory: dir, id: object.id, key: "kept") == "1")
        #expect(try committedValue(directory: dir, id: object.id, key: "inside") == nil)
        #expect(try committedValue(directory: dir, id: object.id, key: "after") == nil)
        await finish.open()
        _ = try await event.value
        #expect(try committedValue(directory: dir, id: object.id, key: "after") == "7")
        // sync inside a transaction is refused: it cannot commit half of one.
        await #expect(throws: ObjectError.self) {
            try await object.blockConcurrencyWhile { @Sendable object in
                try await object.transaction { object in try await object.sync() }
            }
        }
        await namespace.close()
    }

    @Test func aGuestsEndlessQueryStopsAtTheGuestsDeadlineAndTheObjectServesOn() async throws {
        var settings = RuntimeObjectSettings()
        settings.limits = ExecutionLimits(deadline: .milliseconds(300))
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600), settings: settings)
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "version", assembly: writers).result == .number(1))
        let started = ContinuousClock.now
        let endless = await call(host, "sql", .array([.string(
            "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r")]))
        #expect(endless.success == false)
        // The query is interrupted at the deadline (the guest gets the error), or the guest's
        // own watchdog stops it right after: either way nothing runs on.
        #expect(endless.error.map { $0.contains("interrupted") || $0.contains("deadline") } == true, "\(endless)")
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(await call(host, "version").result == .number(1))
        await host.close()
    }

    // MARK: Item 6: a subrequest goes out mid-turn, so a commit that then fails fails the turn

    @Test func aTurnWhoseCommitFailsAfterItsGuestFetchedAnswersAFailureAndKeepsNoWrite() async throws {
        let fetcher = RecordingFetcher()
        var settings = RuntimeObjectSettings()
        settings.fetchPolicy = FetchPolicy(allowedHosts: ["api.example.com"])
        settings.fetcher = fetcher
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600), settings: settings)
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        let source = Array("(fn fetchThenWrite (url) (fetch url) (kv-put \"k\" 1) true)\n(fn read () (kv-get \"k\"))".utf8)
        #expect(await call(host, "read", id: "f", assembly: source).result == .null)
        let object = try await host.objectNamed("o")
        try await object.blockConcurrencyWhile { @Sendable object in
            let connection = object.storage.connection
            connection.commitFault = { [unowned connection] in
                if connection.hasChangedRowsThisTurn { throw SQLiteError(extendedCode: 10, message: "disk I/O error (injected)") }
            }
        }
        let response = await call(host, "fetchThenWrite", .array([.string("https://api.example.com/notify")]), id: "f")
        #expect(fetcher.requested == ["https://api.example.com/notify"])
        #expect(response.success == false)
        #expect(response.error?.contains("disk I/O error (injected)") == true)
        try await object.blockConcurrencyWhile { @Sendable object in object.storage.connection.commitFault = nil }
        #expect(await call(host, "read", id: "f").result == .null)
        await host.close()
    }

    // MARK: Item 13: the guest reaches its object's alarm, transactions and bookmarks

    private static let scheduler = Array("""
    (fn arm (t) (alarm-set t "ring"))
    (fn ring (info) (kv-put "rang" (get info "scheduledTime")))
    (fn alarm () (alarm-get))
    (fn disarm () (alarm-delete))
    (fn read (k) (kv-get k))
    (fn nested ()
      (kv-put "a" 1)
      (txn-begin) (kv-put "b" 1) (txn-rollback)
      (txn-begin) (kv-put "c" 1) (txn-begin) (kv-put "c2" 1) (txn-commit) (txn-commit)
      (txn-begin) (kv-put "d" 1)
      true)
    (fn write (k v) (kv-put k v))
    (fn mark () (bookmark))
    (fn restore (b) (bookmark-restore b))
    """.utf8)

    @Test func aGuestSetsItsObjectsAlarmAndTheFunctionItNamedRunsWhenItIsDue() async throws {
        let clock = ManualClock()
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600, clock: clock))
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        try await host.start()
        let due = Double(clock.now().addingTimeInterval(60).milliseconds)
        #expect(await call(host, "arm", .array([.number(due)]), id: "s", assembly: Self.scheduler).success)
        let alarm = await call(host, "alarm", id: "s")
        #expect(alarm.result == .object([("time", .number(due)), ("functionId", .string("s")), ("entryPoint", .string("ring"))]))
        clock.advance(by: 61)
        var rang = JSONValue.null
        for _ in 0..<300 where rang == .null {
            try await Task.sleep(for: .milliseconds(10))
            rang = await call(host, "read", .array([.string("rang")]), id: "s").result ?? .null
        }
        #expect(rang == .number(due))
        #expect(await call(host, "alarm", id: "s").result == .null)
        // The maintenance sweep still has the object's alarm.
        let object = try await host.objectNamed("o")
        let next = try await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() }
        #expect(next != nil)
        // A deleted guest alarm never rings.
        #expect(await call(host, "arm", .array([.number(Double(clock.now().addingTimeInterval(10).milliseconds))]), id: "s").success)
        #expect(await call(host, "write", .array([.string("rang"), .null]), id: "s").success)
        #expect(await call(host, "disarm", id: "s").success)
        clock.advance(by: 20)
        try await Task.sleep(for: .milliseconds(200))
        #expect(await call(host, "read", .array([.string("rang")]), id: "s").result == .null)
        await host.close()
    }

    @Test func aGuestTransactionUndoesExactlyItsOwnWritesAndOneLeftOpenIsRolledBack() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "nested", id: "s", assembly: Self.scheduler).success)
        for (key, value) in [("a", JSONValue.number(1)), ("b", .null), ("c", .number(1)), ("c2", .number(1)), ("d", .null)] {
            #expect(await call(host, "read", .array([.string(key)]), id: "s").result == value, "\(key)")
        }
        await host.close()
    }

    @Test func aGuestRestoresItsObjectToABookmarkItTook() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "write", .array([.string("k"), .number(1)]), id: "s", assembly: Self.scheduler).success)
        guard case .string(let mark)? = await call(host, "mark", id: "s").result else {
            Issue.record("no bookmark")
            return
        }
        #expect(await call(host, "write", .array([.string("k"), .number(2)]), id: "s").success)
        #expect(await call(host, "restore", .array([.string(mark)]), id: "s").success)
        #expect(await call(host, "read", .array([.string("k")]), id: "s").result == .number(1))
        // The function itself is still deployed: it was part of the bookmarked state.
        let bad = await call(host, "restore", .array([.string("not-a-bookmark")]), id: "s")
        #expect(bad.success == false)
        await host.close()
    }
}

/// Answers every fetch with `{}` and records the URLs, from whichever thread the guest runs on.
private final class RecordingFetcher: HTTPFetcher, @unchecked Sendable {
    private let lock = NSLock()
    private var urls: [String] = []
    var requested: [String] { lock.withLock { urls } }

    func fetch(_ url: URL) throws -> FetchResponse {
        lock.withLock { urls.append(url.absoluteString) }
        return FetchResponse(status: 200, body: "{}")
    }
}
