import HearthBinary

/// Why a module is invalid: a message in the spec testsuite's words (e.g. "type mismatch",
/// "unknown global 3"), the byte offset it refers to, and the function it is in, if any.
public struct ValidationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in the spec testsuite's wording (what `assert_invalid` matches).
    public var message: String
    /// Byte offset in the module binary the error refers to; 0 for module-level checks that have
    /// no single place.
    public var offset: Int
    /// Index in the function index space (imports included) of the function being validated.
    public var functionIndex: Int?

    /// An error saying `message` about byte `offset`, inside function `functionIndex` when given.
    public init(_ message: String, at offset: Int, functionIndex: Int? = nil) {
        self.message = message
        self.offset = offset
        self.functionIndex = functionIndex
    }

    public var description: String {
        let place = functionIndex.map { " in function \($0)" } ?? ""
        return "\(message) (at byte offset \(offset)\(place))"
    }
}
