import HearthBinary
import Synchronization

/// Owns all runtime objects (instances, functions, memories, tables, globals, translated code)
/// and the execution state (value stack and control stack) their code runs on.
public final class Store {
    /// The engine whose configuration this store runs under.
    public let engine: Engine
    /// The embedder's own data for this store (wasmtime's `Store<T>` data): host functions
    /// defined once on a shared `Linker` reach the data of the store calling them through
    /// `Caller.data`, so one linker serves any number of stores and instances.
    public var data: Any?
    let state: ST
    /// The store's interrupt, which other threads may hold and use (a deadline timer, a
    /// shutdown stopping every guest).
    public let interruptHandle = InterruptHandle()
    /// The flag behind `interruptHandle`, polled by the interpreter.
    var interruptFlag: UnsafeMutablePointer<Atomic<Int>> { interruptHandle.flag }
    /// Whether a `withLimits` call is running, so nested ones run under it rather than arming
    /// limits of their own.
    var withinLimits = false
    /// Whether `fuel` is metered (`state.fuelReserve` is `Int.max` otherwise).
    var fuelEnabled = false
    /// Stands in as "memory 0" for instances without memory, so handlers never test for nil.
    let emptyMemory: MemoryEntity
    var instances: [InstanceStorage] = []
    var functions: [FunctionEntity] = []
    var objects: [AnyObject] = []
    var codeBuffers: [UnsafeMutablePointer<UInt64>] = []
    /// Host-function entities created for linker definitions, so each is one `Function`.
    var hostFunctions = FlatTable<ObjectIdentifier, FunctionEntity>()
    var hostDefinitionsKeptAlive: [HostDefinition] = []
    /// What a host function threw (or why translation failed) while the machine unwinds.
    var pendingError: Error?
    /// The struct and array objects of Wasm GC.
    let heap: GCHeap
    /// Exception objects and handler tables (exception handling, 3.0); freed with the store.
    let exceptions = ExceptionHeap()

    /// An empty store with its own value and control stacks, sized by `engine`'s configuration.
    /// A store belongs to one thread at a time; only `interrupt()` may be called from others.
    public init(engine: Engine) {
        self.engine = engine
        emptyMemory = try! MemoryEntity(type: MemoryType(limits: Limits(min: 0, max: 0)))
        let config = engine.configuration
        // The GC heap gets the memory cap's bytes as a budget of its own (clamped like it).
        heap = GCHeap(limit: config.maxMemoryPages.map { min(max($0, 0), 1 << 20) * 65536 } ?? GCHeap.defaultLimit)
        // Clamped: a configured size near Int.max must not overflow or abort the host.
        let slots = min(max(config.valueStackSlots, 1024), EngineConfiguration.valueStackSlotLimit)
        // Left uninitialised on purpose: valid code never reads a slot before writing it
        // (locals are zeroed by `h_enter`), and untouched pages cost no memory.
        let stack = FP.allocate(capacity: slots)
        let depth = min(max(config.maxCallDepth, 1), EngineConfiguration.callDepthLimit) + 1
        let control = UnsafeMutablePointer<ControlEntry>.allocate(capacity: depth + 1)
        state = ST.allocate(capacity: 1)
        state.initialize(to: ExecutionState(csp: control, cspLimit: control + depth, cspBase: control,
                                            stackBase: stack, stackLimit: stack + slots, stackTop: stack,
                                            trap: 0, store: nil, ticks: 0, fuelReserve: .max, interruptFlag: interruptHandle.flag,
                                            heap: nil))
        state.pointee.heap = Unmanaged.passUnretained(heap).toOpaque()
        state.pointee.store = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        state.pointee.stackBase.deallocate()
        state.pointee.cspBase.deallocate()
        state.deallocate()
        for buffer in codeBuffers { buffer.deallocate() }
    }

    static func from(_ st: ST) -> Store {
        Unmanaged<Store>.fromOpaque(st.pointee.store!).takeUnretainedValue()
    }

    /// A new entity for a host function, owned by this store.
    func newHostEntity(_ definition: HostDefinition) -> FunctionEntity {
        let id = engine.typeID(definition.type)
        let entity = FunctionEntity(type: definition.type, typeID: id, runtimeType: engine.types.type(id),
                                    kind: .host(definition), memory: emptyMemory.cell)
        functions.append(entity)
        return entity
    }

    /// The entity behind a linker host definition in this store.
    func hostEntity(_ definition: HostDefinition) -> FunctionEntity {
        if let existing = hostFunctions[ObjectIdentifier(definition)] { return existing }
        let entity = newHostEntity(definition)
        hostFunctions[ObjectIdentifier(definition)] = entity
        hostDefinitionsKeptAlive.append(definition) // keeps the ObjectIdentifier unique
        return entity
    }

    /// The public handle of a function entity (always the same object while it is alive).
    func handle(_ entity: FunctionEntity) -> Function {
        if let h = entity.handle { return h }
        let h = Function(store: self, entity: entity)
        entity.handle = h
        return h
    }

    // MARK: Values <-> slot words

    /// Writes a value into its slots (two for a `v128`, low bytes first).
    func write(_ value: Value, to p: UnsafeMutablePointer<UInt64>) {
        if case .v128(let v) = value {
            p[0] = v.low
            p[1] = v.high
        } else {
            p[0] = word(of: value)
        }
    }

    /// Reads a value of `type` from its slots.
    func read(_ type: ValueType, from p: UnsafeMutablePointer<UInt64>) -> Value {
        type == .v128 ? .v128(V128(low: p[0], high: p[1])) : value(of: p[0], type: type)
    }

    /// Writes `values` into consecutive slots as a frame lays them out.
    func write(_ values: [Value], to fp: UnsafeMutablePointer<UInt64>) {
        var slot = 0
        for value in values {
            write(value, to: fp + slot)
            slot += value.type.slotWidth
        }
    }

    /// Reads values of `types` from consecutive slots.
    func read(_ types: [ValueType], from fp: UnsafeMutablePointer<UInt64>) -> [Value] {
        var slot = 0
        return types.map { type in
            defer { slot += type.slotWidth }
            return read(type, from: fp + slot)
        }
    }

    func word(of value: Value) -> UInt64 {
        switch value {
        case .i32(let v): return UInt64(v)
        case .i64(let v): return v
        case .f32(let v): return UInt64(v)
        case .f64(let v): return v
        case .v128(let v): return v.low
        case .ref(.null): return 0
        case .ref(.function(let f)): return UInt64(UInt(bitPattern: f.entity.record))
        case .ref(.extern(let h)): return h &<< 2 | 2
        case .ref(.i31(let v)): return UInt64(v & 0x7FFF_FFFF) << 1 | 1
        case .ref(.object(let o)): return UInt64(o.address)
        }
    }

    func value(of word: UInt64, type: ValueType) -> Value {
        switch type {
        case .i32: return .i32(UInt32(truncatingIfNeeded: word))
        case .i64: return .i64(word)
        case .f32: return .f32(UInt32(truncatingIfNeeded: word))
        case .f64: return .f64(word)
        case .v128: return .v128(V128(low: word, high: 0))
        case .ref(let r): return .ref(reference(of: word, heapType: r.heapType))
        }
    }

    func reference(of word: UInt64, heapType: HeapType) -> Reference {
        if word == 0 { return .null(heapType) }
        switch heapType {
        case .function, .noFunction:
            return .function(handle(FunctionEntity.from(UnsafeMutablePointer<FunctionRecord>(bitPattern: UInt(word))!)))
        case .concrete where !heap.isObject(word):
            return .function(handle(FunctionEntity.from(UnsafeMutablePointer<FunctionRecord>(bitPattern: UInt(word))!)))
        default:
            // The `any` and `extern` hierarchies: the word's tag bits say what it is.
            if word & 1 != 0 { return .i31(UInt32(truncatingIfNeeded: word >> 1)) }
            if word & 3 == 2 { return .extern(word >> 2) }
            return .object(GCObject(store: self, address: UInt(word)))
        }
    }
}
