import Foundation
import HearthBridge
import HearthObjects
import HearthRuntimeHost
import HearthSQLite
import Testing

/// The test runtime built with a 48 MiB heap that `_initialize` fills (Tests/Guests/heap).
let heapRuntime: [UInt8] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Guests/heap-runtime.wasm")
    return (try? [UInt8](Data(contentsOf: url))) ?? []
}()

let heapAssembly = Array("""
(fn check () (= (heap-sum) (heap-expected)))
(fn scribble (spans seed) (heap-write spans seed))
(fn greet (name) (concat "Hello, " name "!"))
""".utf8)

/// Log lines of a host's objects, for tests that expect a reason to be logged.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
}

private func heapHost(_ folder: URL, log: LogLines? = nil) -> HearthHost {
    var settings = RuntimeObjectSettings()
    if let log { settings.log = { _, line in log.append(line) } }
    return HearthHost(directory: folder, configuration: .init(idleTimeout: 3600), settings: settings)
}

private func invoke(_ host: HearthHost, on object: String = "heap", function: String = "heap", _ entry: String,
                    _ args: JSONValue = .array([]), assembly: [UInt8]? = nil) async -> InvokeResponse {
    await host.invoke(object: object, InvokeRequest(functionId: function, entryPoint: entry, args: args, assembly: assembly))
}

/// The object's own image files (`<namespace>/<id>.images/`), largest first.
private func imageFiles(_ folder: URL, _ host: HearthHost, object: String = "heap") async throws -> [URL] {
    let id = try await host.objectNamed(object).id
    let images = folder.appendingPathComponent("default/\(id.hex).images")
    let files = try FileManager.default.contentsOfDirectory(at: images, includingPropertiesForKeys: [.fileSizeKey])
    return try files.sorted {
        try $0.resourceValues(forKeys: [.fileSizeKey]).fileSize! > $1.resourceValues(forKeys: [.fileSizeKey]).fileSize!
    }
}

@Suite(.serialized) struct SnapshotImageTests {
    @Test func aWokenObjectMapsItsHeapFromImagesAndTheHeapIsIntact() async throws {
        let folder = try makeTemporaryDirectory()
        let host = heapHost(folder)
        try await host.deployRuntime(name: "default", bytes: heapRuntime)
        #expect(await invoke(host, "check", assembly: heapAssembly).result == .bool(true))
        #expect(host.statistics.coldStarts == 1)
        try await host.hibernate(object: "heap")
        #expect(await invoke(host, "check").result == .bool(true))
        #expect(host.statistics.coldStarts == 1)
        #expect(host.statistics.snapshotRestores == 1)
        #expect(try await host.health(object: "heap").startedFrom == "snapshot")
        // The database holds a manifest, not the memory: it stays small.
        let id = try await host.objectNamed("heap").id
        let database = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("default/\(id.hex).sqlite").path)
        #expect((database[.size] as? Int ?? 0) < 256 * 1024)
        await host.close()
    }

    @Test func aSaveAfterNewCodeWritesOnlyThePagesThatChanged() async throws {
        let folder = try makeTemporaryDirectory()
        let host = heapHost(folder)
        try await host.deployRuntime(name: "default", bytes: heapRuntime)
        #expect(await invoke(host, "check", assembly: heapAssembly).result == .bool(true))
        // The first save after `_initialize` wrote the whole 48 MiB heap.
        #expect(host.statistics.snapshotBytesWritten > 48 << 20)
        let before = host.statistics.snapshotBytesWritten
        #expect(await invoke(host, "scribble", .array([.number(10), .number(7)])).result == .number(10))
        // New code (another function) makes a save: the 10 rewritten spans and what loading touched.
        #expect(await invoke(host, function: "other", "greet", .array([.string("x")]), assembly: heapAssembly).success)
        let written = host.statistics.snapshotBytesWritten - before
        #expect(written >= 10 * 65536)
        #expect(written < 4 << 20)  // a 12th of the heap: the shadow stack and allocator pages loading touched
        #expect(host.statistics.fullSnapshotSaves == 1)
        try await host.hibernate(object: "heap")
        #expect(await invoke(host, "check").result == .bool(true))
        #expect(await invoke(host, function: "other", "greet", .array([.string("y")])).result == .string("Hello, y!"))
        #expect(host.statistics.coldStarts == 1)
        await host.close()
    }

    @Test func aNewObjectStartsFromItsRuntimesFirstImageWithoutInitializing() async throws {
        let folder = try makeTemporaryDirectory()
        let host = heapHost(folder)
        try await host.deployRuntime(name: "default", bytes: heapRuntime)
        #expect(await invoke(host, on: "one", "check", assembly: heapAssembly).result == .bool(true))
        #expect(await invoke(host, on: "two", "check", assembly: heapAssembly).result == .bool(true))
        #expect(host.statistics.coldStarts == 1)
        #expect(host.statistics.runtimeSnapshotStarts == 1)
        #expect(try await host.health(object: "two").startedFrom == "runtime snapshot")
        // The second object's own images hold only what it changed: no copy of the heap.
        let own = try await imageFiles(folder, host, object: "two")
        let bytes = try own.reduce(0) { $0 + (try $1.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) }
        #expect(bytes < 4 << 20)
        // A changed runtime binary has no first image yet: its first object starts cold.
        try await host.deployRuntime(name: "default", bytes: heapRuntime + [0x00, 0x04, 0x03, 0x61, 0x62, 0x63])
        #expect(await invoke(host, on: "three", "check", assembly: heapAssembly).result == .bool(true))
        #expect(host.statistics.coldStarts == 2)
        await host.close()
    }

    @Test func aMissingImageMakesTheWakeColdAndTheReasonIsLogged() async throws {
        let folder = try makeTemporaryDirectory()
        let log = LogLines()
        let host = heapHost(folder, log: log)
        try await host.deployRuntime(name: "default", bytes: heapRuntime)
        #expect(await invoke(host, "check", assembly: heapAssembly).result == .bool(true))
        try await host.hibernate(object: "heap")
        let files = try await imageFiles(folder, host)
        try FileManager.default.removeItem(at: files.last!)
        #expect(await invoke(host, "check").result == .bool(true))
        #expect(host.statistics.coldStarts == 2)
        let reason = try #require(log.all.first { $0.hasPrefix("warm snapshot not used, starting cold: ") })
        #expect(reason.contains("cannot be opened"))
        #expect(reason.contains(files.last!.lastPathComponent))
        await host.close()
    }

    @Test func aCorruptPageIsFoundByTheScrubAndNeverWokenFrom() async throws {
        let folder = try makeTemporaryDirectory()
        let log = LogLines()
        let host = heapHost(folder, log: log)
        try await host.deployRuntime(name: "default", bytes: heapRuntime)
        #expect(await invoke(host, "check", assembly: heapAssembly).result == .bool(true))
        #expect(try await host.verifySnapshot(object: "heap") == nil)
        // One flipped byte in the middle of the heap's image (the first, full one).
        let image = try await imageFiles(folder, host).first!
        let handle = try FileHandle(forUpdating: image)
        try handle.seek(toOffset: 24 << 20)
        let byte = try handle.read(upToCount: 1)!
        try handle.seek(toOffset: 24 << 20)
        try handle.write(contentsOf: Data([byte[0] ^ 0x10]))
        try handle.close()
        let problem = try #require(try await host.verifySnapshot(object: "heap"))
        #expect(problem.contains("does not match its checksum"))
        #expect(log.all.contains(problem))
        // The object goes on from a fresh instance, and no later wake maps the bad image.
        #expect(await invoke(host, "check").result == .bool(true))
        try await host.hibernate(object: "heap")
        #expect(await invoke(host, "check").result == .bool(true))
        #expect(await invoke(host, on: "fresh", "check", assembly: heapAssembly).result == .bool(true))
        #expect(try await host.verifySnapshot(object: "heap") == nil)
        await host.close()
    }
}

/// Memory mappings of snapshot images under `folder` in this process (SQLite's maps of its
/// `-shm` files are not counted).
private func mappings(under folder: URL) -> Int {
    // Read to the end: a busy test process has thousands of mappings, more than one read returns.
    let maps = String(decoding: FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
    let path = folder.resolvingSymlinksInPath().path
    return maps.split(separator: "\n").filter { $0.contains(path) && $0.hasSuffix(".img") }.count
}

@Test func aHibernatedObjectHoldsNoMemoryOfItsInstance() async throws {
    let folder = try makeTemporaryDirectory()
    let host = heapHost(folder)
    try await host.deployRuntime(name: "default", bytes: heapRuntime)
    #expect(await invoke(host, "check", assembly: heapAssembly).result == .bool(true))
    // The saved pages are mapped back from the images.
    #expect(mappings(under: folder) > 0, "snapshot problem: \(host.statistics.lastSnapshotProblem ?? "none")")
    for _ in 0..<3 {
        try await host.hibernate(object: "heap")
        // Nothing of the instance stays alive: not its memory, nor its images' mappings.
        #expect(mappings(under: folder) == 0)
        #expect(await invoke(host, "greet", .array([.string("x")])).result == .string("Hello, x!"))
    }
    await host.close()
}
