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
    /// The recursion groups (`rec`) partitioning `types`; a type declared outside any `rec` is
    /// a group of its own.
    public var recursionGroups = RecursionGroups()
    /// The import section in order; imports come first in each index space.
    public var imports: [Import] = []
    /// Type index of each function *defined* by the module (the function section).
    public var functions: [UInt32] = []
    /// The tables the module defines (the table section), after the imported ones.
    public var tables: [TableType] = []
    /// 3.0: the initializer of a defined table that has one (by defined-table position); the
    /// others start null.
    public var tableInitializers: [Int: ConstantExpression] = [:]
    /// The memories the module defines (the memory section), after the imported ones.
    public var memories: [MemoryType] = []
    /// The globals the module defines with their initializers (the global section).
    public var globals: [Global] = []
    /// The tag section (3.0 exception handling): the tags the module defines.
    public var tags: [TagType] = []
    /// The export section in order.
    public var exports: [Export] = []
    /// Index of the function run at instantiation (the start section); nil when there is none.
    public var start: UInt32?
    /// The element section's segments, in element index order.
    public var elements: [ElementSegment] = []
    /// The data count section, when present (needed to validate `memory.init` / `data.drop`).
    public var dataCount: UInt32?
    /// One per defined function, in the same order as `functions`.
    public var codes: [FunctionBody] = []
    /// The data section's segments, in data index order.
    public var data: [DataSegment] = []
    /// The custom sections other than `name`, in the order they appear.
    public var customSections: [CustomSection] = []
    /// The `name` custom section, decoded when present and well formed.
    public var names: NameSection?

    /// A module with no sections yet over `bytes`; the decoder fills them in as it reads them.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Index spaces (imports come first in each)

    /// Type index of each imported function, in import order.
    public var importedFunctionTypes: [UInt32] {
        imports.compactMap { if case .function(let t) = $0.descriptor { return t } else { return nil } }
    }
    /// The type of each imported table, in import order.
    public var importedTables: [TableType] {
        imports.compactMap { if case .table(let t) = $0.descriptor { return t } else { return nil } }
    }
    /// The type of each imported memory, in import order.
    public var importedMemories: [MemoryType] {
        imports.compactMap { if case .memory(let t) = $0.descriptor { return t } else { return nil } }
    }
    /// The type of each imported global, in import order.
    public var importedGlobals: [GlobalType] {
        imports.compactMap { if case .global(let t) = $0.descriptor { return t } else { return nil } }
    }
    /// The type of each imported tag, in import order.
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
    /// Every table in the table index space (imported, then defined).
    public var allTables: [TableType] { importedTables + tables }
    /// Every memory in the memory index space (imported, then defined).
    public var allMemories: [MemoryType] { importedMemories + memories }
    /// The type of every global in the global index space (imported, then defined).
    public var allGlobals: [GlobalType] { importedGlobals + globals.map(\.type) }

    /// The bytes of a data segment.
    public func bytes(of segment: DataSegment) -> ArraySlice<UInt8> { bytes[segment.range] }
}

/// An entry of the import section.
public struct Import: Sendable {
    /// The first of the import's two names: the module it is resolved in.
    public var module: String
    /// The second name: the item within that module.
    public var name: String
    /// What kind of item is imported and the type it must have.
    public var descriptor: ImportDescriptor

    /// An import of `module`.`name` described by `descriptor`.
    public init(module: String, name: String, descriptor: ImportDescriptor) {
        self.module = module
        self.name = name
        self.descriptor = descriptor
    }
}

/// What an import brings in and the type it must match: a function (by type index), a table,
/// a memory, a global or a tag.
public enum ImportDescriptor: Sendable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    case tag(TagType)
}

/// An entry of the export section.
public struct Export: Sendable {
    /// The name the item is exported under (unique within the module).
    public var name: String
    /// Which kind of item is exported and its index in that kind's index space.
    public var descriptor: ExportDescriptor

    /// An export of `descriptor`'s item under `name`.
    public init(name: String, descriptor: ExportDescriptor) {
        self.name = name
        self.descriptor = descriptor
    }
}

/// What an export refers to: an index into the function, table, memory, global or tag index
/// space (imports included).
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
    /// The instructions in order, without the final `end`.
    public var instructions: [Instruction]
    /// Byte offset of the expression in the module, for error messages.
    public var offset: Int

    /// An expression of `instructions`; `offset` locates it in the module for error messages.
    public init(instructions: [Instruction], offset: Int = 0) {
        self.instructions = instructions
        self.offset = offset
    }
}

/// A global defined by the module.
public struct Global: Sendable {
    /// The global's value type and mutability.
    public var type: GlobalType
    /// The constant expression that gives the global its value at instantiation.
    public var initializer: ConstantExpression

    /// A global of `type` whose first value comes from `initializer`.
    public init(type: GlobalType, initializer: ConstantExpression) {
        self.type = type
        self.initializer = initializer
    }
}

/// An element segment: references used to initialise tables (active) or by `table.init`.
public struct ElementSegment: Sendable {
    /// When the segment is used: copied into a table at instantiation (active), only by
    /// `table.init` (passive), or never, only declaring `ref.func` targets (declarative).
    public enum Mode: Sendable {
        case passive
        case active(table: UInt32, offset: ConstantExpression)
        case declarative
    }

    /// The items: plain function indices (the compact encodings) or one expression per item.
    public enum Items: Sendable {
        case functions([UInt32])
        case expressions([ConstantExpression])

        /// How many references the segment holds.
        public var count: Int {
            switch self {
            case .functions(let f): return f.count
            case .expressions(let e): return e.count
            }
        }
    }

    /// The reference type of every item (`funcref` for the encodings without one).
    public var type: ReferenceType
    /// Whether the segment is active (with its table and offset), passive or declarative.
    public var mode: Mode
    /// The references, as function indices or as constant expressions.
    public var items: Items

    /// A segment of `items` of reference type `type`, used as `mode` says.
    public init(type: ReferenceType, mode: Mode, items: Items) {
        self.type = type
        self.mode = mode
        self.items = items
    }
}

/// A data segment; its bytes stay in the module buffer (`Module.bytes(of:)`).
public struct DataSegment: Sendable {
    /// When the bytes are used: copied into a memory at instantiation (active), or only by
    /// `memory.init` (passive).
    public enum Mode: Sendable {
        case passive
        case active(memory: UInt32, offset: ConstantExpression)
    }

    /// Whether the segment is active (with its memory and offset) or passive.
    public var mode: Mode
    /// Where the segment's bytes are in `Module.bytes`.
    public var range: Range<Int>

    /// A segment whose bytes are at `range` of the module binary, used as `mode` says.
    public init(mode: Mode, range: Range<Int>) {
        self.mode = mode
        self.range = range
    }
}

/// A run of locals of one type, as declared in a function body.
public struct LocalGroup: Hashable, Sendable {
    /// How many locals of `type` the run declares.
    public var count: UInt32
    /// The type every local of the run has.
    public var type: ValueType

    /// A run of `count` locals of `type`.
    public init(count: UInt32, type: ValueType) {
        self.count = count
        self.type = type
    }
}

/// A function body: its declared locals and where its instructions are in `Module.bytes`.
public struct FunctionBody: Sendable {
    /// The local declarations as encoded: runs of locals sharing a type.
    public var locals: [LocalGroup]
    /// Total number of declared locals (not counting parameters).
    public var localCount: Int
    /// The instruction bytes, from the first instruction to and including the final `end`.
    public var code: Range<Int>

    /// A body declaring `locals` (`localCount` in all), its instructions at `code` in the module.
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
    /// The section's name, as given at the start of its payload.
    public var name: String
    /// The payload, after the name.
    public var range: Range<Int>

    /// A custom section called `name` whose payload (after the name) is at `range` of the module.
    public init(name: String, range: Range<Int>) {
        self.name = name
        self.range = range
    }
}

/// Debug names from the `name` custom section, used for backtraces.
public struct NameSection: Sendable {
    /// The module's own name (subsection 0); nil when the section gives none.
    public var moduleName: String?
    /// Function names by function index, imports included (subsection 1).
    public var functionNames: [UInt32: String] = [:]
    /// Local names by function index, then by local index, parameters first (subsection 2).
    public var localNames: [UInt32: [UInt32: String]] = [:]

    /// Names holding only `moduleName` (nil: none); the decoder adds the other subsections.
    public init(moduleName: String? = nil) { self.moduleName = moduleName }
}
