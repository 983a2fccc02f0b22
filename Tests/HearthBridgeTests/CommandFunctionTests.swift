import Foundation
import HearthBridge
import HearthRuntime
import HearthText
import HearthWASI
import Testing

/// Reads its request, then: `loop` spins for ever, `exit N` exits with status N, `trap` traps;
/// anything else is echoed after a prefix written at start-up time into memory.
private let serviceProgram = """
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $n i32)
    ;; start-up: the prefix "re:" built in memory (what the request must not be able to skip)
    (i32.store8 (i32.const 1000) (i32.const 114))
    (i32.store8 (i32.const 1001) (i32.const 101))
    (i32.store8 (i32.const 1002) (i32.const 58))
    (i32.store (i32.const 0) (i32.const 1003))
    (i32.store (i32.const 4) (i32.const 1000))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $n (i32.load (i32.const 8)))
    (if (i32.eq (i32.load (i32.const 1003)) (i32.const 0x706f6f6c)) (then (loop $spin (br $spin))))
    (if (i32.eq (i32.load (i32.const 1003)) (i32.const 0x70617274)) (then unreachable))
    (if (i32.eq (i32.load (i32.const 1003)) (i32.const 0x74697865))
      (then (call $exit (i32.sub (i32.load8_u (i32.const 1008)) (i32.const 48)))))
    (i32.store (i32.const 16) (i32.const 1000))
    (i32.store (i32.const 20) (i32.add (local.get $n) (i32.const 3)))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
"""

private func service(_ limits: ExecutionLimits = .init()) throws -> CommandFunction {
    var options = GuestOptions()
    options.limits = limits
    return CommandFunction(module: try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(serviceProgram)),
                           options: options)
}

private func output(_ invocation: CommandInvocation) -> (String, UInt32)? {
    guard case .success(let result) = invocation.result else { return nil }
    return (result.stdoutText, result.exitCode)
}

@Suite struct CommandFunctionTests {
    @Test func eachInvocationResumesFromTheCapturedStartUpWithItsOwnInput() throws {
        let function = try service()
        #expect(function.prepared?.call == "fd_read")
        #expect(function.coldReason == nil)
        // A thousand different requests, one after another: each answered from the same state.
        for i in 0..<1000 {
            let invocation = function.invoke(input: Array("request \(i)".utf8))
            #expect(invocation.resumed)
            guard let (text, code) = output(invocation), text == "re:request \(i)", code == 0 else {
                Issue.record("invocation \(i) answered \(invocation.result)")
                return
            }
        }
    }

    @Test func whatAnInvocationChangesIsGoneInTheNextThoughItsInstanceIsReused() throws {
        // Reports its global, memory and table sizes, a byte, and a passive segment; then
        // changes each, and closes standard input.
        let program = """
        (module
          (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
          (memory (export "memory") 1)
          (table $t 1 funcref)
          (global $g (mut i32) (i32.const 0))
          (data $d "xyz")
          (func (export "_start")
            (global.set $g (i32.const 7))
            (i32.store (i32.const 0) (i32.const 1000))
            (i32.store (i32.const 4) (i32.const 10))
            (if (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)) (then unreachable))
            (memory.init $d (i32.const 3005) (i32.const 0) (i32.const 3))
            (i32.store8 (i32.const 3000) (i32.add (global.get $g) (i32.const 48)))
            (i32.store8 (i32.const 3001) (i32.add (memory.size) (i32.const 48)))
            (i32.store8 (i32.const 3002) (i32.add (table.size $t) (i32.const 48)))
            (i32.store8 (i32.const 3003) (i32.add (i32.load8_u (i32.const 2000)) (i32.const 48)))
            (i32.store8 (i32.const 3004) (i32.const 32))
            (i32.store (i32.const 16) (i32.const 3000))
            (i32.store (i32.const 20) (i32.const 8))
            (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
            (call $tamper))
          ;; Apart: a function with reference operands cannot be suspended in.
          (func $tamper
            (global.set $g (i32.const 9))
            (drop (memory.grow (i32.const 2)))
            (drop (table.grow $t (ref.null func) (i32.const 2)))
            (data.drop $d)
            (i32.store8 (i32.const 2000) (i32.const 5))
            (i32.store8 (i32.const 131072) (i32.const 5))
            (drop (call $close (i32.const 0)))))
        """
        let function = CommandFunction(module: try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(program)))
        #expect(function.coldReason == nil)
        for i in 0..<3 {
            let invocation = function.invoke(input: Array("request \(i)".utf8))
            #expect(invocation.resumed)
            #expect(output(invocation)! == ("7110 xyz", 0))
        }
    }

    @Test func anExitStatusOrATrapAfterResumeIsTheInvocationsAndTheNextOneIsUnaffected() throws {
        let function = try service()
        #expect(output(function.invoke(input: Array("exit 3".utf8)))! == ("", 3))
        guard case .failure(.guestTrapped(_, let message)) = function.invoke(input: Array("trap".utf8)).result else {
            Issue.record("no trap reported")
            return
        }
        #expect(message == "unreachable")
        #expect(output(function.invoke(input: Array("fine".utf8)))! == ("re:fine", 0))
    }

    @Test func fuelAndTheDeadlineStopAResumedRun() throws {
        for limits in [ExecutionLimits(fuel: 100_000), ExecutionLimits(deadline: .milliseconds(200))] {
            let function = try service(limits)
            #expect(function.prepared != nil)
            guard case .failure(.limitExceeded(_, let limit)) = function.invoke(input: Array("loop".utf8)).result else {
                Issue.record("the loop was not stopped under \(limits)")
                continue
            }
            #expect(limit == (limits.fuel != nil ? "fuel" : "deadline"))
            #expect(output(function.invoke(input: Array("after".utf8)))! == ("re:after", 0))
        }
    }

    @Test func aProgramThatCannotBeCapturedRunsColdAndSaysWhy() throws {
        let program = """
        (module
          (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func $f)
          (elem declare func $f)
          (func (export "_start") (local $r funcref)
            (local.set $r (ref.func $f))
            (i32.store (i32.const 0) (i32.const 100))
            (i32.store (i32.const 4) (i32.const 10))
            (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
            (i32.store (i32.const 4) (i32.load (i32.const 8)))
            (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
        """
        let function = CommandFunction(module: try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(program)))
        #expect(function.prepared == nil)
        #expect(function.coldReason == "unsupported: function 3 may hold references on the stack")
        let invocation = function.invoke(input: Array("cold".utf8))
        #expect(!invocation.resumed)
        #expect(output(invocation)! == ("cold", 0))
    }

    @Test func aPreparedStartUpSurvivesSerialization() throws {
        let function = try service()
        let prepared = try #require(function.prepared)
        let stored = prepared.execution.serialized()
        let revived = CommandFunction(module: function.module, prepared: .init(
            execution: try SuspendedExecution(serialized: stored), instance: try InstanceSnapshot(serialized: prepared.instance.serialized()),
            wasi: try WASIState(encoded: prepared.wasi.encoded), call: prepared.call))
        #expect(try SuspendedExecution(serialized: stored) == prepared.execution)
        #expect(output(revived.invoke(input: Array("again".utf8)))! == ("re:again", 0))
        #expect { try SuspendedExecution(serialized: Array(stored.dropLast())) } throws: { ($0 as? HearthError)?.kind == .snapshot }
    }

    @Test(.enabled(if: Fixtures.hasRustPrograms, "needs ../shared/real-world/*.rs.wasm"))
    func theRustGreetProgramAnswersEachRequestAsAColdRunDoes() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.realWorld("greet-wasi.rs.wasm"))))
        let function = CommandFunction(module: try CompiledModule(engine: Engine(), bytes: bytes))
        #expect(function.prepared?.call == "fd_read")
        for name in ["Hearth", "", "Wasm\nworld", String(repeating: "é", count: 3000)] {
            var options = GuestOptions()
            options.stdin = Array(name.utf8)
            let cold = try GuestInstance.runCommand(bytes, options: options)
            let resumed = function.invoke(input: Array(name.utf8))
            #expect(resumed.resumed)
            #expect(output(resumed)! == (cold.stdoutText, cold.exitCode))
        }
    }
}

/// `Tests/Guests/wat/line-counter.wat`: loops on stdin, counting its requests.
private let lineServer = try! String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Guests/wat/line-counter.wat"), encoding: .utf8)

@Suite struct StreamingCommandFunctionTests {
    @Test func aStreamingProgramKeepsItsStateBetweenRequestsAndStartsOverAfterItExits() throws {
        let module = try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(lineServer))
        let function = CommandFunction(module: module, mode: .lines)
        #expect(function.coldReason == nil)
        #expect(output(function.invoke(input: Array("a".utf8)))! == ("1a\n", 0))
        #expect(output(function.invoke(input: Array("bb\n".utf8)))! == ("2bb\n", 0))
        #expect(output(function.invoke(input: Array("quit".utf8)))! == ("", 7))
        // After the exit the program starts over from its captured start-up.
        #expect(output(function.invoke(input: Array("c".utf8)))! == ("1c\n", 0))
    }

    @Test func aWaitingStreamSavedAndRestoredGoesOnWhereItWas() throws {
        let module = try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(lineServer))
        let function = CommandFunction(module: module, mode: .frames)
        #expect(try function.waitingState() == nil)
        // The length prefix and the request come in one read: the answer echoes both.
        #expect(output(function.invoke(input: Array("x".utf8)))! == ("1\0\0\0\u{1}x", 0))
        let saved = try #require(try function.waitingState())
        let revived = try CommandFunction(module: module, mode: .frames, prepared: function.prepared!, waiting: saved)
        #expect(output(revived.invoke(input: Array("y".utf8)))! == ("2\0\0\0\u{1}y", 0))
    }
}

@Test func anInvocationPastItsOutputCapIsStoppedAsALimit() throws {
    // Writes its 64 KiB page to stdout for ever.
    let program = """
    (module
      (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        (drop (call $read (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 8)))
        (i32.store (i32.const 0) (i32.const 0))
        (i32.store (i32.const 4) (i32.const 65536))
        (loop $more (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))) (br $more))))
    """
    var options = GuestOptions()
    options.maxOutputBytes = 1 << 20
    let function = CommandFunction(module: try CompiledModule(engine: Engine(), bytes: try WAT.parseModule(program)), options: options)
    guard case .failure(.limitExceeded(_, let limit)) = function.invoke(input: []).result else {
        Issue.record("the output was not capped")
        return
    }
    #expect(limit == "output of 1048576 bytes")
}

private let quickJSPath = ProcessInfo.processInfo.environment["HEARTH_QJS_WASM"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build-guests/qjs-wasi-reactor.wasm").path

/// A JavaScript function: QuickJS-NG (a WASI reactor nobody here wrote) entered through
/// `_initialize` and `qjs_init_argv`, its script reading the request from stdin.
@Test(.enabled(if: FileManager.default.fileExists(atPath: quickJSPath), "run Tests/Guests/fetch-quickjs.sh to fetch QuickJS"))
func aJavaScriptFunctionOnTheQuickJSReactorResumesFromItsFirstRead() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-qjs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try """
        const greeting = ["Hello", "from", "QuickJS"].join(" ");   // start-up work, done once
        const input = std.in.readAsString();
        console.log(JSON.stringify({ greeting, echo: input.toUpperCase(), length: input.length }));
        """.write(to: folder.appendingPathComponent("main.js"), atomically: false, encoding: .utf8)
    var options = GuestOptions()
    options.preopens = [WASIPreopen(hostPath: folder.path, guestPath: "/app", readOnly: true)]
    let function = CommandFunction(module: try CompiledModule(engine: Engine(), path: quickJSPath), options: options,
                                   entry: .reactor(export: "qjs_init_argv", arguments: ["qjs", "--std", "/app/main.js"]))
    #expect(function.prepared?.call == "fd_read", "\(function.coldReason ?? "")")
    for request in ["abc", "", "{\"json\": true}"] {
        let invocation = function.invoke(input: Array(request.utf8))
        #expect(invocation.resumed)
        let expected = #"{"greeting":"Hello from QuickJS","echo":"# + "\"\(request.uppercased().replacingOccurrences(of: "\"", with: "\\\""))\""
            + #","length":\#(request.utf8.count)}"# + "\n"
        #expect(output(invocation).map { $0.0 } == expected)
        #expect(output(invocation).map { $0.1 } == 0)
    }
}
