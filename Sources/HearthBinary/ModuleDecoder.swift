/// The strict binary decoder (spec chapter 5): bytes in, `Module` out.
///
/// Function bodies are not decoded instruction by instruction here, only their local
/// declarations and byte ranges; the validator reads every instruction with `CodeReader`.
/// `data.drop` / `memory.init` without a data count section is therefore reported by the
/// validator ("data count section required"), not by the decoder.
public enum ModuleDecoder {
    /// Decodes a whole module; strict. Does not validate (types of instructions etc.). A
    /// declaration past `limits` is refused before anything is allocated for it.
    public static func decode(_ bytes: [UInt8], features: FeatureSet = .default,
                              limits: ModuleLimits = .default) throws(HearthError) -> Module {
        var decoder = SectionDecoder(bytes: bytes, features: features, limits: limits)
        return try decoder.decodeModule()
    }
}

/// The decoding state: one cursor running through the whole file and the module being built.
struct SectionDecoder {
    var reader: ByteReader
    var module: Module
    let features: FeatureSet
    /// The implementation limits declarations are checked against.
    let limits: ModuleLimits
    /// Where the section being decoded claims to end: in 3.0 a constant expression may not run
    /// past it (a missing `end` is "unexpected end", not the next section read as instructions).
    var sectionEnd = 0

    init(bytes: [UInt8], features: FeatureSet, limits: ModuleLimits) {
        reader = ByteReader(bytes: bytes, endMessage: "unexpected end")
        module = Module(bytes: bytes)
        self.features = features
        self.limits = limits
    }

    /// Where each non-custom section id must come in the module (the data count section, id 12,
    /// sits between elements and code; the tag section, id 13, between memory and global).
    private static let sectionRank: [Int] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6]

    mutating func decodeModule() throws(HearthError) -> Module {
        try header()
        var lastRank = 0
        while !reader.isAtEnd {
            let idOffset = reader.position
            reader.endMessage = "unexpected end"
            let id = try reader.byte()
            guard id <= 12 || (id == 13 && features.version == .wasm3) else { throw HearthError.decoding("malformed section id", at: idOffset) }
            let size = try reader.length()
            let start = reader.position
            let end = start + size
            sectionEnd = end
            // Inside a section, running off the file is the longer message.
            reader.endMessage = "unexpected end of section or function"
            if id == 0 {
                try customSection(start: start, end: end)
                reader.position = end
                continue
            }
            let rank = Self.sectionRank[Int(id)]
            guard rank > lastRank else {
                throw HearthError.decoding("unexpected content after last section", at: idOffset)
            }
            lastRank = rank
            switch id {
            case 1: try typeSection()
            case 2: try importSection()
            case 3: try functionSection()
            case 4: try tableSection()
            case 5: try memorySection()
            case 6: try globalSection()
            case 7: try exportSection()
            case 8: module.start = try reader.u32()
            case 9: try elementSection()
            case 10: try codeSection()
            case 11: try dataSection()
            case 13: try tagSection()
            default: module.dataCount = try reader.u32()
            }
            guard reader.position == end else {
                throw HearthError.decoding("section size mismatch", at: reader.position)
            }
        }
        if module.functions.count != module.codes.count {
            throw HearthError.decoding("function and code section have inconsistent lengths", at: reader.position)
        }
        if let count = module.dataCount, Int(count) != module.data.count {
            throw HearthError.decoding("data count and data section have inconsistent lengths", at: reader.position)
        }
        return module
    }

    private mutating func header() throws(HearthError) {
        guard reader.remaining >= 4 else { throw HearthError.decoding("unexpected end", at: reader.limit) }
        guard try reader.fixed32() == 0x6D73_6100 else {
            throw HearthError.decoding("magic header not detected", at: 0)
        }
        guard reader.remaining >= 4 else { throw HearthError.decoding("unexpected end", at: reader.limit) }
        guard try reader.fixed32() == 1 else { throw HearthError.decoding("unknown binary version", at: 4) }
    }

    // MARK: Sections

    private mutating func typeSection() throws(HearthError) {
        let count = try reader.count()
        module.types.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count {
            // 3.0: `rec` groups several (mutually recursive) types; any other entry is a group of one.
            if features.version == .wasm3, reader.peek() == 0x4E {
                reader.position += 1
                let start = module.types.count
                let membersAt = reader.position
                let members = try reader.count()
                guard members <= limits.types - start else {
                    throw ModuleLimits.exceeded("types", start + members, limits.types, at: membersAt)
                }
                for _ in 0..<members { module.types.append(try reader.subType(features: features, limits: limits)) }
                module.recursionGroups.append(start..<module.types.count)
            } else {
                guard module.types.count < limits.types else {
                    throw ModuleLimits.exceeded("types", module.types.count + 1, limits.types, at: reader.position)
                }
                module.types.append(try reader.subType(features: features, limits: limits))
                module.recursionGroups.append((module.types.count - 1)..<module.types.count)
            }
        }
    }

    private mutating func importSection() throws(HearthError) {
        let count = try reader.count()
        module.imports.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count {
            let moduleName = try reader.name()
            let name = try reader.name()
            let kindOffset = reader.position
            let descriptor: ImportDescriptor
            switch try reader.byte() {
            case 0: descriptor = .function(typeIndex: try reader.u32())
            case 1: descriptor = .table(try reader.tableType(features: features))
            case 2: descriptor = .memory(try reader.memoryType(features: features))
            case 3: descriptor = .global(try reader.globalType(features: features))
            case 4 where features.version == .wasm3: descriptor = .tag(try reader.tagType())
            default: throw HearthError.decoding("malformed import kind", at: kindOffset)
            }
            module.imports.append(Import(module: moduleName, name: name, descriptor: descriptor))
        }
    }

    private mutating func functionSection() throws(HearthError) {
        let count = try reader.count()
        module.functions.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count { module.functions.append(try reader.u32()) }
    }

    private mutating func tableSection() throws(HearthError) {
        let count = try reader.count()
        for _ in 0..<count {
            // 3.0: 0x40 0x00 announces a table with an initializer expression after its type.
            if features.version == .wasm3, reader.peek() == 0x40 {
                reader.position += 1
                let at = reader.position
                guard try reader.byte() == 0x00 else { throw HearthError.decoding("malformed table", at: at) }
                module.tables.append(try reader.tableType(features: features))
                module.tableInitializers[module.tables.count - 1] = try constantExpression()
            } else {
                module.tables.append(try reader.tableType(features: features))
            }
        }
    }

    private mutating func memorySection() throws(HearthError) {
        let count = try reader.count()
        for _ in 0..<count { module.memories.append(try reader.memoryType(features: features)) }
    }

    private mutating func globalSection() throws(HearthError) {
        let count = try reader.count()
        module.globals.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count {
            let type = try reader.globalType(features: features)
            module.globals.append(Global(type: type, initializer: try constantExpression()))
        }
    }

    private mutating func tagSection() throws(HearthError) {
        let count = try reader.count()
        for _ in 0..<count { module.tags.append(try reader.tagType()) }
    }

    private mutating func exportSection() throws(HearthError) {
        let count = try reader.count()
        module.exports.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count {
            let name = try reader.name()
            let kindOffset = reader.position
            let kind = try reader.byte()
            let index = try reader.u32()
            let descriptor: ExportDescriptor
            switch kind {
            case 0: descriptor = .function(index)
            case 1: descriptor = .table(index)
            case 2: descriptor = .memory(index)
            case 3: descriptor = .global(index)
            case 4 where features.version == .wasm3: descriptor = .tag(index)
            default: throw HearthError.decoding("malformed export kind", at: kindOffset)
            }
            module.exports.append(Export(name: name, descriptor: descriptor))
        }
    }

    private mutating func customSection(start: Int, end: Int) throws(HearthError) {
        // The name must fit in the section itself, so read it with a cursor limited to it.
        var section = ByteReader(bytes: reader.bytes, position: start, limit: end)
        let name = try section.name()
        let payload = section.position..<end
        if name == "name" {
            // Debug names are optional: a malformed name section just leaves the names out.
            module.names = NameSectionDecoder.decode(bytes: reader.bytes, range: payload)
        } else {
            module.customSections.append(CustomSection(name: name, range: payload))
        }
    }

    /// A constant expression up to and including its `end`; nested blocks are tracked so that a
    /// (later rejected) `block ... end` inside does not end it early.
    mutating func constantExpression() throws(HearthError) -> ConstantExpression {
        let start = reader.position
        // The 2.0 testsuite expects the next section's bytes read as instructions ("illegal
        // opcode"); 3.0's reference interpreter stops at the section's end.
        let limit = features.version == .wasm3 ? max(start, min(sectionEnd, reader.limit)) : reader.limit
        var code = CodeReader(bytes: reader.bytes, range: start..<limit, features: features)
        var instructions: [Instruction] = []
        var depth = 0
        while true {
            let instruction = try code.read()
            switch instruction {
            case .block, .loop, .if: depth += 1
            case .end:
                if depth == 0 {
                    reader.position = code.offset
                    return ConstantExpression(instructions: instructions, offset: start)
                }
                depth -= 1
            default: break
            }
            instructions.append(instruction)
        }
    }
}
