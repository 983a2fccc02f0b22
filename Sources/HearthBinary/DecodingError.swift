/// Why a binary module could not be decoded: a message in the spec's words where it has them
/// (e.g. "unexpected end", "integer too large", "malformed UTF-8 encoding") and the byte offset.
public struct DecodingError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in the spec's wording where it has one (what `assert_malformed` matches).
    public var message: String
    /// Byte offset in the module binary where the problem was found.
    public var offset: Int

    /// An error saying `message` about the byte at `offset` of the module.
    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at byte offset \(offset))" }

    /// `message` (the spec's, for WebAssembly 2.0 rules) followed by the feature the bytes would
    /// have meant under 3.0, so that a module of the current standard loaded with 2.0 rules says
    /// what is turned off instead of only "malformed".
    static func turnedOff(_ message: String, _ feature: String, at offset: Int) -> DecodingError {
        DecodingError("\(message): the module uses \(feature), a WebAssembly 3.0 feature, turned off (features 2.0)", at: offset)
    }
}
