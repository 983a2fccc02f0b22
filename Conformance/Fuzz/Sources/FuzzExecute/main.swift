import FuzzDriver
import HearthRuntime

/// A valid module without imports is instantiated and each exported function called with zero
/// arguments, under fuel (so loops end) and a memory cap (so growth is bounded). Traps are
/// expected; a crash, an unbounded allocation or a sanitizer report is a finding.
func fuzzExecute(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, count)
    var configuration = EngineConfiguration()
    configuration.maxMemoryPages = 64
    configuration.maxCallDepth = 500
    let engine = Engine(configuration: configuration)
    guard let module = try? CompiledModule(engine: engine, bytes: bytes), module.imports.isEmpty else { return 0 }
    let store = Store(engine: engine)
    store.fuel = 20_000
    guard let instance = try? Linker(engine: engine).instantiate(module, in: store) else { return 0 }
    for (name, type) in module.exports {
        guard case .function(let signature) = type, let function = instance.function(name) else { continue }
        let arguments = signature.parameters.compactMap(Value.zero)
        guard arguments.count == signature.parameters.count else { continue }
        store.fuel = 20_000
        _ = try? function.invoke(arguments)
    }
    return 0
}

extension Value {
    /// The zero of a number type; nil for references (left uncalled).
    static func zero(_ type: ValueType) -> Value? {
        switch type {
        case .i32: return .i32(0)
        case .i64: return .i64(0)
        case .f32: return .f32(0)
        case .f64: return .f64(0)
        default: return nil
        }
    }
}

fuzz { fuzzExecute($0, $1) }
