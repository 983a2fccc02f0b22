#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HearthBinary
import HearthRuntime

/// Runs many script files, compares them with the expectations and reports, so that
/// `hearth wast` is a thin shell over it.
public struct ConformanceRun {
    /// Script files and folders of them; a folder's `.wast` files run in name order, not
    /// recursively.
    public var paths: [String]
    /// The WebAssembly features each script's engine enables (WebAssembly 3.0 by default).
    public var features: FeatureSet
    /// File name prefixes to leave out when expanding folders (e.g. `simd_`).
    public var excludedPrefixes: [String]
    /// The known failures: a listed test that passes fails the run, like an unlisted failure.
    public var expectations: Expectations
    /// Whether to print known failures and skipped commands too, not only unexpected failures.
    public var verbose: Bool

    /// A run over `paths`; nothing is read until `scriptFiles()` or `run(print:)`.
    public init(paths: [String], features: FeatureSet = .default, excludedPrefixes: [String] = [],
                expectations: Expectations = Expectations(), verbose: Bool = false) {
        self.paths = paths
        self.features = features
        self.excludedPrefixes = excludedPrefixes
        self.expectations = expectations
        self.verbose = verbose
    }

    /// The summary of a run; `isSuccess` is false on any unexpected result.
    public struct Summary {
        /// Commands that passed, failed (known or not) and were skipped, over every script.
        public var passed = 0, failed = 0, skipped = 0
        /// The `file.wast:line` key of each failure the expectations do not list.
        public var unexpectedFailures: [String] = []
        /// The `file.wast:line` key of each listed failure that passed: to remove from the list.
        public var unexpectedPasses: [String] = []
        /// Whether every outcome matched the expectations and no command was skipped.
        public var isSuccess: Bool { unexpectedFailures.isEmpty && unexpectedPasses.isEmpty && skipped == 0 }
    }

    /// Every `.wast` file named by `paths`, folders expanded (not recursively), sorted.
    public func scriptFiles() throws -> [String] {
        var files: [String] = []
        for path in paths {
            guard let isDirectory = HostFile.isDirectory(path) else {
                throw WastError("no such file or folder: \(path)")
            }
            if isDirectory {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                    .filter { $0.hasSuffix(".wast") && !excludedPrefixes.contains(where: $0.hasPrefix) }
                    .sorted()
                files += names.map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Runs the scripts, printing one line per file (and every failure), then the totals.
    public func run(print: (String) -> Void) throws -> Summary {
        var summary = Summary()
        for path in try scriptFiles() {
            let name = HostFile.name(of: path)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let result = WastRunner.run(text: text, file: name, features: features)
            var unexpected = 0
            for (line, outcome) in result.outcomes {
                let known = expectations.isKnownFailure(file: name, line: line)
                switch outcome {
                case .passed:
                    summary.passed += 1
                    if known { summary.unexpectedPasses.append(Expectations.key(file: name, line: line)) }
                case .failed(let message):
                    summary.failed += 1
                    if !known {
                        unexpected += 1
                        summary.unexpectedFailures.append(Expectations.key(file: name, line: line))
                        print("  FAIL \(name):\(line): \(message)")
                    } else if verbose {
                        print("  known failure \(name):\(line): \(message)")
                    }
                case .skipped(let why):
                    summary.skipped += 1
                    if verbose { print("  skip \(name):\(line): \(why)") }
                }
            }
            print("\(name): \(result.passed) passed, \(result.failures.count) failed, \(result.skipped) skipped"
                  + (unexpected > 0 ? " (\(unexpected) unexpected)" : ""))
        }
        for key in summary.unexpectedPasses {
            print("  PASS of a listed failure \(key): remove it from the expectations file")
        }
        print("\(summary.passed) passed, \(summary.failed) failed, \(summary.skipped) skipped")
        return summary
    }
}
