/// The element, data and code sections: the three with several encodings or nested sizes.
extension SectionDecoder {
    /// Element segments: the 8 encodings of Wasm 2.0. Bit 0 = passive/declarative, bit 1 =
    /// explicit table index (active) or declarative (otherwise), bit 2 = items are expressions.
    mutating func elementSection() throws(HearthError) {
        let count = try reader.count()
        module.elements.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count {
            let flagsOffset = reader.position
            let flags = try reader.u32()
            guard flags <= 7 else { throw HearthError.decoding("malformed elements segment kind", at: flagsOffset) }
            let mode: ElementSegment.Mode
            if flags & 1 == 0 {
                let table = flags & 2 != 0 ? try reader.u32() : 0
                mode = .active(table: table, offset: try constantExpression())
            } else {
                mode = flags & 2 != 0 ? .declarative : .passive
            }
            // Encodings 0 and 4 have an implicit type (funcref); the others spell it out.
            let usesExpressions = flags & 4 != 0
            var type = ReferenceType.funcref
            if flags & 3 != 0 {
                if usesExpressions {
                    type = try reader.referenceType(features: features)
                } else {
                    let kindOffset = reader.position
                    guard try reader.byte() == 0x00 else {
                        throw HearthError.decoding("malformed element kind", at: kindOffset)
                    }
                }
            }
            let itemCount = try reader.count()
            let items: ElementSegment.Items
            if usesExpressions {
                var expressions: [ConstantExpression] = []
                expressions.reserveCapacity(reader.reservation(for: itemCount))
                for _ in 0..<itemCount { expressions.append(try constantExpression()) }
                items = .expressions(expressions)
            } else {
                var functions: [UInt32] = []
                functions.reserveCapacity(reader.reservation(for: itemCount))
                for _ in 0..<itemCount { functions.append(try reader.u32()) }
                items = .functions(functions)
            }
            module.elements.append(ElementSegment(type: type, mode: mode, items: items))
        }
    }

    /// Data segments: 0 = active in memory 0, 1 = passive, 2 = active with a memory index.
    mutating func dataSection() throws(HearthError) {
        let count = try reader.count()
        module.data.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count {
            let flagsOffset = reader.position
            let mode: DataSegment.Mode
            switch try reader.u32() {
            case 0: mode = .active(memory: 0, offset: try constantExpression())
            case 1: mode = .passive
            case 2:
                let memory = try reader.u32()
                mode = .active(memory: memory, offset: try constantExpression())
            default: throw HearthError.decoding("malformed data segment kind", at: flagsOffset)
            }
            let size = try reader.count()
            module.data.append(DataSegment(mode: mode, range: try reader.range(count: size)))
        }
    }

    /// Function bodies: only the local declarations are decoded; the code stays a byte range.
    mutating func codeSection() throws(HearthError) {
        let count = try reader.count()
        module.codes.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count {
            let size = try reader.count()
            guard size <= reader.remaining else {
                throw HearthError.decoding("unexpected end of section or function", at: reader.limit)
            }
            let start = reader.position
            let end = start + size
            var body = ByteReader(bytes: reader.bytes, position: start, limit: end)
            let groupCount = try body.count()
            var locals: [LocalGroup] = []
            locals.reserveCapacity(body.reservation(for: groupCount))
            var total: UInt64 = 0
            for _ in 0..<groupCount {
                let countOffset = body.position
                let n = try body.u32()
                total += UInt64(n)
                // The spec bounds the total by 2^32 - 1 (the index space of locals).
                guard total <= UInt64(UInt32.max) else { throw HearthError.decoding("too many locals", at: countOffset) }
                guard total <= UInt64(limits.functionLocals) else {
                    throw HearthError.decoding("too many locals: \(total), more than the implementation limit of \(limits.functionLocals)",
                                        at: countOffset)
                }
                locals.append(LocalGroup(count: n, type: try body.valueType(features: features)))
            }
            try checkFinalEnd(codeStart: body.position, end: end)
            module.codes.append(FunctionBody(locals: locals, localCount: Int(total), code: body.position..<end))
            reader.position = end
        }
    }

    /// Every well-formed body ends with the `end` opcode, so a body whose last byte is something
    /// else is malformed; checking costs one byte instead of decoding the body now. To report
    /// the defect a streaming decoder would meet first (a bad LEB128, an illegal opcode, a
    /// missing `end`), this rare error path decodes the body past its declared size, as the
    /// reference interpreter does.
    private func checkFinalEnd(codeStart: Int, end: Int) throws(HearthError) {
        let bytes = reader.bytes
        if end > codeStart && bytes[end - 1] == 0x0B { return }
        var code = CodeReader(bytes: bytes, range: codeStart..<bytes.count, features: features)
        // One entry per open block: whether it is an `if` (the only one `else` may continue).
        var openIfs: [Bool] = []
        while true {
            let at = code.offset
            switch try code.read() {
            case .block, .loop: openIfs.append(false)
            case .if: openIfs.append(true)
            case .else:
                guard openIfs.last == true else { throw HearthError.decoding("END opcode expected", at: at) }
                openIfs[openIfs.count - 1] = false
            case .end:
                if openIfs.isEmpty { throw HearthError.decoding("section size mismatch", at: code.offset) }
                openIfs.removeLast()
            default: break
            }
        }
    }
}
