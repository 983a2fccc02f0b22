import HearthBinary

/// The text format of exception handling (3.0): `(tag ...)` fields and the instructions, both
/// the 3.0 `try_table` and the legacy `try ... catch ... end` / `try ... delegate l`, flat and
/// folded (`(try (do ...) (catch $e ...) (catch_all ...))`).
extension ModuleParser {
    /// Keywords that end the instruction sequence of a legacy `try` body or handler.
    static let handlerKeywords: Set<String> = ["catch", "catch_all", "delegate"]

    /// `(tag $id? (export "n")* (import "m" "n")? typeuse)`
    func parseTag() throws {
        _ = try cursor.optionalID()
        let index = UInt32(module.importedTagCount + module.tags.count)
        try parseInlineExports({ .tag($0) }, index: index)
        let inlineImport = try parseInlineImport()
        let type = TagType(typeIndex: try parseTypeUse(&cursor, allowParameterNames: true).0)
        if let (moduleName, name) = inlineImport {
            module.imports.append(Import(module: moduleName, name: name, descriptor: .tag(type)))
        } else {
            module.tags.append(type)
        }
    }

    /// The non-block exception instructions; nil for any other name.
    func parseExceptionOperator(_ name: String) throws -> ExceptionInstruction? {
        switch name {
        case "throw": return .throw(try resolve(tagSpace, &cursor))
        case "throw_ref": return .throwRef
        case "rethrow": return .rethrow(try parseLabel())
        case "catch", "catch_ref", "catch_all", "catch_all_ref", "delegate", "do":
            // Only valid inside a try_table or try, which parse them themselves.
            throw cursor.error("unexpected token")
        default: return nil
        }
    }

    /// `try_table` or legacy `try` written flat, up to its `end` (or `delegate l`).
    func parsePlainExceptionBlock(_ name: String, into w: inout BinaryWriter) throws {
        let label = try cursor.optionalID()
        let type = try parseBlockType()
        if name == "try_table" {
            try openBlock(.tryTable(type, try parseCatchClauses()), label: label, into: &w)
        } else {
            try openBlock(.try(type), label: label, into: &w)
            var sawCatchAll = false
            while !sawCatchAll, let keyword = cursor.atom, keyword == "catch" || keyword == "catch_all" {
                cursor.advance()
                if keyword == "catch" {
                    w.instruction(.exception(.catch(try resolve(tagSpace, &cursor))))
                } else {
                    w.instruction(.exception(.catchAll))
                    sawCatchAll = true
                }
                try parseInstructions(into: &w)
            }
            if cursor.isAtom("delegate") {
                cursor.advance()
                labels.removeLast()
                w.instruction(.exception(.delegate(try parseLabel())))
                return
            }
        }
        try expectKeyword("end", closing: label)
        labels.removeLast()
        w.instruction(.end)
    }

    /// `(try_table ...)` or `(try ... (do ...) (catch ...)* (catch_all ...)? | (delegate l))`,
    /// up to (not including) the closing parenthesis.
    func parseFoldedExceptionBlock(_ name: String, into w: inout BinaryWriter) throws {
        let label = try cursor.optionalID()
        let type = try parseBlockType()
        if name == "try_table" {
            try openBlock(.tryTable(type, try parseCatchClauses()), label: label, into: &w)
            labels.removeLast()
            w.instruction(.end)
            return
        }
        try cursor.enterForm("do")
        try openBlock(.try(type), label: label, into: &w)
        try cursor.expectRightParen()
        if cursor.isForm("delegate") {
            cursor.index += 2
            labels.removeLast()
            w.instruction(.exception(.delegate(try parseLabel())))
            try cursor.expectRightParen()
            return
        }
        while cursor.isForm("catch") {
            cursor.index += 2
            w.instruction(.exception(.catch(try resolve(tagSpace, &cursor))))
            try parseInstructions(into: &w)
            try cursor.expectRightParen()
        }
        if cursor.isForm("catch_all") {
            cursor.index += 2
            w.instruction(.exception(.catchAll))
            try parseInstructions(into: &w)
            try cursor.expectRightParen()
        }
        labels.removeLast()
        w.instruction(.end)
    }

    /// Writes the block instruction, enters its label and parses its first instruction sequence.
    private func openBlock(_ instruction: ExceptionInstruction, label: String?, into w: inout BinaryWriter) throws {
        w.instruction(.exception(instruction))
        labels.append(label)
        try parseInstructions(into: &w)
    }

    /// The `(catch x l)`, `(catch_ref x l)`, `(catch_all l)`, `(catch_all_ref l)` clauses of a
    /// try_table; their labels are resolved outside the try_table's own label.
    private func parseCatchClauses() throws -> [CatchClause] {
        var clauses: [CatchClause] = []
        while let keyword = cursor.formKeyword, let kind = Self.catchKinds[keyword] {
            cursor.index += 2
            let tag = kind == .catch || kind == .catchRef ? try resolve(tagSpace, &cursor) : 0
            clauses.append(CatchClause(kind: kind, tag: tag, label: try parseLabel()))
            try cursor.expectRightParen()
        }
        return clauses
    }

    private static let catchKinds: [String: CatchClause.Kind] = [
        "catch": .catch, "catch_ref": .catchRef, "catch_all": .catchAll, "catch_all_ref": .catchAllRef,
    ]
}

extension BinaryWriter {
    /// An exception-handling instruction in the binary format.
    mutating func exceptionInstruction(_ instruction: ExceptionInstruction) {
        switch instruction {
        case .throw(let x): byte(0x08); u32(x)
        case .throwRef: byte(0x0A)
        case .tryTable(let type, let clauses):
            byte(0x1F)
            blockType(type)
            u32(UInt32(clauses.count))
            for clause in clauses {
                byte(clause.kind.rawValue)
                if !clause.catchesAll { u32(clause.tag) }
                u32(clause.label)
            }
        case .try(let type): byte(0x06); blockType(type)
        case .catch(let x): byte(0x07); u32(x)
        case .catchAll: byte(0x19)
        case .delegate(let l): byte(0x18); u32(l)
        case .rethrow(let l): byte(0x09); u32(l)
        }
    }
}
