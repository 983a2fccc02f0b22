import HearthBinary

/// Function bodies and constant expressions: plain and folded instructions, labels and locals.
extension ModuleParser {
    /// The memory instructions by text name.
    static let memoryOperators: [String: MemoryOperator] = {
        var table: [String: MemoryOperator] = [:]
        for op in MemoryOperator.allCases { table[op.textName] = op }
        return table
    }()

    /// Instructions until a `)` or a block-closing `end` / `else` (not consumed).
    func parseInstructions(into w: inout BinaryWriter) throws {
        while let token = cursor.current {
            switch token.kind {
            case .rightParen:
                return
            case .leftParen:
                try parseFoldedInstruction(into: &w)
            case .atom:
                let name = lexer.text(token)
                if name == "end" || name == "else" || Self.handlerKeywords.contains(name) { return }
                cursor.advance()
                try parsePlainInstruction(name, into: &w)
            default:
                throw cursor.error("unexpected token")
            }
        }
    }

    private func parsePlainInstruction(_ name: String, into w: inout BinaryWriter) throws {
        switch name {
        case "block", "loop":
            let label = try cursor.optionalID()
            let type = try parseBlockType()
            w.instruction(name == "block" ? .block(type) : .loop(type))
            labels.append(label)
            try parseInstructions(into: &w)
            try expectKeyword("end", closing: label)
            labels.removeLast()
            w.instruction(.end)
        case "try_table", "try": try parsePlainExceptionBlock(name, into: &w)
        case "if":
            let label = try cursor.optionalID()
            let type = try parseBlockType()
            w.instruction(.if(type))
            labels.append(label)
            try parseInstructions(into: &w)
            if cursor.isAtom("else") {
                try expectKeyword("else", closing: label)
                w.instruction(.else)
                try parseInstructions(into: &w)
            }
            try expectKeyword("end", closing: label)
            labels.removeLast()
            w.instruction(.end)
        default:
            w.instruction(try parseOperator(name))
        }
    }

    /// `end` or `else`, optionally repeating the block's label.
    func expectKeyword(_ keyword: String, closing label: String?) throws {
        try cursor.expectKeyword(keyword)
        if let repeated = try cursor.optionalID(), repeated != label {
            throw cursor.error("mismatching label")
        }
    }

    func parseFoldedInstruction(into w: inout BinaryWriter) throws {
        try cursor.expectLeftParen()
        guard let name = cursor.atom else { throw cursor.error("unexpected token") }
        cursor.advance()
        switch name {
        case "block", "loop":
            let label = try cursor.optionalID()
            let type = try parseBlockType()
            w.instruction(name == "block" ? .block(type) : .loop(type))
            labels.append(label)
            try parseInstructions(into: &w)
            labels.removeLast()
            w.instruction(.end)
        case "try_table", "try": try parseFoldedExceptionBlock(name, into: &w)
        case "if":
            let label = try cursor.optionalID()
            let type = try parseBlockType()
            // The condition operands come first and are outside the `if`'s label scope.
            while cursor.isLeftParen && !cursor.isForm("then") {
                try parseFoldedInstruction(into: &w)
            }
            w.instruction(.if(type))
            labels.append(label)
            try cursor.enterForm("then")
            try parseInstructions(into: &w)
            try cursor.expectRightParen()
            if cursor.isForm("else") {
                cursor.index += 2
                w.instruction(.else)
                try parseInstructions(into: &w)
                try cursor.expectRightParen()
            }
            labels.removeLast()
            w.instruction(.end)
        default:
            let instruction = try parseOperator(name)
            while cursor.isLeftParen { try parseFoldedInstruction(into: &w) }
            w.instruction(instruction)
        }
        try cursor.expectRightParen()
    }

    /// `(type x)? (param t*)* (result t*)*` of a block: inline when it is at most one result.
    func parseBlockType() throws -> BlockType {
        if !cursor.isForm("type") {
            var probe = cursor
            var results: [ValueType] = []
            var simple = true
            while probe.isForm("result") {
                probe.index += 2
                while !probe.isRightParen { results.append(try parseValueType(&probe)) }
                try probe.expectRightParen()
            }
            if probe.isForm("param") { simple = false }
            if simple && results.count <= 1 {
                cursor = probe
                return results.first.map { .value($0) } ?? .empty
            }
        }
        let (index, _) = try parseTypeUse(&cursor, allowParameterNames: false)
        return .typeIndex(index)
    }

    func parseLabel() throws -> UInt32 {
        guard let token = cursor.current else { throw cursor.error("unexpected token") }
        if token.kind == .id {
            let name = try cursor.idName(token)
            guard let depth = labels.lastIndex(where: { $0 == name }) else {
                throw cursor.error("unknown label")
            }
            cursor.advance()
            return UInt32(labels.count - 1 - depth)
        }
        guard token.kind == .atom else { throw cursor.error("unexpected token") }
        let value = try number(at: cursor) { try NumberLiterals.parseU32(lexer.text(token)) }
        cursor.advance()
        return value
    }

    private func parseLocal() throws -> UInt32 {
        guard let token = cursor.current else { throw cursor.error("unexpected token") }
        if token.kind == .id {
            let name = try cursor.idName(token)
            guard let index = localNames[name] else { throw cursor.error("unknown local $\(name)") }
            cursor.advance()
            return index
        }
        return try resolve(Space("local"), &cursor)
    }

    /// Whether two indices follow (the multi-table/multi-memory forms of `*.init`).
    private func twoIndicesAhead() -> Bool {
        var probe = cursor
        guard probe.isIndex else { return false }
        probe.advance()
        return probe.isIndex
    }

    func optionalIndex(_ space: Space) throws -> UInt32 {
        cursor.isIndex ? try resolve(space, &cursor) : 0
    }

    /// An operator and its immediates (everything except blocks).
    private func parseOperator(_ name: String) throws -> Instruction {
        if let op = NumericOperator.byTextName[name] { return .numeric(op) }
        if let op = SIMDOperator.byTextName[name] { return .simd(try parseSIMDImmediates(op)) }
        if let atomic = try parseAtomic(name) { return .atomic(atomic) }
        if let gc = try parseGC(name) { return gc }
        if let op = WideArithmeticOperator.byTextName[name] { return .wideArithmetic(op) }
        if let exception = try parseExceptionOperator(name) { return .exception(exception) }
        if let op = ModuleParser.memoryOperators[name] {
            let memory = try optionalIndex(memorySpace)
            let arg = try parseMemoryArgument(naturalAlignLog2: op.maxAlignLog2, memory: memory)
            return op.isStore ? .store(op, arg) : .load(op, arg)
        }
        switch name {
        case "unreachable": return .unreachable
        case "nop": return .nop
        case "return": return .return
        case "drop": return .drop
        case "select":
            var types: [ValueType] = []
            var annotated = false
            while cursor.isForm("result") {
                annotated = true
                cursor.index += 2
                while !cursor.isRightParen { types.append(try parseValueType(&cursor)) }
                try cursor.expectRightParen()
            }
            return annotated ? .typedSelect(types) : .select
        case "br": return .br(try parseLabel())
        case "br_if": return .brIf(try parseLabel())
        case "br_table":
            var targets: [UInt32] = []
            while cursor.isIndex { targets.append(try parseLabel()) }
            guard let last = targets.popLast() else { throw cursor.error("unexpected token") }
            return .brTable(BranchTable(targets: targets, defaultTarget: last))
        case "call": return .call(try resolve(funcSpace, &cursor))
        case "call_indirect":
            let table = try optionalIndex(tableSpace)
            let (type, _) = try parseTypeUse(&cursor, allowParameterNames: false)
            return .callIndirect(typeIndex: type, table: table)
        case "return_call": return .returnCall(try resolve(funcSpace, &cursor))
        case "return_call_indirect":
            let table = try optionalIndex(tableSpace)
            let (type, _) = try parseTypeUse(&cursor, allowParameterNames: false)
            return .returnCallIndirect(typeIndex: type, table: table)
        case "call_ref": return .callRef(try resolve(typeSpace, &cursor))
        case "return_call_ref": return .returnCallRef(try resolve(typeSpace, &cursor))
        case "br_on_null": return .brOnNull(try parseLabel())
        case "br_on_non_null": return .brOnNonNull(try parseLabel())
        case "ref.as_non_null": return .refAsNonNull
        case "local.get": return .localGet(try parseLocal())
        case "local.set": return .localSet(try parseLocal())
        case "local.tee": return .localTee(try parseLocal())
        case "global.get": return .globalGet(try resolve(globalSpace, &cursor))
        case "global.set": return .globalSet(try resolve(globalSpace, &cursor))
        case "table.get": return .tableGet(try optionalIndex(tableSpace))
        case "table.set": return .tableSet(try optionalIndex(tableSpace))
        case "table.size": return .tableSize(try optionalIndex(tableSpace))
        case "table.grow": return .tableGrow(try optionalIndex(tableSpace))
        case "table.fill": return .tableFill(try optionalIndex(tableSpace))
        case "table.copy":
            guard cursor.isIndex else { return .tableCopy(destination: 0, source: 0) }
            let destination = try resolve(tableSpace, &cursor)
            return .tableCopy(destination: destination, source: try resolve(tableSpace, &cursor))
        case "table.init":
            // `table.init elem` or `table.init table elem`.
            if twoIndicesAhead() {
                let table = try resolve(tableSpace, &cursor)
                return .tableInit(element: try resolve(elemSpace, &cursor), table: table)
            }
            return .tableInit(element: try resolve(elemSpace, &cursor), table: 0)
        case "elem.drop": return .elemDrop(try resolve(elemSpace, &cursor))
        case "memory.size": return .memorySize(try optionalIndex(memorySpace))
        case "memory.grow": return .memoryGrow(try optionalIndex(memorySpace))
        case "memory.fill": return .memoryFill(try optionalIndex(memorySpace))
        case "memory.copy":
            guard cursor.isIndex else { return .memoryCopy(destination: 0, source: 0) }
            let destination = try resolve(memorySpace, &cursor)
            return .memoryCopy(destination: destination, source: try resolve(memorySpace, &cursor))
        case "memory.init":
            module.needsDataCount = true
            if twoIndicesAhead() {
                let memory = try resolve(memorySpace, &cursor)
                return .memoryInit(data: try resolve(dataSpace, &cursor), memory: memory)
            }
            return .memoryInit(data: try resolve(dataSpace, &cursor), memory: 0)
        case "data.drop":
            module.needsDataCount = true
            return .dataDrop(try resolve(dataSpace, &cursor))
        case "i32.const":
            let text = try constantText()
            return .i32Const(Int32(bitPattern: UInt32(try number(at: cursor) { try NumberLiterals.parseInteger(text, bits: 32) })))
        case "i64.const":
            let text = try constantText()
            return .i64Const(Int64(bitPattern: try number(at: cursor) { try NumberLiterals.parseInteger(text, bits: 64) }))
        case "f32.const":
            let text = try constantText()
            return .f32Const(try number(at: cursor) { try NumberLiterals.parseF32(text) })
        case "f64.const":
            let text = try constantText()
            return .f64Const(try number(at: cursor) { try NumberLiterals.parseF64(text) })
        case "ref.null": return .refNull(try parseHeapType(&cursor))
        case "ref.is_null": return .refIsNull
        case "ref.func": return .refFunc(try resolve(funcSpace, &cursor))
        case "param", "result", "local", "type", "then", "else", "end", "item", "offset":
            throw cursor.error("unexpected token")
        default:
            // Reported at the operator itself, which has already been consumed.
            throw cursor.error("unknown operator \(name)", at: lexer.tokens[cursor.index - 1])
        }
    }

    /// The literal after a `*.const`; a missing literal is a token error.
    func constantText() throws -> String {
        // `nan:canonical` / `nan:arithmetic` are result patterns of scripts, not literals.
        guard let text = cursor.atom, !text.hasPrefix("nan:c"), !text.hasPrefix("nan:a") else {
            throw cursor.error("unexpected token")
        }
        cursor.advance()
        return text
    }

    /// `offset=N? align=N?` (align a power of two, in bytes; the natural one when omitted).
    func parseMemoryArgument(naturalAlignLog2: UInt32, memory: UInt32) throws -> MemoryArgument {
        var offset: UInt64 = 0
        var alignLog2 = naturalAlignLog2
        if let text = cursor.atom, text.hasPrefix("offset=") {
            offset = try number(at: cursor) { try NumberLiterals.parseU64(String(text.dropFirst(7))) }
            if !hasMemory64 && !readsWideLimits && offset > UInt64(UInt32.max) { throw cursor.error("i32 constant") }
            cursor.advance()
        }
        if let text = cursor.atom, text.hasPrefix("align=") {
            let align = try number(at: cursor) { try NumberLiterals.parseU64(String(text.dropFirst(6))) }
            guard align != 0, align & (align - 1) == 0 else { throw cursor.error("alignment must be a power of two") }
            alignLog2 = UInt32(align.trailingZeroBitCount)
            cursor.advance()
        }
        return MemoryArgument(alignLog2: alignLog2, offset: offset, memory: memory)
    }
}
