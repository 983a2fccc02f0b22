import Foundation
import HearthObjects
import HearthRuntimeHost
import HearthRuntime
import HearthSQLite
import HearthText
import Testing

/// Reads its request and answers `<start-up counter>:<request>`; the counter is bumped at
/// start-up only, so an answer of `1:` proves the invocation resumed from the one start-up.
private let counterProgram = """
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $starts (mut i32) (i32.const 0))
  (func (export "_start")
    (global.set $starts (i32.add (global.get $starts) (i32.const 1)))
    (i32.store8 (i32.const 100) (i32.add (i32.const 48) (global.get $starts)))
    (i32.store8 (i32.const 101) (i32.const 58))
    (i32.store (i32.const 0) (i32.const 102))
    (i32.store (i32.const 4) (i32.const 200))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.add (i32.load (i32.const 8)) (i32.const 2)))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
"""

/// `Tests/Guests/wat/line-counter.wat`: loops on stdin, counting its requests.
private let lineCounter = try! String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Guests/wat/line-counter.wat"), encoding: .utf8)

/// A reactor: `main(argc, argv)` writes argv[2] (NUL-terminated), then its stdin, and answers
/// argc; `malloc` is a bump allocator from 4096, as the bridge needs one to build argv.
private let argvReactor = """
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 4096))
  (func (export "_initialize"))
  (func (export "malloc") (param $n i32) (result i32)
    (global.get $next)
    (global.set $next (i32.add (global.get $next) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8)))))
  (func (export "free") (param i32))
  (func (export "main") (param $argc i32) (param $argv i32) (result i32)
    (local $s i32) (local $len i32)
    (local.set $s (i32.load (i32.add (local.get $argv) (i32.const 8))))
    (block $done (loop $scan
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $s) (local.get $len)))))
      (local.set $len (i32.add (local.get $len) (i32.const 1)))
      (br $scan)))
    (i32.store (i32.const 16) (local.get $s))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (i32.store (i32.const 0) (i32.const 200))
    (i32.store (i32.const 4) (i32.const 64))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.get $argc)))
"""

private func text(_ response: CommandResponse) -> String? {
    response.error == nil ? String(decoding: response.stdout, as: UTF8.self) : nil
}

@Suite(.serialized) struct CommandFunctionObjectTests {
    @Test func aCommandFunctionResumesFromItsStoredStartUpAcrossHibernationAndRestarts() async throws {
        let folder = try makeTemporaryDirectory()
        let module = try WAT.parseModule(counterProgram)
        do {
            let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
            let first = await host.invokeCommand(object: "o", functionId: "count", deploying: CommandDeployment(module: module), input: Array("a".utf8))
            #expect(text(first) == "1:a")
            #expect(first.resumed)
            #expect(text(await host.invokeCommand(object: "o", functionId: "count", input: Array("b".utf8))) == "1:b")
            try await host.hibernate(object: "o")
            #expect(text(await host.invokeCommand(object: "o", functionId: "count", input: Array("c".utf8))) == "1:c")
            // Sending the same program again is no redeploy.
            #expect(text(await host.invokeCommand(object: "o", functionId: "count", deploying: CommandDeployment(module: module), input: Array("d".utf8))) == "1:d")
            #expect(host.statistics.commandsPrepared == 1)
            #expect(host.statistics.commandsResumed == 4)
            #expect(host.statistics.commandsRunCold == 0)
            await host.close()
        }
        // Another process (a new host over the folder) resumes the stored start-up too.
        let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
        #expect(text(await host.invokeCommand(object: "o", functionId: "count", input: Array("e".utf8))) == "1:e")
        #expect(host.statistics.commandsPrepared == 0)
        // A changed program is a new version: started again, and its old image is gone.
        let id = try await host.objectNamed("o").id
        let images = folder.appendingPathComponent("default/\(id.hex).commands")
        let before = try FileManager.default.contentsOfDirectory(atPath: images.path)
        let changed = try WAT.parseModule(counterProgram.replacingOccurrences(of: "(i32.const 58)", with: "(i32.const 61)"))
        #expect(text(await host.invokeCommand(object: "o", functionId: "count", deploying: CommandDeployment(module: changed), input: Array("f".utf8))) == "1=f")
        #expect(host.statistics.commandsPrepared == 1)
        let after = try FileManager.default.contentsOfDirectory(atPath: images.path)
        #expect(after.count == 1 && Set(after).isDisjoint(with: before))
        // The internal tables are out of reach of the object's own SQL.
        let object = try await host.objectNamed("o")
        let refused = try await object.blockConcurrencyWhile { @Sendable object in
            (try? object.storage.sql.exec("SELECT * FROM _hearth_command_starts").raw()) == nil
        }
        #expect(refused)
        await host.close()
    }

    @Test func aStartUpCapturedByAnotherTranslatorOrWithItsImageGoneIsStartedAgain() async throws {
        let folder = try makeTemporaryDirectory()
        let module = try WAT.parseModule(counterProgram)
        let log = LogLines()
        var settings = RuntimeObjectSettings()
        settings.log = { _, line in log.append(line) }
        var host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600), settings: settings)
        #expect(text(await host.invokeCommand(object: "o", functionId: "count", deploying: CommandDeployment(module: module), input: Array("a".utf8))) == "1:a")
        let id = try await host.objectNamed("o").id
        await host.close()

        // The stored capture claims another translator: this Hearth starts the program again.
        let database = try Database(path: folder.appendingPathComponent("default/\(id.hex).sqlite").path)
        let stored = try #require(try database.scalar("SELECT execution FROM _hearth_command_starts")?.bytesValue)
        var execution = try SuspendedExecution(serialized: stored)
        execution.translator = "translator 0; handler layout 1"
        try database.query("UPDATE _hearth_command_starts SET execution = ?", [.blob(execution.serialized())])
        database.close()
        host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600), settings: settings)
        #expect(text(await host.invokeCommand(object: "o", functionId: "count", input: Array("b".utf8))) == "1:b")
        #expect(host.statistics.commandsPrepared == 1)
        #expect(log.all.contains { $0.contains("stored start-up not used") && $0.contains("another translator") })
        await host.close()

        // Its image deleted: started again as well, with the reason logged.
        let images = folder.appendingPathComponent("default/\(id.hex).commands")
        for name in try FileManager.default.contentsOfDirectory(atPath: images.path) {
            try FileManager.default.removeItem(at: images.appendingPathComponent(name))
        }
        host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600), settings: settings)
        #expect(text(await host.invokeCommand(object: "o", functionId: "count", input: Array("c".utf8))) == "1:c")
        #expect(host.statistics.commandsPrepared == 1)
        #expect(log.all.contains { $0.contains("stored start-up not used") && $0.contains("cannot be opened") })
        await host.close()
    }

    @Test func aStreamingProgramGoesOnAcrossHibernationAndAnotherProcess() async throws {
        let folder = try makeTemporaryDirectory()
        let deployment = CommandDeployment(module: try WAT.parseModule(lineCounter), mode: .lines)
        do {
            let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
            #expect(text(await host.invokeCommand(object: "o", functionId: "n", deploying: deployment, input: Array("a".utf8))) == "1a\n")
            #expect(text(await host.invokeCommand(object: "o", functionId: "n", input: Array("b".utf8))) == "2b\n")
            try await host.hibernate(object: "o")
            let c = await host.invokeCommand(object: "o", functionId: "n", input: Array("c".utf8))
            #expect(text(c) == "3c\n", "\(c)")
            await host.close()
        }
        let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
        #expect(text(await host.invokeCommand(object: "o", functionId: "n", deploying: deployment, input: Array("d".utf8))) == "4d\n")
        // Redeployed in the other mode, it is a new version: each request starts from the start-up
        // and reads to the end of its input (the second read finds none and exits).
        var perInvocation = deployment
        perInvocation.mode = .perInvocation
        #expect(text(await host.invokeCommand(object: "o", functionId: "n", deploying: perInvocation, input: Array("e".utf8))) == "1e")
        #expect(text(await host.invokeCommand(object: "o", functionId: "n", input: Array("f".utf8))) == "1f")
        await host.close()
    }

    @Test func aReactorIsEnteredByItsExportWithTheDeployedArgv() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        let deployment = CommandDeployment(module: try WAT.parseModule(argvReactor), arguments: ["--greeting", "Hi "], entry: "main")
        let response = await host.invokeCommand(object: "o", functionId: "r", deploying: deployment, input: Array("you".utf8))
        #expect(text(response) == "Hi you")
        #expect(response.exitCode == 3)  // argc, as main's result
        #expect(response.resumed)
        let missing = await host.invokeCommand(object: "o", functionId: "m", deploying: CommandDeployment(
            module: try WAT.parseModule(argvReactor), entry: "nope"), input: [])
        #expect(missing.error?.contains("nope") == true)
        await host.close()
    }

    @Test func anUnknownCommandFunctionOrAnInvalidProgramIsAClearError() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        let unknown = await host.invokeCommand(object: "o", functionId: "nope", input: [])
        #expect(unknown.error == "no command function nope is deployed")
        let invalid = await host.invokeCommand(object: "o", functionId: "bad", deploying: CommandDeployment(module: [0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), input: [])
        #expect(invalid.error?.hasPrefix("the module is not valid: ") == true)
        await host.close()
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: greetPath), "needs ../shared/real-world"))
    func theRustGreetProgramAsACommandFunctionAnswersAsAColdRunDoes() async throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: greetPath)))
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        // It reads one line (as a cold run does: see the bridge's test against cold runs).
        for (i, (name, greeted)) in [("Hearth", "Hearth"), ("", ""), ("two\nlines", "two"), ("ünïcödé", "ünïcödé")].enumerated() {
            let response = await host.invokeCommand(object: "o", functionId: "greet", deploying: i == 0 ? CommandDeployment(module: bytes) : nil,
                                                    input: Array(name.utf8))
            #expect(text(response) == "Hello, \(greeted)!\n")
            #expect(response.exitCode == 0)
            #expect(response.resumed)
        }
        await host.close()
    }
}

private let greetPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real-world/greet-wasi.rs.wasm").path
