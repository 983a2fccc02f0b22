import Foundation
import HearthBridge
import HearthObjects
import Testing

/// Prints timings of the product path (no assertions on them): warm invoke through the
/// bridge, a cold start, and a wake from hibernation with and without a warm snapshot.
/// HearthRuntime is always optimized; the layers above follow the build configuration.
@Test func printRuntimeObjectTimings() async throws {
    let runtime = try [UInt8](Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Guests/test-runtime.wasm")))
    let assembly = Array("(fn add (a b) (+ a b))".utf8)
    func milliseconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
    let args: JSONValue = .array([.number(1), .number(2)])
    for snapshots in [true, false] {
        var settings = RuntimeObjectSettings()
        settings.snapshots = snapshots
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600), settings: settings)
        try await host.deployRuntime(name: "ember", bytes: runtime)
        let cold = await milliseconds {
            _ = await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "add", args: args, assembly: assembly))
        }
        let rounds = 200
        let warm = await milliseconds {
            for _ in 0..<rounds { _ = await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "add", args: args)) }
        } / Double(rounds)
        var wakes: [Double] = []
        for _ in 0..<5 {
            try await host.hibernate(object: "o")
            wakes.append(await milliseconds {
                _ = await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "add", args: args))
            })
        }
        print("timing snapshots=\(snapshots): first invoke (cold start + deploy) \(String(format: "%.2f", cold)) ms;"
              + " warm invoke \(String(format: "%.3f", warm)) ms; wake+invoke median \(String(format: "%.2f", wakes.sorted()[2])) ms;"
              + " cold starts \(host.statistics.coldStarts), restores \(host.statistics.snapshotRestores)")
        await host.close()
    }
}
