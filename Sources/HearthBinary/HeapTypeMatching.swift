/// The spec's subtyping between heap types (3.0, "Heap Type Matching") where no defined type's
/// supertype chain is involved, shared by the validator (module type indices) and the runtime
/// (engine-wide type ids), which add the rule for two defined types themselves.
extension HeapType {
    /// The kind of a defined type, which decides the abstract types above and below it.
    public enum DefinedKind: UInt8, Sendable { case function, structure, array }

    /// `a <: b` for two abstract heap types.
    public static func abstractMatches(_ a: HeapType, _ b: HeapType) -> Bool {
        if a == b { return true }
        switch a {
        case .i31, .structure, .array: return b == .eq || b == .any
        case .eq: return b == .any
        case .none: return b == .any || b == .eq || b == .i31 || b == .structure || b == .array
        case .noFunction: return b == .function
        case .noExtern: return b == .extern
        case .noException: return b == .exception
        default: return false
        }
    }

    /// `t <: b` for a defined type `t` of kind `kind` and an abstract `b`.
    public static func definedMatches(_ kind: DefinedKind, abstract b: HeapType) -> Bool {
        switch kind {
        case .function: return b == .function
        case .structure: return b == .structure || b == .eq || b == .any
        case .array: return b == .array || b == .eq || b == .any
        }
    }

    /// `a <: t` for an abstract `a` and a defined type `t` of kind `kind`: only the bottoms.
    public static func abstractMatches(_ a: HeapType, defined kind: DefinedKind) -> Bool {
        kind == .function ? a == .noFunction : a == .none
    }
}

extension CompositeType {
    /// Whether this is a function, struct or array type, which decides the abstract heap types
    /// above and below it.
    public var kind: HeapType.DefinedKind {
        switch self {
        case .function: return .function
        case .structure: return .structure
        case .array: return .array
        }
    }
}
