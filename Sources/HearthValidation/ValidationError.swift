import HearthBinary

/// Why a module is invalid: a message in the spec testsuite's words (e.g. "type mismatch",
/// "unknown global 3"), the byte offset it refers to, and the function it is in, if any.
public struct ValidationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    /// Index in the function index space (imports included) of the function being validated.
    public var functionIndex: Int?

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
