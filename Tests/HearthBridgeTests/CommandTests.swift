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
        #expect(result.stdoutText.contains("Hello, Wasi Console!"))
        #expect(result.exitCode == 0)
    }
}
