import Foundation
import HearthObjects
import HearthRuntimeHost
import Testing

@Suite struct AlarmTests {
    private func configuration(clock: any ObjectClock = SystemObjectClock(), base: TimeInterval = 0.02) -> ObjectConfiguration {
        var configuration = ObjectConfiguration()
        configuration.clock = clock
        configuration.alarmRetry.baseDelay = base
        return configuration
    }

    /// Polls until `condition` holds or about two seconds pass.
    private func eventually(_ condition: () async -> Bool) async throws {
        for _ in 0..<200 {
            if await condition() { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    private let setAlarm: @Sendable (ClosureHandler, ObjectRequest, isolated DurableObject) async throws -> ObjectResponse = { _, request, object in
        let seconds = Double(request.url.dropFirst()) ?? 0
        try object.storage.setAlarm(at: Date().addingTimeInterval(seconds))
        return ObjectResponse()
    }

    @Test func alarmFiresOnceAndIsCleared() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        let namespace = try await openNamespace(dir, configuration: configuration(), onFetch: setAlarm, onAlarm: { invocation, object in
            await recorder.record("alarm retry=\(invocation.retryCount)")
        })
        let object = try namespace.get(namespace.idFromName("a"))
        _ = try await object.fetch(ObjectRequest(url: "/0.05"))
        #expect(try await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() } != nil)
        try await eventually { await recorder.entries.count == 1 }
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(await recorder.entries == ["alarm retry=0"])
        #expect(try await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() } == nil)
        #expect(await namespace.scheduledAlarms.isEmpty)
        await namespace.close()
    }

    @Test func aDeletedAlarmNeverFiresAndSettingAnotherReplacesIt() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        let namespace = try await openNamespace(dir, configuration: configuration(), onFetch: setAlarm, onAlarm: { _, _ in
            await recorder.record("alarm")
        })
        let object = try namespace.get(namespace.idFromName("a"))
        _ = try await object.fetch(ObjectRequest(url: "/0.2"))
        _ = try await object.fetch(ObjectRequest(url: "/3600"))  // one alarm per object: replaced
        let replaced = try await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() }
        #expect((replaced ?? .distantPast).timeIntervalSinceNow > 3000)
        try await object.blockConcurrencyWhile { @Sendable object in try object.storage.deleteAlarm() }
        #expect(try await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() } == nil)
        #expect(await namespace.scheduledAlarms.isEmpty)
        try await Task.sleep(nanoseconds: 400_000_000)
        #expect(await recorder.entries.isEmpty)
        await namespace.close()
    }

    @Test func objectsHibernateAfterTenIdleSecondsByDefault() {
        #expect(ObjectConfiguration().idleTimeout == 10)
    }

    /// A handler that always fails is retried 6 times with growing delays, then given up.
    @Test func failingAlarmIsRetriedWithExponentialBackoffSixTimes() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        struct Failure: Error {}
        let namespace = try await openNamespace(dir, configuration: configuration(), onFetch: setAlarm, onAlarm: { invocation, _ in
            await recorder.record("\(invocation.retryCount) \(Date().timeIntervalSince1970)")
            throw Failure()
        })
        let object = try namespace.get(namespace.idFromName("retry"))
        _ = try await object.fetch(ObjectRequest(url: "/0"))
        try await eventually { await recorder.entries.count == 7 }
        try await Task.sleep(nanoseconds: 300_000_000)
        let entries = await recorder.entries
        #expect(entries.map { $0.split(separator: " ")[0] } == ["0", "1", "2", "3", "4", "5", "6"])
        let times = entries.map { Double($0.split(separator: " ")[1])! }
        // Retry n waits base × 2ⁿ: 20, 40, 80, 160, 320, 640 ms.
        for n in 0..<6 { #expect(times[n + 1] - times[n] >= 0.02 * pow(2, Double(n)) - 0.002) }
        #expect(try await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() } == nil)
        await namespace.close()
    }

    @Test func retryPolicyDelaysDoubleFromTwoSeconds() {
        let policy = AlarmRetryPolicy()
        #expect((0..<6).map { policy.delay(forRetry: $0) } == [2, 4, 8, 16, 32, 64])
        #expect(policy.maxRetries == 6)
    }

    /// Set an alarm a minute ahead, shut down, "restart" two minutes later: it fires at boot.
    @Test func overdueAlarmFiresAtBootAfterRestart() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        let first = try await openNamespace(dir, configuration: configuration(), onFetch: setAlarm)
        let id = first.idFromName("sleeper")
        _ = try await first.get(id).fetch(ObjectRequest(url: "/60"))
        await first.close()

        let later = try await openNamespace(dir, configuration: configuration(clock: ShiftedClock(offset: 120)),
                                            onFetch: setAlarm, onAlarm: { invocation, object in
            await recorder.record("\(object.id.hex) retry=\(invocation.retryCount)")
        })
        try await eventually { await recorder.entries.count == 1 }
        #expect(await recorder.entries == ["\(id.hex) retry=0"])
        await later.close()
    }

    /// A delivery that failed before the shutdown is delivered again after the restart, with its
    /// retry count carried over: delivery is at least once, even across processes.
    @Test func failedAlarmIsRedeliveredAfterRestart() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        struct Failure: Error {}
        let first = try await openNamespace(dir, configuration: configuration(base: 30), onFetch: setAlarm, onAlarm: { invocation, _ in
            await recorder.record("first retry=\(invocation.retryCount)")
            throw Failure()
        })
        let id = first.idFromName("flaky")
        _ = try await first.get(id).fetch(ObjectRequest(url: "/0"))
        try await eventually { await recorder.entries.count == 1 }
        try await eventually { await first.scheduledAlarms[id] != nil }
        await first.close()

        let second = try await openNamespace(dir, configuration: configuration(clock: ShiftedClock(offset: 60), base: 30),
                                             onFetch: setAlarm, onAlarm: { invocation, _ in
            await recorder.record("second retry=\(invocation.retryCount)")
        })
        try await eventually { await recorder.entries.count == 2 }
        #expect(await recorder.entries == ["first retry=0", "second retry=1"])
        await second.close()
    }

    @Test func alarmHandlerMayScheduleTheNextAlarm() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        let namespace = try await openNamespace(dir, configuration: configuration(), onFetch: setAlarm, onAlarm: { _, object in
            await recorder.record("tick")
            if await recorder.entries.count < 3 { try object.storage.setAlarm(at: Date().addingTimeInterval(0.01)) }
        })
        _ = try await namespace.get(namespace.idFromName("ticker")).fetch(ObjectRequest(url: "/0"))
        try await eventually { await recorder.entries.count == 3 }
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(await recorder.entries == ["tick", "tick", "tick"])
        await namespace.close()
    }

    @Test func getAlarmInsideTheHandlerIsNullUnlessTheHandlerSetsOne() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        let next = Date(timeIntervalSince1970: 4_000_000_000)
        let namespace = try await openNamespace(dir, configuration: configuration(), onFetch: setAlarm, onAlarm: { _, object in
            await recorder.record("before \(String(describing: try object.storage.getAlarm()))")
            try object.storage.setAlarm(at: next)
            await recorder.record("after \(String(describing: try object.storage.getAlarm()))")
        })
        _ = try await namespace.get(namespace.idFromName("a")).fetch(ObjectRequest(url: "/0"))
        try await eventually { await recorder.entries.count == 2 }
        #expect(await recorder.entries == ["before nil", "after \(String(describing: Optional(next)))"])
        await namespace.close()
    }

    @Test func retriesKeepTheTimeTheAlarmWasSetFor() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        struct Failure: Error {}
        var settings = configuration()
        settings.alarmRetry.maxRetries = 2
        let namespace = try await openNamespace(dir, configuration: settings, onFetch: setAlarm, onAlarm: { invocation, object in
            await recorder.record("\(invocation.scheduledTime.timeIntervalSince1970)")
            throw Failure()
        })
        let object = try namespace.get(namespace.idFromName("a"))
        _ = try await object.fetch(ObjectRequest(url: "/0"))
        let set = try #require(try await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() })
        try await eventually { await recorder.entries.count == 3 }
        #expect(await recorder.entries == Array(repeating: "\(set.timeIntervalSince1970)", count: 3))
        try await eventually { try! await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() } == nil }
        #expect(try await object.blockConcurrencyWhile { @Sendable object in try object.storage.getAlarm() } == nil)
        await namespace.close()
    }

    @Test func anObjectThatCannotBeBuiltIsRetriedWithoutSpendingItsAlarmsRetries() async throws {
        let dir = try makeTemporaryDirectory()
        let recorder = Recorder()
        struct Unavailable: Error {}
        final class Attempts: @unchecked Sendable {
            let lock = NSLock()
            var count = 0
            func next() -> Int { lock.withLock { count += 1; return count } }
        }
        let attempts = Attempts()
        var settings = configuration()
        settings.alarmRetry.maxRetries = 2
        // The first wake sets the alarm; the next four builds fail (say, its runtime is missing).
        let namespace = try await ObjectNamespace(name: "test", directory: dir, configuration: settings) { _ in
            let attempt = attempts.next()
            if attempt > 1 && attempt <= 5 { throw Unavailable() }
            return ClosureHandler(onFetch: { _, _, object in
                try object.storage.setAlarm(at: Date())
                return ObjectResponse()
            }, onAlarm: { invocation, _ in await recorder.record("retry=\(invocation.retryCount)") })
        }
        let object = try namespace.get(namespace.idFromName("a"))
        _ = try await object.fetch(ObjectRequest(url: "/"))
        await object.hibernate()
        try await eventually { await recorder.entries.count == 1 }
        #expect(await recorder.entries == ["retry=0"])
        #expect(attempts.count == 6)
        await namespace.close()
    }

    @Test func retryDelaysAreJitteredUpwardAndDeliveryFailuresBackOffToACap() {
        let policy = AlarmRetryPolicy()
        let samples = (0..<50).map { _ in policy.jitteredDelay(forRetry: 1) }
        #expect(samples.allSatisfy { $0 >= 4 && $0 <= 4 * 1.25 })
        #expect(Set(samples).count > 1)
        #expect((0..<12).map { policy.delay(forRetry: $0) }.last! > policy.maxDelay)
        #expect(policy.deliveryRetryDelay(attempt: 0) >= 2 && policy.deliveryRetryDelay(attempt: 20) <= policy.maxDelay * 1.25)
    }
}
