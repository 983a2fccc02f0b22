/// A malformed text module or script, with the 1-based position where the problem was found.
///
/// Messages follow the spec testsuite's wording (`unknown operator`, `unexpected token`,
/// `constant out of range`, `unknown label`, `duplicate func`, ...) so `assert_malformed` can match
/// them; anything the text layer deliberately does not implement starts with `unsupported: `.
public struct TextError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in the spec testsuite's wording (what `assert_malformed` matches).
    public var message: String
    /// The 1-based line of the problem; 0 when no position is known.
    public var line: Int
    /// The 1-based column within `line`, counted in UTF-8 bytes; 0 when no position is known.
    public var column: Int

    /// An error saying `message` at `line`:`column`; leave both 0 when there is no position, which
    /// `description` then omits.
    public init(_ message: String, line: Int = 0, column: Int = 0) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        line > 0 ? "\(line):\(column): \(message)" : message
    }
}

/// Positions are stored as byte offsets; line and column are only computed when an error is
/// reported, which keeps tokenising linear and allocation free.
struct SourceLocator {
    let source: [UInt8]

    func location(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, source.count)
        while index < end {
            if source[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }

    func error(_ message: String, at offset: Int) -> TextError {
        let (line, column) = location(of: offset)
        return TextError(message, line: line, column: column)
    }
}
