import HearthBinary

/// Instantiation as the spec orders it: resolve and check imports, allocate, evaluate global
/// initializers and segments, apply active segments in order (a failing one traps, earlier
/// writes stay), drop active and declarative segments, run the start function.
struct Instantiator {
    let module: CompiledModule
    let store: Store
    let linker: Linker

    func run() throws -> Instance {
        let m = module.module
        let storage = InstanceStorage(module: module)
        try resolveImports(into: storage)

        // Functions first: global initializers and element items may use `ref.func`.
        let memory0Hint = storage.memories.first?.cell
        var definedMemories: [MemoryEntity] = []
        let cap = store.engine.configuration.maxMemoryPages
        for type in m.memories { definedMemories.append(try MemoryEntity(type: type, cap: cap)) }
        storage.memories += definedMemories
        let memory0 = memory0Hint ?? storage.memories.first?.cell ?? store.emptyMemory.cell
        let importedFunctionCount = storage.functions.count
        let runtimeTypes = module.typeIDs.map { store.engine.types.type($0) }
        for (i, typeIndex) in m.functions.enumerated() {
            let entity = FunctionEntity(type: m.functionType(typeIndex), typeID: module.typeIDs[Int(typeIndex)],
                                        runtimeType: runtimeTypes[Int(typeIndex)],
                                        kind: .wasm(instance: Unmanaged.passUnretained(storage), definedIndex: i,
                                                    functionIndex: importedFunctionCount + i),
                                        memory: memory0)
            storage.functions.append(entity)
        }
        for tag in m.tags {
            storage.tags.append(TagEntity(type: m.functionType(tag.typeIndex), typeID: module.typeIDs[Int(tag.typeIndex)]))
        }
        // The store keeps the instance (and so its functions) alive from here on, even if a
        // segment traps: its functions may already sit in imported tables.
        store.instances.append(storage)

        for global in m.globals {
            let evaluator = ConstantEvaluator(globals: storage.globals, functions: storage.functions,
                                              heap: store.heap, runtimeTypes: runtimeTypes)
            let (low, high) = try evaluator.evaluateWords(global.initializer)
            storage.globals.append(GlobalEntity(type: canonical(global.type), bits: low, high: high))
        }
        let evaluator = ConstantEvaluator(globals: storage.globals, functions: storage.functions,
                                          heap: store.heap, runtimeTypes: runtimeTypes)
        // Tables after globals: a 3.0 table initializer may read them.
        for (i, type) in m.tables.enumerated() {
            let initial = try m.tableInitializers[i].map { try evaluator.evaluate($0) } ?? 0
            storage.tables.append(try TableEntity(type: canonical(type), initial: initial))
        }

        for segment in m.data {
            // Only passive segments keep their bytes for `memory.init`: active ones are copied
            // into memory straight from the module's buffer below and then dropped, so they
            // start empty (a large module's data segments are megabytes).
            let cell = UnsafeMutablePointer<DataCell>.allocate(capacity: 1)
            cell.initialize(to: DataCell(bytes: UnsafeMutablePointer<UInt8>.allocate(capacity: 1), count: 0))
            if Self.isPassive(segment) { fill(cell, with: m.bytes(of: segment)) }
            storage.data.append(cell)
        }
        for segment in m.elements {
            var words: [UInt64] = []
            switch segment.items {
            case .functions(let indices):
                words = indices.map { UInt64(UInt(bitPattern: storage.functions[Int($0)].record)) }
            case .expressions(let expressions):
                words = try expressions.map { try evaluator.evaluate($0) }
            }
            let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: max(words.count, 1))
            buffer.initialize(from: words, count: words.count)
            let cell = UnsafeMutablePointer<ElementCell>.allocate(capacity: 1)
            cell.initialize(to: ElementCell(elements: buffer, count: words.count))
            storage.elements.append(cell)
        }

        storage.context = TranslationContext(
            module: m, functionTypeIndices: m.functionTypeIndices, features: module.engine.configuration.features,
            functions: storage.functions.map(\.record), tables: storage.tables.map(\.cell),
            memories: storage.memories.map(\.cell), globals: storage.globals.map(\.cell),
            globalTypes: storage.globals.map(\.type.valueType), memory64: storage.memories.map(\.is64),
            table64: storage.tables.map(\.is64), data: storage.data, elements: storage.elements, typeIDs: module.typeIDs,
            runtimeTypes: runtimeTypes, memory0: memory0,
            tags: storage.tags.map(\.cell), tagTypes: m.allTags.map { m.functionType($0.typeIndex) })

        for export in m.exports {
            switch export.descriptor {
            case .function(let i): storage.exports[ExactName(export.name)] = .function(storage.functions[Int(i)])
            case .table(let i): storage.exports[ExactName(export.name)] = .table(storage.tables[Int(i)])
            case .memory(let i): storage.exports[ExactName(export.name)] = .memory(storage.memories[Int(i)])
            case .global(let i): storage.exports[ExactName(export.name)] = .global(storage.globals[Int(i)])
            case .tag(let i): storage.exports[ExactName(export.name)] = .tag(storage.tags[Int(i)])
            }
        }
        let instance = Instance(store: store, storage: storage)
        storage.handle = instance

        try applyElementSegments(storage, evaluator)
        try applyDataSegments(storage, evaluator)
        if let start = m.start {
            _ = try store.invoke(storage.functions[Int(start)], [])
        }
        return instance
    }

    private func resolveImports(into storage: InstanceStorage) throws {
        for imp in module.module.imports {
            guard let entity = try linker.resolve(module: imp.module, name: imp.name, in: store) else {
                throw HearthError.link("unknown import \"\(imp.module)\" \"\(imp.name)\"")
            }
            let incompatible = HearthError.link("incompatible import type \"\(imp.module)\" \"\(imp.name)\"")
            switch (imp.descriptor, entity) {
            case (.function(let t), .function(let f)):
                guard store.engine.types.isSubtype(f.typeID, module.typeIDs[Int(t)]) else { throw incompatible }
                storage.functions.append(f)
            case (.table(let t), .table(let table)):
                let actual = table.type
                guard actual.elementType == canonical(t).elementType, Self.limits(actual.limits, match: t.limits) else {
                    throw incompatible
                }
                storage.tables.append(table)
            case (.memory(let t), .memory(let memory)):
                let actual = memory.type
                guard actual.pageSizeLog2 == t.pageSizeLog2, Self.limits(actual.limits, match: t.limits) else { throw incompatible }
                storage.memories.append(memory)
            case (.global(let t), .global(let global)):
                // A mutable global's type must be the same both ways; an immutable one may be a subtype.
                let expected = canonical(t)
                guard global.type.isMutable == expected.isMutable,
                      global.type.isMutable ? global.type == expected
                                            : store.engine.types.isSubtype(global.type.valueType, expected.valueType) else {
                    throw incompatible
                }
                storage.globals.append(global)
            case (.tag(let t), .tag(let tag)):
                // Tag types must be equivalent (the same canonical type).
                guard tag.typeID == module.typeIDs[Int(t.typeIndex)] else { throw incompatible }
                storage.tags.append(tag)
            default:
                throw incompatible
            }
        }
    }

    /// Entities carry their types with concrete heap types as engine type ids, so that types
    /// from different modules compare.
    private func canonical(_ type: TableType) -> TableType {
        TableType(elementType: TypeRegistry.canonical(type.elementType, ids: module.typeIDs), limits: type.limits)
    }

    private func canonical(_ type: GlobalType) -> GlobalType {
        GlobalType(valueType: TypeRegistry.canonical(type.valueType, ids: module.typeIDs), isMutable: type.isMutable)
    }

    /// Limits subtyping: at least the required minimum, and a maximum no larger than required.
    static func limits(_ actual: Limits, match required: Limits) -> Bool {
        // A 64-bit memory or table never stands in for a 32-bit one, nor the reverse.
        guard actual.is64 == required.is64, actual.min >= required.min else { return false }
        // A shared memory only stands in for a shared one, and the reverse (threads).
        guard actual.isShared == required.isShared else { return false }
        guard let requiredMax = required.max else { return true }
        guard let actualMax = actual.max else { return false }
        return actualMax <= requiredMax
    }

    private func applyElementSegments(_ storage: InstanceStorage, _ evaluator: ConstantEvaluator) throws {
        for (i, segment) in module.module.elements.enumerated() {
            let cell = storage.elements[i]
            switch segment.mode {
            case .passive: continue
            case .declarative: cell.pointee.count = 0
            case .active(let tableIndex, let offsetExpression):
                let raw = try evaluator.evaluate(offsetExpression)
                let is64 = storage.tables[Int(tableIndex)].is64
                // A 64-bit table's offset is a whole i64; no table reaches 2^32 elements.
                guard !is64 || raw <= UInt64(UInt32.max) else { throw HearthError.trap(.tableOutOfBounds) }
                let offset = Int(UInt32(truncatingIfNeeded: raw))
                let table = storage.tables[Int(tableIndex)].cell
                let n = cell.pointee.count
                guard offset + n <= table.pointee.count else { throw HearthError.trap(.tableOutOfBounds) }
                (table.pointee.elements + offset).update(from: cell.pointee.elements, count: n)
                cell.pointee.count = 0
            }
        }
    }

    private func applyDataSegments(_ storage: InstanceStorage, _ evaluator: ConstantEvaluator) throws {
        let segments = module.module.data
        for (i, segment) in segments.enumerated() {
            guard case .active(let memoryIndex, let offsetExpression) = segment.mode else { continue }
            let bytes = module.module.bytes(of: segment)
            do {
                let entity = storage.memories[Int(memoryIndex)]
                let raw = try evaluator.evaluate(offsetExpression)
                // A 64-bit memory's offset is a whole i64; compared before it becomes an Int.
                let wide = entity.is64 ? raw : UInt64(UInt32(truncatingIfNeeded: raw))
                let memory = entity.cell
                guard wide <= UInt64(memory.pointee.byteCount),
                      Int(wide) + bytes.count <= memory.pointee.byteCount else { throw HearthError.trap(.memoryOutOfBounds) }
                let offset = Int(wide)
                bytes.withUnsafeBufferPointer { source in
                    if let base = source.baseAddress {
                        (memory.pointee.base + offset).copyMemory(from: base, byteCount: source.count)
                    }
                }
            } catch {
                // This segment and the later active ones were never applied, so never dropped:
                // functions already placed in imported tables may still `memory.init` from them.
                for j in i..<segments.count where !Self.isPassive(segments[j]) {
                    fill(storage.data[j], with: module.module.bytes(of: segments[j]))
                }
                throw error
            }
        }
    }

    private static func isPassive(_ segment: DataSegment) -> Bool {
        if case .passive = segment.mode { return true }
        return false
    }

    /// Gives an (empty) data cell the bytes of its segment.
    private func fill(_ cell: UnsafeMutablePointer<DataCell>, with bytes: ArraySlice<UInt8>) {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.initialize(from: base, count: source.count) }
        }
        cell.pointee.bytes.deallocate()
        cell.pointee = DataCell(bytes: buffer, count: bytes.count)
    }
}
