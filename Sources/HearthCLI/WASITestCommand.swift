import ArgumentParser
import Foundation
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
            print(line)
            fflush(stdout)
        }
        if !summary.isSuccess { throw ExitCode.failure }
    }
}
