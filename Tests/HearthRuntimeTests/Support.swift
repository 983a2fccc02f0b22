import HearthBinary
import HearthRuntime
import HearthText
import Testing

/// A module instantiated from WAT text, with shortcuts for calling its exports.
struct Harness {
    let engine: Engine
    let store: Store
    let linker: Linker
    let instance: Instance

    init(_ wat: String, configuration: EngineConfiguration = .init(), define: (Linker, Store) throws -> Void = { _, _ in }) throws {
        engine = Engine(configuration: configuration)
        store = Store(engine: engine)
        linker = Linker(engine: engine)
        try define(linker, store)
        let module = try CompiledModule(engine: engine, bytes: try WAT.parseModule(wat, features: configuration.features))
        instance = try linker.instantiate(module, in: store)
    }

    func call(_ name: String, _ arguments: Value...) throws -> [Value] {
        guard let f = instance.function(name) else { throw HearthError.link("no export \(name)") }
        return try f.invoke(arguments)
    }

    /// The trap message of calling `name`, or nil if it returned normally.
    func trapMessage(_ name: String, _ arguments: Value...) -> String? {
        do {
            _ = try instance.function(name)!.invoke(arguments)
            return nil
        } catch let trap as HearthError where trap.kind == .trap {
            return trap.message
        } catch {
            return "not a trap: \(error)"
        }
    }
}

func i32(_ v: Int32) -> Value { .i32(UInt32(bitPattern: v)) }
func i64(_ v: Int64) -> Value { .i64(UInt64(bitPattern: v)) }
func f32(_ v: Float) -> Value { .f32(v.bitPattern) }
func f64(_ v: Double) -> Value { .f64(v.bitPattern) }

extension EngineConfiguration {
    /// The WebAssembly 2.0 rules, for tests of what 2.0 refuses.
    static var wasm2: EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.features = .wasm2
        return configuration
    }

    /// The WebAssembly 3.0 rules, for tests of 3.0 features.
    static var wasm3: EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.features = .wasm3
        return configuration
    }
}

/// For `#expect(performing:throws:)`: whether the error is a `HearthError` of `kind` saying
/// exactly `message`.
func refusal(_ kind: HearthError.Kind, _ message: String) -> (any Error) -> Bool {
    { error in
        guard let refusal = error as? HearthError else { return false }
        return refusal.kind == kind && refusal.message == message
    }
}
