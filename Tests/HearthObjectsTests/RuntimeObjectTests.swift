import Foundation
import HearthBridge
@testable import HearthObjects
@testable import HearthRuntimeHost
import HearthSQLite
import Testing


private let counterAssembly = Array("""
(fn add (a b) (+ a b))
(fn greet (name) (concat "Hello, " name "!"))
(fn count () (kv-put "n" (+ 1 (or (kv-get "n") 0))))
(fn remember (k v) (kv-put k v) (len (kv-list "")))
(fn forget (k) (kv-delete k))
(fn note (text)
  (sql "CREATE TABLE IF NOT EXISTS notes (text TEXT)")
  (sql "INSERT INTO notes VALUES (?)" text)
  (get (get (get (sql "SELECT count(*) AS n FROM notes") "rows") 0) "n"))
(fn peek () (sql "SELECT * FROM _hearth_kv"))
(fn boom () (trap))
(fn spin () (let on true) (while on on))
(fn shout (text) (log (concat "said: " text)) 1)
""".utf8)

private func withHost(_ directory: URL? = nil, configuration: ObjectConfiguration = .init(idleTimeout: 3600),
                      settings: RuntimeObjectSettings = .init(), _ body: (HearthHost) async throws -> Void) async throws {
    let folder = try directory ?? makeTemporaryDirectory()
    let host = HearthHost(directory: folder, configuration: configuration, settings: settings)
    do {
        try await body(host)
    } catch {
        await host.close()
        throw error
    }
    await host.close()
}

private func call(_ host: HearthHost, object: String = "calc", _ entry: String, _ args: JSONValue = .array([]),
                  assembly: [UInt8]? = nil) async -> InvokeResponse {
    await host.invoke(object: object, InvokeRequest(functionId: "demo", entryPoint: entry, args: args, assembly: assembly))
}

@Test func aFunctionDeployedOnceAnswersTheSameAfterHibernationFromTheSnapshot() async throws {
    try await withHost { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        let first = await call(host, "greet", .array([.string("Hearth")]), assembly: counterAssembly)
        #expect(first == InvokeResponse(success: true, result: .string("Hello, Hearth!")))
        #expect(host.statistics.coldStarts == 1)
        try await host.hibernate(object: "calc")
        let second = await call(host, "greet", .array([.string("Hearth")]))
        #expect(second == first)
        // The second wake restored the snapshot: `_initialize` ran once in all.
        #expect(host.statistics.coldStarts == 1)
        #expect(host.statistics.snapshotRestores == 1)
        let health = try await host.health(object: "calc")
        #expect(health == HealthResponse(status: "healthy", initialized: true, cachedDelegates: 1, startedFrom: "snapshot"))
        // Nothing was loaded or compiled after the wake: no new snapshot had to be written.
        let saved = host.statistics.snapshotsSaved
        #expect(await call(host, "greet", .array([.string("again")])).result == .string("Hello, again!"))
        #expect(host.statistics.snapshotsSaved == saved)
    }
}

@Test func consoleLogReachesTheObjectsLogWithItsID() async throws {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var entries: [(ObjectID, String)] = []
    }
    let lines = Lines()
    var settings = RuntimeObjectSettings()
    settings.log = { id, message in lines.lock.withLock { lines.entries.append((id, message)) } }
    let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600), settings: settings)
    try await host.deployRuntime(name: "ember", bytes: testRuntime)
    #expect(await call(host, "shout", .array([.string("hello")]), assembly: counterAssembly).result == .number(1))
    let id = try await host.objectNamed("calc").id
    let logged = lines.lock.withLock { lines.entries }
    #expect(logged.map(\.1) == ["said: hello"])
    #expect(logged.map(\.0) == [id])
    await host.close()
}

@Test func functionsSurviveClosingAndReopeningTheDataFolder() async throws {
    let folder = try makeTemporaryDirectory()
    try await withHost(folder) { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "add", .array([.number(2), .number(3)]), assembly: counterAssembly).result == .number(5))
    }
    try await withHost(folder) { host in
        #expect(await call(host, "add", .array([.number(20), .number(22)])) == InvokeResponse(success: true, result: .number(42)))
        #expect(host.statistics.coldStarts == 0)
        #expect(host.statistics.snapshotRestores == 1)
        let names = try await host.objects().map(\.name)
        #expect(names == ["calc"])
    }
}

@Test func guestCodeKeepsDurableStateInItsObjectsStorage() async throws {
    try await withHost { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "count", assembly: counterAssembly).result == .number(1))
        #expect(await call(host, "count").result == .number(2))
        try await host.hibernate(object: "calc")
        #expect(await call(host, "count").result == .number(3))
        #expect(await call(host, "remember", .array([.string("k"), .object([("a", .array([.bool(true)]))])])).result == .number(2))
        #expect(await call(host, "forget", .array([.string("k")])).result == .bool(true))
        #expect(await call(host, "forget", .array([.string("k")])).result == .bool(false))
        #expect(await call(host, "note", .array([.string("x")])).result == .number(1))
        #expect(await call(host, "note", .array([.string("y")])).result == .number(2))
        // Internal tables stay hidden from guest SQL.
        let peek = await call(host, "peek")
        #expect(peek.success == false)
        #expect(peek.error?.contains("access to internal table _hearth_kv is not allowed") == true)
        // Another object has storage of its own.
        #expect(await call(host, object: "other", "count", assembly: counterAssembly).result == .number(1))
    }
}

@Test func theMaintenanceAlarmDropsDelegatesUnusedForADay() async throws {
    let folder = try makeTemporaryDirectory()
    try await withHost(folder) { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        _ = await call(host, "add", .array([.number(1), .number(1)]), assembly: counterAssembly)
        try await host.triggerAlarm(object: "calc")
        #expect(try await host.health(object: "calc").cachedDelegates == 1)
    }
    // A day and more later, the sweep drops it; the next invoke compiles it again.
    try await withHost(folder, configuration: ObjectConfiguration(idleTimeout: 3600, clock: ShiftedClock(offset: 25 * 3600))) { host in
        try await host.triggerAlarm(object: "calc")
        #expect(try await host.health(object: "calc").cachedDelegates == 0)
        #expect(await call(host, "add", .array([.number(1), .number(2)])).result == .number(3))
        #expect(try await host.health(object: "calc").cachedDelegates == 1)
    }
}

@Test func invocationsAreRecordedInTheInternalFunctionsAndCompiledDelegatesTables() async throws {
    try await withHost { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        for _ in 0..<3 { _ = await call(host, "add", .array([.number(1), .number(2)]), assembly: counterAssembly) }
        // Sending the deployed bytes again is no redeploy; changed bytes are.
        _ = await call(host, "add", .array([.number(1), .number(2)]), assembly: counterAssembly + Array("\n".utf8))
        _ = await call(host, "greet", .array([.string("x")]))
        let object = try await host.objectNamed("calc")
        let (function, delegates) = try await object.blockConcurrencyWhile { @Sendable object in
            (try object.storage.internalQuery("SELECT version, invocation_count, last_invoked FROM _hearth_functions WHERE function_id = 'demo'")[0],
             try object.storage.internalQuery("SELECT entry_point FROM _hearth_compiled_delegates WHERE function_id = 'demo' ORDER BY entry_point"))
        }
        #expect(function[0] == .integer(2))
        #expect(function[1] == .integer(5))
        #expect(function[2] != .null)
        // A redeploy invalidates the cached delegates: only what was compiled since remains.
        #expect(delegates.map { $0[0] } == [.text("add"), .text("greet")])

        // The maintenance alarm reschedules itself 6 hours on.
        try await host.triggerAlarm(object: "calc")
        let next = try await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() }
        let delay = (next ?? .distantPast).timeIntervalSinceNow
        #expect(delay > 6 * 3600 - 60 && delay <= 6 * 3600)
    }
}

/// Settings under which invocation statistics are written only when something else forces it.
private let statisticsNeverDue: RuntimeObjectSettings = {
    var settings = RuntimeObjectSettings()
    settings.statisticsInterval = 365 * 24 * 3600
    return settings
}()

/// The `_hearth_functions` count of function `demo` as the object's storage holds it now (no flush).
private func writtenCount(_ host: HearthHost, object: String = "calc") async throws -> SQLValue? {
    try await host.objectNamed(object).blockConcurrencyWhile { @Sendable object in
        try object.storage.internalQuery("SELECT invocation_count FROM _hearth_functions WHERE function_id = 'demo'").first?.first
    }
}

@Test func warmInvokesCountInMemoryAndTheStatisticsAreExactWhenRead() async throws {
    try await withHost(settings: statisticsNeverDue) { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        // The first call stores the function and compiles `add`: that turn writes, stats included.
        _ = await call(host, "add", .array([.number(1), .number(2)]), assembly: counterAssembly)
        #expect(try await writtenCount(host) == .integer(1))
        for i in 0..<25 { #expect(await call(host, "add", .array([.number(Double(i)), .number(1)])).result == .number(Double(i + 1))) }
        // Warm invokes that write nothing else leave the row alone (their turns commit nothing)...
        #expect(try await writtenCount(host) == .integer(1))
        // ...and reading the statistics writes the counted ones first.
        let read = try await host.functionStatistics(object: "calc")
        #expect(read.map(\.functionId) == ["demo"])
        #expect(read.first?.invocations == 26)
        #expect(abs((read.first?.lastInvoked ?? .distantPast).timeIntervalSinceNow) < 60)
        #expect(try await writtenCount(host) == .integer(26))
    }
}

@Test func countedInvocationsAreWrittenWithTheNextTurnThatWritesAnyway() async throws {
    try await withHost(settings: statisticsNeverDue) { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        _ = await call(host, "add", .array([.number(1), .number(2)]), assembly: counterAssembly)
        for _ in 0..<5 { _ = await call(host, "add", .array([.number(1), .number(2)])) }
        #expect(try await writtenCount(host) == .integer(1))
        // The guest's own storage write commits (durably) anyway: the counts ride along.
        #expect(await call(host, "count").result == .number(1))
        #expect(try await writtenCount(host) == .integer(7))
    }
}

@Test func invocationStatisticsAreWrittenOnceTheIntervalIsUp() async throws {
    var settings = RuntimeObjectSettings()
    settings.statisticsInterval = 0
    try await withHost(settings: settings) { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        _ = await call(host, "add", .array([.number(1), .number(2)]), assembly: counterAssembly)
        for expected in 2...4 {
            _ = await call(host, "add", .array([.number(1), .number(2)]))
            #expect(try await writtenCount(host) == .integer(Int64(expected)))
        }
    }
}

@Test func invocationStatisticsSurviveHibernationEvictionAndClosing() async throws {
    let folder = try makeTemporaryDirectory()
    try await withHost(folder, configuration: .init(idleTimeout: 3600, maxResidentObjects: 1), settings: statisticsNeverDue) { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        _ = await call(host, "add", .array([.number(1), .number(2)]), assembly: counterAssembly)
        for _ in 0..<9 { _ = await call(host, "add", .array([.number(1), .number(2)])) }
        // Hibernation writes them.
        try await host.hibernate(object: "calc")
        #expect(try await writtenCount(host) == .integer(10))
        for _ in 0..<5 { _ = await call(host, "add", .array([.number(1), .number(2)])) }
        // Eviction (another object takes the only resident place) writes them.
        let calc = try await host.objectNamed("calc")
        _ = await call(host, object: "other", "add", .array([.number(1), .number(2)]), assembly: counterAssembly)
        for _ in 0..<200 where await calc.isResident { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(await calc.isResident == false)
        #expect(try await writtenCount(host) == .integer(15))
        for _ in 0..<3 { _ = await call(host, "add", .array([.number(1), .number(2)])) }
    }
    // Closing the host (shutdown) writes them.
    try await withHost(folder, settings: statisticsNeverDue) { host in
        let calc = try await host.functionStatistics(object: "calc"), other = try await host.functionStatistics(object: "other")
        #expect(calc.map(\.invocations) == [18])
        #expect(other.map(\.invocations) == [1])
    }
}

@Test func theMaintenanceAlarmSeesLastInvokedOfInvocationsNotYetWritten() async throws {
    let clock = ManualClock()
    var settings = statisticsNeverDue
    settings.delegateIdleLimit = 60
    try await withHost(configuration: .init(idleTimeout: 3600, clock: clock), settings: settings) { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        _ = await call(host, "add", .array([.number(1), .number(1)]), assembly: counterAssembly)
        // Two minutes later (past the 60 s idle limit) the delegate is used again, by a warm
        // invoke that writes nothing: the written `last_invoked` is stale, the counted one fresh.
        clock.advance(by: 120)
        #expect(await call(host, "add", .array([.number(1), .number(2)])).result == .number(3))
        try await host.triggerAlarm(object: "calc")
        // The sweep judged the fresh time: the delegate was used within the limit and stays.
        #expect(try await host.health(object: "calc").cachedDelegates == 1)
        let read = try await host.functionStatistics(object: "calc")
        #expect(read.first?.lastInvoked == clock.now())
        #expect(read.first?.invocations == 2)
    }
}

@Test func aTrappingGuestLeavesTheObjectUsable() async throws {
    try await withHost { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        // Deployed by a call that answers: a turn cut off by a trap would take its deploy with it.
        #expect(await call(host, "add", .array([.number(1), .number(2)]), assembly: counterAssembly).result == .number(3))
        let trapped = await call(host, "boom")
        #expect(trapped.success == false)
        #expect(trapped.error?.hasPrefix("guest trapped in execute_delegate") == true)
        #expect(await call(host, "add", .array([.number(4), .number(5)])).result == .number(9))
        let unknown = await host.invoke(object: "calc", InvokeRequest(functionId: "nope", entryPoint: "x"))
        #expect(unknown == .failure("unknown function nope: no assembly was deployed for it", .unknownFunction))
    }
}

@Test func aGuestLoopingForeverIsCutOffAtItsDeadlineAndTheObjectStaysUsable() async throws {
    var settings = RuntimeObjectSettings()
    #expect(settings.limits.deadline == .seconds(30))  // objects are bounded by default
    settings.limits = ExecutionLimits(deadline: .milliseconds(200))
    let folder = try makeTemporaryDirectory()
    let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600), settings: settings)
    try await host.deployRuntime(name: "ember", bytes: testRuntime)
    #expect(await call(host, "add", .array([.number(1), .number(2)]), assembly: counterAssembly).result == .number(3))
    let started = Date()
    let stopped = await call(host, "spin")
    #expect(stopped.success == false)
    #expect(stopped.error?.contains("deadline") == true, "\(stopped.error ?? "")")
    #expect(Date().timeIntervalSince(started) < 10)
    #expect(await call(host, "add", .array([.number(4), .number(5)])).result == .number(9))
    await host.close()
}

@Test func aRuntimesLinearMemoryCountsTowardsMemoryPressure() async throws {
    // The test runtime's memory is well over 64 KiB: a budget of 64 KiB fits one object at most,
    // so waking a second one evicts the first.
    try await withHost(configuration: .init(idleTimeout: 3600, maxResidentBytes: 64 << 10)) { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, object: "one", "add", .array([.number(1), .number(2)]), assembly: counterAssembly).result == .number(3))
        let one = try await host.objectNamed("one")
        #expect(await one.isResident)
        #expect(await call(host, object: "two", "add", .array([.number(3), .number(4)]), assembly: counterAssembly).result == .number(7))
        for _ in 0..<200 where await one.isResident { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(await one.isResident == false)
        #expect(await try host.objectNamed("two").isResident)
        // Evicted is not lost: the next call wakes it and answers the same.
        #expect(await call(host, object: "one", "add", .array([.number(1), .number(2)])).result == .number(3))
    }
}

@Test func aChangedRuntimeBinaryInvalidatesTheSnapshot() async throws {
    try await withHost { host in
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        _ = await call(host, "add", .array([.number(1), .number(1)]), assembly: counterAssembly)
        // The same code with a custom section appended: another binary, another hash.
        try await host.deployRuntime(name: "ember", bytes: testRuntime + [0x00, 0x04, 0x03, 0x61, 0x62, 0x63])
        try await host.hibernate(object: "calc")
        #expect(await call(host, "add", .array([.number(2), .number(2)])).result == .number(4))
        #expect(host.statistics.coldStarts == 2)
        #expect(host.statistics.snapshotRestores == 0)
    }
}

@Test func deployingWithoutARuntimeFailsClearlyAsTheCallersMistake() async throws {
    try await withHost { host in
        let response = await call(host, "add", assembly: counterAssembly)
        #expect(response == .failure("no runtime named default is deployed", .badRequest))
    }
}

private let dotnetPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real-world/basic.dotnet.wasm").path

@Test(.enabled(if: FileManager.default.fileExists(atPath: dotnetPath), "needs ../shared/real-world/basic.dotnet.wasm"))
func theDotnetCommandModuleRunsInsideAnObjectWithItsOutputCaptured() async throws {
    let path = dotnetPath
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let namespace = try await ObjectNamespace(name: "dotnet", directory: makeTemporaryDirectory()) { _ in
        ClosureHandler { _, _, object in
            var options = GuestOptions()
            options.arguments = ["basic.dotnet.wasm"]
            let result = try GuestInstance.runCommand(bytes, options: options)
            try object.storage.put("stdout", result.stdout)
            return .text("exit \(result.exitCode)\n" + result.stdoutText)
        }
    }
    let response = try await namespace.get(namespace.idFromName("app")).fetch(ObjectRequest(url: "/"))
    #expect(response.text.hasPrefix("exit 0\n"))
    #expect(response.text.contains("Hello, Wasi Console!"))
    await namespace.close()
}
