import HearthBinary

/// The GC instructions (0xFB prefix) and `ref.eq` in the text format: their names and
/// immediates, and their binary encoding.
extension ModuleParser {
    /// The GC instruction named `name` with its immediates, nil when `name` is no GC instruction.
    func parseGC(_ name: String) throws -> Instruction? {
        switch name {
        case "ref.eq": return .refEq
        case "struct.new": return .gc(.structNew(try type()))
        case "struct.new_default": return .gc(.structNewDefault(try type()))
        case "struct.get", "struct.get_s", "struct.get_u":
            let t = try type()
            return .gc(.structGet(t, field: try field(of: t), extend: Self.signExtension(of: name)))
        case "struct.set":
            let t = try type()
            return .gc(.structSet(t, field: try field(of: t)))
        case "array.new": return .gc(.arrayNew(try type()))
        case "array.new_default": return .gc(.arrayNewDefault(try type()))
        case "array.new_fixed":
            let t = try type()
            return .gc(.arrayNewFixed(t, count: try u32()))
        case "array.new_data":
            let t = try type()
            module.needsDataCount = true
            return .gc(.arrayNewData(t, data: try resolve(dataSpace, &cursor)))
        case "array.new_elem":
            let t = try type()
            return .gc(.arrayNewElem(t, element: try resolve(elemSpace, &cursor)))
        case "array.get", "array.get_s", "array.get_u": return .gc(.arrayGet(try type(), extend: Self.signExtension(of: name)))
        case "array.set": return .gc(.arraySet(try type()))
        case "array.len": return .gc(.arrayLen)
        case "array.fill": return .gc(.arrayFill(try type()))
        case "array.copy":
            let destination = try type()
            return .gc(.arrayCopy(destination: destination, source: try type()))
        case "array.init_data":
            let t = try type()
            module.needsDataCount = true
            return .gc(.arrayInitData(t, data: try resolve(dataSpace, &cursor)))
        case "array.init_elem":
            let t = try type()
            return .gc(.arrayInitElem(t, element: try resolve(elemSpace, &cursor)))
        case "ref.test": return .gc(.refTest(try parseReferenceType(&cursor)))
        case "ref.cast": return .gc(.refCast(try parseReferenceType(&cursor)))
        case "br_on_cast", "br_on_cast_fail":
            let label = try parseLabel()
            let from = try parseReferenceType(&cursor)
            return .gc(.brOnCast(label: label, from: from, to: try parseReferenceType(&cursor), fail: name == "br_on_cast_fail"))
        case "any.convert_extern": return .gc(.anyConvertExtern)
        case "extern.convert_any": return .gc(.externConvertAny)
        case "ref.i31": return .gc(.refI31)
        case "i31.get_s": return .gc(.i31Get(signed: true))
        case "i31.get_u": return .gc(.i31Get(signed: false))
        default: return nil
        }
    }

    private func type() throws -> UInt32 { try resolve(typeSpace, &cursor) }

    private func u32() throws -> UInt32 {
        guard let token = cursor.current, token.kind == .atom else { throw cursor.error("unexpected token") }
        let value = try number(at: cursor) { try NumberLiterals.parseU32(lexer.text(token)) }
        cursor.advance()
        return value
    }

    /// A field by index or by its `$name` in struct type `type`.
    private func field(of type: UInt32) throws -> UInt32 {
        if let token = cursor.current, token.kind == .id {
            let name = try cursor.idName(token)
            guard let index = fieldNames[type]?[name] else { throw cursor.error("unknown field $\(name)") }
            cursor.advance()
            return index
        }
        return try u32()
    }

    private static func signExtension(of name: String) -> GCInstruction.Extension {
        name.hasSuffix("_s") ? .signed : name.hasSuffix("_u") ? .unsigned : .none
    }
}

extension BinaryWriter {
    /// A 0xFB-prefixed instruction: sub-opcode, then its immediates.
    mutating func gcInstruction(_ gc: GCInstruction) {
        byte(0xFB)
        switch gc {
        case .structNew(let t): u32(0); u32(t)
        case .structNewDefault(let t): u32(1); u32(t)
        case .structGet(let t, let field, let extend): u32(2 + Self.code(extend)); u32(t); u32(field)
        case .structSet(let t, let field): u32(5); u32(t); u32(field)
        case .arrayNew(let t): u32(6); u32(t)
        case .arrayNewDefault(let t): u32(7); u32(t)
        case .arrayNewFixed(let t, let count): u32(8); u32(t); u32(count)
        case .arrayNewData(let t, let data): u32(9); u32(t); u32(data)
        case .arrayNewElem(let t, let element): u32(10); u32(t); u32(element)
        case .arrayGet(let t, let extend): u32(11 + Self.code(extend)); u32(t)
        case .arraySet(let t): u32(14); u32(t)
        case .arrayLen: u32(15)
        case .arrayFill(let t): u32(16); u32(t)
        case .arrayCopy(let d, let s): u32(17); u32(d); u32(s)
        case .arrayInitData(let t, let data): u32(18); u32(t); u32(data)
        case .arrayInitElem(let t, let element): u32(19); u32(t); u32(element)
        case .refTest(let r): u32(r.isNullable ? 21 : 20); heapType(r.heapType)
        case .refCast(let r): u32(r.isNullable ? 23 : 22); heapType(r.heapType)
        case .brOnCast(let label, let from, let to, let fail):
            u32(fail ? 25 : 24)
            byte((from.isNullable ? 1 : 0) | (to.isNullable ? 2 : 0))
            u32(label)
            heapType(from.heapType)
            heapType(to.heapType)
        case .anyConvertExtern: u32(26)
        case .externConvertAny: u32(27)
        case .refI31: u32(28)
        case .i31Get(let signed): u32(signed ? 29 : 30)
        }
    }

    private static func code(_ extend: GCInstruction.Extension) -> UInt32 {
        switch extend {
        case .none: return 0
        case .signed: return 1
        case .unsigned: return 2
        }
    }
}
