import HearthBinary

/// Pass 2: each module field, with all of its abbreviations.
extension ModuleParser {
    func parseField() throws {
        try cursor.expectLeftParen()
        let keyword = try cursor.expectAtom()
        switch keyword {
        case "type", "rec":
            cursor.index = lexer.tokens[cursor.index - 2].payload // parsed before pass 2
        case "import": try parseImport()
        case "func": try parseFunction()
        case "table": try parseTable()
        case "memory": try parseMemory()
        case "global": try parseGlobal()
        case "export": try parseExport()
        case "start":
            guard module.start == nil else { throw cursor.error("multiple start sections") }
            module.start = try resolve(funcSpace, &cursor)
        case "elem": try parseElement()
        case "data": try parseData()
        case "tag": try parseTag()
        default: throw cursor.error("unknown operator \(keyword)")
        }
    }

    /// `(export "name")*` after a definition's id.
    func parseInlineExports(_ make: (UInt32) -> ExportDescriptor, index: UInt32) throws {
        while cursor.isForm("export") {
            cursor.index += 2
            let name = try cursor.expectName()
            try cursor.expectRightParen()
            module.exports.append(Export(name: name, descriptor: make(index)))
        }
    }

    /// `(import "module" "name")` inside a definition, if present.
    func parseInlineImport() throws -> (String, String)? {
        guard cursor.isForm("import") else { return nil }
        cursor.index += 2
        let moduleName = try cursor.expectName()
        let name = try cursor.expectName()
        try cursor.expectRightParen()
        return (moduleName, name)
    }

    private func parseImport() throws {
        let moduleName = try cursor.expectName()
        let name = try cursor.expectName()
        try cursor.expectLeftParen()
        let kind = try cursor.expectAtom()
        let id = try cursor.optionalID()
        let descriptor: ImportDescriptor
        switch kind {
        case "func":
            let (typeIndex, _) = try parseTypeUse(&cursor, allowParameterNames: true)
            if let id { module.functionNames[UInt32(module.importedFunctionCount)] = id }
            descriptor = .function(typeIndex: typeIndex)
        case "table": descriptor = .table(try parseTableType())
        case "memory": descriptor = .memory(try parseMemoryType())
        case "global": descriptor = .global(try parseGlobalType())
        case "tag": descriptor = .tag(TagType(typeIndex: try parseTypeUse(&cursor, allowParameterNames: true).0))
        default: throw cursor.error("unsupported: import kind \(kind)")
        }
        try cursor.expectRightParen()
        module.imports.append(Import(module: moduleName, name: name, descriptor: descriptor))
    }

    private func parseFunction() throws {
        let form = cursor.index - 2
        let id = try cursor.optionalID()
        let index = UInt32(module.importedFunctionCount + module.functions.count)
        functionForms[form] = index
        try parseInlineExports({ .function($0) }, index: index)
        if let id { module.functionNames[index] = id }
        if let (moduleName, name) = try parseInlineImport() {
            let (typeIndex, _) = try parseTypeUse(&cursor, allowParameterNames: true)
            module.imports.append(Import(module: moduleName, name: name, descriptor: .function(typeIndex: typeIndex)))
            return
        }
        let (typeIndex, parameterNames) = try parseTypeUse(&cursor, allowParameterNames: true)
        localNames = [:]
        labels = []
        var names: [UInt32: String] = [:]
        for (i, name) in parameterNames.enumerated() {
            guard let name else { continue }
            guard localNames[name] == nil else { throw cursor.error("duplicate local") }
            localNames[name] = UInt32(i)
            names[UInt32(i)] = name
        }
        var localCount = UInt32(parameterNames.count)
        var locals: [ValueType] = []
        while cursor.isForm("local") {
            cursor.index += 2
            if let name = try cursor.optionalID() {
                guard localNames[name] == nil else { throw cursor.error("duplicate local") }
                localNames[name] = localCount
                names[localCount] = name
                locals.append(try parseValueType(&cursor))
                localCount += 1
            } else {
                while !cursor.isRightParen {
                    locals.append(try parseValueType(&cursor))
                    localCount += 1
                }
            }
            try cursor.expectRightParen()
        }
        var body = BinaryWriter()
        try parseInstructions(into: &body)
        body.instruction(.end)
        if !names.isEmpty { module.localNames[index] = names }
        module.functions.append(TextModule.Function(typeIndex: typeIndex, locals: locals, body: body.bytes))
    }

    /// `i64? min max?` (the address type only under memory64/table64).
    private func parseLimits() throws -> Limits {
        var is64 = false
        if cursor.isAtom("i64") { is64 = true; cursor.advance() } else if cursor.isAtom("i32") { cursor.advance() }
        let token = cursor
        var min: UInt64 = 0
        var max: UInt64?
        do {
            min = try number(at: token) { try NumberLiterals.parseU64(try cursor.expectAtom()) }
            if cursor.isIndex, let text = cursor.atom {
                let at = cursor
                max = try number(at: at) { try NumberLiterals.parseU64(text) }
                cursor.advance()
            }
        } catch let error as HearthError where is64 && error.message == "constant out of range" {
            // A 64-bit memory's or table's bound beyond u64.
            var widened = error
            widened.message = "i64 constant out of range"
            throw widened
        }
        if !is64 && !readsWideLimits {
            // 32-bit limits are u32 in the 2.0 text format.
            guard min <= UInt64(UInt32.max), (max ?? 0) <= UInt64(UInt32.max) else {
                throw token.error("i32 constant out of range")
            }
        }
        var shared = false
        if cursor.isAtom("shared") { shared = true; cursor.advance() }
        return Limits(min: min, max: max, is64: is64, isShared: shared)
    }

    private func parseTableType() throws -> TableType {
        let limits = try parseLimits()
        let type = try parseReferenceType(&cursor)
        return TableType(elementType: type, limits: limits)
    }

    private func parseMemoryType() throws -> MemoryType {
        let limits = try parseLimits()
        return MemoryType(limits: limits, pageSizeLog2: try parsePageSize(&cursor) ?? 16)
    }

    /// `(pagesize N)` (custom page sizes): N a power of two, as its log2; nil when absent.
    private func parsePageSize(_ c: inout TokenCursor) throws -> UInt32? {
        guard readsPageSize, c.isForm("pagesize") else { return nil }
        c.index += 2
        let at = c
        let size = try number(at: at) { try NumberLiterals.parseU64(try c.expectAtom()) }
        guard size != 0, size & (size - 1) == 0 else { throw at.error("invalid custom page size") }
        try c.expectRightParen()
        return UInt32(size.trailingZeroBitCount)
    }

    private func parseGlobalType() throws -> GlobalType {
        if cursor.isForm("mut") {
            cursor.index += 2
            let type = try parseValueType(&cursor)
            try cursor.expectRightParen()
            return GlobalType(valueType: type, isMutable: true)
        }
        return GlobalType(valueType: try parseValueType(&cursor), isMutable: false)
    }

    private func parseTable() throws {
        _ = try cursor.optionalID()
        let index = UInt32(module.importedTableCount + module.tables.count)
        try parseInlineExports({ .table($0) }, index: index)
        if let (moduleName, name) = try parseInlineImport() {
            module.imports.append(Import(module: moduleName, name: name, descriptor: .table(try parseTableType())))
            return
        }
        var probe = cursor
        var is64 = false
        if probe.isAtom("i64") { is64 = true; probe.advance() }
        guard isReferenceTypeStart(probe) else {
            module.tables.append(try parseTableType())
            if !cursor.isRightParen {
                // Wasm 3.0: `(table n reftype expr)` initialises every element with `expr`.
                module.tableInitializers[module.tables.count - 1] = try parseConstantExpression()
            }
            return
        }
        // `(table reftype (elem ...))`: the table is exactly as large as its inline segment.
        cursor = probe
        let type = try parseReferenceType(&cursor)
        try cursor.enterForm("elem")
        let items: TextModule.Element.Items
        if cursor.isLeftParen {
            var expressions: [[UInt8]] = []
            while !cursor.isRightParen { expressions.append(try parseElementItem()) }
            items = .expressions(expressions)
        } else {
            var functions: [UInt32] = []
            while !cursor.isRightParen { functions.append(try resolve(funcSpace, &cursor)) }
            items = .functions(functions)
        }
        try cursor.expectRightParen()
        let count: UInt64
        switch items {
        case .functions(let f): count = UInt64(f.count)
        case .expressions(let e): count = UInt64(e.count)
        }
        module.tables.append(TableType(elementType: type, limits: Limits(min: count, max: count, is64: is64)))
        var offset = BinaryWriter()
        offset.instruction(is64 ? .i64Const(0) : .i32Const(0))
        offset.instruction(.end)
        module.elements.append(TextModule.Element(type: type, mode: .active(table: index, offset: offset.bytes),
                                                  items: items))
    }

    private func parseMemory() throws {
        _ = try cursor.optionalID()
        let index = UInt32(module.importedMemoryCount + module.memories.count)
        try parseInlineExports({ .memory($0) }, index: index)
        if let (moduleName, name) = try parseInlineImport() {
            module.imports.append(Import(module: moduleName, name: name, descriptor: .memory(try parseMemoryType())))
            return
        }
        var probe = cursor
        var is64 = false
        if probe.isAtom("i64") { is64 = true; probe.advance() }
        let pageSizeLog2 = try parsePageSize(&probe) ?? 16
        guard probe.isForm("data") else {
            module.memories.append(try parseMemoryType())
            return
        }
        // `(memory (data ...))`: just enough pages for the inline data.
        cursor = probe
        cursor.index += 2
        let bytes = cursor.strings()
        try cursor.expectRightParen()
        let pageSize = 1 << Int(pageSizeLog2)
        let pages = UInt64((bytes.count + pageSize - 1) / pageSize)
        module.memories.append(MemoryType(limits: Limits(min: pages, max: pages, is64: is64), pageSizeLog2: pageSizeLog2))
        var offset = BinaryWriter()
        offset.instruction(is64 ? .i64Const(0) : .i32Const(0))
        offset.instruction(.end)
        module.data.append(TextModule.Data(mode: .active(memory: index, offset: offset.bytes), bytes: bytes))
    }

    private func parseGlobal() throws {
        _ = try cursor.optionalID()
        let index = UInt32(module.importedGlobalCount + module.globals.count)
        try parseInlineExports({ .global($0) }, index: index)
        if let (moduleName, name) = try parseInlineImport() {
            module.imports.append(Import(module: moduleName, name: name, descriptor: .global(try parseGlobalType())))
            return
        }
        let type = try parseGlobalType()
        let initializer = try parseConstantExpression()
        module.globals.append(TextModule.Global(type: type, initializer: initializer))
    }

    private func parseExport() throws {
        let name = try cursor.expectName()
        try cursor.expectLeftParen()
        let kind = try cursor.expectAtom()
        let descriptor: ExportDescriptor
        switch kind {
        case "func": descriptor = .function(try resolve(funcSpace, &cursor))
        case "table": descriptor = .table(try resolve(tableSpace, &cursor))
        case "memory": descriptor = .memory(try resolve(memorySpace, &cursor))
        case "global": descriptor = .global(try resolve(globalSpace, &cursor))
        case "tag": descriptor = .tag(try resolve(tagSpace, &cursor))
        default: throw cursor.error("unsupported: export kind \(kind)")
        }
        try cursor.expectRightParen()
        module.exports.append(Export(name: name, descriptor: descriptor))
    }

    /// Instructions up to the closing `)`, encoded with their final `end`.
    func parseConstantExpression() throws -> [UInt8] {
        localNames = [:]
        labels = []
        var w = BinaryWriter()
        try parseInstructions(into: &w)
        w.instruction(.end)
        return w.bytes
    }

    /// `(offset instr*)` or a single folded instruction.
    private func parseOffset() throws -> [UInt8] {
        if cursor.isForm("offset") {
            cursor.index += 2
            let expression = try parseConstantExpression()
            try cursor.expectRightParen()
            return expression
        }
        return try parseSingleFoldedExpression()
    }

    /// One folded instruction used as a whole expression (offset and item abbreviations).
    private func parseSingleFoldedExpression() throws -> [UInt8] {
        guard cursor.isLeftParen else { throw cursor.error("unexpected token") }
        localNames = [:]
        labels = []
        var w = BinaryWriter()
        try parseFoldedInstruction(into: &w)
        w.instruction(.end)
        return w.bytes
    }

    /// `(item instr*)` or a single folded instruction.
    private func parseElementItem() throws -> [UInt8] {
        if cursor.isForm("item") {
            cursor.index += 2
            let expression = try parseConstantExpression()
            try cursor.expectRightParen()
            return expression
        }
        return try parseSingleFoldedExpression()
    }

    private func parseElement() throws {
        _ = try cursor.optionalID()
        var mode = TextModule.Element.Mode.passive
        if cursor.isAtom("declare") {
            cursor.advance()
            mode = .declarative
        } else if cursor.isForm("table") {
            cursor.index += 2
            let table = try resolve(tableSpace, &cursor)
            try cursor.expectRightParen()
            mode = .active(table: table, offset: try parseOffset())
        } else if let table = try legacyBareIndex(tableSpace) {
            mode = .active(table: table, offset: try parseOffset())
        } else if cursor.isLeftParen, !cursor.isForm("ref"), !cursor.isForm("item") {
            mode = .active(table: 0, offset: try parseOffset())
        }
        var type = ReferenceType.funcref
        let items: TextModule.Element.Items
        if cursor.isAtom("func") {
            cursor.advance()
            items = .functions(try parseFunctionIndices())
        } else if isReferenceTypeStart(cursor) {
            type = try parseReferenceType(&cursor)
            var expressions: [[UInt8]] = []
            while !cursor.isRightParen { expressions.append(try parseElementItem()) }
            items = .expressions(expressions)
        } else {
            // The legacy abbreviation: a bare list of function indices.
            items = .functions(try parseFunctionIndices())
        }
        module.elements.append(TextModule.Element(type: type, mode: mode, items: items))
    }

    private func parseFunctionIndices() throws -> [UInt32] {
        var indices: [UInt32] = []
        while !cursor.isRightParen { indices.append(try resolve(funcSpace, &cursor)) }
        return indices
    }

    /// The 1.0 text format's bare table or memory index, `(elem 0 (offset) ...)` and
    /// `(data 0 (offset) ...)`, still used by proposal testsuites written against 1.0 (threads).
    /// Only a number followed by the offset: a `$name` there is the segment's own id.
    private func legacyBareIndex(_ space: Space) throws -> UInt32? {
        guard cursor.atom != nil, cursor.isIndex else { return nil }
        var probe = cursor
        probe.advance()
        guard probe.isLeftParen else { return nil }
        return try resolve(space, &cursor)
    }

    private func parseData() throws {
        _ = try cursor.optionalID()
        var mode = TextModule.Data.Mode.passive
        if let memory = try legacyBareIndex(memorySpace) {
            mode = .active(memory: memory, offset: try parseOffset())
        } else if cursor.isLeftParen {
            var memory: UInt32 = 0
            if cursor.isForm("memory") {
                cursor.index += 2
                memory = try resolve(memorySpace, &cursor)
                try cursor.expectRightParen()
            }
            mode = .active(memory: memory, offset: try parseOffset())
        }
        let bytes = cursor.strings()
        module.data.append(TextModule.Data(mode: mode, bytes: bytes))
    }
}

extension TextModule {
    var importedFunctionCount: Int {
        imports.reduce(0) { if case .function = $1.descriptor { return $0 + 1 } else { return $0 } }
    }
    var importedTableCount: Int {
        imports.reduce(0) { if case .table = $1.descriptor { return $0 + 1 } else { return $0 } }
    }
    var importedMemoryCount: Int {
        imports.reduce(0) { if case .memory = $1.descriptor { return $0 + 1 } else { return $0 } }
    }
    var importedGlobalCount: Int {
        imports.reduce(0) { if case .global = $1.descriptor { return $0 + 1 } else { return $0 } }
    }
    var importedTagCount: Int {
        imports.reduce(0) { if case .tag = $1.descriptor { return $0 + 1 } else { return $0 } }
    }
}
