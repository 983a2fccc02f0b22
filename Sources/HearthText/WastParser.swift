import HearthBinary

/// Reads a .wast script's s-expressions into commands.
struct WastParser {
    let lexer: Lexer
    var cursor: TokenCursor

    init(source: [UInt8]) throws {
        lexer = try Lexer(source: source)
        cursor = TokenCursor(lexer: lexer)
    }

    static let moduleFields: Set<String> = [
        "type", "rec", "import", "func", "table", "memory", "global", "export", "start", "elem", "data",
    ]

    mutating func parse() throws -> WastScript {
        var commands: [WastCommand] = []
        // A script may also be just the fields of one module (`inline-module.wast`).
        if let keyword = cursor.formKeyword, WastParser.moduleFields.contains(keyword) {
            let text = "(module " + String(decoding: lexer.source, as: UTF8.self) + "\n)"
            return WastScript(commands: [WastCommand(kind: .module(WastModule(name: nil, source: .text(text))), line: 1)])
        }
        // Lines are counted incrementally: commands come in source order.
        var line = 1
        var lineOffset = 0
        while !cursor.atEnd {
            guard let open = cursor.current, open.kind == .leftParen else { throw cursor.error("unexpected token") }
            let close = open.payload
            for i in lineOffset..<open.start where lexer.source[i] == UInt8(ascii: "\n") { line += 1 }
            lineOffset = open.start
            let kind = try parseCommand()
            guard cursor.index == close + 1 else {
                throw TokenCursor(lexer: lexer, index: cursor.index).error("unexpected token")
            }
            commands.append(WastCommand(kind: kind, line: line))
        }
        return WastScript(commands: commands)
    }

    private mutating func parseCommand() throws -> WastCommandKind {
        guard let keyword = cursor.formKeyword else { throw cursor.error("unexpected token") }
        switch keyword {
        case "module":
            if let word = cursor.peek(2), word.kind == .atom, lexer.text(word) == "instance" {
                cursor.index += 3
                let instance = try cursor.optionalID()
                let definition = try cursor.optionalID()
                try cursor.expectRightParen()
                return .moduleInstance(instance: instance, definition: definition)
            }
            if let word = cursor.peek(2), word.kind == .atom, lexer.text(word) == "definition" {
                return .moduleDefinition(try parseModule())
            }
            return .module(try parseModule())
        case "register":
            cursor.index += 2
            let name = try cursor.expectName()
            let module = try cursor.optionalID()
            try cursor.expectRightParen()
            return .register(name: name, module: module)
        case "invoke", "get":
            return .action(try parseAction())
        case "assert_return":
            cursor.index += 2
            let action = try parseAction()
            var expected: [WastExpected] = []
            while cursor.isLeftParen { expected.append(try parseExpected()) }
            try cursor.expectRightParen()
            return .assertReturn(action, expected)
        case "assert_trap":
            cursor.index += 2
            if cursor.isForm("module") {
                let module = try parseModule()
                return .assertTrapModule(module, message: try finishMessage())
            }
            let action = try parseAction()
            return .assertTrap(action, message: try finishMessage())
        case "assert_exception":
            cursor.index += 2
            let action = try parseAction()
            try cursor.expectRightParen()
            return .assertException(action)
        case "assert_exhaustion":
            cursor.index += 2
            let action = try parseAction()
            return .assertExhaustion(action, message: try finishMessage())
        case "assert_invalid", "assert_malformed", "assert_unlinkable", "assert_uninstantiable",
             "assert_invalid_custom", "assert_malformed_custom":
            cursor.index += 2
            let module = try parseModule()
            let message = try finishMessage()
            switch keyword {
            // The `_custom` forms are about the annotations a reader interprets (`@custom`,
            // `@name`, branch hints): Hearth interprets them, so they are the plain checks.
            case "assert_invalid", "assert_invalid_custom": return .assertInvalid(module, message: message)
            case "assert_malformed", "assert_malformed_custom": return .assertMalformed(module, message: message)
            case "assert_unlinkable": return .assertUnlinkable(module, message: message)
            default: return .assertUninstantiable(module, message: message)
            }
        default:
            throw cursor.error("unsupported: script command \(keyword)")
        }
    }

    /// The failure message closing an assertion, and the assertion's `)`.
    private mutating func finishMessage() throws -> String {
        let message = String(decoding: try cursor.expectString(), as: UTF8.self)
        try cursor.expectRightParen()
        return message
    }

    /// `(module $id? ...)`, `(module $id? binary "..."*)` or `(module $id? quote "..."*)`; text
    /// modules are kept as source.
    private mutating func parseModule() throws -> WastModule {
        guard let open = cursor.current, cursor.isForm("module") else { throw cursor.error("unexpected token") }
        let close = open.payload
        cursor.index += 2
        // `(module definition ...)`: the text form is the module without the keyword.
        let isDefinition = cursor.isAtom("definition")
        let definitionEnd = cursor.current?.end ?? 0
        if isDefinition { cursor.advance() }
        let name = try cursor.optionalID()
        let source: WastModule.Source
        if cursor.isAtom("binary") {
            cursor.advance()
            source = .binary(cursor.strings())
        } else if cursor.isAtom("quote") {
            cursor.advance()
            source = .quote(cursor.strings())
        } else {
            let start = isDefinition ? definitionEnd : open.start
            let text = lexer.source[start..<lexer.tokens[close].end]
            source = .text((isDefinition ? "(module" : "") + String(decoding: text, as: UTF8.self))
            cursor.index = close
        }
        guard cursor.index == close else { throw cursor.error("unexpected token") }
        cursor.index = close + 1
        return WastModule(name: name, source: source)
    }

    private mutating func parseAction() throws -> WastAction {
        try cursor.expectLeftParen()
        let keyword = try cursor.expectAtom()
        let module = try cursor.optionalID()
        let name = try cursor.expectName()
        switch keyword {
        case "invoke":
            var arguments: [WastValue] = []
            while cursor.isLeftParen {
                let at = cursor
                guard case .value(let value) = try parseExpected() else {
                    throw at.error("unexpected token")
                }
                arguments.append(value)
            }
            try cursor.expectRightParen()
            return .invoke(module: module, name: name, arguments: arguments)
        case "get":
            try cursor.expectRightParen()
            return .get(module: module, name: name)
        default:
            throw cursor.error("unexpected token")
        }
    }

    /// A constant or result pattern: `(i32.const 1)`, `(f32.const nan:canonical)`,
    /// `(ref.null func)`, `(ref.extern 1)`, `(ref.func)`, `(v128.const ...)`, `(either ...)`.
    private mutating func parseExpected() throws -> WastExpected {
        try cursor.expectLeftParen()
        let keyword = try cursor.expectAtom()
        let result: WastExpected
        switch keyword {
        case "i32.const":
            result = .value(.i32(UInt32(try number { try NumberLiterals.parseInteger($0, bits: 32) })))
        case "i64.const":
            result = .value(.i64(try number { try NumberLiterals.parseInteger($0, bits: 64) }))
        case "f32.const":
            result = try floatPattern(isF32: true)
        case "f64.const":
            result = try floatPattern(isF32: false)
        case "v128.const":
            result = try parseV128()
        case "ref.null":
            if cursor.isRightParen {
                result = .refNull(nil)
            } else {
                let word = try cursor.expectAtom()
                guard let heap = ModuleParser.abstractHeapTypes[word] ?? ModuleParser.shorthandReferenceTypes[word] else {
                    throw cursor.error("unsupported: heap type \(word)")
                }
                result = .value(.refNull(heap))
            }
        case "ref.struct": result = .refOf(.structure)
        case "ref.array": result = .refOf(.array)
        case "ref.i31": result = .refOf(.i31)
        case "ref.eq": result = .refOf(.eq)
        case "ref.any": result = .refOf(.any)
        case "ref.extern", "ref.host":
            // A host reference, seen through `externref` or (converted) `anyref`.
            if cursor.isRightParen {
                result = .refExtern(nil)
            } else {
                result = .value(.refExtern(try number { try NumberLiterals.parseU32($0) }))
            }
        case "ref.func":
            if cursor.isRightParen {
                result = .refFunc
            } else {
                result = .value(.refFunc(try number { try NumberLiterals.parseU32($0) }))
            }
        case "either":
            var alternatives: [WastExpected] = []
            while cursor.isLeftParen { alternatives.append(try parseExpected()) }
            result = .either(alternatives)
        default:
            throw cursor.error("unsupported: value \(keyword)")
        }
        try cursor.expectRightParen()
        return result
    }

    /// Reads one literal atom and converts it, reporting errors at the literal.
    private mutating func number<T>(_ convert: (String) throws -> T) throws -> T {
        let at = cursor
        let text = try cursor.expectAtom()
        do {
            return try convert(text)
        } catch NumberError.syntax {
            throw at.error("unknown operator")
        } catch NumberError.outOfRange {
            throw at.error("constant out of range")
        }
    }

    private mutating func floatPattern(isF32: Bool) throws -> WastExpected {
        if let kind = nanKind(cursor.atom) {
            cursor.advance()
            return isF32 ? .f32NaN(kind) : .f64NaN(kind)
        }
        if isF32 { return .value(.f32(try number { try NumberLiterals.parseF32($0) })) }
        return .value(.f64(try number { try NumberLiterals.parseF64($0) }))
    }

    private func nanKind(_ text: String?) -> NaNKind? {
        switch text {
        case "nan:canonical": return .canonical
        case "nan:arithmetic": return .arithmetic
        default: return nil
        }
    }

    /// `v128.const shape lane*`: exact bytes, or per-lane patterns when a lane is a NaN pattern.
    private mutating func parseV128() throws -> WastExpected {
        let shapeName = try cursor.expectAtom()
        guard let shape = V128Shape(rawValue: shapeName) else { throw cursor.error("unexpected token") }
        var bytes: [UInt8] = []
        var lanes: [WastExpected] = []
        var hasPattern = false
        for _ in 0..<shape.laneCount {
            var w = BinaryWriter()
            switch shape {
            case .i8x16, .i16x8, .i32x4:
                let bits = shape == .i8x16 ? 8 : shape == .i16x8 ? 16 : 32
                let value = try number { try NumberLiterals.parseInteger($0, bits: bits) }
                for i in 0..<(bits / 8) { w.byte(UInt8(truncatingIfNeeded: value >> UInt64(8 * i))) }
                lanes.append(.value(.i32(UInt32(value))))
            case .i64x2:
                let value = try number { try NumberLiterals.parseInteger($0, bits: 64) }
                w.fixed64(value)
                lanes.append(.value(.i64(value)))
            case .f32x4, .f64x2:
                let lane = try floatPattern(isF32: shape == .f32x4)
                switch lane {
                case .value(.f32(let b)): w.fixed32(b)
                case .value(.f64(let b)): w.fixed64(b)
                default:
                    hasPattern = true
                    w.append(Array(repeating: 0, count: shape == .f32x4 ? 4 : 8))
                }
                lanes.append(lane)
            }
            bytes.append(contentsOf: w.bytes)
        }
        return hasPattern ? .v128Lanes(shape, lanes) : .value(.v128(bytes))
    }
}
