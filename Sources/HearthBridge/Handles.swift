/// An assembly loaded into one runtime instance (`load_assembly`'s id). Valid only for the
/// instance generation it was made in: a replaced instance has forgotten it.
public struct AssemblyHandle: Hashable, Sendable {
    /// The guest's positive id for the assembly, as `load_assembly` answered it.
    public let id: Int32
    /// The instance generation (`RuntimeBridge.generation`) the id is valid in.
    public let generation: Int
}

/// A compiled entry point of an assembly (`compile_delegate`'s id), valid for one generation.
public struct DelegateHandle: Hashable, Sendable {
    /// The guest's positive id for the delegate, as `compile_delegate` answered it.
    public let id: Int32
    /// The instance generation (`RuntimeBridge.generation`) the id is valid in.
    public let generation: Int
    /// The loaded assembly the delegate was compiled from.
    public let assembly: AssemblyHandle
    /// The entry point it was compiled for, as named in `compileDelegate` (quoted in errors).
    public let entryPoint: String
}
