import HearthBinary

/// A position in a token array with the small vocabulary every parser here needs: peeking at
/// keywords, consuming expected tokens and reporting errors at the current token.
struct TokenCursor {
    let lexer: Lexer
    var index: Int
    /// One past the last token this cursor may read.
    var limit: Int

    init(lexer: Lexer, index: Int = 0, limit: Int? = nil) {
        self.lexer = lexer
        self.index = index
        self.limit = limit ?? lexer.tokens.count
    }

    var atEnd: Bool { index >= limit }

    var current: Token? { index < limit ? lexer.tokens[index] : nil }

    func peek(_ offset: Int = 0) -> Token? {
        index + offset < limit ? lexer.tokens[index + offset] : nil
    }

    func error(_ message: String) -> HearthError {
        let offset = current?.start ?? (limit > 0 && limit <= lexer.tokens.count ? lexer.tokens[limit - 1].start : lexer.source.count)
        return SourceLocator(source: lexer.source).error(message, at: offset)
    }

    func error(_ message: String, at token: Token) -> HearthError {
        SourceLocator(source: lexer.source).error(message, at: token.start)
    }

    // MARK: Classification

    var isLeftParen: Bool { current?.kind == .leftParen }
    var isRightParen: Bool { current?.kind == .rightParen }

    /// The text of the current atom, if the current token is one.
    var atom: String? {
        guard let token = current, token.kind == .atom else { return nil }
        return lexer.text(token)
    }

    /// Whether the current token is `(` followed by the given keyword.
    func isForm(_ keyword: String) -> Bool {
        guard let open = peek(), open.kind == .leftParen, let word = peek(1), word.kind == .atom else { return false }
        return lexer.text(word) == keyword
    }

    /// The keyword after the current `(`, if any.
    var formKeyword: String? {
        guard let open = peek(), open.kind == .leftParen, let word = peek(1), word.kind == .atom else { return nil }
        return lexer.text(word)
    }

    func isAtom(_ keyword: String) -> Bool { atom == keyword }

    /// Whether the current token can be an index: a `$id` or an unsigned number.
    var isIndex: Bool {
        guard let token = current else { return false }
        if token.kind == .id { return true }
        guard token.kind == .atom else { return false }
        let first = lexer.source[token.start]
        return first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")
    }

    // MARK: Consuming

    mutating func advance() { index += 1 }

    mutating func expectLeftParen() throws {
        guard isLeftParen else { throw error("unexpected token") }
        index += 1
    }

    mutating func expectRightParen() throws {
        guard isRightParen else { throw error("unexpected token") }
        index += 1
    }

    mutating func expectAtom() throws -> String {
        guard let text = atom else { throw error("unexpected token") }
        index += 1
        return text
    }

    mutating func expectKeyword(_ keyword: String) throws {
        guard isAtom(keyword) else { throw error("unexpected token") }
        index += 1
    }

    /// Consumes `(keyword`, leaving the cursor inside the form.
    mutating func enterForm(_ keyword: String) throws {
        guard isForm(keyword) else { throw error("unexpected token") }
        index += 2
    }

    /// Consumes a `$id` if present and returns its name.
    mutating func optionalID() throws -> String? {
        guard let token = current, token.kind == .id else { return nil }
        index += 1
        return try idName(token)
    }

    /// The name of an id token, without the `$`; quoted ids must be valid UTF-8.
    func idName(_ token: Token) throws -> String {
        if token.payload >= 0 {
            let bytes = lexer.strings[token.payload]
            guard let name = String(validating: bytes, as: UTF8.self) else {
                throw error("malformed UTF-8 encoding", at: token)
            }
            return name
        }
        return String(decoding: lexer.source[(token.start + 1)..<token.end], as: UTF8.self)
    }

    var isString: Bool { current?.kind == .string }

    mutating func expectString() throws -> [UInt8] {
        guard let token = current, token.kind == .string else { throw error("unexpected token") }
        index += 1
        return lexer.strings[token.payload]
    }

    /// A string that must be valid UTF-8 (import/export names).
    mutating func expectName() throws -> String {
        let token = current
        let bytes = try expectString()
        guard let name = String(validating: bytes, as: UTF8.self) else {
            throw error("malformed UTF-8 encoding", at: token!)
        }
        return name
    }

    /// Concatenated strings until the next non-string token (data segment contents).
    mutating func strings() -> [UInt8] {
        var bytes: [UInt8] = []
        while let token = current, token.kind == .string {
            bytes.append(contentsOf: lexer.strings[token.payload])
            index += 1
        }
        return bytes
    }

    /// Skips the s-expression starting at the current `(`.
    mutating func skipForm() {
        guard let token = current, token.kind == .leftParen else { index += 1; return }
        index = token.payload + 1
    }

    /// The index of the `)` matching the current `(`.
    var matchingParen: Int { lexer.tokens[index].payload }
}
