// swift-tools-version: 6.1
import PackageDescription

// The benchmark harness lives in its own package so that the product's build never pulls a rival
// engine (WasmKit) or the benchmarking framework.
let package = Package(
    name: "HearthBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Hearth", path: ".."),
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1",
                 traits: ["MallocInterposer"]),
    ],
    targets: [
        // Shared by the in-process runners: argument parsing and the timing line.
        .target(name: "RunnerSupport"),
        // `wasmkit-runner [--token] FILE.wasm [args]`: WasmKit 0.4.2, in process.
        .executableTarget(name: "WasmKitRunner", dependencies: [
            "RunnerSupport",
            .product(name: "WasmKit", package: "WasmKit"),
            .product(name: "WasmKitWASI", package: "WasmKit"),
        ]),
        // `hearth-runner FILE.wasm [args]`: Hearth, in process, timed the same way.
        .executableTarget(name: "HearthRunner", dependencies: [
            "RunnerSupport",
            .product(name: "HearthRuntime", package: "Hearth"),
            .product(name: "HearthWASI", package: "Hearth"),
        ]),
        // `ObjectTimings [RUNTIME.wasm]`: latencies of the product path (bridge, objects, wakes).
        .executableTarget(name: "ObjectTimings", dependencies: [
            .product(name: "HearthBridge", package: "Hearth"),
            .product(name: "HearthObjects", package: "Hearth"),
            .product(name: "HearthRuntimeHost", package: "Hearth"),
        ]),
        // `SnapshotTimings HEAP.wasm... [--dotnet FILE]`: warm snapshot saves, wakes, disk and memory.
        .executableTarget(name: "SnapshotTimings", dependencies: [
            .product(name: "HearthBridge", package: "Hearth"),
            .product(name: "HearthWASI", package: "Hearth"),
            .product(name: "HearthObjects", package: "Hearth"),
            .product(name: "HearthRuntimeHost", package: "Hearth"),
            .product(name: "HearthRuntime", package: "Hearth"),
        ]),
        // Microbenchmarks (ordo-one/benchmark): calls, loops, decode/validate, instantiate.
        // Run with `swift package benchmark --target Micro` (or `./compare --micro`).
        .executableTarget(
            name: "Micro",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HearthBinary", package: "Hearth"),
                .product(name: "HearthRuntime", package: "Hearth"),
                .product(name: "HearthWASI", package: "Hearth"),
                .product(name: "WasmKit", package: "WasmKit"),
                .product(name: "WasmKitWASI", package: "WasmKit"),
                .product(name: "WAT", package: "WasmKit"),
            ],
            path: "Benchmarks/Micro",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
