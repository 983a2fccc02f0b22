import HearthBinary

/// A function of a store: defined by a module instance or by the host.
public final class Function: Hashable {
    let store: Store
    let entity: FunctionEntity

    init(store: Store, entity: FunctionEntity) {
        self.store = store
        self.entity = entity
    }

    /// A host function living in `store`.
    public convenience init(store: Store, type: FunctionType, _ body: @escaping (borrowing Caller, [Value]) throws -> [Value]) {
        let entity = store.newHostEntity(HostDefinition(type: type, body: body))
        self.init(store: store, entity: entity)
        entity.handle = self
    }

    /// The function's parameter and result types.
    public var type: FunctionType { entity.type }

    /// Calls the function. Traps are thrown as `HearthError`s of kind `trap`; a `HearthError` a
    /// host function throws (a WASI program's `proc_exit`, kind `exit`) comes out as itself, from
    /// nested calls too; any other error a host function throws comes out as a trap of
    /// `.hostError` with the original error in `underlying`.
    public func invoke(_ arguments: [Value] = []) throws -> [Value] {
        try store.invoke(entity, arguments)
    }

    public static func == (a: Function, b: Function) -> Bool { a.entity === b.entity }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(entity)) }
}

/// What a host function sees of its caller (WASI needs the caller's memory).
///
/// A caller exists only for the duration of one host call: it is noncopyable and handed to
/// the host function borrowed, so it cannot be kept past the call. That is what lets it refer
/// to the store and the calling instance without retaining them (the running code keeps both
/// alive), which saves two retain/release pairs on every guest->host call. What outlives the
/// call (`instance`, `memory`, `callerStore`) comes out as ordinary strong handles.
///
/// The handles are made on first use, so a host call that does not look at them allocates
/// nothing for them. (Caching the memory handle weakly on the instance measured slower: the
/// handle dies after each call, and every weak store then allocates a side table.)
public struct Caller: ~Copyable {
    unowned(unsafe) private let store: Store?
    unowned(unsafe) private let storage: InstanceStorage?

    /// No caller: the host called the function directly.
    public init() {
        store = nil
        storage = nil
    }

    init(store: Store, storage: InstanceStorage) {
        self.store = store
        self.storage = storage
    }

    /// The calling instance; nil when the host called the function directly.
    public var instance: Instance? {
        guard let store, let storage else { return nil }
        if let handle = storage.handle { return handle }
        let handle = Instance(store: store, storage: storage)
        storage.handle = handle
        return handle
    }

    /// The calling instance's store; nil when the host called the function directly.
    public var callerStore: Store? { store }

    /// The calling store's embedder data (`Store.data`), cast to `T`; nil when there is none.
    public func data<T>(as type: T.Type = T.self) -> T? { store?.data as? T }

    /// The caller's memory 0, if it has one.
    public var memory: Memory? {
        guard let store, let storage, let entity = storage.memories.first else { return nil }
        return Memory(store: store, entity: entity)
    }
}

/// Something that can be imported or exported.
public enum External {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)
    case tag(Tag)

    /// The type of the function, table, memory, global or tag, as an import of it would declare.
    public var type: ExternalType {
        switch self {
        case .function(let f): return .function(f.type)
        case .table(let t): return .table(t.type)
        case .memory(let m): return .memory(m.type)
        case .global(let g): return .global(g.type)
        case .tag(let t): return .tag(t.type)
        }
    }
}
