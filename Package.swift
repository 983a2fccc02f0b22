// swift-tools-version: 6.0
import PackageDescription

/// The upcoming features Swift 6 language mode enables, less `InferSendableFromCaptures` (see
/// HearthRuntime): the checking and semantics of Swift 6 for the one target that cannot use the mode.
let swift6FeaturesButInferSendableFromCaptures: [SwiftSetting] = [
    "ConciseMagicFile", "ForwardTrailingClosures", "StrictConcurrency", "BareSlashRegexLiterals",
    "DeprecateApplicationMain", "ImportObjcForwardDeclarations", "DisableOutwardActorInference",
    "IsolatedDefaultValues", "GlobalConcurrency", "ImplicitOpenExistentials", "RegionBasedIsolation",
    "DynamicActorIsolation", "NonfrozenEnumExhaustivity", "GlobalActorIsolatedTypesUsability",
].map { .enableUpcomingFeature($0) }

/// Release builds of `hearth` on Linux put the code and data that start-up touches together
/// (lld's symbol ordering, from the list `Benchmarks/Startup/make-link-order.py` writes): start-up
/// then takes about 90 page faults instead of about 155 spread over the executable's 12 MB of
/// code and 2 MB of data (`Sources/HearthRuntime/DESIGN.md`, *Start-up*). Only the executable's
/// own link is affected; the library products carry no flags.
let startupLinkOrder: [LinkerSetting] = [
    .unsafeFlags([
        "-use-ld=lld",
        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/HearthCLI/link-order.txt",
        "-Xlinker", "--no-warn-symbol-ordering",
    ], .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "Hearth",
    // The floor the code needs: the Synchronization module (Atomic, Mutex) arrived in macOS 15.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HearthBinary", targets: ["HearthBinary"]),
        .library(name: "HearthValidation", targets: ["HearthValidation"]),
        .library(name: "HearthText", targets: ["HearthText"]),
        .library(name: "HearthRuntime", targets: ["HearthRuntime"]),
        .library(name: "HearthWASI", targets: ["HearthWASI"]),
        .library(name: "HearthWast", targets: ["HearthWast"]),
        .library(name: "HearthSQLite", targets: ["HearthSQLite"]),
        .library(name: "HearthBridge", targets: ["HearthBridge"]),
        .library(name: "HearthObjects", targets: ["HearthObjects"]),
        .library(name: "HearthRuntimeHost", targets: ["HearthRuntimeHost"]),
        .library(name: "HearthServer", targets: ["HearthServer"]),
        .executable(name: "hearth", targets: ["HearthCLI"]),
        .executable(name: "hearth-host", targets: ["HearthHostCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    // Every target names each module it imports: a target that reached HearthBinary only through
    // HearthRuntime was not rebuilt when HearthBinary changed (2026-12-06), and the code it had
    // inlined from it went stale.
    targets: [
        // Layer 1: the module model and the strict binary decoder.
        .target(name: "HearthBinary", exclude: ["Generators"]),
        // Layer 2: the spec's validation (typing) rules.
        .target(name: "HearthValidation", dependencies: ["HearthBinary"]),
        // Layer 2': the text format (WAT -> binary, WAST scripts); usable on its own.
        .target(name: "HearthText", dependencies: ["HearthBinary"]),
        // Layer 3: translation to threaded code, the interpreter, store/instance/linker API.
        // Swift 5 mode with every feature Swift 6 mode turns on but one: with
        // InferSendableFromCaptures, Swift 6.3's SIL generation stops at every `@convention(thin)`
        // handler reference ("INTERNAL ERROR: feature not implemented: nontrivial thin function
        // reference"; four lines reproduce it: a thin function type, a global function, a call
        // passing the function), and Swift 6 mode cannot turn that one feature off.
        .target(name: "HearthRuntime", dependencies: ["HearthBinary", "HearthValidation"],
                exclude: ["DESIGN.md", "Generators"],
                swiftSettings: [.swiftLanguageMode(.v5)] + swift6FeaturesButInferSendableFromCaptures),
        // Layer 4: WASI preview1 host functions.
        .target(name: "HearthWASI", dependencies: ["HearthBinary", "HearthRuntime"]),
        // Layer 4': the spec script runner (spectest host module, assertions, expectations).
        .target(name: "HearthWast", dependencies: ["HearthBinary", "HearthText", "HearthValidation", "HearthRuntime"]),
        // The system SQLite, behind our own thin wrapper.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "HearthSQLite", dependencies: ["CSQLite"]),
        // A guest's HTTP GET through the system's libcurl, loaded at the first fetch (dlopen).
        .target(name: "CHTTPFetch", linkerSettings: [.linkedLibrary("dl")]),
        // Layer 5: the guest-runtime bridge (malloc/load_assembly/execute_delegate ABI, env imports).
        .target(name: "HearthBridge", dependencies: ["HearthBinary", "HearthRuntime", "HearthWASI", "CHTTPFetch"]),
        // Layer 6: the durable-object framework, independent of WebAssembly: objects (actors),
        // input/output gates, turns, per-object SQLite storage, alarms, hibernation, residency.
        .target(name: "HearthObjects", dependencies: ["HearthSQLite"]),
        // Layer 6': the runtime host: durable objects that keep a guest runtime warm (runtime
        // objects, the runtime catalog, snapshots, command functions, guest threads).
        .target(name: "HearthRuntimeHost", dependencies: ["HearthObjects", "HearthBridge", "HearthSQLite", "HearthRuntime", "HearthWASI"]),
        // Layer 7: `hearth serve`: HTTP + WebSocket invoke over the object host. It speaks to
        // the host's contract (invocations, limits, pools) and never to the engine or SQLite.
        .target(name: "HearthServer", dependencies: [
            "HearthRuntimeHost", "HearthObjects", "HearthBridge",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // Layer 8: the commands. `hearth` runs modules and links only the engine's layers;
        // the object host's commands are `hearth-host`'s, which `hearth` hands them to. (No
        // dependency between the two: SwiftPM would link the host's libraries into `hearth`.)
        .executableTarget(name: "HearthHostCLI", dependencies: [
            "HearthRuntime", "HearthBridge", "HearthObjects", "HearthRuntimeHost", "HearthServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(
            name: "HearthCLI",
            dependencies: [
                "HearthBinary", "HearthRuntime", "HearthText", "HearthWASI", "HearthWast",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["link-order.txt"],
            linkerSettings: startupLinkOrder
        ),

        .testTarget(name: "HearthBinaryTests", dependencies: ["HearthBinary"]),
        .testTarget(name: "HearthValidationTests", dependencies: ["HearthValidation", "HearthBinary", "HearthText"]),
        .testTarget(name: "HearthTextTests", dependencies: ["HearthText", "HearthBinary"]),
        .testTarget(name: "HearthRuntimeTests", dependencies: ["HearthRuntime", "HearthText"]),
        .testTarget(name: "HearthWASITests", dependencies: ["HearthWASI", "HearthRuntime", "HearthText"]),
        .testTarget(name: "HearthWastTests", dependencies: ["HearthWast", "HearthBinary", "HearthRuntime", "HearthText"]),
        .testTarget(name: "HearthSQLiteTests", dependencies: ["HearthSQLite"]),
        .testTarget(name: "HearthBridgeTests", dependencies: ["HearthBridge", "HearthRuntime", "HearthWASI", "HearthText"]),
        // The framework's tests and the runtime host's share their support (clocks, child
        // processes killed mid-write), so they are one target over both modules.
        .testTarget(name: "HearthObjectsTests", dependencies: [
            "HearthObjects", "HearthRuntimeHost", "HearthBridge", "HearthSQLite", "HearthText", "HearthRuntime",
        ]),
        // Runs the built `hearth` and `hearth-host` executables in child processes (hence the
        // dependency on them).
        .testTarget(name: "HearthCLITests", dependencies: ["HearthCLI", "HearthHostCLI"]),
        .testTarget(name: "HearthServerTests", dependencies: [
            "HearthServer", "HearthRuntimeHost", "HearthObjects", "HearthBridge", "HearthRuntime", "HearthText",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
    ]
)
