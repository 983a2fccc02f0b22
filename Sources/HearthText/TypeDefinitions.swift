import HearthBinary

/// The type section in the text format: `(type $t? subtype)` and `(rec (type $t? subtype)*)`,
/// where a sub type is a composite type (`func`, `struct`, `array`), optionally wrapped in
/// `(sub final? $super* ...)`. Type names are all declared before any definition is parsed,
/// since the types of a recursion group refer to each other.
extension ModuleParser {
    /// Pass 1: declares the names of a `type` or `rec` field (the cursor is after its keyword).
    func declareTypeNames(_ keyword: String, _ c: inout TokenCursor) throws {
        if keyword == "type" {
            try declare(try c.optionalID(), in: &typeSpace, at: c)
            return
        }
        while c.isForm("type") {
            let close = c.matchingParen
            c.index += 2
            try declare(try c.optionalID(), in: &typeSpace, at: c)
            c.index = close + 1
        }
    }

    /// Parses one `type` or `rec` field at `field` into `module.types` as one recursion group.
    func parseTypeField(at field: Int) throws {
        var c = TokenCursor(lexer: lexer, index: field, limit: cursor.limit)
        try c.expectLeftParen()
        let keyword = try c.expectAtom()
        let start = module.types.count
        if keyword == "type" {
            try parseTypeDefinition(&c, index: start)
        } else {
            while c.isForm("type") {
                c.index += 2
                try parseTypeDefinition(&c, index: module.types.count)
            }
            try c.expectRightParen()
        }
        module.recursionGroups.append(start..<module.types.count)
    }

    /// `$t? subtype)`, the cursor after the `type` keyword.
    private func parseTypeDefinition(_ c: inout TokenCursor, index: Int) throws {
        _ = try c.optionalID()
        module.types.append(try parseSubType(&c, index: index))
        try c.expectRightParen()
    }

    private func parseSubType(_ c: inout TokenCursor, index: Int) throws -> SubType {
        guard c.isForm("sub") else { return SubType(composite: try parseCompositeType(&c, index: index)) }
        c.index += 2
        var isFinal = false
        if c.isAtom("final") { isFinal = true; c.advance() }
        var supertypes: [UInt32] = []
        while let token = c.current, token.kind == .id || token.kind == .atom {
            supertypes.append(try resolve(typeSpace, &c))
        }
        let composite = try parseCompositeType(&c, index: index)
        try c.expectRightParen()
        return SubType(isFinal: isFinal, supertypes: supertypes, composite: composite)
    }

    private func parseCompositeType(_ c: inout TokenCursor, index: Int) throws -> CompositeType {
        switch c.formKeyword {
        case "func": return .function(try parseFunctionTypeDefinition(&c))
        case "struct":
            c.index += 2
            var fields: [FieldType] = []
            var names: [String: UInt32] = [:]
            while c.isForm("field") {
                c.index += 2
                if let name = try c.optionalID() {
                    guard names[name] == nil else { throw c.error("duplicate field") }
                    names[name] = UInt32(fields.count)
                    fields.append(try parseFieldType(&c))
                } else {
                    while !c.isRightParen { fields.append(try parseFieldType(&c)) }
                }
                try c.expectRightParen()
            }
            try c.expectRightParen()
            if !names.isEmpty { fieldNames[UInt32(index)] = names }
            return .structure(fields)
        case "array":
            c.index += 2
            let element = try parseFieldType(&c)
            try c.expectRightParen()
            return .array(element)
        default:
            throw c.error("unexpected token")
        }
    }

    /// `storagetype` or `(mut storagetype)`.
    private func parseFieldType(_ c: inout TokenCursor) throws -> FieldType {
        if c.isForm("mut") {
            c.index += 2
            let storage = try parseStorageType(&c)
            try c.expectRightParen()
            return FieldType(storage: storage, isMutable: true)
        }
        return FieldType(storage: try parseStorageType(&c), isMutable: false)
    }

    private func parseStorageType(_ c: inout TokenCursor) throws -> StorageType {
        if c.isAtom("i8") { c.advance(); return .i8 }
        if c.isAtom("i16") { c.advance(); return .i16 }
        return .value(try parseValueType(&c))
    }

    /// `(func (param ...)* (result ...)*)` inside a type definition; parameter ids are allowed and
    /// ignored.
    private func parseFunctionTypeDefinition(_ c: inout TokenCursor) throws -> FunctionType {
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
}
