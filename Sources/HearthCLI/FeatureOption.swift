import ArgumentParser
import HearthBinary

/// `--features 2.0|3.0`: which edition of the rules to load modules with.
struct FeatureOption: ParsableArguments {
    @Option(name: .long, help: "WebAssembly rules to apply: 2.0 or 3.0.")
    var features: String = "2.0"

    func featureSet() throws -> FeatureSet {
        switch features {
        case "2.0", "2": return .wasm2
        case "3.0", "3": return .wasm3
        default: throw ValidationError("unsupported: --features \(features) (use 2.0 or 3.0)")
        }
    }
}
