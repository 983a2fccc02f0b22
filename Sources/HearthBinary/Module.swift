/// A decoded (not yet validated) WebAssembly module.
///
/// Function bodies, data segment contents and custom sections are kept as byte ranges into
/// `bytes`, so decoding never copies code around: the validator and the translator read the
/// instructions straight from the original buffer with a `CodeReader`.
public struct Module: Sendable {
    /// The whole binary the module was decoded from.
    public var bytes: [UInt8]

    /// The type section: every defined type in index order.
    public var types: [SubType] = []
    /// The recursion groups (`rec`) partitioning `types`, as index ranges; a type declared
    /// outside any `rec` is a group of its own.
    public var recursionGroups: [Range<Int>] = []
    public var imports: [Import] = []
    /// Type index of each function *defined* by the module (the function section).
    public var functions: [UInt32] = []
    public var tables: [TableType] = []
    /// 3.0: the initializer of a defined table that has one (by defined-table position); the
    /// others start null.
    public var tableInitializers: [Int: ConstantExpression] = [:]
    public var memories: [MemoryType] = []
    public var globals: [Global] = []
    /// The tag section (3.0 exception handling): the tags the module defines.
    public var tags: [TagType] = []
    public var exports: [Export] = []
    public var start: UInt32?
    public var elements: [ElementSegment] = []
    /// The data count section, when present (needed to validate `memory.init` / `data.drop`).
    public var dataCount: UInt32?
    /// One per defined function, in the same order as `functions`.
    public var codes: [FunctionBody] = []
    public var data: [DataSegment] = []
    public var customSections: [CustomSection] = []
    /// The `name` custom section, decoded when present and well formed.
    public var names: NameSection?

    public init(bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Index spaces (imports come first in each)

    public var importedFunctionTypes: [UInt32] {
        imports.compactMap { if case .function(let t) = $0.descriptor { return t } else { return nil } }
    }
    public var importedTables: [TableType] {
        imports.compactMap { if case .table(let t) = $0.descriptor { return t } else { return nil } }
    }
    public var importedMemories: [MemoryType] {
        imports.compactMap { if case .memory(let t) = $0.descriptor { return t } else { return nil } }
    }
    public var importedGlobals: [GlobalType] {
        imports.compactMap { if case .global(let t) = $0.descriptor { return t } else { return nil } }
    }
    public var importedTags: [TagType] {
        imports.compactMap { if case .tag(let t) = $0.descriptor { return t } else { return nil } }
    }
    /// Every tag in the tag index space (imported, then defined).
    public var allTags: [TagType] { importedTags + tags }

    /// The function type at `index`, which must be one (as in a validated module).
    public func functionType(_ index: UInt32) -> FunctionType {
        guard let f = types[Int(index)].functionType else { preconditionFailure("type \(index) is not a function type") }
        return f
    }

    /// Appends a type as a recursion group of its own.
    public mutating func appendType(_ type: SubType) {
        types.append(type)
        recursionGroups.append((types.count - 1)..<types.count)
    }

    /// Type index of every function in the function index space (imported, then defined).
    public var functionTypeIndices: [UInt32] { importedFunctionTypes + functions }

    /// The type index of function `index` of the function index space, without building
    /// `functionTypeIndices` (the translator asks once per call instruction).
    public func functionTypeIndex(_ index: Int) -> UInt32 {
        index < importedFunctionTypes.count ? importedFunctionTypes[index] : functions[index - importedFunctionTypes.count]
    }
    public var allTables: [TableType] { importedTables + tables }
    public var allMemories: [MemoryType] { importedMemories + memories }
    public var allGlobals: [GlobalType] { importedGlobals + globals.map(\.type) }

    /// The bytes of a data segment.
    public func bytes(of segment: DataSegment) -> ArraySlice<UInt8> { bytes[segment.range] }
}

/// An entry of the import section.
public struct Import: Sendable {
    public var module: String
    public var name: String
    public var descriptor: ImportDescriptor

    public init(module: String, name: String, descriptor: ImportDescriptor) {
        self.module = module
        self.name = name
        self.descriptor = descriptor
    }
}

public enum ImportDescriptor: Sendable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    case tag(TagType)
}

/// An entry of the export section.
public struct Export: Sendable {
    public var name: String
    public var descriptor: ExportDescriptor

    public init(name: String, descriptor: ExportDescriptor) {
        self.name = name
        self.descriptor = descriptor
    }
}

public enum ExportDescriptor: Hashable, Sendable {
    case function(UInt32)
    case table(UInt32)
    case memory(UInt32)
    case global(UInt32)
    case tag(UInt32)
}

/// A constant expression (global initializers, segment offsets, element items), decoded up to
/// and excluding its final `end`. Which instructions are allowed is the validator's business.
public struct ConstantExpression: Sendable {
    public var instructions: [Instruction]
    /// Byte offset of the expression in the module, for error messages.
    public var offset: Int

    public init(instructions: [Instruction], offset: Int = 0) {
        self.instructions = instructions
        self.offset = offset
    }
}

/// A global defined by the module.
public struct Global: Sendable {
    public var type: GlobalType
    public var initializer: ConstantExpression

    public init(type: GlobalType, initializer: ConstantExpression) {
        self.type = type
        self.initializer = initializer
    }
}

/// An element segment: references used to initialise tables (active) or by `table.init`.
public struct ElementSegment: Sendable {
    public enum Mode: Sendable {
        case passive
        case active(table: UInt32, offset: ConstantExpression)
        case declarative
    }

    /// The items: plain function indices (the compact encodings) or one expression per item.
    public enum Items: Sendable {
        case functions([UInt32])
        case expressions([ConstantExpression])

        public var count: Int {
            switch self {
            case .functions(let f): return f.count
            case .expressions(let e): return e.count
            }
        }
    }

    public var type: ReferenceType
    public var mode: Mode
    public var items: Items

    public init(type: ReferenceType, mode: Mode, items: Items) {
        self.type = type
        self.mode = mode
        self.items = items
    }
}

/// A data segment; its bytes stay in the module buffer (`Module.bytes(of:)`).
public struct DataSegment: Sendable {
    public enum Mode: Sendable {
        case passive
        case active(memory: UInt32, offset: ConstantExpression)
    }

    public var mode: Mode
    public var range: Range<Int>

    public init(mode: Mode, range: Range<Int>) {
        self.mode = mode
        self.range = range
    }
}

/// A run of locals of one type, as declared in a function body.
public struct LocalGroup: Hashable, Sendable {
    public var count: UInt32
    public var type: ValueType

    public init(count: UInt32, type: ValueType) {
        self.count = count
        self.type = type
    }
}

/// A function body: its declared locals and where its instructions are in `Module.bytes`.
public struct FunctionBody: Sendable {
    public var locals: [LocalGroup]
    /// Total number of declared locals (not counting parameters).
    public var localCount: Int
    /// The instruction bytes, from the first instruction to and including the final `end`.
    public var code: Range<Int>

    public init(locals: [LocalGroup], localCount: Int, code: Range<Int>) {
        self.locals = locals
        self.localCount = localCount
        self.code = code
    }

    /// The declared locals' types, expanded (one entry per local).
    public var localTypes: [ValueType] {
        var result: [ValueType] = []
        result.reserveCapacity(localCount)
        for group in locals { result.append(contentsOf: repeatElement(group.type, count: Int(group.count))) }
        return result
    }
}

/// A custom section other than `name` (which is decoded into `NameSection`); kept for tools.
public struct CustomSection: Sendable {
    public var name: String
    /// The payload, after the name.
    public var range: Range<Int>

    public init(name: String, range: Range<Int>) {
        self.name = name
        self.range = range
    }
}

/// Debug names from the `name` custom section, used for backtraces.
public struct NameSection: Sendable {
    public var moduleName: String?
    public var functionNames: [UInt32: String] = [:]
    public var localNames: [UInt32: [UInt32: String]] = [:]

    public init(moduleName: String? = nil) { self.moduleName = moduleName }
}
