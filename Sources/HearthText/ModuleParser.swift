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
    /// Whether some memory uses 64-bit addresses, which lifts the u32 limit on `offset=`.
    var hasMemory64 = false

    /// The largest type index written with an inline signature, checked once implicit types are all inserted.
    var highestTypeReference: (UInt32, TokenCursor)?

    // Per-function state for the instruction parser.
    var localNames: [String: UInt32] = [:]
    var labels: [String?] = []

    init(lexer: Lexer, range: Range<Int>) {
        self.lexer = lexer
        self.cursor = TokenCursor(lexer: lexer, index: range.lowerBound, limit: range.upperBound)
    }

    /// Parses the module fields in the cursor's range.
    func parse() throws -> TextModule {
        let end = cursor.limit
        var fields: [Int] = []
        // A stray token between fields is reported after the fields before it are parsed, as a
        // left-to-right parser would (a malformed lane in a field wins over a later extra `)`).
        var strayToken: TextError?
        while !cursor.atEnd {
            guard cursor.isLeftParen else { strayToken = cursor.error("unexpected token"); break }
            fields.append(cursor.index)
            try scanField()
            cursor.index = lexer.tokens[fields.last!].payload + 1
        }
        for field in fields {
            cursor = TokenCursor(lexer: lexer, index: field, limit: end)
            let close = lexer.tokens[field].payload
            try parseField()
            guard cursor.index == close else { throw cursor.error("unexpected token") }
            cursor.index = close + 1
        }
        if let strayToken { throw strayToken }
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
        case "type":
            let name = try c.optionalID()
            try declare(name, in: &typeSpace, at: c)
            module.types.append(try parseFunctionTypeDefinition(&c))
            try c.expectRightParen()
        case "import":
            _ = try c.expectName()
            _ = try c.expectName()
            guard let kind = c.formKeyword else { throw c.error("unexpected token") }
            c.index += 2
            let name = try c.optionalID()
            try noteImport(kind: kind, at: c)
            try declare(name, in: &self[keyPath: try space(for: kind, at: c)], at: c)
            if kind == "memory", c.isAtom("i64") { hasMemory64 = true }
        case "func", "table", "memory", "global":
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
        case "rec", "tag":
            throw c.error("unsupported: \(keyword) (Wasm 3.0)")
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
        case "tag": throw c.error("unsupported: tag (Wasm 3.0)")
        default: throw c.error("unexpected token")
        }
    }

    private func declare(_ name: String?, in space: inout Space, at c: TokenCursor) throws {
        if let name {
            guard space.names[name] == nil else { throw c.error("duplicate \(space.kind)") }
            space.names[name] = space.count
        }
        space.count += 1
    }

    /// `(func (param ...)* (result ...)*)` inside a type definition; parameter ids are allowed and
    /// ignored.
    private func parseFunctionTypeDefinition(_ c: inout TokenCursor) throws -> FunctionType {
        guard c.isForm("func") else {
            if let k = c.formKeyword, ["sub", "struct", "array"].contains(k) {
                throw c.error("unsupported: \(k) types (Wasm 3.0)")
            }
            throw c.error("unexpected token")
        }
        c.index += 2
        var type = FunctionType()
        while c.isForm("param") {
            c.index += 2
            if try c.optionalID() != nil {
                type.parameters.append(try parseValueType(&c))
            } else {
                while !c.isRightParen { type.parameters.append(try parseValueType(&c)) }
            }
            try c.expectRightParen()
        }
        while c.isForm("result") {
            c.index += 2
            while !c.isRightParen { type.results.append(try parseValueType(&c)) }
            try c.expectRightParen()
        }
        try c.expectRightParen()
        return type
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
        case "funcref": type = .funcref
        case "externref": type = .externref
        default: throw c.error("unknown operator \(word)")
        }
        c.advance()
        return type
    }

    func isReferenceTypeStart(_ c: TokenCursor) -> Bool {
        c.isAtom("funcref") || c.isAtom("externref") || c.isForm("ref")
    }

    /// `funcref`, `externref` or `(ref null? func|extern)`.
    func parseReferenceType(_ c: inout TokenCursor) throws -> ReferenceType {
        if c.isAtom("funcref") { c.advance(); return .funcref }
        if c.isAtom("externref") { c.advance(); return .externref }
        guard c.isForm("ref") else { throw c.error("unexpected token") }
        c.index += 2
        var nullable = false
        if c.isAtom("null") { nullable = true; c.advance() }
        let heap = try parseHeapType(&c)
        try c.expectRightParen()
        return ReferenceType(isNullable: nullable, heapType: heap)
    }

    func parseHeapType(_ c: inout TokenCursor) throws -> HeapType {
        guard let word = c.atom else { throw c.error("unexpected token") }
        switch word {
        case "func": c.advance(); return .function
        case "extern": c.advance(); return .extern
        default: throw c.error("unsupported: heap type \(word)")
        }
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
            if sawInline, Int(explicit) < module.types.count, module.types[Int(explicit)] != type {
                throw c.error("inline function type")
            }
            if !sawInline, Int(explicit) < module.types.count {
                names = Array(repeating: nil, count: module.types[Int(explicit)].parameters.count)
            }
            return (explicit, names)
        }
        return (typeIndex(for: type), names)
    }

    /// The first type equal to `type`, appending one if there is none (implicit type definitions).
    func typeIndex(for type: FunctionType) -> UInt32 {
        if let index = module.types.firstIndex(of: type) { return UInt32(index) }
        module.types.append(type)
        return UInt32(module.types.count - 1)
    }
}
