import HearthBinary

/// Parses the fields of one text module into a `TextModule`.
///
/// Two passes: the first records every identifier (and every explicit `type`, since implicit type
/// uses must be matched against all of them) so fields can refer forward; the second parses each
/// field completely, resolving names as it goes.
final class ModuleParser {
    let lexer: Lexer
    var cursor: TokenCursor
    var module = TextModule()

    /// One identifier namespace: names to indices, plus the next index to hand out.
    struct Space {
        let kind: String
        var names: [String: UInt32] = [:]
        var count: UInt32 = 0

        init(_ kind: String) { self.kind = kind }
    }

    var typeSpace = Space("type")
    var funcSpace = Space("func")
    var tableSpace = Space("table")
    var memorySpace = Space("memory")
    var globalSpace = Space("global")
    var elemSpace = Space("elem")
    var dataSpace = Space("data")
    var tagSpace = Space("tag")
    /// The `(func` forms defined so far, by their `(` token, with their function index (for
    /// `@name`).
    var functionForms: [Int: UInt32] = [:]
    /// The `(` of the enclosing `(module` form, -1 for bare fields (`@custom` goes there).
    var moduleForm = -1

    /// The `type` and `rec` fields, parsed after every type name is declared.
    var typeFields: [Int] = []
    /// Struct field names, by type index.
    var fieldNames: [UInt32: [String: UInt32]] = [:]
    /// Whether some memory uses 64-bit addresses, which lifts the u32 limit on `offset=`.
    var hasMemory64 = false

    /// The largest type index written with an inline signature, checked once implicit types are all inserted.
    var highestTypeReference: (UInt32, TokenCursor)?

    // Per-function state for the instruction parser.
    var localNames: [String: UInt32] = [:]
    var labels: [String?] = []

    /// The 3.0 text format words a few lane errors differently.
    let isWasm3: Bool
    /// With memory64, the text format reads limits and offsets as u64 (validation then rejects
    /// what a 32-bit memory or table cannot hold).
    let readsWideLimits: Bool
    /// Whether `(pagesize N)` may follow a memory's limits (custom-page-sizes proposal).
    let readsPageSize: Bool

    init(lexer: Lexer, range: Range<Int>, features: FeatureSet = .default) {
        self.lexer = lexer
        isWasm3 = features.version == .wasm3
        readsWideLimits = features.version == .wasm3 && features.memory64
        readsPageSize = features.version == .wasm3 && features.customPageSizes
        self.cursor = TokenCursor(lexer: lexer, index: range.lowerBound, limit: range.upperBound)
    }

    /// Parses the module fields in the cursor's range.
    func parse() throws -> TextModule {
        let end = cursor.limit
        var fields: [Int] = []
        // A stray token between fields is reported after the fields before it are parsed, as a
        // left-to-right parser would (a malformed lane in a field wins over a later extra `)`).
        var strayToken: HearthError?
        while !cursor.atEnd {
            guard cursor.isLeftParen else { strayToken = cursor.error("unexpected token"); break }
            fields.append(cursor.index)
            try scanField()
            cursor.index = lexer.tokens[fields.last!].payload + 1
        }
        for field in typeFields { try parseTypeField(at: field) }
        for field in fields {
            cursor = TokenCursor(lexer: lexer, index: field, limit: end)
            let close = lexer.tokens[field].payload
            try parseField()
            guard cursor.index == close else { throw cursor.error("unexpected token") }
            cursor.index = close + 1
        }
        if let strayToken { throw strayToken }
        try applyAnnotations(moduleForm: moduleForm)
        if let (index, at) = highestTypeReference, Int(index) >= module.types.count {
            throw at.error("unknown type")
        }
        return module
    }

    // MARK: Pass 1

    /// The first kind of definition seen, for "import after ..." errors.
    private var firstDefinition: String?

    private func scanField() throws {
        var c = cursor
        try c.expectLeftParen()
        let keyword = try c.expectAtom()
        switch keyword {
        case "type", "rec":
            try declareTypeNames(keyword, &c)
            typeFields.append(cursor.index)
        case "import":
            _ = try c.expectName()
            _ = try c.expectName()
            guard let kind = c.formKeyword else { throw c.error("unexpected token") }
            c.index += 2
            let name = try c.optionalID()
            try noteImport(kind: kind, at: c)
            try declare(name, in: &self[keyPath: try space(for: kind, at: c)], at: c)
            if kind == "memory", c.isAtom("i64") { hasMemory64 = true }
        case "func", "table", "memory", "global", "tag":
            let name = try c.optionalID()
            while c.isForm("export") { c.skipForm() }
            if c.isForm("import") {
                try noteImport(kind: keyword, at: c)
            } else {
                if firstDefinition == nil { firstDefinition = keyword }
                if keyword == "table", scanForInline("elem", c) { elemSpace.count += 1 }
                if keyword == "memory" {
                    if scanForInline("data", c) { dataSpace.count += 1 }
                    if c.isAtom("i64") { hasMemory64 = true }
                }
            }
            try declare(name, in: &self[keyPath: try space(for: keyword, at: c)], at: c)
        case "elem":
            try declare(try c.optionalID(), in: &elemSpace, at: c)
        case "data":
            try declare(try c.optionalID(), in: &dataSpace, at: c)
        case "export", "start":
            break
        default:
            throw c.error("unknown operator \(keyword)")
        }
    }

    /// Whether an inline `(elem ...)` / `(data ...)` follows among the remaining children.
    private func scanForInline(_ keyword: String, _ c: TokenCursor) -> Bool {
        var probe = c
        while !probe.atEnd && !probe.isRightParen {
            if probe.isForm(keyword) { return true }
            probe.skipForm()
        }
        return false
    }

    private func noteImport(kind: String, at c: TokenCursor) throws {
        if let first = firstDefinition {
            throw c.error("import after \(first == "func" ? "function" : first)")
        }
    }

    private func space(for kind: String, at c: TokenCursor) throws -> ReferenceWritableKeyPath<ModuleParser, Space> {
        switch kind {
        case "func": return \.funcSpace
        case "table": return \.tableSpace
        case "memory": return \.memorySpace
        case "global": return \.globalSpace
        case "tag": return \.tagSpace
        default: throw c.error("unexpected token")
        }
    }

    func declare(_ name: String?, in space: inout Space, at c: TokenCursor) throws {
        if let name {
            guard space.names[name] == nil else { throw c.error("duplicate \(space.kind)") }
            space.names[name] = space.count
        }
        space.count += 1
    }

    // MARK: Shared pieces

    func parseValueType(_ c: inout TokenCursor) throws -> ValueType {
        if c.isLeftParen {
            return .ref(try parseReferenceType(&c))
        }
        guard let word = c.atom else { throw c.error("unexpected token") }
        let type: ValueType
        switch word {
        case "i32": type = .i32
        case "i64": type = .i64
        case "f32": type = .f32
        case "f64": type = .f64
        case "v128": type = .v128
        default:
            guard let heap = Self.shorthandReferenceTypes[word] else { throw c.error("unknown operator \(word)") }
            type = .ref(ReferenceType(isNullable: true, heapType: heap))
        }
        c.advance()
        return type
    }

    /// The nullable reference types with a one-word name, by the heap type they point to.
    static let shorthandReferenceTypes: [String: HeapType] = [
        "funcref": .function, "externref": .extern, "anyref": .any, "eqref": .eq, "i31ref": .i31,
        "structref": .structure, "arrayref": .array, "nullref": .none, "nullfuncref": .noFunction,
        "nullexternref": .noExtern, "exnref": .exception, "nullexnref": .noException,
    ]

    static let abstractHeapTypes: [String: HeapType] = [
        "func": .function, "extern": .extern, "any": .any, "eq": .eq, "i31": .i31,
        "struct": .structure, "array": .array, "none": .none, "nofunc": .noFunction,
        "noextern": .noExtern, "exn": .exception, "noexn": .noException,
    ]

    func isReferenceTypeStart(_ c: TokenCursor) -> Bool {
        if let word = c.atom, Self.shorthandReferenceTypes[word] != nil { return true }
        return c.isForm("ref")
    }

    /// A shorthand (`funcref`, `anyref` ...) or `(ref null? heaptype)`.
    func parseReferenceType(_ c: inout TokenCursor) throws -> ReferenceType {
        if let word = c.atom, let heap = Self.shorthandReferenceTypes[word] {
            c.advance()
            return ReferenceType(isNullable: true, heapType: heap)
        }
        guard c.isForm("ref") else { throw c.error("unexpected token") }
        c.index += 2
        var nullable = false
        if c.isAtom("null") { nullable = true; c.advance() }
        let heap = try parseHeapType(&c)
        try c.expectRightParen()
        return ReferenceType(isNullable: nullable, heapType: heap)
    }

    /// An abstract heap type by name, or a defined type by index or `$id`.
    func parseHeapType(_ c: inout TokenCursor) throws -> HeapType {
        if let word = c.atom, let heap = Self.abstractHeapTypes[word] {
            c.advance()
            return heap
        }
        guard let token = c.current, token.kind == .id || token.kind == .atom else { throw c.error("unexpected token") }
        return .concrete(try resolve(typeSpace, &c))
    }

    /// Resolves an index or `$id` in one namespace.
    func resolve(_ space: Space, _ c: inout TokenCursor) throws -> UInt32 {
        guard let token = c.current else { throw c.error("unexpected token") }
        if token.kind == .id {
            let name = try c.idName(token)
            guard let index = space.names[name] else { throw c.error("unknown \(space.kind) $\(name)") }
            c.advance()
            return index
        }
        guard token.kind == .atom else { throw c.error("unexpected token") }
        let value = try number(at: c) { try NumberLiterals.parseU32(lexer.text(token)) }
        c.advance()
        return value
    }

    /// Runs a literal conversion, turning its failure into the testsuite's wording.
    func number<T>(at c: TokenCursor, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch NumberError.syntax {
            throw c.error("unknown operator")
        } catch NumberError.outOfRange {
            throw c.error("constant out of range")
        }
    }

    /// `(type x)? (param ...)* (result ...)*`, returning the type index (found or inserted) and
    /// the parameter names when they were written inline.
    func parseTypeUse(_ c: inout TokenCursor, allowParameterNames: Bool) throws -> (UInt32, [String?]) {
        var explicit: UInt32?
        var typeReference = c
        if c.isForm("type") {
            c.index += 2
            typeReference = c
            explicit = try resolve(typeSpace, &c)
            try c.expectRightParen()
        }
        var type = FunctionType()
        var names: [String?] = []
        var sawInline = false
        while c.isForm("param") {
            sawInline = true
            c.index += 2
            if let token = c.current, token.kind == .id {
                guard allowParameterNames else { throw c.error("unexpected token") }
                names.append(try c.optionalID())
                type.parameters.append(try parseValueType(&c))
            } else {
                while !c.isRightParen {
                    type.parameters.append(try parseValueType(&c))
                    names.append(nil)
                }
            }
            try c.expectRightParen()
        }
        while c.isForm("result") {
            sawInline = true
            c.index += 2
            while !c.isRightParen { type.results.append(try parseValueType(&c)) }
            try c.expectRightParen()
        }
        if c.isForm("param") || (explicit != nil && c.isForm("type")) { throw c.error("unexpected token") }
        if let explicit {
            // A bare `(type x)` to a missing type is a validation error, but one with an inline
            // signature to check against is malformed (once all implicit types exist).
            if sawInline, explicit >= highestTypeReference?.0 ?? 0 {
                highestTypeReference = (explicit, typeReference)
            }
            if sawInline, Int(explicit) < module.types.count, module.types[Int(explicit)].functionType != type {
                throw c.error("inline function type")
            }
            if !sawInline, Int(explicit) < module.types.count {
                names = Array(repeating: nil, count: module.types[Int(explicit)].functionType?.parameters.count ?? 0)
            }
            return (explicit, names)
        }
        return (typeIndex(for: type), names)
    }

    /// The first type equal to `type`, appending one if there is none (implicit type definitions).
    /// Only a plain `(type (func ...))` (final, no supertype, alone in its recursion group)
    /// is the same type as an inline signature.
    func typeIndex(for type: FunctionType) -> UInt32 {
        let plain = SubType(type)
        for group in module.recursionGroups where group.count == 1 && module.types[group.lowerBound] == plain {
            return UInt32(group.lowerBound)
        }
        module.types.append(plain)
        module.recursionGroups.append((module.types.count - 1)..<module.types.count)
        return UInt32(module.types.count - 1)
    }
}
