/// The heap type a reference points to: one of the abstract heap types, or a type the module
/// defines (by index into its type section).
///
/// The abstract types form three hierarchies (any ⊇ eq ⊇ {i31, struct, array} ⊇ none;
/// func ⊇ nofunc; extern ⊇ noextern) plus exceptions (exn ⊇ noexn). Wasm 2.0 has only `func`
/// and `extern`.
public enum HeapType: Hashable, Sendable, CustomStringConvertible {
    case function
    case extern
    case any, eq, i31, structure, array, none
    case noFunction, noExtern
    case exception, noException
    /// A type defined by the module: an index into its type section.
    case concrete(UInt32)

    public var description: String {
        switch self {
        case .function: return "func"
        case .extern: return "extern"
        case .any: return "any"
        case .eq: return "eq"
        case .i31: return "i31"
        case .structure: return "struct"
        case .array: return "array"
        case .none: return "none"
        case .noFunction: return "nofunc"
        case .noExtern: return "noextern"
        case .exception: return "exn"
        case .noException: return "noexn"
        case .concrete(let index): return "\(index)"
        }
    }

    /// The one-byte encoding of an abstract heap type (also the byte of its nullable
    /// shorthand reference type, `funcref` = 0x70); nil for a concrete type.
    public var abstractCode: UInt8? {
        switch self {
        case .function: return 0x70
        case .extern: return 0x6F
        case .any: return 0x6E
        case .eq: return 0x6D
        case .i31: return 0x6C
        case .structure: return 0x6B
        case .array: return 0x6A
        case .none: return 0x71
        case .noFunction: return 0x73
        case .noExtern: return 0x72
        case .exception: return 0x69
        case .noException: return 0x74
        case .concrete: return nil
        }
    }

    /// The abstract heap type a byte encodes, nil when it encodes none.
    public init?(abstractCode: UInt8) {
        switch abstractCode {
        case 0x70: self = .function
        case 0x6F: self = .extern
        case 0x6E: self = .any
        case 0x6D: self = .eq
        case 0x6C: self = .i31
        case 0x6B: self = .structure
        case 0x6A: self = .array
        case 0x71: self = .none
        case 0x73: self = .noFunction
        case 0x72: self = .noExtern
        case 0x69: self = .exception
        case 0x74: self = .noException
        default: return nil
        }
    }

    /// The GC proposal's abstract types, which a 2.0 module cannot name.
    public var isGCOnly: Bool {
        switch self {
        case .function, .extern: return false
        default: return true
        }
    }
}

/// A reference type: a heap type plus nullability (always nullable in Wasm 2.0).
public struct ReferenceType: Hashable, Sendable, CustomStringConvertible {
    /// Whether null is a value of the type (`ref null ht`); non-null `ref ht` needs Wasm 3.0.
    public var isNullable: Bool
    /// What the reference may point to: an abstract heap type or a defined type by index.
    public var heapType: HeapType

    /// A reference to `heapType`, nullable unless told otherwise (as every 2.0 reference type is).
    public init(isNullable: Bool = true, heapType: HeapType) {
        self.isNullable = isNullable
        self.heapType = heapType
    }

    /// `funcref`: a nullable reference to any function.
    public static let funcref = ReferenceType(heapType: .function)
    /// `externref`: a nullable reference to any host value.
    public static let externref = ReferenceType(heapType: .extern)

    public var description: String {
        if isNullable {
            switch heapType {
            case .function: return "funcref"
            case .extern: return "externref"
            case .any: return "anyref"
            case .eq: return "eqref"
            case .i31: return "i31ref"
            case .structure: return "structref"
            case .array: return "arrayref"
            case .none: return "nullref"
            case .noFunction: return "nullfuncref"
            case .noExtern: return "nullexternref"
            case .exception: return "exnref"
            case .noException: return "nullexnref"
            case .concrete: return "(ref null \(heapType))"
            }
        }
        return "(ref \(heapType))"
    }
}

/// The type of a value on the operand stack, in a local, a global or a signature.
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case i32, i64, f32, f64, v128
    case ref(ReferenceType)

    /// `funcref` as a value type: a nullable reference to any function.
    public static let funcref = ValueType.ref(.funcref)
    /// `externref` as a value type: a nullable reference to any host value.
    public static let externref = ValueType.ref(.externref)

    /// Whether it is a scalar number type (i32, i64, f32, f64); `v128` and references are not.
    public var isNumeric: Bool {
        switch self {
        case .i32, .i64, .f32, .f64: return true
        default: return false
        }
    }

    /// Whether it is a reference type (`funcref`, `externref`, `(ref null? ht)`).
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
    /// The argument types in order; parameters are the function's first locals.
    public var parameters: [ValueType]
    /// The types of the values returned, in order (several with multi-value).
    public var results: [ValueType]

    /// A signature from `parameters` to `results` (`[] -> []` by default).
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
    /// The initial size, in pages (a memory) or elements (a table).
    public var min: UInt64
    /// The most the memory or table may grow to, in the same unit; nil when only the index type
    /// bounds it.
    public var max: UInt64?
    /// memory64 / table64: the index type is i64 (Wasm 3.0).
    public var is64: Bool
    /// threads proposal: a shared memory.
    public var isShared: Bool

    /// Bounds `min`...`max` (nil: no maximum), for a 32-bit unshared memory or table by default.
    public init(min: UInt64, max: UInt64? = nil, is64: Bool = false, isShared: Bool = false) {
        self.min = min
        self.max = max
        self.is64 = is64
        self.isShared = isShared
    }
}

/// The type of a table (spec: table type): the references it holds and its size bounds.
public struct TableType: Hashable, Sendable {
    /// The reference type of every element.
    public var elementType: ReferenceType
    /// The size bounds, in elements; also whether the table is indexed by i64.
    public var limits: Limits

    /// A table of `elementType` references sized within `limits`.
    public init(elementType: ReferenceType, limits: Limits) {
        self.elementType = elementType
        self.limits = limits
    }
}

/// The type of a linear memory (spec: memory type): its size bounds and page size.
public struct MemoryType: Hashable, Sendable {
    /// The size bounds, in pages of `pageSize` bytes; also whether it is 64-bit or shared.
    public var limits: Limits
    /// log2 of the page size in bytes: 16 (64 KiB), or 0 (1 byte) with the custom-page-sizes
    /// proposal (3.0 only).
    public var pageSizeLog2: UInt32

    /// A memory sized within `limits` with pages of 2^`pageSizeLog2` bytes (64 KiB by default).
    public init(limits: Limits, pageSizeLog2: UInt32 = 16) {
        self.limits = limits
        self.pageSizeLog2 = pageSizeLog2
    }

    /// The page size in bytes: 65536, or 1 with the custom-page-sizes proposal.
    public var pageSize: UInt64 { 1 << UInt64(pageSizeLog2) }

    /// 65536 pages of 64 KiB: the most a 32-bit memory can hold.
    public static let maxPages32: UInt64 = 65536
}

/// The type of a global (spec: global type): the value it holds and whether it may change.
public struct GlobalType: Hashable, Sendable {
    /// The type of the value the global holds.
    public var valueType: ValueType
    /// Whether the global is declared `mut`, so `global.set` may change it.
    public var isMutable: Bool

    /// A global holding a `valueType`, mutable when `isMutable`.
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
    /// An exception tag (3.0): its payload types are the parameters.
    case tag(FunctionType)
}
