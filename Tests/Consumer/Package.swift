// swift-tools-version: 6.0
// A package that depends on Hearth the way an embedder's does, built by `.ci/run` in debug and
// release: its `main.swift` is the quick start of the HearthRuntime documentation
// (`Sources/HearthRuntime/HearthRuntime.docc/QuickStart.md`), checked to be identical.
//
// By path, not by version: SwiftPM refuses a dependency resolved by version whose targets use
// `unsafeFlags`, and HearthRuntime still needs them (issue #18: a portable dispatch first).
import PackageDescription

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Hearth", path: "../..")],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [
            .product(name: "HearthRuntime", package: "Hearth"),
            .product(name: "HearthWASI", package: "Hearth"),
        ]),
    ]
)
