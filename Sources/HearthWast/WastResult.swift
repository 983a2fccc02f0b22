/// What happened to one command of a script.
public enum WastOutcome: Sendable, Equatable {
    case passed
    case failed(String)
    case skipped(String)
}

/// The outcome of every assertion in one script file.
public struct WastFileResult: Sendable {
    public var file: String
    /// (line, outcome) for each assertion or module command, in script order.
    public var outcomes: [(line: Int, outcome: WastOutcome)] = []

    public init(file: String) { self.file = file }

    public var passed: Int { outcomes.filter { $0.outcome == .passed }.count }
    public var failures: [(line: Int, message: String)] {
        outcomes.compactMap { if case .failed(let m) = $0.outcome { return ($0.line, m) } else { return nil } }
    }
    public var skipped: Int {
        outcomes.filter { if case .skipped = $0.outcome { return true } else { return false } }.count
    }
}
