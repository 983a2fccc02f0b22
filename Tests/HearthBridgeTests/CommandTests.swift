import Foundation
import HearthBridge
import Testing

/// WASI command modules run through the generic path with their output captured.
@Suite struct CommandTests {
    @Test func theCHelloCommandsOutputIsCaptured() throws {
        let bytes = Array(try Data(contentsOf: Fixtures.guests.appendingPathComponent("hello.wasm")))
        var options = GuestOptions()
        options.arguments = ["hello", "7"]
        let result = try GuestInstance.runCommand(bytes, options: options)
        #expect(result.stdoutText == "Hello from WebAssembly!\n")
        #expect(result.exitCode == 7)
    }

    @Test(.enabled(if: Fixtures.hasDotnet, "needs ../shared/real-world/basic.dotnet.wasm"))
    func theDotnetConsoleAppsOutputIsCaptured() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.dotnetPath)))
        var options = GuestOptions()
        options.arguments = ["basic.dotnet.wasm"]
        let result = try GuestInstance.runCommand(bytes, options: options)
        #expect(result.stdoutText == "Hello, Wasi Console!\n")
        #expect(result.exitCode == 0)
    }

    /// The Rust programs of `../shared/real-world/`, as its README says they behave.
    @Test(.enabled(if: Fixtures.hasRustPrograms, "needs ../shared/real-world/*.rs.wasm"))
    func theRustProgramsBehaveAsDocumented() throws {
        let hello = Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.realWorld("hello-wasi.rs.wasm"))))
        let helloRun = try GuestInstance.runCommand(hello, options: GuestOptions())
        #expect(helloRun.stdoutText == "Hello, World!\n")
        #expect(helloRun.exitCode == 0)

        let greet = Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.realWorld("greet-wasi.rs.wasm"))))
        let greetRun = try GuestInstance.runCommand(greet, options: GuestOptions())   // empty stdin
        #expect(greetRun.stdoutText == "Hello, !\n")
        #expect(greetRun.exitCode == 0)

        var named = GuestOptions()
        named.stdin = Array("Hearth\n".utf8)
        let namedRun = try GuestInstance.runCommand(greet, options: named)
        #expect(namedRun.stdoutText == "Hello, Hearth!\n")
    }
}
