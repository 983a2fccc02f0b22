// swift-tools-version: 6.0
// libFuzzer targets for everything in Hearth that parses untrusted bytes (issue #19). Beside the
// product, like Benchmarks/, so the product's own build is unchanged. Build and run with
// `Conformance/Fuzz/run.sh` (README.md here): every target is compiled with
// `-sanitize=fuzzer,address`; its main hands its test function to libFuzzer's driver.
import PackageDescription

let hearth: [Target.Dependency] = [
    .product(name: "HearthRuntime", package: "Hearth"),
]
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies + ["FuzzDriver"])
}

let package = Package(
    name: "HearthFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Hearth", path: "../..")],
    targets: [
        // libFuzzer's driver entered from each target's own main (SwiftPM names the entry point).
        .target(name: "FuzzDriver"),
        // Binary decoding and validation under the 2.0 and the 3.0 feature sets.
        fuzzTarget("FuzzDecode", hearth),
        // The text format: a module (WAT) and a script (WAST).
        fuzzTarget("FuzzText", hearth + [.product(name: "HearthText", package: "Hearth")]),
        // Valid modules translated and run: every export called, under fuel and a memory cap.
        fuzzTarget("FuzzExecute", hearth),
        // The JSON parser every invoke body and guest answer goes through.
        fuzzTarget("FuzzJSON", [.product(name: "HearthBridge", package: "Hearth")]),
        // Snapshot decoders: an instance snapshot and a WASI state, as read back on wake.
        fuzzTarget("FuzzSnapshot", hearth + [.product(name: "HearthWASI", package: "Hearth")]),
        // An invoke request body as the object host decodes it.
        fuzzTarget("FuzzInvokeBody", [.product(name: "HearthObjects", package: "Hearth"), .product(name: "HearthRuntimeHost", package: "Hearth"),
                                      .product(name: "HearthBridge", package: "Hearth")]),
    ]
)
