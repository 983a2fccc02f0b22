import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HearthWast

/// `hearth wast`: run spec test scripts and compare with the expectations file.
struct WastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wast",
        abstract: "Run WebAssembly spec scripts (.wast files or folders of them).")

    @OptionGroup var featureOption: FeatureOption

    @Option(name: .long, help: "Known failures, one file.wast:line per line; the run fails if one of them passes.")
    var expectations: String?

    @Option(name: .long, help: "Leave out files whose name starts with this prefix (repeatable), e.g. simd_.")
    var exclude: [String] = []

    @Flag(name: .long, help: "Also print skipped tests and known failures.")
    var verbose = false

    @Argument(help: "Script files or folders.")
    var paths: [String]

    func run() throws {
        var known = Expectations()
        if let expectations {
            known = Expectations(contents: try String(contentsOfFile: expectations, encoding: .utf8))
        }
        let run = ConformanceRun(paths: paths, features: try featureOption.featureSet(),
                                 excludedPrefixes: exclude, expectations: known, verbose: verbose)
        let summary = try run.run { print($0) }
        if !summary.isSuccess { throw ExitCode.failure }
    }
}
