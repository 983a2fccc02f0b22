import HearthRuntime
import HearthText
import HearthWASI
import Testing

/// `WASICommand`, the one way programs are run from a file: commands by `_start`, reactors
/// initialized once before any export, `proc_exit` as an outcome.
@Suite struct WASICommandTests {
    /// A reactor: `_initialize` sets `ready` to 42 (or exits with 3 when `exitEarly`), `get` reads it.
    private func reactor(exitEarly: Bool) throws -> WASICommand {
        let exit = exitEarly ? "(call $exit (i32.const 3))" : ""
        let text = """
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (global $ready (mut i32) (i32.const 0))
          (func (export "_initialize") \(exit) (global.set $ready (i32.const 42)))
          (func (export "get") (result i32) (global.get $ready)))
        """
        let engine = Engine()
        let linker = Linker(engine: engine)
        try WASIHost(configuration: WASIConfiguration()).define(in: linker)
        return try WASICommand(module: CompiledModule(engine: engine, bytes: WAT.parseModule(text)), linker: linker,
                               store: Store(engine: engine))
    }

    @Test func aReactorIsInitializedOnceBeforeItsExportsAreCalled() throws {
        let program = try reactor(exitEarly: false)
        #expect(program.initialization == .returned([]))
        #expect(try program.call("get") == .returned([.i32(42)]))
        #expect(try program.run() == .returned([]))
    }

    @Test func aReactorThatExitsWhileInitializingAnswersItsExitToEveryCall() throws {
        let program = try reactor(exitEarly: true)
        #expect(program.initialization == .exited(code: 3))
        #expect(try program.call("get") == .exited(code: 3))
        #expect(try program.run() == .exited(code: 3))
    }

    @Test func aModuleWithNeitherStartNorInitializeIsRefusedByRunButItsExportsCanBeCalled() throws {
        let engine = Engine()
        let module = try CompiledModule(engine: engine, bytes: WAT.parseModule(#"(module (func (export "seven") (result i32) (i32.const 7)))"#))
        let program = try WASICommand(module: module, linker: Linker(engine: engine), store: Store(engine: engine))
        #expect(program.initialization == nil)
        #expect(try program.call("seven") == .returned([.i32(7)]))
        #expect { try program.run() } throws: { ($0 as? HearthError)?.kind == .link }
        #expect { try program.call("eight") } throws: { ($0 as? HearthError)?.kind == .link }
    }

    /// `proc_exit` ends the call with the exit itself, a `HearthError` of kind `exit`, as
    /// wasmtime's `I32Exit`: not a trap whose `underlying` holds it, even from a nested call.
    @Test func procExitReachesTheEmbedderAsAnExitNotAsATrap() throws {
        let text = """
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (import "host" "reenter" (func $reenter))
          (func (export "exit") (param i32) (call $exit (local.get 0)))
          (func (export "nested") (call $reenter)))
        """
        let engine = Engine()
        let linker = Linker(engine: engine)
        try WASIHost(configuration: WASIConfiguration()).define(in: linker)
        let store = Store(engine: engine)
        nonisolated(unsafe) var inner: Function?
        linker.defineFunction(module: "host", name: "reenter", type: FunctionType(parameters: [], results: [])) { _, _ in
            try inner!.invoke([.i32(9)])
        }
        let instance = try linker.instantiate(CompiledModule(engine: engine, bytes: WAT.parseModule(text)), in: store)
        inner = instance.function("exit")
        for (export, arguments, status) in [("exit", [Value.i32(5)], UInt32(5)), ("nested", [], 9)] {
            do {
                _ = try instance.function(export)!.invoke(arguments)
                Issue.record("\(export) returned")
            } catch {
                let exit = error as? HearthError
                #expect(exit?.kind == .exit && exit?.exitStatus == status, "\(export): \(error)")
            }
        }
    }
}
