/// What happened to one command of a script.
public enum WastOutcome: Sendable, Equatable {
    case passed
    case failed(String)
    case skipped(String)
}

/// The outcome of every assertion in one script file.
public struct WastFileResult: Sendable {
    /// The script's name, as failures are reported (the runner gives the file name, no folder).
    public var file: String
    /// (line, outcome) for each assertion or module command, in script order.
    public var outcomes: [(line: Int, outcome: WastOutcome)] = []

    /// An empty result for script `file`, before any command has run.
    public init(file: String) { self.file = file }

    /// How many commands passed (modules that loaded, assertions that held).
    public var passed: Int { outcomes.filter { $0.outcome == .passed }.count }
    /// The line and message of each failed command, in script order; line 0 means the script
    /// could not be parsed or the `spectest` module not set up.
    public var failures: [(line: Int, message: String)] {
        outcomes.compactMap { if case .failed(let m) = $0.outcome { return ($0.line, m) } else { return nil } }
    }
    /// How many commands were skipped.
    public var skipped: Int {
        outcomes.filter { if case .skipped = $0.outcome { return true } else { return false } }.count
    }
}
