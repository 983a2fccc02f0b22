import HearthBinary

/// Lays a parsed text module out in the binary format, sections in the order the spec requires.
enum ModuleEncoder {
    static func encode(_ module: TextModule) -> [UInt8] {
        var out = BinaryWriter()
        out.append([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00])

        customSections(module, at: 0, into: &out)
        section(1, into: &out, count: module.recursionGroups.count) { w in
            for group in module.recursionGroups {
                if group.count != 1 {
                    w.byte(0x4E)
                    w.u32(UInt32(group.count))
                }
                for index in group { w.subType(module.types[index]) }
            }
        }
        customSections(module, at: 1, into: &out)
        section(2, into: &out, count: module.imports.count) { w in
            for entry in module.imports {
                w.name(entry.module)
                w.name(entry.name)
                switch entry.descriptor {
                case .function(let t): w.byte(0); w.u32(t)
                case .table(let t): w.byte(1); w.referenceType(t.elementType); w.limits(t.limits)
                case .memory(let m): w.byte(2); w.memoryType(m)
                case .global(let g): w.byte(3); w.valueType(g.valueType); w.byte(g.isMutable ? 1 : 0)
                case .tag(let t): w.byte(4); w.byte(0); w.u32(t.typeIndex)
                }
            }
        }
        customSections(module, at: 2, into: &out)
        section(3, into: &out, count: module.functions.count) { w in
            for f in module.functions { w.u32(f.typeIndex) }
        }
        customSections(module, at: 3, into: &out)
        section(4, into: &out, count: module.tables.count) { w in
            for (i, t) in module.tables.enumerated() {
                // Wasm 3.0: a table with an initializer expression is prefixed by 0x40 0x00.
                let initializer = module.tableInitializers[i]
                if initializer != nil { w.append([0x40, 0x00]) }
                w.referenceType(t.elementType)
                w.limits(t.limits)
                if let initializer { w.append(initializer) }
            }
        }
        customSections(module, at: 4, into: &out)
        section(5, into: &out, count: module.memories.count) { w in
            for m in module.memories { w.memoryType(m) }
        }
        // The tag section (id 13) goes between memories and globals.
        customSections(module, at: 5, into: &out)
        section(13, into: &out, count: module.tags.count) { w in
            for t in module.tags { w.byte(0); w.u32(t.typeIndex) }
        }
        customSections(module, at: 6, into: &out)
        section(6, into: &out, count: module.globals.count) { w in
            for g in module.globals {
                w.valueType(g.type.valueType)
                w.byte(g.type.isMutable ? 1 : 0)
                w.append(g.initializer)
            }
        }
        customSections(module, at: 7, into: &out)
        section(7, into: &out, count: module.exports.count) { w in
            for e in module.exports {
                w.name(e.name)
                switch e.descriptor {
                case .function(let i): w.byte(0); w.u32(i)
                case .table(let i): w.byte(1); w.u32(i)
                case .memory(let i): w.byte(2); w.u32(i)
                case .global(let i): w.byte(3); w.u32(i)
                case .tag(let i): w.byte(4); w.u32(i)
                }
            }
        }
        customSections(module, at: 8, into: &out)
        if let start = module.start {
            var payload = BinaryWriter()
            payload.u32(start)
            out.byte(8)
            out.vector(payload.bytes)
        }
        customSections(module, at: 9, into: &out)
        section(9, into: &out, count: module.elements.count) { w in
            for e in module.elements { element(e, into: &w) }
        }
        customSections(module, at: 10, into: &out)
        if module.needsDataCount {
            var payload = BinaryWriter()
            payload.u32(UInt32(module.data.count))
            out.byte(12)
            out.vector(payload.bytes)
        }
        customSections(module, at: 11, into: &out)
        section(10, into: &out, count: module.functions.count) { w in
            for f in module.functions { code(f, into: &w) }
        }
        customSections(module, at: 12, into: &out)
        section(11, into: &out, count: module.data.count) { w in
            for d in module.data {
                switch d.mode {
                case .passive:
                    w.byte(1)
                case .active(let memory, let offset):
                    if memory == 0 {
                        w.byte(0)
                    } else {
                        w.byte(2)
                        w.u32(memory)
                    }
                    w.append(offset)
                }
                w.vector(d.bytes)
            }
        }
        customSections(module, at: 13, into: &out)
        names(module, into: &out)
        return out.bytes
    }

    /// Writes a section with an item count, omitting it when empty.
    /// The sections in binary order, as `@custom` placements name them.
    static let sectionOrder = ["type", "import", "func", "table", "memory", "tag", "global", "export",
                               "start", "elem", "datacount", "code", "data"]

    /// The `@custom` sections placed before the section at `position` of `sectionOrder`.
    private static func customSections(_ module: TextModule, at position: Int, into out: inout BinaryWriter) {
        for custom in module.customSections where custom.position == position {
            var payload = BinaryWriter()
            payload.u32(UInt32(custom.name.count))
            payload.append(custom.name)
            payload.append(custom.bytes)
            out.byte(0)
            out.vector(payload.bytes)
        }
    }

    private static func section(_ id: UInt8, into out: inout BinaryWriter, count: Int,
                                _ body: (inout BinaryWriter) -> Void) {
        guard count > 0 else { return }
        var payload = BinaryWriter()
        payload.u32(UInt32(count))
        body(&payload)
        out.byte(id)
        out.vector(payload.bytes)
    }

    private static func element(_ e: TextModule.Element, into w: inout BinaryWriter) {
        var e = e
        // Function indices can only stand for `funcref` items; a segment of another type (a
        // typed table's inline `elem`) lists them as `ref.func` expressions instead.
        if case .functions(let indices) = e.items, e.type.heapType != .function {
            e.items = .expressions(indices.map { index in
                var x = BinaryWriter()
                x.byte(0xD2)
                x.u32(index)
                x.byte(0x0B)
                return x.bytes
            })
        }
        // The flags pick one of the eight encodings: bit 0 = passive/declarative, bit 1 = explicit
        // table (active) or declarative, bit 2 = items are expressions.
        var flags: UInt32 = 0
        if case .expressions = e.items { flags |= 4 }
        var explicitTable = false
        switch e.mode {
        case .passive: flags |= 1
        case .declarative: flags |= 3
        case .active(let table, _):
            // The compact forms imply table 0 and funcref.
            if table != 0 || e.type != .funcref {
                explicitTable = true
                flags |= 2
            }
        }
        w.u32(flags)
        if case .active(let table, let offset) = e.mode {
            if explicitTable { w.u32(table) }
            w.append(offset)
        }
        // Every form except the two compact active ones states the element kind/type.
        let statesType = flags & 3 != 0
        switch e.items {
        case .functions(let indices):
            if statesType { w.byte(0x00) }
            w.u32(UInt32(indices.count))
            for i in indices { w.u32(i) }
        case .expressions(let expressions):
            if statesType { w.referenceType(e.type) }
            w.u32(UInt32(expressions.count))
            for x in expressions { w.append(x) }
        }
    }

    private static func code(_ f: TextModule.Function, into w: inout BinaryWriter) {
        var body = BinaryWriter()
        // Runs of equal types share one local declaration.
        var groups: [(count: UInt32, type: ValueType)] = []
        for t in f.locals {
            if let last = groups.last, last.type == t {
                groups[groups.count - 1].count += 1
            } else {
                groups.append((1, t))
            }
        }
        body.u32(UInt32(groups.count))
        for g in groups {
            body.u32(g.count)
            body.valueType(g.type)
        }
        body.append(f.body)
        w.vector(body.bytes)
    }

    /// The optional `name` custom section: module, function and local names.
    private static func names(_ module: TextModule, into out: inout BinaryWriter) {
        guard module.name != nil || !module.functionNames.isEmpty || !module.localNames.isEmpty else { return }
        var payload = BinaryWriter()
        payload.name("name")
        if let name = module.name {
            var sub = BinaryWriter()
            sub.name(name)
            payload.byte(0)
            payload.vector(sub.bytes)
        }
        if !module.functionNames.isEmpty {
            var sub = BinaryWriter()
            let sorted = module.functionNames.sorted { $0.key < $1.key }
            sub.u32(UInt32(sorted.count))
            for (index, name) in sorted {
                sub.u32(index)
                sub.name(name)
            }
            payload.byte(1)
            payload.vector(sub.bytes)
        }
        if !module.localNames.isEmpty {
            var sub = BinaryWriter()
            let sorted = module.localNames.sorted { $0.key < $1.key }
            sub.u32(UInt32(sorted.count))
            for (function, locals) in sorted {
                sub.u32(function)
                let sortedLocals = locals.sorted { $0.key < $1.key }
                sub.u32(UInt32(sortedLocals.count))
                for (index, name) in sortedLocals {
                    sub.u32(index)
                    sub.name(name)
                }
            }
            payload.byte(2)
            payload.vector(sub.bytes)
        }
        out.byte(0)
        out.vector(payload.bytes)
    }
}
