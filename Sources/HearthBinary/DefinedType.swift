/// What a struct field or an array element stores: a value type, or a packed 8- or 16-bit
/// integer (read back with `get_s`/`get_u`).
public enum StorageType: Hashable, Sendable, CustomStringConvertible {
    case value(ValueType)
    case i8
    case i16

    /// The type a field of this storage type has on the operand stack.
    public var unpacked: ValueType {
        if case .value(let t) = self { return t }
        return .i32
    }

    public var isPacked: Bool {
        if case .value = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .value(let t): return t.description
        case .i8: return "i8"
        case .i16: return "i16"
        }
    }
}

/// A struct field or the element of an array type.
public struct FieldType: Hashable, Sendable {
    public var storage: StorageType
    public var isMutable: Bool

    public init(storage: StorageType, isMutable: Bool) {
        self.storage = storage
        self.isMutable = isMutable
    }
}

/// The shape a defined type describes (spec: composite type).
public enum CompositeType: Hashable, Sendable {
    case function(FunctionType)
    case structure([FieldType])
    case array(FieldType)
}

/// One entry of the type section (spec: sub type): a composite type, its declared supertype
/// (at most one) and whether it is `final` (no subtypes allowed). A Wasm 2.0 `func` type is a
/// final sub type with no supertype.
public struct SubType: Hashable, Sendable {
    public var isFinal: Bool
    public var supertypes: [UInt32]
    public var composite: CompositeType

    public init(isFinal: Bool = true, supertypes: [UInt32] = [], composite: CompositeType) {
        self.isFinal = isFinal
        self.supertypes = supertypes
        self.composite = composite
    }

    public init(_ function: FunctionType) {
        self.init(composite: .function(function))
    }

    /// The function type, when this is one.
    public var functionType: FunctionType? {
        if case .function(let f) = composite { return f }
        return nil
    }
}
