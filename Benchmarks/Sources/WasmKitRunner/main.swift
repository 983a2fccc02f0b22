// Runs one WASI command module on WasmKit (the rival Swift interpreter) in process, timed the same
// way as the Hearth runner. `--token` selects WasmKit's pure-Swift token-threaded dispatcher instead
// of its default direct threading (which relies on C stubs that force tail calls).
import Foundation
import RunnerSupport
import WasmKit
import WasmKitWASI

let invocation = RunnerSupport.parse(tool: "wasmkit-runner", known: ["--token"])
RunnerSupport.timed {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: invocation.path)))
    let module = try parseWasm(bytes: bytes)
    let threading: EngineConfiguration.ThreadingModel? = invocation.flags.contains("--token") ? .token : nil
    let engine = Engine(configuration: EngineConfiguration(threadingModel: threading))
    let store = Store(engine: engine)
    let wasi = try WASIBridgeToHost(args: invocation.guestArguments)
    let exitCode = try wasi.runAndClose { wasi -> UInt32 in
        var imports = Imports()
        wasi.link(to: &imports, store: store)
        let instance = try module.instantiate(store: store, imports: imports)
        return try wasi.start(instance)
    }
    return Int32(bitPattern: exitCode)
}
