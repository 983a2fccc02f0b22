import Foundation
import HearthRuntime
import HearthText
import HearthWASI
import Testing

/// A program that initializes (a global, memory, locals of three nested frames), then reads its
/// request from stdin in a nested call (the innermost one through a table, so the return points
/// follow both a direct and an indirect call that move their arguments) and answers `<prefix><request>` with a number computed
/// before the read: everything before the read must survive a suspension to another instance.
private let echoProgram = """
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (type $readRequestType (func (param i64) (result i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (elem (i32.const 0) $readRequest)
  (global $initialized (mut i32) (i32.const 0))
  (data (i32.const 200) "echo:")
  (func $initialize (result i32)
    (local $i i32) (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
    (global.set $initialized (i32.const 1))
    (local.get $sum))
  ;; Reads up to 64 bytes to 205 (after the prefix); answers how many.
  (func $readRequest (type $readRequestType) (param $tag i64) (result i32)
    (i32.store (i32.const 0) (i32.const 205))
    (i32.store (i32.const 4) (i32.const 64))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.add (i32.load (i32.const 8)) (i32.wrap_i64 (i64.sub (local.get $tag) (i64.const 77)))))
  (func $serve (param $sum i32) (result i32)
    (local $n i32)
    (local.set $n (call_indirect (type $readRequestType) (i64.const 77) (i32.const 0)))
    (i32.store (i32.const 16) (i32.const 200))
    (i32.store (i32.const 20) (i32.add (local.get $n) (i32.const 5)))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (local.get $sum))
  (func (export "_start")
    (local $sum i32)
    (local.set $sum (call $initialize))
    (if (i32.ne (call $serve (local.get $sum)) (i32.const 499500)) (then unreachable))
    (if (i32.eqz (global.get $initialized)) (then unreachable))
    ;; exit with the request's length, proving the stack unwound through every frame
    (call $exit (i32.load (i32.const 8)))))
"""

private struct Run {
    let instance: Instance
    let wasi: WASIHost
    let stdout = WASIOutputBuffer()

    init(_ module: CompiledModule, stdin: [UInt8], arguments: [String] = ["program"]) throws {
        var configuration = WASIConfiguration(arguments: arguments)
        configuration.stdin = .bytes(stdin)
        configuration.stdout = .capture(stdout)
        configuration.stderr = .capture(WASIOutputBuffer())
        wasi = try WASIHost(configuration: configuration)
        let linker = Linker(engine: module.engine)
        wasi.define(in: linker)
        instance = try linker.instantiate(module, in: Store(engine: module.engine))
    }

    /// Runs `_start` to its suspension point; answers what was captured there.
    func suspend() throws -> (execution: SuspendedExecution, call: String, state: InstanceSnapshot, wasi: WASIState) {
        wasi.suspendAt = .firstInputOrOutput
        do {
            _ = try instance.function("_start")!.invoke([])
        } catch let trap as HearthError where trap.kind == .trap {
            guard let suspended = trap.underlying as? WASISuspended else { throw trap }
            return (suspended.execution, suspended.call, try instance.snapshot(), try wasi.captureState())
        }
        throw HearthError.snapshot("the program did not reach its suspension point")
    }

    /// Resumes and answers the exit code.
    func resume(_ execution: SuspendedExecution, state: InstanceSnapshot, wasi saved: WASIState) throws -> UInt32 {
        try instance.restore(state)
        try wasi.restoreState(saved)
        do {
            _ = try instance.resume(execution)
            return 0
        } catch let error as HearthError {
            guard let status = error.exitStatus else { throw error }
            return status
        }
    }
}

/// Waits for stdin with `poll_oneoff` before each read, and answers every line it reads
/// (up to 64 bytes at a time) with `[line]`, forever.
private let pollingLoopProgram = """
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $n i32)
    (loop $serve
      ;; one subscription at 400: userdata 0, tag 1 (fd_read), fd 0; events at 500
      (i32.store8 (i32.const 408) (i32.const 1))
      (i32.store (i32.const 416) (i32.const 0))
      (drop (call $poll (i32.const 400) (i32.const 500) (i32.const 1) (i32.const 600)))
      (i32.store (i32.const 0) (i32.const 101))
      (i32.store (i32.const 4) (i32.const 64))
      (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $n (i32.load (i32.const 8)))
      (i32.store8 (i32.const 100) (i32.const 91))
      (i32.store8 (i32.add (i32.const 101) (local.get $n)) (i32.const 93))
      (i32.store (i32.const 16) (i32.const 100))
      (i32.store (i32.const 20) (i32.add (local.get $n) (i32.const 2)))
      (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
      (br $serve))))
"""

@Suite struct SuspensionTests {
    @Test func aProgramWaitingForInputInPollIsSuspendedThereAndEachExhaustedReadSuspendsItAgain() throws {
        let module = try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(pollingLoopProgram))
        let captured = try Run(module, stdin: []).suspend()
        #expect(captured.call == "poll_oneoff")
        // One instance serves request after request: each run stops where it waits again.
        let run = try Run(module, stdin: [])
        try run.instance.restore(captured.state)
        var execution = captured.execution
        for request in ["one", "two two", ""] {
            try run.wasi.appendInput(Array(request.utf8))
            run.wasi.suspendAt = .inputExhausted
            do {
                _ = try run.instance.resume(execution)
                Issue.record("the loop ended")
            } catch let trap as HearthError where trap.kind == .trap {
                let suspended = try #require(trap.underlying as? WASISuspended)
                #expect(suspended.call == "poll_oneoff")
                execution = suspended.execution
            }
        }
        #expect(run.stdout.text == "[one][two two]")
    }

    @Test func aProgramSuspendedAtItsFirstReadResumesInAnotherInstanceWithEachRequest() throws {
        let engine = Engine()
        let module = try CompiledModule(engine: engine, bytes: try WAT.parseModule(echoProgram))
        let captured = try Run(module, stdin: []).suspend()
        #expect(captured.call == "fd_read")
        #expect(captured.execution.entries.count == 4)  // _start, serve, readRequest, fd_read
        for request in ["hello", "a longer request, twice as long", ""] {
            let run = try Run(module, stdin: Array(request.utf8))
            let code = try run.resume(captured.execution, state: captured.state, wasi: captured.wasi)
            #expect(run.stdout.text == "echo:" + request)
            #expect(code == UInt32(request.utf8.count))
        }
    }

    @Test func aProgramThatWritesBeforeReadingIsSuspendedAtItsFirstWrite() throws {
        let program = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 100) "warm")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100))
            (i32.store (i32.const 4) (i32.const 4))
            (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
        """
        let module = try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(program))
        let captured = try Run(module, stdin: []).suspend()
        #expect(captured.call == "fd_write")
        let run = try Run(module, stdin: [])
        #expect(try run.resume(captured.execution, state: captured.state, wasi: captured.wasi) == 0)
        #expect(run.stdout.text == "warmwarm")
    }

    @Test func aFrameThatMayHoldReferencesIsRefusedWithAReason() throws {
        let program = """
        (module
          (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (table 1 funcref)
          (func $f)
          (elem declare func $f)
          (func (export "_start") (local $r funcref)
            (local.set $r (ref.func $f))
            (drop (call $read (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 8)))))
        """
        let module = try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(program))
        let run = try Run(module, stdin: [])
        run.wasi.suspendAt = .firstInputOrOutput
        let trap = #expect(throws: HearthError.self) { _ = try run.instance.function("_start")!.invoke([]) } as? HearthError
        let refused = trap?.underlying as? WASISuspensionRefused
        #expect(refused?.reason == "unsupported: function 2 may hold references on the stack")
    }

    @Test func aSuspensionFromAnotherTranslatorIsRefused() throws {
        let module = try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(echoProgram))
        var captured = try Run(module, stdin: []).suspend()
        captured.execution.translator = "translator 0; handler layout 12"
        let run = try Run(module, stdin: Array("x".utf8))
        try run.instance.restore(captured.state)
        #expect(performing: {
            try run.instance.resume(captured.execution)
        }, throws: { error in
            let refusal = error as? HearthError
            return refusal?.kind == .snapshot && refusal?.message == "unsupported: the execution was suspended by another "
                + "translator (translator 0; handler layout 12), this Hearth has \(SuspendedExecution.currentTranslator)"
        })
    }

    @Test func aResumedProgramThatTrapsReportsTheTrapAndTheStoreStaysUsable() throws {
        let program = """
        (module
          (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100))
            (i32.store (i32.const 4) (i32.const 8))
            (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
            ;; a request starting with "t" traps
            (if (i32.eq (i32.load8_u (i32.const 100)) (i32.const 116)) (then unreachable)))
          (func (export "ok") (result i32) (i32.const 7)))
        """
        let module = try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(program))
        let captured = try Run(module, stdin: []).suspend()
        let run = try Run(module, stdin: Array("trap".utf8))
        try run.instance.restore(captured.state)
        let trap = #expect(throws: HearthError.self) { try run.instance.resume(captured.execution) } as? HearthError
        #expect(trap?.trap == .unreachable)
        #expect(try run.instance.function("ok")!.invoke([]) == [.i32(7)])
    }
}

private let realWorld = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real-world")

private func realProgram(_ name: String) -> [UInt8]? {
    try? [UInt8](Data(contentsOf: realWorld.appendingPathComponent(name)))
}

/// Real programs nobody here wrote, suspended and resumed: their output must equal a cold run's.
@Suite struct RealProgramSuspensionTests {
    @Test(.enabled(if: realProgram("greet-wasi.rs.wasm") != nil, "needs ../shared/real-world"))
    func aRustProgramSuspendedAtItsFirstReadAnswersEachRequestLikeAColdRun() throws {
        let module = try CompiledModule(engine: Engine(), bytes: realProgram("greet-wasi.rs.wasm")!)
        let captured = try Run(module, stdin: []).suspend()
        #expect(captured.call == "fd_read")
        for request in ["Hearth", "", "a name\nwith two lines", String(repeating: "x", count: 10_000)] {
            let resumed = try Run(module, stdin: Array(request.utf8))
            let code = try resumed.resume(captured.execution, state: captured.state, wasi: captured.wasi)
            let cold = try Run(module, stdin: Array(request.utf8))
            var coldCode: UInt32 = 0
            do { _ = try cold.instance.function("_start")!.invoke([]) } catch {
                coldCode = (error as? HearthError)?.exitStatus ?? 255
            }
            #expect(resumed.stdout.text == cold.stdout.text)
            #expect(code == coldCode)
        }
    }

    @Test(.enabled(if: realProgram("basic.dotnet.wasm") != nil, "needs ../shared/real-world"))
    func theDotnetRuntimeSuspendedAtItsFirstWriteResumesWithItsRuntimeInitialized() throws {
        let module = try CompiledModule(engine: Engine(), bytes: realProgram("basic.dotnet.wasm")!)
        let captured = try Run(module, stdin: [], arguments: ["basic.dotnet.wasm"]).suspend()
        #expect(captured.call == "fd_write")
        let resumed = try Run(module, stdin: [], arguments: ["basic.dotnet.wasm"])
        #expect(try resumed.resume(captured.execution, state: captured.state, wasi: captured.wasi) == 0)
        #expect(resumed.stdout.text == "Hello, Wasi Console!\n")
    }
}
