import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HearthRuntime
import HearthWASI

/// `hearth wasi-test`: runs WASI testsuite programs and compares with the expectations file.
struct WASITestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wasi-test",
        abstract: "Run official WASI testsuite programs (X.wasm with optional X.json) in scratch copies of their folders.")

    @Option(name: .long, help: "Known failures and skips, one 'suite/test: reason' per line; the run fails if a listed one passes.")
    var expectations: String?

    @Flag(name: .long, help: "Also print the tests that pass.")
    var verbose = false

    @Argument(help: "Test folders or .wasm files.")
    var paths: [String]

    func run() throws {
        var known = WASITestSuite.Expectations()
        if let expectations {
            known = WASITestSuite.Expectations(contents: try String(contentsOfFile: expectations, encoding: .utf8))
        }
        let summary = try WASITestSuite(expectations: known, verbose: verbose).run(paths: paths) { line in
            // Each line as it is known (a test can take long): one unbuffered write.
            HostFile.write(line + "\n", toDescriptor: 1)
        }
        if !summary.isSuccess { throw ExitCode.failure }
    }
}
