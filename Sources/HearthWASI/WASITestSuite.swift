#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HearthRuntime

/// Runs programs of the official WASI testsuite (WebAssembly/wasi-testsuite layout): every
/// `X.wasm` in a folder is a test, with an optional `X.json` giving its arguments, environment,
/// preopened directories and expected exit code and output.
///
/// Tests run in a scratch copy of their folder, so files they create never land in the suite.
public struct WASITestSuite {
    /// One test's outcome.
    public enum Outcome: Equatable {
        case passed
        case failed(String)
        case skipped(String)
    }

    /// Known failures and skips: `id: reason` lines (`#` starts a comment). A reason that starts
    /// with `skip` means the test is not run at all.
    public struct Expectations {
        /// Test identifier (such as `rust/symlink_loop`) → why it is expected to fail, or be
        /// skipped.
        public var reasons: [String: String] = [:]
        /// No expectations: every test is expected to pass.
        public init() {}
        /// Parses an expectations file; an identifier with no reason after it gets "known failure".
        public init(contents: String) {
            for line in contents.split(separator: "\n") {
                let text = Self.trimmed(line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                guard !text.isEmpty else { continue }
                let parts = text.split(separator: ":", maxSplits: 1)
                reasons[Self.trimmed(parts[0])] = parts.count > 1 ? Self.trimmed(parts[1]) : "known failure"
            }
        }

        /// `text` without the spaces and tabs around it.
        static func trimmed(_ text: Substring) -> String {
            let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
            return String(text.drop(while: blank).reversed().drop(while: blank).reversed())
        }
    }

    /// The totals of a run and whether it matched the expectations.
    public struct Summary {
        /// Tests that passed, failed (listed or not) and were skipped.
        public var passed = 0, failed = 0, skipped = 0
        /// Failures not listed in the expectations, and listed ones that passed.
        public var surprises: [String] = []
        /// Whether every outcome matched the expectations; skipped tests do not count against it.
        public var isSuccess: Bool { surprises.isEmpty }
        /// The totals as one line: "N passed, N failed, N skipped".
        public var line: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
    }

    /// Which tests are known to fail and which are not to be run.
    public var expectations: Expectations
    /// Whether to report passing tests too, not only failures, known failures and skips.
    public var verbose: Bool

    /// A suite runner; with no expectations, every test must pass.
    public init(expectations: Expectations = Expectations(), verbose: Bool = false) {
        self.expectations = expectations
        self.verbose = verbose
    }

    /// Runs the tests in `paths` (folders of tests or single .wasm files), reporting a line per
    /// test and the summary line through `report`.
    public func run(paths: [String], report: (String) -> Void) throws -> Summary {
        var summary = Summary()
        for (folder, names) in try Self.collect(paths) {
            let scratch = try Self.scratchCopy(of: folder)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            for name in names {
                let id = Self.identifier(folder: folder, name: name)
                let known = expectations.reasons[id]
                if let known, known.lowercased().hasPrefix("skip") {
                    summary.skipped += 1
                    report("SKIP \(id): \(known)")
                    continue
                }
                let outcome = Self.runTest(named: name, in: scratch)
                switch (outcome, known) {
                case (.passed, nil):
                    summary.passed += 1
                    if verbose { report("PASS \(id)") }
                case (.passed, let reason?):
                    summary.passed += 1
                    summary.surprises.append(id)
                    report("UNEXPECTED PASS \(id) (listed: \(reason))")
                case (.failed(let why), nil):
                    summary.failed += 1
                    summary.surprises.append(id)
                    report("FAIL \(id): \(why)")
                case (.failed(let why), let reason?):
                    summary.failed += 1
                    report("KNOWN FAIL \(id): \(why) (listed: \(reason))")
                case (.skipped(let why), _):
                    summary.skipped += 1
                    report("SKIP \(id): \(why)")
                }
            }
        }
        report(summary.line)
        return summary
    }

    /// Test names grouped by folder, in a stable order.
    static func collect(_ paths: [String]) throws -> [(String, [String])] {
        var groups: [(String, [String])] = []
        let fm = FileManager.default
        for path in paths {
            guard let isDirectory = HostFile.isDirectory(path) else {
                throw HearthError.io("no such test or folder: \(path)")
            }
            if isDirectory {
                let names = try fm.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".wasm") }
                    .map { String($0.dropLast(5)) }.sorted()
                groups.append((path, names))
            } else {
                let url = URL(fileURLWithPath: path)
                groups.append((url.deletingLastPathComponent().path, [url.deletingPathExtension().lastPathComponent]))
            }
        }
        return groups
    }

    /// `rust/symlink_loop` for `.../tests/rust/testsuite/wasm32-wasip1/symlink_loop.wasm`;
    /// otherwise the folder's own name and the test name.
    public static func identifier(folder: String, name: String) -> String {
        let parts = URL(fileURLWithPath: folder).standardizedFileURL.pathComponents
        if let i = parts.lastIndex(of: "tests"), i + 1 < parts.count { return "\(parts[i + 1])/\(name)" }
        return "\(parts.last ?? "")/\(name)"
    }

    /// Copies a test folder to a fresh temporary folder, made writable (the suite's data may be
    /// read-only).
    static func scratchCopy(of folder: String) throws -> String {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("hearth-wasi-test-\(UUID().uuidString)").path
        try fm.copyItem(atPath: folder, toPath: scratch)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch)
        for item in try fm.subpathsOfDirectory(atPath: scratch) {
            let path = scratch + "/" + item
            guard let isDirectory = HostFile.isDirectory(path) else { continue }
            try fm.setAttributes([.posixPermissions: isDirectory ? 0o755 : 0o644], ofItemAtPath: path)
        }
        return scratch
    }

    /// Deletes every `*.cleanup` file or folder under `folder`.
    static func removeCleanupFiles(in folder: String) {
        let fm = FileManager.default
        for item in (try? fm.subpathsOfDirectory(atPath: folder)) ?? [] where item.hasSuffix(".cleanup") {
            try? fm.removeItem(atPath: folder + "/" + item)
        }
    }

    /// The JSON specification beside a test.
    struct Specification: Decodable {
        var args: [String]?
        var env: [String: String]?
        var dirs: [String]?
        var root: String?
        var exit_code: Int?
        var stdout: String?
        var stderr: String?
    }

    static func runTest(named name: String, in folder: String) -> Outcome {
        removeCleanupFiles(in: folder)
        let specification: Specification
        do {
            let jsonPath = folder + "/" + name + ".json"
            if FileManager.default.fileExists(atPath: jsonPath) {
                specification = try JSONDecoder().decode(Specification.self, from: Data(contentsOf: URL(fileURLWithPath: jsonPath)))
            } else {
                specification = Specification()
            }
        } catch {
            return .failed("bad test specification: \(error)")
        }
        let stdout = WASIOutputBuffer(), stderr = WASIOutputBuffer()
        var configuration = WASIConfiguration(
            arguments: [name + ".wasm"] + (specification.args ?? []),
            environment: (specification.env ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        configuration.stdin = .bytes([])
        configuration.stdout = .capture(stdout)
        configuration.stderr = .capture(stderr)
        if let root = specification.root {
            configuration.preopens.append(WASIPreopen(hostPath: folder + "/" + root, guestPath: "/"))
        }
        for dir in specification.dirs ?? [] {
            configuration.preopens.append(WASIPreopen(hostPath: folder + "/" + dir, guestPath: dir))
        }

        let code: UInt32
        do {
            code = try WASICommand.run(path: folder + "/" + name + ".wasm", configuration: configuration)
        } catch {
            return .failed("\(error)" + (stderr.bytes.isEmpty ? "" : "; stderr: \(stderr.text.suffix(300))"))
        }
        defer { removeCleanupFiles(in: folder) }
        let expectedCode = specification.exit_code ?? 0
        if Int(code) != expectedCode {
            return .failed("exit code \(code), expected \(expectedCode)" + (stderr.bytes.isEmpty ? "" : "; stderr: \(stderr.text.suffix(300))"))
        }
        if let expected = specification.stdout, stdout.text != expected {
            return .failed("stdout \(stdout.text.debugDescription), expected \(expected.debugDescription)")
        }
        if let expected = specification.stderr, stderr.text != expected {
            return .failed("stderr \(stderr.text.debugDescription), expected \(expected.debugDescription)")
        }
        return .passed
    }
}
