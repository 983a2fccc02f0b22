/// The heap type a reference points to. Wasm 2.0 has only `func` and `extern`; the GC proposal
/// adds more, which is why this is its own type rather than two cases of `ValueType`.
public enum HeapType: Hashable, Sendable, CustomStringConvertible {
    case function
    case extern

    public var description: String {
        switch self {
        case .function: return "func"
        case .extern: return "extern"
        }
    }
}

/// A reference type: a heap type plus nullability (always nullable in Wasm 2.0).
public struct ReferenceType: Hashable, Sendable, CustomStringConvertible {
    public var isNullable: Bool
    public var heapType: HeapType

    public init(isNullable: Bool = true, heapType: HeapType) {
        self.isNullable = isNullable
        self.heapType = heapType
    }

    public static let funcref = ReferenceType(heapType: .function)
    public static let externref = ReferenceType(heapType: .extern)

    public var description: String {
        if isNullable { return heapType == .function ? "funcref" : "externref" }
        return "(ref \(heapType))"
    }
}

/// The type of a value on the operand stack, in a local, a global or a signature.
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case i32, i64, f32, f64, v128
    case ref(ReferenceType)

    public static let funcref = ValueType.ref(.funcref)
    public static let externref = ValueType.ref(.externref)

    public var isNumeric: Bool {
        switch self {
        case .i32, .i64, .f32, .f64: return true
        default: return false
        }
    }

    public var isReference: Bool {
        if case .ref = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .i32: return "i32"
        case .i64: return "i64"
        case .f32: return "f32"
        case .f64: return "f64"
        case .v128: return "v128"
        case .ref(let r): return r.description
        }
    }
}

/// A function signature.
public struct FunctionType: Hashable, Sendable, CustomStringConvertible {
    public var parameters: [ValueType]
    public var results: [ValueType]

    public init(parameters: [ValueType] = [], results: [ValueType] = []) {
        self.parameters = parameters
        self.results = results
    }

    public var description: String {
        "[\(parameters.map(\.description).joined(separator: " "))] -> [\(results.map(\.description).joined(separator: " "))]"
    }
}

/// Size bounds of a memory (in 64 KiB pages) or a table (in elements).
public struct Limits: Hashable, Sendable {
    public var min: UInt64
    public var max: UInt64?
    /// memory64 / table64: the index type is i64 (Wasm 3.0).
    public var is64: Bool
    /// threads proposal: a shared memory.
    public var isShared: Bool

    public init(min: UInt64, max: UInt64? = nil, is64: Bool = false, isShared: Bool = false) {
        self.min = min
        self.max = max
        self.is64 = is64
        self.isShared = isShared
    }
}

public struct TableType: Hashable, Sendable {
    public var elementType: ReferenceType
    public var limits: Limits

    public init(elementType: ReferenceType, limits: Limits) {
        self.elementType = elementType
        self.limits = limits
    }
}

public struct MemoryType: Hashable, Sendable {
    public var limits: Limits

    public init(limits: Limits) { self.limits = limits }

    /// 65536 pages of 64 KiB: the most a 32-bit memory can hold.
    public static let maxPages32: UInt64 = 65536
}

public struct GlobalType: Hashable, Sendable {
    public var valueType: ValueType
    public var isMutable: Bool

    public init(valueType: ValueType, isMutable: Bool) {
        self.valueType = valueType
        self.isMutable = isMutable
    }
}

/// The type of something a module imports or exports.
public enum ExternalType: Hashable, Sendable {
    case function(FunctionType)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
}
