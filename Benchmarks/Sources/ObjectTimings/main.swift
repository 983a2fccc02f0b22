import Foundation
import HearthBridge
import HearthObjects
import HearthRuntimeHost

// `ObjectTimings [RUNTIME.wasm]`: the product path's latencies, printed as a markdown table for
// `compare --objects`. The runtime is the C test runtime (Tests/Guests/test-runtime.wasm) and the
// function a one-line `add`; every figure is a median.

let arguments = CommandLine.arguments.dropFirst()
let runtimePath = arguments.first ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../Tests/Guests/test-runtime.wasm").standardized.path
let runtime = try [UInt8](Data(contentsOf: URL(fileURLWithPath: runtimePath)))
let assembly = Array("(fn add (a b) (+ a b))".utf8)
let args: JSONValue = .array([.number(1), .number(2)])

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func check(_ response: InvokeResponse) {
    guard response == InvokeResponse(success: true, result: .number(3)) else {
        FileHandle.standardError.write("unexpected result: \(response)\n".data(using: .utf8)!)
        exit(1)
    }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-timings-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

var rows: [(String, Double)] = []

// 1. Cold start of the runtime alone: compile + instantiate + `_initialize`.
rows.append(("cold start: compile + instantiate + `_initialize` (bridge)",
             median(try (0..<9).map { _ in try seconds { _ = try RuntimeBridge(runtime: runtime) } })))

// 2. Warm invoke through the bridge alone (JSON in, execute_delegate, JSON out).
let bridge = try RuntimeBridge(runtime: runtime)
_ = bridge.invoke(functionId: "f", entryPoint: "add", args: args, assemblyData: assembly)
let bridgeCalls = 20_000
var bridgeSamples: [Double] = []
for _ in 0..<5 {
    bridgeSamples.append(seconds {
        for _ in 0..<bridgeCalls { _ = bridge.invoke(functionId: "f", entryPoint: "add", args: args) }
    } / Double(bridgeCalls))
}
rows.append(("warm invoke through the bridge", median(bridgeSamples)))

// 3. Through a durable object: a turn, the function's stats written and committed (fsync).
for snapshots in [true, false] {
    var settings = RuntimeObjectSettings()
    settings.snapshots = snapshots
    let host = HearthHost(directory: try temporaryDirectory(), configuration: .init(idleTimeout: 3600), settings: settings)
    try await host.deployRuntime(name: "ember", bytes: runtime)
    let first = await seconds {
        check(await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "add", args: args, assembly: assembly)))
    }
    if snapshots {
        rows.append(("first invoke of a new object (cold start, deploy, compile, snapshot)", first))
        let calls = 500
        var samples: [Double] = []
        for _ in 0..<5 {
            samples.append(await seconds {
                for _ in 0..<calls {
                    check(await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "add", args: args)))
                }
            } / Double(calls))
        }
        rows.append(("warm invoke through an object (a turn; stats written coalesced)", median(samples)))
    }
    var wakes: [Double] = []
    for _ in 0..<9 {
        try await host.hibernate(object: "o")
        wakes.append(await seconds {
            check(await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "add", args: args)))
        })
    }
    rows.append((snapshots ? "wake from hibernation + invoke, from the warm snapshot"
                           : "wake from hibernation + invoke, without snapshots (`_initialize`, reload)", median(wakes)))
    await host.close()
}

// 4. A turn that writes (one key, committed with synchronous=FULL), with point-in-time
// recovery's history (the namespace default) and without it.
for retention in [TimeInterval?.some(30 * 86_400), nil] {
    let namespace = try await ObjectNamespace(name: "timings", directory: try temporaryDirectory(),
                                              configuration: ObjectConfiguration(idleTimeout: 3600, historyRetention: retention)) { _ in
        WriterHandler()
    }
    let object = try namespace.get(namespace.idFromName("w"))
    let calls = 300
    var samples: [Double] = []
    for round in 0..<5 {
        samples.append(try await seconds {
            for n in 0..<calls { _ = try await object.fetch(ObjectRequest(method: "POST", url: "/\(round * calls + n)")) }
        } / Double(calls))
    }
    rows.append((retention == nil ? "a turn writing one key, no history" : "a turn writing one key, with point-in-time history", median(samples)))
    await namespace.close()
}

print("| what | median |")
print("|---|---:|")
for (name, value) in rows {
    let text = value < 1e-3 ? String(format: "%.1f µs", value * 1e6) : String(format: "%.2f ms", value * 1e3)
    print("| \(name) | \(text) |")
}


/// Writes the request's path under one key: each fetch is a turn with one durable write.
final class WriterHandler: ObjectHandler {
    func handle(_ request: ObjectRequest, object: isolated DurableObject) async throws -> ObjectResponse {
        try object.storage.put("counter", Array(request.url.utf8))
        return ObjectResponse()
    }
}
