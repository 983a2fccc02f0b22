import HearthBinary

/// A module as the text parser assembles it: every identifier already resolved to an index and
/// every expression already encoded, so the encoder only has to lay out sections.
struct TextModule {
    /// A function defined in the module: its type, declared locals and encoded body.
    struct Function {
        var typeIndex: UInt32
        var locals: [ValueType]
        /// Instructions including the final `end`.
        var body: [UInt8]
    }

    struct Global {
        var type: GlobalType
        /// Encoded initializer including its `end`.
        var initializer: [UInt8]
    }

    struct Element {
        enum Mode {
            case passive
            case declarative
            case active(table: UInt32, offset: [UInt8])
        }

        enum Items {
            case functions([UInt32])
            /// Encoded constant expressions, each including its `end`.
            case expressions([[UInt8]])
        }

        var type: ReferenceType
        var mode: Mode
        var items: Items
    }

    struct Data {
        enum Mode {
            case passive
            case active(memory: UInt32, offset: [UInt8])
        }

        var mode: Mode
        var bytes: [UInt8]
    }

    var name: String?
    var types: [SubType] = []
    /// Recursion groups partitioning `types` (a lone `type` is a group of one).
    var recursionGroups = RecursionGroups()
    var imports: [Import] = []
    var functions: [Function] = []
    var tables: [TableType] = []
    /// Wasm 3.0 table initializers (encoded expressions with `end`), by defined-table position.
    var tableInitializers: [Int: [UInt8]] = [:]
    var memories: [MemoryType] = []
    var globals: [Global] = []
    /// Exception tags (3.0), each a function type index.
    var tags: [TagType] = []
    var exports: [Export] = []
    var start: UInt32?
    var elements: [Element] = []
    var data: [Data] = []
    /// Set when a body uses `memory.init` or `data.drop`, which need the data count section.
    var needsDataCount = false

    /// `@custom` annotations, in source order, with where each goes.
    var customSections: [ModuleParser.CustomSection] = []

    /// Debug names for the `name` section, by function index (imports included).
    var functionNames: [UInt32: String] = [:]
    var localNames: [UInt32: [UInt32: String]] = [:]
}
