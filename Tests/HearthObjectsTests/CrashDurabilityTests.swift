import Foundation
import HearthObjects
import HearthRuntimeHost
import Testing

/// kill -9 of a real writer process loses no acknowledged write.
///
/// The writer is this very test binary, re-executed with `HEARTH_KILL_WRITER_DIR` set so that
/// `writerChild` acts as the writer (a separate helper executable would need a Package.swift
/// change). The child drives our own code path, a namespace, an object and its turns, and prints
/// `ACKED n` only after `fetch` returned, i.e. after the output gate released the response. The
/// parent kills it with SIGKILL at an arbitrary point mid-stream, reopens the folder and checks
/// that every acknowledged turn is there and that no turn is half there. (SIGKILL does not drop
/// the OS page cache, so this proves that we never acknowledge before SQLite's COMMIT and that
/// recovery of a WAL torn mid-transaction is clean; power-loss durability rests on
/// synchronous=FULL, which `openingAFileEnablesWALAndFullSync` checks.)
@Suite struct CrashDurabilityTests {
    static let directoryVariable = "HEARTH_KILL_WRITER_DIR"

    /// Each turn bumps `count` and writes `item-<count>`: two writes that must land together.
    static let writer: @Sendable (ClosureHandler, ObjectRequest, isolated DurableObject) async throws -> ObjectResponse = { _, request, object in
        let storage = object.storage
        if request.url == "/check" {
            let count = try storage.integer("count")
            let items = try storage.list(prefix: "item-").count
            return .text("\(count) \(items)")
        }
        let next = try storage.integer("count") + 1
        try storage.put("item-\(next)", [UInt8](repeating: UInt8(next % 251), count: 512))
        try storage.setInteger("count", next)
        return .text(String(next))
    }

    @Test func writerChild() async throws {
        guard let path = ProcessInfo.processInfo.environment[Self.directoryVariable] else { return }
        let namespace = try await openNamespace(URL(fileURLWithPath: path), onFetch: Self.writer)
        let object = try namespace.get(namespace.idFromName("crash"))
        while true {
            let acked = try await object.fetch(ObjectRequest(method: "POST", url: "/write")).text
            FileHandle.standardOutput.write(Data("ACKED \(acked)\n".utf8))
        }
    }

    static let alarmVariable = "HEARTH_KILL_ALARM_DIR"

    /// The child of the alarm test: sets an alarm due now; its handler announces itself and
    /// then hangs, so the parent can kill the process in the middle of the delivery.
    @Test func alarmChild() async throws {
        guard let path = ProcessInfo.processInfo.environment[Self.alarmVariable] else { return }
        let namespace = try await openNamespace(URL(fileURLWithPath: path), onFetch: { _, _, object in
            try object.storage.setAlarm(at: Date())
            return ObjectResponse()
        }, onAlarm: { _, _ in
            FileHandle.standardOutput.write(Data("ALARM STARTED\n".utf8))
            try await Task.sleep(nanoseconds: 120_000_000_000)
        })
        _ = try await namespace.get(namespace.idFromName("alarmed")).fetch(ObjectRequest(url: "/set"))
        try await Task.sleep(nanoseconds: 120_000_000_000)
    }

    /// At-least-once: an alarm whose handler was running when the process died is delivered
    /// again when the folder is opened next.
    @Test func anAlarmCutOffByKillDashNineIsDeliveredAfterRestart() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment[Self.directoryVariable] == nil, environment[Self.alarmVariable] == nil else { return }
        let dir = try makeTemporaryDirectory()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["--testing-library", "swift-testing", "--filter", "alarmChild"]
        child.environment = environment.merging([Self.alarmVariable: dir.path]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        let started: Bool = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var text = ""
                let deadline = Date().addingTimeInterval(120)
                while !text.contains("ALARM STARTED"), Date() < deadline {
                    let data = output.fileHandleForReading.availableData
                    if data.isEmpty { break }
                    text += String(decoding: data, as: UTF8.self)
                }
                kill(child.processIdentifier, SIGKILL)
                child.waitUntilExit()
                continuation.resume(returning: text.contains("ALARM STARTED"))
            }
        }
        #expect(started)
        #expect(child.terminationStatus == SIGKILL)

        let recorder = Recorder()
        let namespace = try await openNamespace(dir, onFetch: { _, _, _ in ObjectResponse() }, onAlarm: { invocation, _ in
            await recorder.record("delivered")
        })
        for _ in 0..<500 where await recorder.entries.isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(await recorder.entries == ["delivered"])
        await namespace.close()
    }

    @Test func killDashNineMidWriteLosesNoAcknowledgedWrite() async throws {
        guard ProcessInfo.processInfo.environment[Self.directoryVariable] == nil,
              ProcessInfo.processInfo.environment[Self.alarmVariable] == nil else { return }
        let dir = try makeTemporaryDirectory()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["--testing-library", "swift-testing", "--filter", "writerChild"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.directoryVariable: dir.path]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()

        let lastAcked = try await killChild(child, afterAcknowledgements: 40, delayMilliseconds: 0, reading: output.fileHandleForReading)
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)
        #expect(lastAcked >= 40)

        let namespace = try await openNamespace(dir, onFetch: Self.writer)
        let check = try await namespace.get(namespace.idFromName("crash")).fetch(ObjectRequest(url: "/check")).text
        let numbers = check.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2)
        #expect(numbers[0] >= lastAcked)      // nothing acknowledged was lost
        #expect(numbers[0] <= lastAcked + 1)  // at most the turn in flight at the kill committed
        #expect(numbers[1] == numbers[0])     // no turn is half applied
        await namespace.close()
    }
}
