import HearthBinary

/// Store-owned runtime objects. The public classes (`Function`, `Memory`, ...) are handles that
/// keep their store alive and point at one of these; entities never point back strongly, so a
/// store and everything in it is freed together when the last handle goes.

/// A function: its machine record plus what the cold paths need (body source or host closure).
final class FunctionEntity {
    enum Kind {
        case wasm(instance: Unmanaged<InstanceStorage>, definedIndex: Int, functionIndex: Int)
        case host(HostDefinition)
    }

    let record: UnsafeMutablePointer<FunctionRecord>
    let type: FunctionType
    let kind: Kind
    /// For a host function, its definition (also in `kind`), unretained: the guest->host call
    /// path borrows it from here instead of copying it out of `kind`'s payload.
    let host: Unmanaged<HostDefinition>?
    /// Engine-wide id of `type`.
    var typeID: Int { record.pointee.typeID }
    /// The public handle, cached so the same function always yields the same `Function`.
    weak var handle: Function?
    /// Frame slots its arguments or results take, whichever is more (a `v128` takes two);
    /// computed once, since host calls check it on every call.
    let frameSlots: Int

    init(type: FunctionType, typeID: Int, runtimeType: UnsafeMutablePointer<RuntimeType>, kind: Kind,
         memory: UnsafeMutablePointer<MemoryCell>) {
        self.type = type
        self.kind = kind
        if case .host(let definition) = kind { host = Unmanaged.passUnretained(definition) } else { host = nil }
        frameSlots = max(type.parameterSlots, type.resultSlots)
        record = UnsafeMutablePointer<FunctionRecord>.allocate(capacity: 1)
        let stub: Handler
        if case .host = kind { stub = h_hostCall } else { stub = h_translate }
        record.initialize(to: FunctionRecord(code: PC(bitPattern: 1)!, memory: memory, typeID: typeID,
                                             runtimeType: runtimeType,
                                             entity: UnsafeMutableRawPointer(bitPattern: 1)!,
                                             stubHandler: word(stub), stubOperand: UInt64(UInt(bitPattern: record))))
        record.pointee.entity = Unmanaged.passUnretained(self).toOpaque()
        // Until translated, calls land on the two-word stub inside the record itself.
        record.pointee.code = UnsafeRawPointer(record).advanced(by: MemoryLayout<FunctionRecord>.offset(of: \.stubHandler)!)
            .assumingMemoryBound(to: UInt64.self)
    }

    static func from(_ record: UnsafeMutablePointer<FunctionRecord>) -> FunctionEntity {
        Unmanaged<FunctionEntity>.fromOpaque(record.pointee.entity).takeUnretainedValue()
    }

    deinit { record.deallocate() }
}

/// A host function as defined through a `Linker` (store-independent until instantiated).
/// Both bodies are non-optional `let`s (the unused one a no-op) rather than an enum or
/// optionals: a call then borrows the closure in place, where unwrapping a payload copies it
/// and retains its context (measured: one retain/release pair per guest->host call).
final class HostDefinition {
    let type: FunctionType
    /// Whether `frameBody` is the body (else `valuesBody`).
    let takesFrame: Bool
    /// Takes the arguments in place in the frame and writes the results there (numbers only):
    /// no allocation per call.
    let frameBody: (borrowing Caller, HostCallFrame) throws -> Void
    /// Takes and gives values: arrays built for each call, any value type.
    let valuesBody: (borrowing Caller, [Value]) throws -> [Value]

    init(type: FunctionType, body: @escaping (borrowing Caller, [Value]) throws -> [Value]) {
        self.type = type
        takesFrame = false
        frameBody = { _, _ in }
        valuesBody = body
    }

    init(type: FunctionType, slots body: @escaping (borrowing Caller, HostCallFrame) throws -> Void) {
        self.type = type
        takesFrame = true
        frameBody = body
        valuesBody = { _, _ in [] }
    }
}

final class MemoryEntity {
    let cell: UnsafeMutablePointer<MemoryCell>
    let declaredMax: UInt64?
    /// memory64: addressed with i64.
    let is64: Bool
    /// threads: declared `shared` (import matching requires the same).
    let isShared: Bool

    init(type: MemoryType, cap: Int? = nil) throws {
        cell = try MemoryCell.allocate(type: type, cap: cap)
        declaredMax = type.limits.max
        is64 = type.limits.is64
        isShared = type.limits.isShared
    }

    /// The current type: the minimum is the current size (what import matching compares).
    var type: MemoryType {
        MemoryType(limits: Limits(min: UInt64(cell.pointee.pageCount), max: declaredMax, is64: is64, isShared: isShared),
                   pageSizeLog2: UInt32(cell.pointee.pageSizeLog2))
    }

    deinit { cell.pointee.release(); cell.deallocate() }
}

final class TableEntity {
    let cell: UnsafeMutablePointer<TableCell>
    let declaredMax: UInt64?
    /// table64: indexed with i64.
    let is64: Bool

    init(type: TableType, initial: UInt64) throws {
        cell = try TableCell.allocate(type: type, initial: initial)
        declaredMax = type.limits.max
        is64 = type.limits.is64
    }

    var type: TableType {
        TableType(elementType: cell.pointee.elementType,
                  limits: Limits(min: UInt64(cell.pointee.count), max: declaredMax, is64: is64))
    }

    deinit { cell.pointee.release(); cell.deallocate() }
}

final class GlobalEntity {
    /// Two words, so a v128 global fits (`high`: its bytes 8-15).
    let cell: UnsafeMutablePointer<UInt64>
    let type: GlobalType

    init(type: GlobalType, bits: UInt64, high: UInt64 = 0) {
        self.type = type
        cell = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        cell.initialize(repeating: 0, count: 2)
        cell[0] = bits
        cell[1] = high
    }

    deinit { cell.deallocate() }
}

/// An exported or imported entity.
enum ExternalEntity {
    case function(FunctionEntity)
    case table(TableEntity)
    case memory(MemoryEntity)
    case global(GlobalEntity)
    case tag(TagEntity)
}

/// An instantiated module: its index spaces and the translation context of its functions.
final class InstanceStorage {
    let module: CompiledModule
    var functions: [FunctionEntity] = []
    var tables: [TableEntity] = []
    var memories: [MemoryEntity] = []
    var globals: [GlobalEntity] = []
    var tags: [TagEntity] = []
    var data: [UnsafeMutablePointer<DataCell>] = []
    var elements: [UnsafeMutablePointer<ElementCell>] = []
    var exports = FlatTable<ExactName, ExternalEntity>()
    var context: TranslationContext!
    weak var handle: Instance?

    init(module: CompiledModule) { self.module = module }

    deinit {
        for d in data { d.pointee.bytes.deallocate(); d.deallocate() }
        for e in elements { e.pointee.elements.deallocate(); e.deallocate() }
    }
}
