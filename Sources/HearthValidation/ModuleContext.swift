import HearthBinary

/// The spec's validation context C for a module: every index space flattened once (imports
/// first), so that the per-instruction checks are plain array lookups.
struct ModuleContext {
    let module: Module
    let features: FeatureSet
    let types: [FunctionType]
    /// Each type's parameters and results as operand types, precomputed for block and call typing.
    let signatures: SignatureTable
    /// Type index of every function (imported, then defined).
    let functionTypes: [UInt32]
    let importedFunctionCount: Int
    let tables: [TableType]
    let memories: [MemoryType]
    let globals: [GlobalType]
    let importedGlobalCount: Int
    let elementTypes: [ReferenceType]
    let dataCount: UInt32?
    /// C.refs: the functions that may be named by `ref.func` inside function bodies (those
    /// mentioned outside function bodies: elements, exports, global initializers).
    var declaredFunctions: [Bool]

    init(module: Module, features: FeatureSet) {
        self.module = module
        self.features = features
        types = module.types
        signatures = SignatureTable(module.types)
        var functionTypes: [UInt32] = []
        var tables: [TableType] = []
        var memories: [MemoryType] = []
        var globals: [GlobalType] = []
        for entry in module.imports {
            switch entry.descriptor {
            case .function(let t): functionTypes.append(t)
            case .table(let t): tables.append(t)
            case .memory(let m): memories.append(m)
            case .global(let g): globals.append(g)
            }
        }
        importedFunctionCount = functionTypes.count
        importedGlobalCount = globals.count
        self.functionTypes = functionTypes + module.functions
        self.tables = tables + module.tables
        self.memories = memories + module.memories
        self.globals = globals + module.globals.map(\.type)
        elementTypes = module.elements.map(\.type)
        dataCount = module.dataCount
        declaredFunctions = [Bool](repeating: false, count: self.functionTypes.count)
    }

    /// The signature of function `index`, which must exist and have a valid type.
    @inline(__always)
    func functionSignature(_ index: Int) -> SignatureTable.Span {
        signatures[Int(functionTypes[index])]
    }

    /// The address type of a memory or table: i64 for 3.0's 64-bit ones, i32 otherwise.
    func addressType(_ limits: Limits) -> OperandType { limits.is64 ? .i64 : .i32 }
}
