import HearthBinary

/// The text format front end: parses a module in the text format and encodes it to the binary
/// format, which every other layer consumes.
public enum WAT {
    /// Parses a module in the text format (`(module ...)` or, as the spec allows, bare module fields)
    /// and encodes it to the binary format.
    /// `features` picks the edition's text rules (3.0 reads limits and offsets as u64).
    public static func parseModule(_ text: String, features: FeatureSet = .default) throws -> [UInt8] {
        try parseModule(bytes: Array(text.utf8), features: features)
    }

    /// Same as `parseModule(_:)` for source that is already UTF-8 bytes.
    public static func parseModule(bytes: [UInt8], features: FeatureSet = .default) throws -> [UInt8] {
        let lexer = try Lexer(source: bytes)
        var cursor = TokenCursor(lexer: lexer)
        guard cursor.isForm("module") else {
            return try ModuleEncoder.encode(ModuleParser(lexer: lexer, range: 0..<lexer.tokens.count, features: features).parse())
        }
        let close = cursor.matchingParen
        guard close == lexer.tokens.count - 1 else {
            throw TokenCursor(lexer: lexer, index: close + 1).error("unexpected token")
        }
        cursor.index += 2
        cursor.limit = close
        let name = try cursor.optionalID()
        if cursor.isAtom("binary") {
            cursor.advance()
            let bytes = cursor.strings()
            guard cursor.atEnd else { throw cursor.error("unexpected token") }
            return bytes
        }
        if cursor.isAtom("quote") {
            cursor.advance()
            let source = cursor.strings()
            guard cursor.atEnd else { throw cursor.error("unexpected token") }
            return try parseModule(bytes: source, features: features)
        }
        if cursor.isAtom("definition") || cursor.isAtom("instance") {
            throw cursor.error("unsupported: module \(cursor.atom!) outside a script")
        }
        let parser = ModuleParser(lexer: lexer, range: cursor.index..<close, features: features)
        parser.moduleForm = 0
        var module = try parser.parse()
        if module.name == nil { module.name = name }
        return ModuleEncoder.encode(module)
    }
}
