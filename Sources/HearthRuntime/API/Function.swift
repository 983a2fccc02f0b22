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
    public convenience init(store: Store, type: FunctionType, _ body: @escaping (Caller, [Value]) throws -> [Value]) {
        let entity = FunctionEntity(type: type, typeID: store.typeID(type), kind: .host(HostDefinition(type: type, body: body)),
                                    memory: store.emptyMemory.cell)
        store.functions.append(entity)
        self.init(store: store, entity: entity)
        entity.handle = self
    }

    public var type: FunctionType { entity.type }

    /// Calls the function. Traps are thrown as `Trap`; errors thrown by host functions come out
    /// as `Trap` with kind `.hostError` and the original error in `underlying`.
    public func invoke(_ arguments: [Value] = []) throws -> [Value] {
        try store.invoke(entity, arguments)
    }

    public static func == (a: Function, b: Function) -> Bool { a.entity === b.entity }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(entity)) }
}

/// What a host function sees of its caller (WASI needs the caller's memory).
public struct Caller {
    /// The calling instance; nil when the host called the function directly.
    public var instance: Instance?
    /// The caller's memory 0, if it has one.
    public var memory: Memory?

    public init(instance: Instance? = nil, memory: Memory? = nil) {
        self.instance = instance
        self.memory = memory
    }
}

/// Something that can be imported or exported.
public enum External {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)

    public var type: ExternalType {
        switch self {
        case .function(let f): return .function(f.type)
        case .table(let t): return .table(t.type)
        case .memory(let m): return .memory(m.type)
        case .global(let g): return .global(g.type)
        }
    }
}
