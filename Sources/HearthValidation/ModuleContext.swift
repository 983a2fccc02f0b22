import HearthBinary

/// The spec's validation context C for a module: every index space flattened once (imports
/// first), so that the per-instruction checks are plain array lookups.
struct ModuleContext {
    let module: Module
    let features: FeatureSet
    let types: [SubType]
    /// Subtyping and equivalence of the module's types.
    let relations: TypeRelations
    /// Each type's parameters and results as operand types, precomputed for block and call typing.
    let signatures: SignatureTable
    /// Type index of every function (imported, then defined).
    let functionTypes: [UInt32]
    let importedFunctionCount: Int
    let tables: [TableType]
    let memories: [MemoryType]
    let globals: [GlobalType]
    let importedGlobalCount: Int
    /// The type index of every tag (imported, then defined).
    let tags: [UInt32]
    let elementTypes: [ReferenceType]
    let dataCount: UInt32?
    /// C.refs: the functions that may be named by `ref.func` inside function bodies (those
    /// mentioned outside function bodies: elements, exports, global initializers).
    var declaredFunctions: [Bool]

    init(module: Module, features: FeatureSet, limits: ModuleLimits = .default) throws(HearthError) {
        self.module = module
        self.features = features
        types = module.types
        relations = try TypeRelations(validating: module, maxSubtypeDepth: limits.subtypeDepth)
        signatures = SignatureTable(module.types)
        var functionTypes: [UInt32] = []
        var tables: [TableType] = []
        var memories: [MemoryType] = []
        var globals: [GlobalType] = []
        var tags: [UInt32] = []
        for entry in module.imports {
            switch entry.descriptor {
            case .function(let t): functionTypes.append(t)
            case .table(let t): tables.append(t)
            case .memory(let m): memories.append(m)
            case .global(let g): globals.append(g)
            case .tag(let t): tags.append(t.typeIndex)
            }
        }
        importedFunctionCount = functionTypes.count
        importedGlobalCount = globals.count
        self.functionTypes = functionTypes + module.functions
        self.tables = tables + module.tables
        self.memories = memories + module.memories
        self.globals = globals + module.globals.map(\.type)
        self.tags = tags + module.tags.map(\.typeIndex)
        // 3.0 types a segment of plain function indices as non-null references.
        elementTypes = module.elements.map {
            if features.version == .wasm3, case .functions = $0.items {
                return ReferenceType(isNullable: false, heapType: .function)
            }
            return $0.type
        }
        dataCount = module.dataCount
        declaredFunctions = [Bool](repeating: false, count: self.functionTypes.count)
    }

    /// The signature of function `index`, which must exist and have a valid type.
    @inline(__always)
    func functionSignature(_ index: Int) -> SignatureTable.Span {
        signatures[Int(functionTypes[index])]
    }

    /// A value type must name only defined types.
    func check(_ type: ValueType, at offset: Int = 0) throws(HearthError) {
        if case .ref(let r) = type { try check(r.heapType, at: offset) }
    }

    func check(_ heap: HeapType, at offset: Int = 0) throws(HearthError) {
        if case .concrete(let index) = heap, Int(index) >= types.count {
            throw HearthError.invalid("unknown type \(index)", at: offset)
        }
    }

    /// The function type at a type index that must be one (calls, blocks, `call_indirect`).
    func functionTypeIndex(_ index: UInt32, at offset: Int = 0) throws(HearthError) -> SignatureTable.Span {
        guard Int(index) < signatures.count else { throw HearthError.invalid("unknown type \(index)", at: offset) }
        let span = signatures[Int(index)]
        guard span.isFunction else { throw HearthError.invalid("type mismatch: type \(index) is not a function type", at: offset) }
        return span
    }

    func isSubtype(_ a: OperandType, _ b: OperandType) -> Bool { relations.isSubtype(a, b) }
    func isSubtype(_ a: ValueType, _ b: ValueType) -> Bool { relations.isSubtype(a, b) }

    /// The address type of a memory or table: i64 for 3.0's 64-bit ones, i32 otherwise.
    func addressType(_ limits: Limits) -> OperandType { limits.is64 ? .i64 : .i32 }
}
