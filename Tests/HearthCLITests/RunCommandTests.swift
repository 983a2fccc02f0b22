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
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("hearth")
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
}
