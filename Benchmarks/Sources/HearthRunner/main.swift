// Runs one WASI command module on Hearth in process, timed exactly like the WasmKit runner:
// read the file, compile, define WASI, instantiate, run `_start`.
import Foundation
import HearthRuntime
import HearthWASI
import RunnerSupport

let invocation = RunnerSupport.parse(tool: "hearth-runner", known: [])
RunnerSupport.timed {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: invocation.path)))
    let engine = Engine(configuration: EngineConfiguration())
    let module = try CompiledModule(engine: engine, bytes: bytes)
    let linker = Linker(engine: engine)
    let wasi = try WASIHost(configuration: WASIConfiguration(arguments: invocation.guestArguments))
    wasi.define(in: linker)
    do {
        let instance = try linker.instantiate(module, in: Store(engine: engine))
        guard let start = instance.function("_start") else {
            throw RunnerError("the module exports no _start function")
        }
        _ = try start.invoke([])
        return 0
    } catch let exit as HearthError where exit.kind == .exit {
        return Int32(bitPattern: (exit.exitStatus ?? 0))
    } catch let trap as Trap {
        // A proc_exit inside the guest unwinds through Wasm frames as a trap wrapping the exit.
        if let status = (trap.underlying as? HearthError)?.exitStatus { return Int32(bitPattern: status) }
        throw trap
    }
}
