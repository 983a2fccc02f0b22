import HearthBinary

extension Instance {
    /// The translated code of function `index` (the module's function index space, imports
    /// first), one instruction per line: its word offset, its handler and its operand words.
    ///
    /// For reviews and tests of the translator. Generated instructions print their words by
    /// meaning (`s3` a frame slot, `#5` a constant, `+16` a memory offset, `-> 40` a branch
    /// target); hand-written ones print them raw. Translating here does not install the code:
    /// the function still translates on its first call.
    public func disassemble(function index: Int) throws -> String {
        let module = storage.context.module
        let imported = module.importedFunctionTypes.count
        guard index >= 0, index < imported + module.functions.count else {
            throw HearthError(.link, "no function \(index): the module has \(imported + module.functions.count)")
        }
        guard index >= imported else {
            throw HearthError(.link, "unsupported: function \(index) is imported; it has no code here to disassemble")
        }
        var translator = Translator(context: storage.context, definedIndex: index - imported)
        let code = try translator.translate()
        let starts = translator.instructionStarts
        var name = module.names?.functionNames[UInt32(index)].map { " \"\($0)\"" } ?? ""
        if name.isEmpty, let export = module.exports.first(where: { $0.descriptor == .function(UInt32(index)) }) {
            name = " (export \"\(export.name)\")"
        }
        var out = "function \(index)\(name): \(starts.count) instructions, \(code.count) words, frame \(code[1]) slots\n"
        for (n, start) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1] : code.count
            out += line(code, start, end) + "\n"
        }
        return out
    }

    /// The translated code of the function exported as `name`.
    public func disassemble(export name: String) throws -> String {
        guard let export = storage.context.module.exports.first(where: { $0.name == name }),
              case .function(let index) = export.descriptor else {
            throw HearthError(.link, "no exported function \"\(name)\"")
        }
        return try disassemble(function: Int(index))
    }

    /// The translated code of every function the module defines, in index order.
    public func disassembleAll() throws -> String {
        let module = storage.context.module
        let imported = module.importedFunctionTypes.count
        return try (imported..<(imported + module.functions.count)).map { try disassemble(function: $0) }
            .joined(separator: "\n")
    }

    private func line(_ code: [UInt64], _ start: Int, _ end: Int) -> String {
        let handler = code[start]
        let name = InstructionSet.name(of: handler).map { String($0.dropFirst(2)) } ?? String(handler, radix: 16)
        var operands: [String] = []
        let description = InstructionSet.description(of: handler)
        for i in (start + 1)..<end {
            let value = code[i]
            let k = i - start
            guard let description, k <= description.words.count else {
                operands.append(Int64(bitPattern: value) >= -4096 && Int64(bitPattern: value) < 1 << 20
                                ? String(Int64(bitPattern: value)) : "0x" + String(value, radix: 16))
                continue
            }
            switch description.words[k - 1] {
            case .destination, .source: operands.append("s\(value)")
            case .constant(let view): operands.append("#" + Self.constant(value, view))
            case .offset: operands.append("+\(Int64(bitPattern: value))")
            case .memory: operands.append("memory " + cellIndex(value, storage.context.memories))
            case .global: operands.append("global " + cellIndex(value, storage.context.globals))
            case .branch: operands.append("-> \(start + description.branchBase + Int(Int64(bitPattern: value)))")
            case .unused: continue
            }
        }
        let offset = String(start)
        return String(repeating: " ", count: max(0, 6 - offset.count)) + offset + "  " + name
            + (operands.isEmpty ? "" : String(repeating: " ", count: max(1, 22 - name.count)) + operands.joined(separator: ", "))
    }

    /// The index of the cell at address `bits` among `cells` (the instance's memories or globals).
    private func cellIndex<T>(_ bits: UInt64, _ cells: [UnsafeMutablePointer<T>]) -> String {
        cells.firstIndex { UInt64(UInt(bitPattern: $0)) == bits }.map(String.init) ?? "0x" + String(bits, radix: 16)
    }

    private static func constant(_ bits: UInt64, _ view: InstructionDescription.View) -> String {
        switch view {
        case .i32, .s32: return String(Int32(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .i64, .s64, .raw: return String(Int64(bitPattern: bits))
        case .f32: return String(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .f64: return String(Double(bitPattern: bits))
        }
    }
}
