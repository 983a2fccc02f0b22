// swift-tools-version: 6.0
// A package that depends on Hearth the way an embedder's does: by version, from a git
// repository with a release tag. `.ci/run` clones this repository to `.build/hearth-release`
// (beside the sources, outside git) and tags its HEAD 0.1.0, then builds this package in debug
// and in release. `Consumer`'s `main.swift` is the quick start of the HearthRuntime
// documentation (`Sources/HearthRuntime/HearthRuntime.docc/QuickStart.md`), checked to be
// identical; `SpecScripts` runs spec scripts through HearthWast.
import PackageDescription

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: "../../.build/hearth-release", from: "0.1.0")],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [
            .product(name: "HearthRuntime", package: "hearth-release"),
            .product(name: "HearthWASI", package: "hearth-release"),
        ]),
        .executableTarget(name: "SpecScripts", dependencies: [
            .product(name: "HearthBinary", package: "hearth-release"),
            .product(name: "HearthWast", package: "hearth-release"),
        ]),
    ]
)
