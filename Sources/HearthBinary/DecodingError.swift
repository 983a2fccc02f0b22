/// Why a binary module could not be decoded: a message in the spec's words where it has them
/// (e.g. "unexpected end", "integer too large", "malformed UTF-8 encoding") and the byte offset.
public struct DecodingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at byte offset \(offset))" }
}
