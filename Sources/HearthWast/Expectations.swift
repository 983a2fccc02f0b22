/// The list of known conformance failures (`Conformance/expectations-*.txt`).
///
/// One `file.wast:line` per line, `#` starts a comment. The runner fails when a listed test
/// passes as well as when an unlisted one fails, so the list can only shrink.
public struct Expectations: Sendable {
    /// The listed `file.wast:line` entries, in the form `key(file:line:)` makes.
    public private(set) var knownFailures: Set<String> = []

    /// An empty list: every command is expected to pass.
    public init() {}

    /// Parses the text of an expectations file; comments and blank lines are ignored.
    public init(contents: String) {
        for rawLine in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let entry = line.trimmingCharacters(in: " \t\r")
            if !entry.isEmpty { knownFailures.insert(entry) }
        }
    }

    /// The entry naming the command at `line` of script `file` (a file name, without its folder).
    public static func key(file: String, line: Int) -> String { "\(file):\(line)" }

    /// Whether the command at `line` of script `file` is listed as failing.
    public func isKnownFailure(file: String, line: Int) -> Bool {
        knownFailures.contains(Self.key(file: file, line: line))
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
