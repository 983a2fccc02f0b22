/// An assembly loaded into one runtime instance (`load_assembly`'s id). Valid only for the
/// instance generation it was made in: a replaced instance has forgotten it.
public struct AssemblyHandle: Hashable, Sendable {
    public let id: Int32
    public let generation: Int
}

/// A compiled entry point of an assembly (`compile_delegate`'s id), valid for one generation.
public struct DelegateHandle: Hashable, Sendable {
    public let id: Int32
    public let generation: Int
    public let assembly: AssemblyHandle
    public let entryPoint: String
}
