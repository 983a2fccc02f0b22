import HearthBinary

/// An exception tag at run time. Its *address* is the tag's identity: a catch clause compares
/// the thrown exception's tag cell with its own, so two imports of one exported tag (the same
/// entity) catch each other's exceptions while two definitions with the same type do not.
struct TagCell {
    /// Engine-wide id of the tag's function type (import matching).
    var typeID: Int
    /// Frame slots the payload takes (a `v128` takes two).
    var payloadSlots: Int
    /// Unretained `TagEntity` (the store keeps it alive through its instance).
    var entity: UnsafeMutableRawPointer?
}

/// A tag defined by an instance (imports share the exporter's entity).
final class TagEntity {
    let cell: UnsafeMutablePointer<TagCell>
    /// The type as the defining module wrote it (its concrete heap types are that module's indices).
    let type: FunctionType
    var typeID: Int { cell.pointee.typeID }

    init(type: FunctionType, typeID: Int) {
        self.type = type
        cell = UnsafeMutablePointer<TagCell>.allocate(capacity: 1)
        cell.initialize(to: TagCell(typeID: typeID, payloadSlots: type.parameterSlots, entity: nil))
        cell.pointee.entity = Unmanaged.passUnretained(self).toOpaque()
    }

    static func from(_ cell: UnsafeMutablePointer<TagCell>) -> TagEntity {
        Unmanaged<TagEntity>.fromOpaque(cell.pointee.entity!).takeUnretainedValue()
    }

    deinit { cell.deallocate() }
}

/// An exception tag, as the host sees it (exported, importable through a `Linker`).
public final class Tag {
    let store: Store
    let entity: TagEntity

    init(store: Store, entity: TagEntity) {
        self.store = store
        self.entity = entity
    }

    /// The payload types are the parameters; there are no results.
    public var type: FunctionType { entity.type }

    /// Two handles of the same tag are the same tag.
    public func isSame(as other: Tag) -> Bool { entity === other.entity }
}
