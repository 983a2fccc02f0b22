import WasmKit
import WasmKitWASI

/// WasmKit 0.4.2's side of the microbenchmarks (default threading model). Only this file imports
/// WasmKit.
enum WasmKitSide {
    /// An instance of the kernel module whose `env.host` import returns its argument plus one.
    final class Kernel {
        let store: Store
        let instance: Instance

        init() throws {
            let module = try parseWasm(bytes: Kernels.binary)
            store = Store(engine: Engine())
            var imports = Imports()
            let host = Function(store: store, parameters: [.i32], results: [.i32]) { _, arguments in
                [.i32(arguments[0].i32 &+ 1)]
            }
            imports.define(module: "env", name: "host", host)
            instance = try module.instantiate(store: store, imports: imports)
        }

        func function(_ name: String) throws -> Function {
            guard let function = instance.exports[function: name] else {
                throw MicroError("WasmKit: the kernel module has no export \(name)")
            }
            return function
        }
    }

    static func hostToGuest(_ function: Function, count: Int) throws -> UInt32 {
        var sum: UInt32 = 0
        for index in 0..<count {
            sum &+= try function([.i32(UInt32(truncatingIfNeeded: index))])[0].i32
        }
        return sum
    }

    static func loop(_ function: Function, count: UInt32) throws -> UInt32 {
        try function([.i32(count)])[0].i32
    }

    /// WasmKit's `parseWasm` decodes the module; it validates function bodies lazily, on first
    /// call, so this is not the same amount of work as Hearth's load (noted in the results).
    static func parse(_ bytes: [UInt8]) throws {
        _ = try parseWasm(bytes: bytes)
    }

    static func parsed(_ bytes: [UInt8]) throws -> Module { try parseWasm(bytes: bytes) }

    /// Instantiates a parsed WASI module in a fresh store with fresh WASI imports (not started).
    static func instantiate(_ module: Module) throws {
        let store = Store(engine: Engine())
        let wasi = try WASIBridgeToHost(args: ["bench"])
        try wasi.runAndClose { wasi in
            var imports = Imports()
            wasi.link(to: &imports, store: store)
            _ = try module.instantiate(store: store, imports: imports)
        }
    }
}
