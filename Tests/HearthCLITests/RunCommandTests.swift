import Foundation
import Testing

/// `hearth run` as a user runs it: the built `hearth` executable (this test target depends on
/// it, so it sits beside the test runner) in a child process, on the small programs in
/// `Tests/Guests/wat`.
struct RunCommandTests {
    static let guests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Guests/wat").path

    /// Runs `hearth ARGUMENTS...`; answers its exit status, stdout and stderr.
    func hearth(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try run(Self.products.appendingPathComponent("hearth"), arguments)
    }

    /// The folder of the built executables (the test runner's own).
    static let products = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()

    /// Runs `executable ARGUMENTS...`; answers its exit status, stdout and stderr.
    func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let child = Process()
        child.executableURL = executable
        child.arguments = arguments
        let output = Pipe(), error = Pipe()
        child.standardOutput = output
        child.standardError = error
        try child.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        return (child.terminationStatus, String(decoding: out, as: UTF8.self).trimmingCharacters(in: .newlines),
                String(decoding: err, as: UTF8.self).trimmingCharacters(in: .newlines))
    }

    @Test func aWebAssembly3GCProgramRunsWithNoFeatureFlags() throws {
        let run = try hearth("run", "\(Self.guests)/gc-point.wat")
        #expect(run.status == 0)
        #expect(run.output == "42")
    }

    @Test func aReactorIsInitializedBeforeTheInvokedExport() throws {
        let run = try hearth("run", "--invoke", "ready", "\(Self.guests)/reactor.wat")
        #expect(run.output == "1")
    }

    @Test func anExitStatusPast255ExitsWith255NotSuccess() throws {
        #expect(try hearth("run", "\(Self.guests)/exit-256.wat").status == 255)
    }

    @Test func aMissingFileIsReportedInOneLine() throws {
        let run = try hearth("run", "no-such-module.wasm")
        #expect(run.status != 0)
        #expect(run.error == "Error: no such file: no-such-module.wasm")
    }

    @Test func preloadLinksAnotherModulesExportsAsImports() throws {
        let run = try hearth("run", "--preload", "lib=\(Self.guests)/preload-lib.wat", "--invoke", "run",
                             "\(Self.guests)/preload-main.wat")
        #expect(run.output == "42")
    }

    @Test func stringAndBytesArgumentsAreCopiedIntoTheGuest() throws {
        #expect(try hearth("run", "--invoke", "count_a", "\(Self.guests)/bytes-args.wat", "str:banana").output == "3")
        #expect(try hearth("run", "--invoke", "sum", "\(Self.guests)/bytes-args.wat", "hex:01020a", "100").output == "113")
    }

    @Test func guestArgvComesWithInvoke() throws {
        #expect(try hearth("run", "--arg", "x", "--arg", "y", "--invoke", "argc", "\(Self.guests)/bytes-args.wat").output == "3")
    }

    @Test func optionsAfterTheFileBelongToTheGuestWithOrWithoutHearthOptionsBeforeIt() throws {
        // The plain form skips the parser (`ModuleRun.plain`); both must give the guest the same argv.
        #expect(try hearth("run", "\(Self.guests)/argc-exit.wat", "--fuel", "0", "x").status == 4)
        #expect(try hearth("run", "--fuel", "1000", "\(Self.guests)/argc-exit.wat", "--fuel", "0", "x").status == 4)
        #expect(try hearth("run", "--fuel", "0", "\(Self.guests)/argc-exit.wat").status == 134)
    }

    @Test func theHostCommandsRunInHearthHostWithTheirArguments() throws {
        // `deploy` and `invoke` are hearth-host's: their help and their own option checks answer.
        let deploy = try hearth("deploy", "--help")
        #expect(deploy.status == 0)
        #expect(deploy.output.contains("USAGE: hearth deploy <subcommand>"))
        #expect(deploy.output.contains("Store a runtime module under a name."))
        let invoke = try hearth("invoke", "demo", "hello", "--runtime", "r.wasm")
        #expect(invoke.status != 0)
        #expect(invoke.error.contains("--runtime and --assembly need --entry-point"))
        // `hearth help deploy`, as `hearth --help` suggests, is `deploy --help`.
        #expect(try hearth("help", "deploy").output == deploy.output)
        // And `hearth --help` says where they went.
        #expect(try hearth("--help").output.contains("serve, deploy, invoke, are run by hearth-host"))
    }

    @Test func aHostCommandWithoutHearthHostBesideHearthFailsInOneLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let alone = folder.appendingPathComponent("hearth")
        try FileManager.default.copyItem(at: Self.products.appendingPathComponent("hearth"), to: alone)
        let serve = try run(alone, ["serve", "--port", "1"])
        #expect(serve.status == 1)
        #expect(serve.error == "Error: `hearth serve` is run by hearth-host, expected at \(folder.path)/hearth-host: "
            + "No such file or directory (build it with `swift build -c release --product hearth-host` and keep it beside hearth)")
        // Running a module needs nothing beside it.
        #expect(try run(alone, ["run", "\(Self.guests)/gc-point.wat"]).output == "42")
    }
}
