import HearthBinary
import HearthRuntime
import HearthWASI

/// Hearth's side of the microbenchmarks. Only this file imports Hearth, so its `Engine`, `Store`
/// and `Value` never collide with WasmKit's names.
enum HearthSide {
    /// An instance of the kernel module whose `env.host` import returns its argument plus one:
    /// defined on the caller's frame (`defineFrameFunction`, the path WASI and the bridge's
    /// imports take), or with `valuesAPI` through `[Value]` arrays (`defineFunction`).
    final class Kernel {
        let instance: Instance

        init(valuesAPI: Bool = false) throws {
            let engine = Engine(configuration: EngineConfiguration())
            let module = try CompiledModule(engine: engine, bytes: Kernels.binary)
            let linker = Linker(engine: engine)
            let type = FunctionType(parameters: [.i32], results: [.i32])
            if valuesAPI {
                linker.defineFunction(module: "env", name: "host", type: type) { _, arguments in
                    guard case .i32(let value) = arguments[0] else { return [.i32(0)] }
                    return [.i32(value &+ 1)]
                }
            } else {
                try linker.defineFrameFunction(module: "env", name: "host", type: type) { _, frame in
                    frame.setI32(frame.i32(0) &+ 1)
                }
            }
            instance = try linker.instantiate(module, in: Store(engine: engine))
        }

        func function(_ name: String) throws -> Function {
            guard let function = instance.function(name) else {
                throw MicroError("Hearth: the kernel module has no export \(name)")
            }
            return function
        }
    }

    /// Calls `identity` `count` times from the host.
    static func hostToGuest(_ function: Function, count: Int) throws -> UInt32 {
        var sum: UInt32 = 0
        for index in 0..<count {
            guard case .i32(let value) = try function.invoke([.i32(UInt32(truncatingIfNeeded: index))]).first else {
                throw MicroError("Hearth: identity returned no i32")
            }
            sum &+= value
        }
        return sum
    }

    /// Runs a looping kernel export once with `count` iterations.
    static func loop(_ function: Function, count: UInt32) throws -> UInt32 {
        guard case .i32(let value) = try function.invoke([.i32(count)]).first else {
            throw MicroError("Hearth: kernel returned no i32")
        }
        return value
    }

    /// Decodes and validates a module (whatever `CompiledModule` does at load).
    static func compile(_ bytes: [UInt8], engine: Engine) throws {
        _ = try CompiledModule(engine: engine, bytes: bytes)
    }

    static func makeEngine() -> Engine { Engine(configuration: EngineConfiguration()) }

    static func compiled(_ bytes: [UInt8], engine: Engine) throws -> CompiledModule {
        try CompiledModule(engine: engine, bytes: bytes)
    }

    /// Instantiates a compiled WASI module in a fresh store with fresh WASI imports (not started).
    static func instantiate(_ module: CompiledModule, engine: Engine) throws -> Instance {
        let linker = Linker(engine: engine)
        let wasi = try WASIHost(configuration: WASIConfiguration(arguments: ["bench"]))
        wasi.define(in: linker)
        return try linker.instantiate(module, in: Store(engine: engine))
    }
}
