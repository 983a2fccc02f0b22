import Foundation
import HearthWASI
import Testing

/// Runs the C hello-world guest (Tests/Guests/hello.c) with its stdout captured in memory.
@Suite struct HelloWorldTests {
    @Test func helloWorldPrintsItsLineAndExitsZero() throws {
        let (stdout, code) = try Guests.run("hello.wasm", arguments: [])
        #expect(stdout == "Hello from WebAssembly!\n")
        #expect(code == 0)
    }

    @Test func exitCodeComesFromTheGuest() throws {
        let (stdout, code) = try Guests.run("hello.wasm", arguments: ["42"])
        #expect(stdout == "Hello from WebAssembly!\n")
        #expect(code == 42)
    }

    @Test func stdoutCanGoToAHostFileDescriptor() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let output = folder.path + "/out.txt"
        FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: output))
        let configuration = WASIConfiguration(arguments: ["hello"], stdout: handle.fileDescriptor)
        let code = try WASICommand.run(path: Guests.path("hello.wasm"), configuration: configuration)
        try handle.close()
        #expect(code == 0)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "Hello from WebAssembly!\n")
    }
}
