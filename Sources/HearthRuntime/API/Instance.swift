/// An instantiated module.
public final class Instance {
    let store: Store
    let storage: InstanceStorage

    init(store: Store, storage: InstanceStorage) {
        self.store = store
        self.storage = storage
    }

    /// Exported names, in no particular order.
    public var exportNames: [String] { storage.exports.map { String(decoding: $0.key.bytes, as: UTF8.self) } }

    /// The export called `name`, of any kind; nil when there is none.
    public func export(_ name: String) -> External? {
        guard let entity = storage.exports[ExactName(name)] else { return nil }
        return store.external(entity)
    }

    /// The exported function called `name`; nil when there is none or it is not a function.
    public func function(_ name: String) -> Function? {
        if case .function(let f)? = export(name) { return f }
        return nil
    }

    /// The exported memory called `name`; nil when there is none or it is not a memory.
    public func memory(_ name: String) -> Memory? {
        if case .memory(let m)? = export(name) { return m }
        return nil
    }

    /// The exported global called `name`; nil when there is none or it is not a global.
    public func global(_ name: String) -> Global? {
        if case .global(let g)? = export(name) { return g }
        return nil
    }

    /// The exported exception tag called `name`; nil when there is none or it is not a tag.
    public func tag(_ name: String) -> Tag? {
        if case .tag(let t)? = export(name) { return t }
        return nil
    }

    /// The exported table called `name`; nil when there is none or it is not a table.
    public func table(_ name: String) -> Table? {
        if case .table(let t)? = export(name) { return t }
        return nil
    }
}

extension Store {
    func external(_ entity: ExternalEntity) -> External {
        switch entity {
        case .function(let f): return .function(handle(f))
        case .table(let t): return .table(Table(store: self, entity: t))
        case .memory(let m): return .memory(Memory(store: self, entity: m))
        case .global(let g): return .global(Global(store: self, entity: g))
        case .tag(let t): return .tag(Tag(store: self, entity: t))
        }
    }
}

extension External {
    /// The entity behind a public handle, checked to belong to `store`.
    func entity(in store: Store) throws -> ExternalEntity {
        let owner: Store
        let entity: ExternalEntity
        switch self {
        case .function(let f): owner = f.store; entity = .function(f.entity)
        case .table(let t): owner = t.store; entity = .table(t.entity)
        case .memory(let m): owner = m.store; entity = .memory(m.entity)
        case .global(let g): owner = g.store; entity = .global(g.entity)
        case .tag(let t): owner = t.store; entity = .tag(t.entity)
        }
        guard owner === store else { throw HearthError.link("incompatible import type: the import belongs to another store") }
        return entity
    }
}
