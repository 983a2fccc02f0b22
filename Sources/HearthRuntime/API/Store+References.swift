import HearthBinary

/// Checking references the host hands to the machine. Guest code only ever sees references of
/// the right kind (validation proves it); a host value must be checked, or a wrong word (an
/// extern handle in a function table, another store's object) would be dereferenced later.
extension Store {
    /// The word for `reference` where a `type` is expected; concrete heap types in `type` are
    /// engine type ids (entity types are canonical, see `Instantiator.canonical`). Throws
    /// when the reference is of another kind or from another store.
    func checkedWord(of reference: Reference, as type: ReferenceType) throws -> UInt64 {
        let mismatch = HearthError.trap(.hostError, "reference \(reference.heapType) does not fit \(type)")
        switch reference {
        case .null:
            guard type.isNullable else { throw mismatch }
        case .function(let f):
            guard f.store === self else { throw HearthError.trap(.hostError, "function of another store") }
            switch type.heapType {
            case .function: break
            case .concrete(let id): guard engine.types.isSubtype(f.entity.typeID, Int(id)) else { throw mismatch }
            default: throw mismatch
            }
        case .extern:
            guard type.heapType == .extern || type.heapType == .any else { throw mismatch }
        case .i31:
            guard [.any, .eq, .i31].contains(type.heapType) else { throw mismatch }
        case .object(let o):
            guard o.store === self else { throw HearthError.trap(.hostError, "object of another store") }
            switch type.heapType {
            case .any, .eq: break
            case .structure: guard !o.isArray else { throw mismatch }
            case .array: guard o.isArray else { throw mismatch }
            case .concrete(let id): guard engine.types.isSubtype(o.runtimeTypeID, Int(id)) else { throw mismatch }
            default: throw mismatch
            }
        }
        return word(of: .ref(reference))
    }

    /// `checkedWord` for any value: numbers must have the expected type too.
    func checkedWord(of value: Value, as type: ValueType) throws -> UInt64 {
        if case .ref(let r) = value, case .ref(let t) = type { return try checkedWord(of: r, as: t) }
        guard value.type == type else { throw HearthError.trap(.hostError, "value of type \(value.type) where \(type) is expected") }
        return word(of: value)
    }
}
