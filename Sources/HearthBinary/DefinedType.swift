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

    /// Whether this is a packed `i8` or `i16`, read with `get_s`/`get_u`, never plain `get`.
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
    /// What the field holds: a value type or a packed i8/i16.
    public var storage: StorageType
    /// Whether the field is declared `mut`, so `struct.set`/`array.set` and friends may write it.
    public var isMutable: Bool

    /// A field holding `storage`, writable when `isMutable`.
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
    /// Whether the type is `final`: no other type may name it as its supertype.
    public var isFinal: Bool
    /// Type-section indices of the declared supertypes; the binary allows a list, validation at
    /// most one.
    public var supertypes: [UInt32]
    /// The function, struct or array shape the type describes.
    public var composite: CompositeType

    /// A sub type of `composite`; the defaults (final, no supertype) are those of a type declared
    /// without `sub`.
    public init(isFinal: Bool = true, supertypes: [UInt32] = [], composite: CompositeType) {
        self.isFinal = isFinal
        self.supertypes = supertypes
        self.composite = composite
    }

    /// `function` as a final sub type with no supertype, as every Wasm 2.0 type is.
    public init(_ function: FunctionType) {
        self.init(composite: .function(function))
    }

    /// The function type, when this is one.
    public var functionType: FunctionType? {
        if case .function(let f) = composite { return f }
        return nil
    }
}
