// swift-tools-version: 6.0
import PackageDescription

// The execution engine dispatches by tail calls between handlers; LLVM only turns those into
// jumps when optimizing, so the runtime target is always built optimized, even in debug builds.
let optimizedEngine: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "Hearth",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "HearthBinary", targets: ["HearthBinary"]),
        .library(name: "HearthValidation", targets: ["HearthValidation"]),
        .library(name: "HearthText", targets: ["HearthText"]),
        .library(name: "HearthRuntime", targets: ["HearthRuntime"]),
        .library(name: "HearthWASI", targets: ["HearthWASI"]),
        .library(name: "HearthWast", targets: ["HearthWast"]),
        .executable(name: "hearth", targets: ["HearthCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Layer 1: the module model and the strict binary decoder.
        .target(name: "HearthBinary", swiftSettings: [.swiftLanguageMode(.v5)]),
        // Layer 2: the spec's validation (typing) rules.
        .target(name: "HearthValidation", dependencies: ["HearthBinary"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // Layer 2': the text format (WAT -> binary, WAST scripts); usable on its own.
        .target(name: "HearthText", dependencies: ["HearthBinary"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // Layer 3: translation to threaded code, the interpreter, store/instance/linker API.
        .target(name: "HearthRuntime", dependencies: ["HearthBinary", "HearthValidation"],
                exclude: ["DESIGN.md"],
                swiftSettings: [.swiftLanguageMode(.v5)] + optimizedEngine),
        // Layer 4: WASI preview1 host functions.
        .target(name: "HearthWASI", dependencies: ["HearthRuntime"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // Layer 4': the spec script runner (spectest host module, assertions, expectations).
        .target(name: "HearthWast", dependencies: ["HearthText", "HearthValidation", "HearthRuntime"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // The system SQLite, behind our own thin wrapper.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "HearthSQLite", dependencies: ["CSQLite"], swiftSettings: [.swiftLanguageMode(.v5)]),
        // Layer 5: the guest-runtime bridge (malloc/load_assembly/execute_delegate ABI, env imports).
        .target(name: "HearthBridge", dependencies: ["HearthRuntime", "HearthWASI"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // Layer 6: durable objects: actors, per-object SQLite storage, alarms, hibernation, snapshots.
        .target(name: "HearthObjects", dependencies: ["HearthBridge", "HearthSQLite", "HearthRuntime", "HearthWASI"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // Layer 7: the `hearth` command.
        .executableTarget(name: "HearthCLI", dependencies: [
            "HearthRuntime", "HearthText", "HearthWASI", "HearthWast",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: [.swiftLanguageMode(.v5)]),

        .testTarget(name: "HearthBinaryTests", dependencies: ["HearthBinary"]),
        .testTarget(name: "HearthValidationTests", dependencies: ["HearthValidation", "HearthBinary"]),
        .testTarget(name: "HearthTextTests", dependencies: ["HearthText", "HearthBinary"]),
        .testTarget(name: "HearthRuntimeTests", dependencies: ["HearthRuntime", "HearthText"]),
        .testTarget(name: "HearthWASITests", dependencies: ["HearthWASI", "HearthText"]),
        .testTarget(name: "HearthWastTests", dependencies: ["HearthWast"]),
        .testTarget(name: "HearthSQLiteTests", dependencies: ["HearthSQLite"]),
        .testTarget(name: "HearthBridgeTests", dependencies: ["HearthBridge", "HearthText"]),
        .testTarget(name: "HearthObjectsTests", dependencies: ["HearthObjects", "HearthText"]),
    ]
)
