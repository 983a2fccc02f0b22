/// A request the runtime host refused before anything ran (a program that does not compile, a
/// runtime that is not deployed), with the kind of failure a server answers it by.
public struct HostRefusal: Error, Equatable, CustomStringConvertible {
    /// The kind of failure: `badRequest` for the caller's mistake, `unknownFunction` for something
    /// named that does not exist.
    public var failure: InvokeFailure
    /// What was refused and why.
    public var message: String

    /// A refusal of kind `failure` saying `message`.
    public init(_ failure: InvokeFailure, _ message: String) {
        self.failure = failure
        self.message = message
    }

    public var description: String { message }
}
