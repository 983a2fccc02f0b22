import FuzzDriver
import HearthRuntime

/// Decodes and validates the input as a module under each feature set; an error is fine, a
/// crash, a hang or a sanitizer report is a finding.
func fuzzDecode(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, count)
    for features in [FeatureSet.wasm2, .wasm3] {
        var configuration = EngineConfiguration()
        configuration.features = features
        _ = try? CompiledModule(engine: Engine(configuration: configuration), bytes: bytes)
    }
    return 0
}

fuzz { fuzzDecode($0, $1) }
