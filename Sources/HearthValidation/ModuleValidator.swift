import HearthBinary

/// The spec's validation rules (chapter 3) for a decoded module.
///
/// Function bodies are decoded here for the first time (the decoder only records their byte
/// ranges), so this also reports malformed instructions, with the decoder's messages ("illegal
/// opcode ...", "zero byte expected", "integer too large"), and "data count section required"
/// for `memory.init` / `data.drop` in a module without a data count section.
public enum ModuleValidator {
    /// Validates the whole module (every function body included) per the spec's typing rules,
    /// with subtype chains capped at `limits.subtypeDepth`.
    public static func validate(_ module: Module, features: FeatureSet = .default,
                                limits: ModuleLimits = .default) throws(HearthError) {
        var context = try ModuleContext(module: module, features: features, limits: limits)
        try validateTypesAndImports(context)
        try validateDefinitions(context)
        try collectDeclaredFunctions(&context)
        var constants = ConstantExpressionValidator(context: context)
        try validateGlobals(context, &constants)
        try validateTableInitializers(context, &constants)
        try validateExports(context)
        try validateStart(context)
        try validateElements(context, &constants)
        try validateData(context, &constants)
        var validator = FunctionValidator(context: context)
        try module.bytes.withUnsafeBufferPointer { (bytes) throws(HearthError) in
            for (i, body) in module.codes.enumerated() {
                try validator.validate(functionIndex: context.importedFunctionCount + i, body: body, bytes: bytes)
            }
        }
    }

    /// The type of a `block`, `loop` or `if`: `[] -> []`, `[] -> [t]`, or the type at an index.
    /// The block type must be valid (as it is in a validated module).
    public static func blockSignature(_ type: BlockType, in module: Module) -> FunctionType {
        switch type {
        case .empty: return FunctionType()
        case .value(let t): return FunctionType(results: [t])
        case .typeIndex(let index): return module.functionType(index)
        }
    }

    // MARK: Types and imports

    private static func validateTypesAndImports(_ c: ModuleContext) throws(HearthError) {
        for entry in c.module.imports {
            switch entry.descriptor {
            case .function(let t): _ = try c.functionTypeIndex(t)
            case .table(let t): try validateTableType(t, c)
            case .memory(let m): try validateMemoryType(m)
            case .global(let g): try c.check(g.valueType)
            case .tag(let t): try validateTagType(t, c)
            }
        }
    }

    private static func validateDefinitions(_ c: ModuleContext) throws(HearthError) {
        for t in c.module.functions { _ = try c.functionTypeIndex(t) }
        for (i, t) in c.module.tables.enumerated() {
            try validateTableType(t, c)
            // A table of non-nullable references needs an initializer to fill it with.
            if c.module.tableInitializers[i] == nil && !t.elementType.isNullable {
                throw HearthError.invalid("type mismatch: a table of \(t.elementType) needs an initializer", at: 0)
            }
        }
        for global in c.module.globals { try c.check(global.type.valueType, at: global.initializer.offset) }
        for body in c.module.codes {
            for group in body.locals { try c.check(group.type, at: body.code.lowerBound) }
        }
        for m in c.module.memories { try validateMemoryType(m) }
        for t in c.module.tags { try validateTagType(t, c) }
        if !c.features.multipleTables && c.tables.count > 1 {
            throw HearthError.invalid("multiple tables", at: 0)
        }
        if !c.features.multipleMemories && c.memories.count > 1 {
            throw HearthError.invalid("multiple memories", at: 0)
        }
    }

    /// A tag's type is a function type without results (its parameters are the payload).
    private static func validateTagType(_ t: TagType, _ c: ModuleContext) throws(HearthError) {
        guard try c.functionTypeIndex(t.typeIndex).resultCount == 0 else {
            throw HearthError.invalid("non-empty tag result type", at: 0)
        }
    }

    private static func validateTableType(_ t: TableType, _ c: ModuleContext) throws(HearthError) {
        try c.check(t.elementType.heapType)
        try validateLimits(t.limits, bound: t.limits.is64 ? UInt64.max : UInt64(UInt32.max),
                           tooLarge: "table size must be at most 2^32-1")
    }

    private static func validateMemoryType(_ m: MemoryType) throws(HearthError) {
        // Custom page sizes: 1 byte or the default 64 KiB, nothing between.
        guard m.pageSizeLog2 == 0 || m.pageSizeLog2 == 16 else { throw HearthError.invalid("invalid custom page size", at: 0) }
        // The address space bounds the pages: 2^32 or 2^64 bytes (at most 2^48 default pages).
        let bound: UInt64 = m.limits.is64
            ? (m.pageSizeLog2 == 16 ? 1 << 48 : UInt64.max)
            : (m.pageSizeLog2 == 16 ? MemoryType.maxPages32 : UInt64(UInt32.max))
        let tooLarge = m.pageSizeLog2 != 16 ? "memory size must be at most \(bound) pages"
            : m.limits.is64 ? "memory size must be at most 2^48 pages" : "memory size must be at most 65536 pages (4GiB)"
        try validateLimits(m.limits, bound: bound, tooLarge: tooLarge)
        // Threads: a shared memory never moves, so its maximum is fixed up front.
        if m.limits.isShared && m.limits.max == nil {
            throw HearthError.invalid("shared memory must have maximum", at: 0)
        }
    }

    private static func validateLimits(_ limits: Limits, bound: UInt64, tooLarge: String) throws(HearthError) {
        guard limits.min <= bound else { throw HearthError.invalid(tooLarge, at: 0) }
        if let max = limits.max {
            guard max <= bound else { throw HearthError.invalid(tooLarge, at: 0) }
            guard limits.min <= max else {
                throw HearthError.invalid("size minimum must not be greater than maximum", at: 0)
            }
        }
    }

    // MARK: Declared function references (C.refs)

    /// Marks every function index mentioned outside function bodies, checking it exists.
    private static func collectDeclaredFunctions(_ c: inout ModuleContext) throws(HearthError) {
        func declare(_ index: UInt32, _ c: inout ModuleContext, at offset: Int) throws(HearthError) {
            guard Int(index) < c.declaredFunctions.count else {
                throw HearthError.invalid("unknown function \(index)", at: offset)
            }
            c.declaredFunctions[Int(index)] = true
        }
        func declare(in expression: ConstantExpression, _ c: inout ModuleContext) throws(HearthError) {
            for case .refFunc(let index) in expression.instructions {
                try declare(index, &c, at: expression.offset)
            }
        }
        for global in c.module.globals { try declare(in: global.initializer, &c) }
        for initializer in c.module.tableInitializers.values { try declare(in: initializer, &c) }
        for export in c.module.exports {
            if case .function(let index) = export.descriptor { try declare(index, &c, at: 0) }
        }
        for segment in c.module.elements {
            switch segment.items {
            case .functions(let indices): for index in indices { try declare(index, &c, at: 0) }
            case .expressions(let expressions): for e in expressions { try declare(in: e, &c) }
            }
        }
    }

    // MARK: Globals, exports, start

    /// 3.0 table initializers come before the global section: they see imported globals only.
    private static func validateTableInitializers(_ c: ModuleContext, _ constants: inout ConstantExpressionValidator) throws(HearthError) {
        for (i, t) in c.module.tables.enumerated() {
            guard let initializer = c.module.tableInitializers[i] else { continue }
            try constants.validate(initializer, type: OperandType(t.elementType), visibleGlobals: c.importedGlobalCount)
        }
    }

    private static func validateGlobals(_ c: ModuleContext, _ constants: inout ConstantExpressionValidator) throws(HearthError) {
        for (i, global) in c.module.globals.enumerated() {
            // 2.0: initializers see only imported globals; 3.0: also the globals defined before.
            let visible = c.features.version == .wasm2 ? c.importedGlobalCount : c.importedGlobalCount + i
            try constants.validate(global.initializer, type: OperandType(global.type.valueType), visibleGlobals: visible)
        }
    }

    private static func validateExports(_ c: ModuleContext) throws(HearthError) {
        for export in c.module.exports {
            switch export.descriptor {
            case .function(let x):
                guard Int(x) < c.functionTypes.count else { throw HearthError.invalid("unknown function \(x)", at: 0) }
            case .table(let x):
                guard Int(x) < c.tables.count else { throw HearthError.invalid("unknown table \(x)", at: 0) }
            case .memory(let x):
                guard Int(x) < c.memories.count else { throw HearthError.invalid("unknown memory \(x)", at: 0) }
            case .global(let x):
                guard Int(x) < c.globals.count else { throw HearthError.invalid("unknown global \(x)", at: 0) }
            case .tag(let x):
                guard Int(x) < c.tags.count else { throw HearthError.invalid("unknown tag \(x)", at: 0) }
            }
        }
        // Names are compared as byte sequences: Swift's `String` equality is canonical
        // equivalence, under which distinct export names such as "\u{C5}" and "A\u{30A}" collide.
        // Sorted and compared with their neighbours rather than put in a `Set<[UInt8]>`: a set's
        // first use instantiates its type at run time, and the conformance lookups that takes
        // were a sixth of the instructions `hearth run` spends on an empty module.
        let names = c.module.exports.map { Array($0.name.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        for (name, next) in zip(names, names.dropFirst()) where name == next {
            throw HearthError.invalid("duplicate export name", at: 0)
        }
    }

    private static func validateStart(_ c: ModuleContext) throws(HearthError) {
        guard let start = c.module.start else { return }
        guard Int(start) < c.functionTypes.count else { throw HearthError.invalid("unknown function \(start)", at: 0) }
        let signature = c.functionSignature(Int(start))
        guard signature.parameterCount == 0 && signature.resultCount == 0 else {
            throw HearthError.invalid("start function", at: 0)
        }
    }

    // MARK: Segments

    /// Constant expressions in segments see the globals a global initializer at the end of the
    /// global section would see.
    private static func segmentVisibleGlobals(_ c: ModuleContext) -> Int {
        c.features.version == .wasm2 ? c.importedGlobalCount : c.globals.count
    }

    private static func validateElements(_ c: ModuleContext, _ constants: inout ConstantExpressionValidator) throws(HearthError) {
        let visible = segmentVisibleGlobals(c)
        for (index, segment) in c.module.elements.enumerated() {
            try c.check(segment.type.heapType)
            if case .active(let table, let offset) = segment.mode {
                guard Int(table) < c.tables.count else { throw HearthError.invalid("unknown table \(table)", at: offset.offset) }
                let tableType = c.tables[Int(table)]
                try constants.validate(offset, type: c.addressType(tableType.limits), visibleGlobals: visible)
                guard c.isSubtype(.ref(c.elementTypes[index]), .ref(tableType.elementType)) else {
                    throw HearthError.invalid("type mismatch", at: offset.offset)
                }
            }
            if case .expressions(let expressions) = segment.items {
                for e in expressions {
                    try constants.validate(e, type: OperandType(c.elementTypes[index]), visibleGlobals: visible)
                }
            }
            // Plain function indices were checked when collecting C.refs.
        }
    }

    private static func validateData(_ c: ModuleContext, _ constants: inout ConstantExpressionValidator) throws(HearthError) {
        let visible = segmentVisibleGlobals(c)
        for segment in c.module.data {
            guard case .active(let memory, let offset) = segment.mode else { continue }
            guard Int(memory) < c.memories.count else {
                throw HearthError.invalid("unknown memory \(memory)", at: offset.offset)
            }
            try constants.validate(offset, type: c.addressType(c.memories[Int(memory)].limits), visibleGlobals: visible)
        }
    }
}
