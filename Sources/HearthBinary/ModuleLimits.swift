/// Implementation limits on what a module may declare, checked while decoding and validating so
/// that a small file cannot make the host allocate gigabytes or spend seconds (a function type
/// with a million parameters, a subtype chain validated in quadratic time). They are wasmparser's
/// (what wasmtime accepts), so a module that runs there decodes here. An engine sets its own
/// (`EngineConfiguration.moduleLimits`); the decoder and the validator take them as arguments.
public struct ModuleLimits: Hashable, Sendable {
    /// Parameters of one function type.
    public var functionParameters = 1_000
    /// Results of one function type.
    public var functionResults = 1_000
    /// Fields of one struct type.
    public var structFields = 10_000
    /// Types a module defines.
    public var types = 1_000_000
    /// Depth of a subtype chain (a type, its supertype, and so on): the spec's suggested 63.
    public var subtypeDepth = 63
    /// Locals of one function (its parameters not counted).
    public var functionLocals = 50_000

    /// wasmparser's limits, the same as `default`.
    public init() {}

    /// wasmparser's limits.
    public static let `default` = ModuleLimits()

    /// The error for `count` things of `what` past `limit`.
    static func exceeded(_ what: String, _ count: Int, _ limit: Int, at offset: Int) -> HearthError {
        HearthError.decoding("implementation limit: \(count) \(what), more than \(limit)", at: offset)
    }
}
