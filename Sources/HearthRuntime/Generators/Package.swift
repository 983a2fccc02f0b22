// swift-tools-version:6.0
// The instruction set generator: a development tool, not part of the Hearth package (its folder
// is excluded from the HearthRuntime target). Run from the repository root:
//   swift run --package-path Sources/HearthRuntime/Generators generate-instruction-set
import PackageDescription

let package = Package(
    name: "HearthInstructionSet",
    targets: [
        .executableTarget(name: "generate-instruction-set", path: "InstructionSet"),
    ]
)
