import HearthBinary

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

    func error(_ message: String, at offset: Int) -> HearthError {
        let (line, column) = location(of: offset)
        return .text(message, line: line, column: column)
    }
}
