import HearthBinary

/// One token of the text format. Keywords, numbers and reserved words are all `atom`s: which of
/// them a token is depends on where it appears, so the parser classifies atoms, not the lexer.
struct Token {
    enum Kind: UInt8 { case leftParen, rightParen, atom, id, string }

    var kind: Kind
    /// Byte range in the source (for strings and quoted ids, including the quotes).
    var start: Int
    var end: Int
    /// For `(`: index of the matching `)`; for strings and quoted ids: index into `Lexer.strings`.
    var payload: Int = -1
}

/// Splits UTF-8 source into tokens in one linear pass, decoding string escapes into raw bytes and
/// matching parentheses so parsers can skip whole s-expressions in O(1).
struct Lexer {
    let source: [UInt8]
    private(set) var tokens: [Token] = []
    /// Decoded contents of string literals and quoted identifiers.
    private(set) var strings: [[UInt8]] = []
    /// The annotations the parser interprets (`@custom`, `@name`, `@metadata.code.*`); all
    /// others are dropped unseen.
    private(set) var annotations: [Annotation] = []

    /// An annotation kept for the parser, outside the token stream.
    struct Annotation {
        /// The name after `@`.
        var name: String
        /// Its tokens between the name and the closing `)` (their parentheses unmatched).
        var body: [Token]
        /// Index in `tokens` of the token that follows it, and of the `(` of the form it sits
        /// in (-1: at the top level).
        var anchor: Int
        var parent: Int
        /// Where it starts in the source, for errors.
        var start: Int
    }

    static let interpretedAnnotations: Set<String> = ["custom", "name", "metadata.code.branch_hint"]

    init(source: [UInt8]) throws {
        self.source = source
        try run()
    }

    private var locator: SourceLocator { SourceLocator(source: source) }

    static func isIdChar(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            // ! # $ % & ' * + - . / : < = > ? @ \ ^ _ ` | ~
            return "!#$%&'*+-./:<=>?@\\^_`|~".utf8.contains(c)
        }
    }

    private mutating func run() throws {
        var openParens: [Int] = []
        // Annotations `(@id ...)` (3.0 text format) are lexed like everything else, then
        // dropped: the `(` of each open one, and whether any was seen.
        var openAnnotations: [Int] = []
        var annotationRanges: [ClosedRange<Int>] = []
        var i = 0
        let n = source.count
        tokens.reserveCapacity(n / 4)
        while i < n {
            let c = source[i]
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: ";") where !(i + 1 < n && source[i + 1] == UInt8(ascii: ";")) && !openAnnotations.isEmpty:
                // Inside an annotation, a lone `;` is a reserved token.
                tokens.append(Token(kind: .atom, start: i, end: i + 1))
                i += 1
            case UInt8(ascii: ";"):
                guard i + 1 < n, source[i + 1] == UInt8(ascii: ";") else {
                    throw locator.error("unexpected character", at: i)
                }
                while i < n && source[i] != UInt8(ascii: "\n") && source[i] != UInt8(ascii: "\r") { i += 1 }
            case UInt8(ascii: "("):
                if i + 1 < n && source[i + 1] == UInt8(ascii: ";") {
                    i = try skipBlockComment(from: i)
                } else if i + 1 < n && source[i + 1] == UInt8(ascii: "@") && openAnnotations.isEmpty {
                    // (Inside an annotation, `(@...` is just more of its tokens.)
                    openParens.append(tokens.count)
                    openAnnotations.append(tokens.count)
                    tokens.append(Token(kind: .leftParen, start: i, end: i + 1))
                    i = try annotationName(from: i + 1)
                } else {
                    openParens.append(tokens.count)
                    tokens.append(Token(kind: .leftParen, start: i, end: i + 1))
                    i += 1
                }
            case UInt8(ascii: ")"):
                // An unmatched `)` can only sit at the top level, where every parser rejects a
                // token that is not `(`; it is left to them so that errors in the forms before
                // it are reported first, in source order.
                if let open = openParens.popLast() {
                    tokens[open].payload = tokens.count
                    if openAnnotations.last == open {
                        openAnnotations.removeLast()
                        annotationRanges.append(open...tokens.count)
                    }
                }
                tokens.append(Token(kind: .rightParen, start: i, end: i + 1))
                i += 1
            case UInt8(ascii: "\""):
                let (bytes, end) = try readString(from: i)
                strings.append(bytes)
                tokens.append(Token(kind: .string, start: i, end: end, payload: strings.count - 1))
                i = end
            case UInt8(ascii: "$") where i + 1 < n && source[i + 1] == UInt8(ascii: "\""):
                // A quoted identifier `$"..."`: the name is the string's content. A string that
                // is no string token (a raw control character in it) leaves a bare `$`.
                let bytes: [UInt8], end: Int
                do {
                    (bytes, end) = try readString(from: i + 1)
                } catch let error as HearthError where error.message == "illegal character in string" {
                    throw locator.error("empty identifier", at: i)
                }
                guard !bytes.isEmpty else { throw locator.error("empty identifier", at: i) }
                strings.append(bytes)
                tokens.append(Token(kind: .id, start: i, end: end, payload: strings.count - 1))
                i = end
            default:
                let inAnnotation = !openAnnotations.isEmpty
                guard Lexer.isIdChar(c) || (inAnnotation && Lexer.isReservedChar(c)) else {
                    guard inAnnotation else { throw locator.error("unexpected character", at: i) }
                    throw locator.error(c >= 0x80 && !startsScalar(at: i) ? "malformed UTF-8 encoding" : "illegal character", at: i)
                }
                let start = i
                while i < n && (Lexer.isIdChar(source[i]) || (inAnnotation && Lexer.isReservedChar(source[i]))) { i += 1 }
                if c == UInt8(ascii: "$") {
                    guard i > start + 1 else { throw locator.error("empty identifier", at: start) }
                    tokens.append(Token(kind: .id, start: start, end: i))
                } else {
                    tokens.append(Token(kind: .atom, start: start, end: i))
                }
            }
        }
        if let open = openAnnotations.first {
            throw locator.error("unclosed annotation", at: tokens[open].start)
        }
        // Where the innermost open parenthesis is, read before the annotations' tokens go: the
        // indices in `openParens` are into the tokens as they are now.
        let unclosed = openParens.last.map { tokens[$0].start }
        if !annotationRanges.isEmpty { dropAnnotations(annotationRanges) }
        try checkSeparation()
        if let unclosed { throw locator.error("unclosed parenthesis", at: unclosed) }
    }

    /// Whether a well-formed UTF-8 sequence starts at `i`.
    private func startsScalar(at i: Int) -> Bool {
        var bytes = source[i..<min(i + 4, source.count)].makeIterator()
        var decoder = UTF8()
        if case .scalarValue = decoder.decode(&bytes) { return true }
        return false
    }

    /// The characters that may join identifier characters in a reserved token (3.0).
    static func isReservedChar(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ",") || c == UInt8(ascii: ";") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]")
            || c == UInt8(ascii: "{") || c == UInt8(ascii: "}")
    }

    /// Reads an annotation's name after `(`, at the `@`: identifier characters or a string,
    /// not empty. Appends it as an atom; returns the offset after it.
    private mutating func annotationName(from at: Int) throws -> Int {
        var i = at + 1
        if i < source.count && source[i] == UInt8(ascii: "\"") {
            let bytes: [UInt8], end: Int
            do {
                (bytes, end) = try readString(from: i)
            } catch let error as HearthError where error.message == "illegal character in string" {
                throw locator.error("empty annotation id", at: at)
            }
            guard !bytes.isEmpty else { throw locator.error("empty annotation id", at: at) }
            var iterator = bytes.makeIterator()
            var decoder = UTF8()
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue: continue
                case .emptyInput: break decoding
                case .error: throw locator.error("malformed UTF-8 encoding", at: at)
                }
            }
            tokens.append(Token(kind: .atom, start: at, end: end))
            return end
        }
        while i < source.count && Lexer.isIdChar(source[i]) { i += 1 }
        guard i > at + 1 else { throw locator.error("empty annotation id", at: at) }
        tokens.append(Token(kind: .atom, start: at, end: i))
        return i
    }

    /// Removes the annotations' tokens (they may nest) and re-matches the parentheses left.
    private mutating func dropAnnotations(_ ranges: [ClosedRange<Int>]) {
        var keep = [Bool](repeating: true, count: tokens.count)
        for range in ranges { for k in range { keep[k] = false } }
        var kept: [Token] = []
        kept.reserveCapacity(tokens.count)
        var open: [Int] = []
        let starts = Dictionary(ranges.map { ($0.lowerBound, $0) }, uniquingKeysWith: { a, _ in a })
        for (k, token) in tokens.enumerated() {
            if let range = starts[k], k + 1 < tokens.count {
                let name = String(decoding: source[(tokens[k + 1].start + 1)..<tokens[k + 1].end], as: UTF8.self)
                if Lexer.interpretedAnnotations.contains(name) {
                    annotations.append(Annotation(name: name, body: Array(tokens[(k + 2)..<range.upperBound]),
                                                  anchor: kept.count, parent: open.last ?? -1, start: token.start))
                }
            }
            guard keep[k] else { continue }
            var token = token
            if token.kind == .leftParen {
                token.payload = -1
                open.append(kept.count)
            } else if token.kind == .rightParen, let o = open.popLast() {
                kept[o].payload = kept.count
            }
            kept.append(token)
        }
        tokens = kept
    }

    /// Tokens other than parentheses must be separated by whitespace or comments: `$l"a"` and
    /// `"a""b"` are not two tokens but one malformed one.
    private func checkSeparation() throws {
        guard tokens.count > 1 else { return }
        for i in 1..<tokens.count {
            let previous = tokens[i - 1]
            let token = tokens[i]
            if previous.end == token.start,
               previous.kind != .leftParen, previous.kind != .rightParen,
               token.kind != .leftParen, token.kind != .rightParen {
                throw locator.error("unknown operator", at: previous.start)
            }
        }
    }

    /// Skips a (possibly nested) block comment starting at `(;`, returning the offset after it.
    private func skipBlockComment(from start: Int) throws -> Int {
        var depth = 0
        var i = start
        let n = source.count
        while i + 1 < n {
            if source[i] == UInt8(ascii: "(") && source[i + 1] == UInt8(ascii: ";") {
                depth += 1
                i += 2
            } else if source[i] == UInt8(ascii: ";") && source[i + 1] == UInt8(ascii: ")") {
                depth -= 1
                i += 2
                if depth == 0 { return i }
            } else {
                i += 1
            }
        }
        throw locator.error("unclosed comment", at: start)
    }

    /// Decodes a string literal starting at its opening quote into raw bytes.
    private func readString(from start: Int) throws -> ([UInt8], Int) {
        var bytes: [UInt8] = []
        var i = start + 1
        let n = source.count
        while true {
            guard i < n else { throw locator.error("unclosed string", at: start) }
            let c = source[i]
            if c == UInt8(ascii: "\"") { return (bytes, i + 1) }
            if c < 0x20 || c == 0x7F { throw locator.error("illegal character in string", at: i) }
            if c != UInt8(ascii: "\\") {
                bytes.append(c)
                i += 1
                continue
            }
            guard i + 1 < n else { throw locator.error("unclosed string", at: start) }
            let e = source[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): bytes.append(e)
            case UInt8(ascii: "u"):
                guard i < n, source[i] == UInt8(ascii: "{") else {
                    throw locator.error("illegal escape", at: i - 2)
                }
                var j = i + 1
                var value: UInt32 = 0
                var digits = 0
                var lastWasDigit = false
                while j < n, source[j] != UInt8(ascii: "}") {
                    if source[j] == UInt8(ascii: "_") && lastWasDigit {
                        lastWasDigit = false
                        j += 1
                        continue
                    }
                    guard let d = hexValue(source[j]) else { throw locator.error("illegal escape", at: j) }
                    value = value &* 16 &+ UInt32(d)
                    digits += 1
                    lastWasDigit = true
                    guard digits <= 8 else { throw locator.error("illegal escape", at: j) }
                    j += 1
                }
                guard j < n, digits > 0, lastWasDigit,
                      let scalar = Unicode.Scalar(value) else {
                    throw locator.error("illegal escape", at: i)
                }
                bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
                i = j + 1
            default:
                guard let high = hexValue(e), i < n, let low = hexValue(source[i]) else {
                    throw locator.error("illegal escape", at: i - 2)
                }
                bytes.append(high << 4 | low)
                i += 1
            }
        }
    }

    /// The text of an atom or plain id token.
    func text(_ token: Token) -> String {
        String(decoding: source[token.start..<token.end], as: UTF8.self)
    }
}

func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}
