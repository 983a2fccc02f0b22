import HearthRuntime
import HearthWASI

// A WASI program (a path on the command line), run with its output on this process's stdout.
let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "hello.wasm"
let engine = Engine()
let module = try CompiledModule(engine: engine, path: path)
let wasi = try WASIHost(configuration: WASIConfiguration(arguments: [path, "7"]))
let linker = Linker(engine: engine)
wasi.define(in: linker)
let instance = try linker.instantiate(module, in: Store(engine: engine))
switch try instance.function("_start")!.invokeWASI() {
case .returned: print("_start returned")
case .exited(let code): print("exited with \(code)")
}

// A function of our own, called with Swift values. The host function `host.scale` is defined
// once on the linker and finds its factor in the data of the store calling it.
let bytes: [UInt8] = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                    // magic, version
    0x01, 0x0c, 0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f,                    // type 0: (i32) -> i32
    0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,                                // type 1: (i32, i32) -> i32
    0x02, 0x0e, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x05, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x00, // import host.scale
    0x03, 0x02, 0x01, 0x01,                                            // function 1 has type 1
    0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x01,              // export "add" = function 1
    0x0a, 0x0b, 0x01, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x10, 0x00, 0x0b, // scale(a + b)
]
linker.defineFunction(module: "host", name: "scale", type: FunctionType(parameters: [.i32], results: [.i32])) { caller, arguments in
    guard case .i32(let value) = arguments[0], let factor = caller.data(as: UInt32.self) else { return arguments }
    return [.i32(value &* factor)]
}
let store = Store(engine: engine)
store.data = UInt32(2)
let calculator = try linker.instantiate(try CompiledModule(engine: engine, bytes: bytes), in: store)
let add = try calculator.typedFunction("add", Int32.self, Int32.self, returning: Int32.self)
let sum: Int32 = try add(19, 2)
print("add(19, 2) scaled by 2 = \(sum)")
