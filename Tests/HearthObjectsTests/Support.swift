import Foundation
import HearthObjects
import HearthRuntimeHost
import HearthSQLite

/// The test runtime (Ember), built from `Tests/Guests/runtime`.
let testRuntime: [UInt8] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Guests/test-runtime.wasm")
    return (try? [UInt8](Data(contentsOf: url))) ?? []
}()

/// A fresh directory for one test's namespace.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("hearth-objects-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Collects what handlers observed, in order, across tasks.
actor Recorder {
    private(set) var entries: [String] = []
    func record(_ entry: String) { entries.append(entry) }
}

/// A one-shot signal a test opens to let a suspended handler continue.
actor Latch {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }
    func open() {
        isOpen = true
        waiters.forEach { $0.resume() }
        waiters = []
    }
}

/// A clock running a fixed offset ahead of real time (a process "restarted later").
struct ShiftedClock: ObjectClock {
    let offset: TimeInterval
    func now() -> Date { Date().addingTimeInterval(offset) }
    func sleep(until deadline: Date) async throws {
        try await SystemObjectClock().sleep(until: deadline.addingTimeInterval(-offset))
    }
}

/// A handler built from closures, for tests that need one behaviour each.
final class ClosureHandler: ObjectHandler {
    typealias Fetch = (ClosureHandler, ObjectRequest, isolated DurableObject) async throws -> ObjectResponse
    typealias Alarm = (AlarmInvocation, isolated DurableObject) async throws -> Void
    /// In-memory state that hibernation drops.
    var memory: [String: Int] = [:]
    private let onFetch: Fetch
    private let onAlarm: Alarm?

    init(onFetch: @escaping Fetch, onAlarm: Alarm? = nil) {
        self.onFetch = onFetch
        self.onAlarm = onAlarm
    }

    func handle(_ request: ObjectRequest, object: isolated DurableObject) async throws -> ObjectResponse {
        try await onFetch(self, request, object)
    }

    func alarm(_ invocation: AlarmInvocation, object: isolated DurableObject) async throws {
        guard let onAlarm else { throw ObjectError.unsupported("no alarm in this test") }
        try await onAlarm(invocation, object)
    }
}

extension ObjectStorage {
    /// A small integer stored as its decimal text.
    func integer(_ key: String) throws -> Int {
        guard let bytes = try get(key) else { return 0 }
        return Int(String(decoding: bytes, as: UTF8.self)) ?? 0
    }

    func setInteger(_ key: String, _ value: Int) throws { try put(key, Array(String(value).utf8)) }
}

/// Reads a key straight from an object's database file through a separate connection: what
/// another process (or the machine after a crash) would see as committed.
func committedValue(directory: URL, id: ObjectID, key: String) throws -> String? {
    let db = try Database(path: directory.appendingPathComponent("\(id.hex).sqlite").path,
                          configuration: DatabaseConfiguration(flags: [.readWrite, .noMutex]))
    defer { db.close() }
    return try db.scalar("SELECT value FROM _hearth_kv WHERE key = ?", [.text(key)])?.bytesValue
        .map { String(decoding: $0, as: UTF8.self) }
}

/// Opens a namespace whose every object uses `handler` built fresh at each wake.
func openNamespace(_ directory: URL, configuration: ObjectConfiguration = ObjectConfiguration(),
                   onFetch: @escaping @Sendable (ClosureHandler, ObjectRequest, isolated DurableObject) async throws -> ObjectResponse,
                   onAlarm: (@Sendable (AlarmInvocation, isolated DurableObject) async throws -> Void)? = nil) async throws -> ObjectNamespace {
    try await ObjectNamespace(name: "test", directory: directory, configuration: configuration) { _ in
        ClosureHandler(onFetch: onFetch, onAlarm: onAlarm)
    }
}

/// A clock that moves only when the test advances it, so idle timeouts are exact whatever the
/// machine's load (a sleeper wakes when the time it waits for has been reached).
final class ManualClock: ObjectClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    private var nextSleeper = 0
    private var sleepers: [Int: (deadline: Date, continuation: CheckedContinuation<Void, any Error>)] = [:]

    func now() -> Date { lock.withLock { current } }

    /// Tasks sleeping on this clock right now.
    var sleeperCount: Int { lock.withLock { sleepers.count } }

    func sleep(until deadline: Date) async throws {
        let id = lock.withLock { () -> Int in nextSleeper += 1; return nextSleeper }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let due = lock.withLock { () -> Bool in
                    if deadline <= current || Task.isCancelled { return true }
                    sleepers[id] = (deadline, continuation)
                    return false
                }
                if due { continuation.resume() }
            }
        } onCancel: {
            lock.withLock { sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has been reached.
    func advance(by seconds: TimeInterval) {
        let due = lock.withLock { () -> [CheckedContinuation<Void, any Error>] in
            current = current.addingTimeInterval(seconds)
            let ids = sleepers.filter { $0.value.deadline <= current }.map(\.key)
            return ids.compactMap { sleepers.removeValue(forKey: $0)?.continuation }
        }
        due.forEach { $0.resume() }
    }
}

/// Reads a child's `ACKED n` lines until `count` were seen, waits `delay` ms, kills it with
/// SIGKILL, drains the pipe and returns the highest acknowledged n (lines printed before death
/// are all acknowledged). Shared by the crash tests.
func killChild(_ child: Process, afterAcknowledgements count: Int, delayMilliseconds delay: Int,
                         reading handle: FileHandle) async throws -> Int {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            var buffer = ""
            var highest = 0
            func absorb(_ data: Data) {
                buffer += String(decoding: data, as: UTF8.self)
                while let newline = buffer.firstIndex(of: "\n") {
                    let line = buffer[..<newline]
                    buffer = String(buffer[buffer.index(after: newline)...])
                    if line.hasPrefix("ACKED "), let n = Int(line.dropFirst(6)) { highest = max(highest, n) }
                }
            }
            let deadline = Date().addingTimeInterval(180)
            while highest < count, Date() < deadline {
                let data = handle.availableData
                if data.isEmpty { break }
                absorb(data)
            }
            usleep(useconds_t(delay * 1000))
            Foundation.kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            absorb(handle.readDataToEndOfFile())
            continuation.resume(returning: highest)
        }
    }
}
