import Benchmark
import Foundation

/// Prints why a group of benchmarks is skipped (e.g. an engine that cannot load the kernel yet).
private func skipped(_ what: String, _ error: Error) {
    FileHandle.standardError.write(Data("skipping \(what): \(error)\n".utf8))
}

/// A failure inside a microbenchmark's setup or body.
struct MicroError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// Names carry the amount of work per benchmark iteration in brackets (`[x1000]` operations, or
// `[N B]` module bytes) so `compare --micro` can derive ns per operation and MB/s.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock], timeUnits: .microseconds, warmupIterations: 3,
        maxDuration: .seconds(2), maxIterations: 2_000)

    // Calls and loops on the kernel module, Hearth first, WasmKit side by side.
    do {
        let kernel = try HearthSide.Kernel()
        let identity = try kernel.function("identity")
        Benchmark("Hearth: host->guest call [x\(Kernels.hostCalls)]") { _ in
            blackHole(try HearthSide.hostToGuest(identity, count: Kernels.hostCalls))
        }
        for (export, label) in Kernels.loops {
            let function = try kernel.function(export)
            Benchmark("Hearth: \(label) [x\(Kernels.loopCount)]") { _ in
                blackHole(try HearthSide.loop(function, count: Kernels.loopCount))
            }
        }
        // The same host function defined through `[Value]` arrays: what the frame path saves.
        let values = try HearthSide.Kernel(valuesAPI: true).function("call_host")
        Benchmark("Hearth: guest->host call, [Value] API [x\(Kernels.loopCount)]") { _ in
            blackHole(try HearthSide.loop(values, count: Kernels.loopCount))
        }
    } catch {
        skipped("Hearth call/loop benchmarks", error)
    }
    do {
        let kernel = try WasmKitSide.Kernel()
        let identity = try kernel.function("identity")
        Benchmark("WasmKit: host->guest call [x\(Kernels.hostCalls)]") { _ in
            blackHole(try WasmKitSide.hostToGuest(identity, count: Kernels.hostCalls))
        }
        for (export, label) in Kernels.loops {
            let function = try kernel.function(export)
            Benchmark("WasmKit: \(label) [x\(Kernels.loopCount)]") { _ in
                blackHole(try WasmKitSide.loop(function, count: Kernels.loopCount))
            }
        }
    } catch {
        skipped("WasmKit call/loop benchmarks", error)
    }

    // Loading and instantiating large real modules.
    let slow = Benchmark.Configuration(
        metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 1,
        maxDuration: .seconds(3), maxIterations: 50)
    for module in RealModules.all {
        let bytes = module.bytes
        let engine = HearthSide.makeEngine()
        Benchmark("Hearth: decode+validate \(module.name) [\(bytes.count) B]", configuration: slow) { _ in
            try HearthSide.compile(bytes, engine: engine)
        }
        Benchmark("WasmKit: decode (bodies validated lazily) \(module.name) [\(bytes.count) B]",
                  configuration: slow) { _ in
            try WasmKitSide.parse(bytes)
        }
        guard module.instantiable else { continue }
        do {
            let compiled = try HearthSide.compiled(bytes, engine: engine)
            Benchmark("Hearth: instantiate \(module.name) with WASI", configuration: slow) { _ in
                blackHole(try HearthSide.instantiate(compiled, engine: engine))
            }
        } catch {
            skipped("Hearth instantiate \(module.name)", error)
        }
        do {
            let parsed = try WasmKitSide.parsed(bytes)
            Benchmark("WasmKit: instantiate \(module.name) with WASI", configuration: slow) { _ in
                try WasmKitSide.instantiate(parsed)
            }
        } catch {
            skipped("WasmKit instantiate \(module.name)", error)
        }
    }
}
