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
    } catch let error as HearthError {
        // A proc_exit ends the call with the exit itself.
        guard let status = error.exitStatus else { throw error }
        return Int32(bitPattern: status)
    }
}
