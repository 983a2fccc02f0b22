import ArgumentParser
import HearthBinary

/// `--features 2.0|3.0[,no-multi-memory][,no-multi-table][,no-memory64][,custom-page-sizes]`: which edition of the rules to load
/// modules with, optionally with some of its features turned off (as wasmtime's configuration
/// can), e.g. to run the threads proposal's scripts, which expect Wasm 1.0's one table and one
/// memory.
struct FeatureOption: ParsableArguments {
    @Option(name: .long, help: "WebAssembly rules to apply: 3.0 (the default, the current standard) or 2.0, then optionally ,no-multi-memory ,no-multi-table ,no-memory64 ,custom-page-sizes.")
    var features: String = FeatureOption.defaultRules

    /// The rules when `--features` is not given.
    static let defaultRules = "3.0"

    func featureSet() throws -> FeatureSet { try Self.featureSet(features) }

    /// The feature set `text` (a `--features` value) names.
    static func featureSet(_ features: String) throws -> FeatureSet {
        let parts = features.split(separator: ",").map(String.init)
        var set: FeatureSet
        switch parts.first {
        case "2.0", "2": set = .wasm2
        case "3.0", "3": set = .wasm3
        default: throw ValidationError("unsupported: --features \(features) (use 2.0 or 3.0)")
        }
        for modifier in parts.dropFirst() {
            switch modifier {
            case "no-multi-memory": set.multipleMemories = false
            case "no-multi-table": set.multipleTables = false
            case "no-memory64": set.memory64 = false
            case "custom-page-sizes": set.customPageSizes = true
            default: throw ValidationError("unsupported: feature modifier \(modifier) (use no-multi-memory, no-multi-table, no-memory64 or custom-page-sizes)")
            }
        }
        return set
    }
}
