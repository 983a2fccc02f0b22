import HearthBinary

/// What the translator needs of an instance: the module and the raw cells its immediates name.
struct TranslationContext {
    var module: Module
    var features: FeatureSet
    var functions: [UnsafeMutablePointer<FunctionRecord>]
    var tables: [UnsafeMutablePointer<TableCell>]
    var memories: [UnsafeMutablePointer<MemoryCell>]
    var globals: [UnsafeMutablePointer<UInt64>]
    var data: [UnsafeMutablePointer<DataCell>]
    var elements: [UnsafeMutablePointer<ElementCell>]
    /// Engine-wide type id of each of the module's types.
    var typeIDs: [Int]
    /// Memory 0, or the store's empty dummy memory.
    var memory0: UnsafeMutablePointer<MemoryCell>
}

/// Translates one validated function body into threaded register code.
///
/// Frame layout: slots `0..<L` are the parameters then the declared locals, slot `L + h` holds
/// the operand-stack entry at height `h` (heights are known statically because the body is
/// valid). Each Wasm instruction becomes at most one internal instruction naming its operand
/// slots; `local.get` and constants are still materialised by copies (operand forwarding is
/// the next optimisation, the format already allows it).
struct Translator {
    private let context: TranslationContext
    private let type: FunctionType
    private let body: FunctionBody
    private let localCount: Int
    private var code: [UInt64] = []
    private var height = 0
    private var maxHeight = 0
    private var controls: [Control] = []
    /// Nesting depth of blocks opened inside unreachable code (skipped entirely).
    private var skipDepth = 0

    private struct Control {
        enum Kind { case block, loop, `if`, function }
        var kind: Kind
        /// Operand height below the block's parameters.
        var baseHeight: Int
        var parameterCount: Int
        var resultCount: Int
        /// For loops, the code index branches jump back to.
        var loopStart = 0
        /// Forward branches to patch at `end`: (instruction start, word to patch).
        var pendingBranches: [(Int, Int)] = []
        /// The `if`'s jump to the else arm, when no `else` was seen yet.
        var elseJump: (Int, Int)?
        var isUnreachable = false

        var labelArity: Int { kind == .loop ? parameterCount : resultCount }
    }

    init(context: TranslationContext, definedIndex: Int) {
        self.context = context
        let module = context.module
        self.type = module.types[Int(module.functions[definedIndex])]
        self.body = module.codes[definedIndex]
        self.localCount = type.parameters.count + body.localCount
    }

    /// The translated code, ready to copy into its final buffer.
    mutating func translate() throws -> [UInt64] {
        emit(h_enter, 0, UInt64(type.parameters.count), UInt64(body.localCount)) // frame size patched below
        controls.append(Control(kind: .function, baseHeight: 0, parameterCount: 0, resultCount: type.results.count))
        var reader = CodeReader(bytes: context.module.bytes, range: body.code, features: context.features)
        while !controls.isEmpty {
            let instruction = try reader.read()
            try translate(instruction)
        }
        // Room for the frame plus the largest host-call result area is checked at entry.
        code[1] = UInt64(localCount + maxHeight + 1)
        return code
    }

    // MARK: Emission helpers

    private mutating func emit(_ handler: Handler, _ immediates: UInt64...) {
        code.append(word(handler))
        code.append(contentsOf: immediates)
    }

    private func slot(_ h: Int) -> UInt64 { UInt64(localCount + h) }
    private var top: UInt64 { slot(height - 1) }

    private mutating func push(_ n: Int = 1) {
        height += n
        if height > maxHeight { maxHeight = height }
    }

    private func pointer<T>(_ p: UnsafeMutablePointer<T>) -> UInt64 { UInt64(UInt(bitPattern: p)) }

    private func blockSignature(_ type: BlockType) -> (Int, Int) {
        switch type {
        case .empty: return (0, 0)
        case .value: return (0, 1)
        case .typeIndex(let i):
            let t = context.module.types[Int(i)]
            return (t.parameters.count, t.results.count)
        }
    }

    private mutating func markUnreachable() {
        controls[controls.count - 1].isUnreachable = true
    }

    private static func offsetWord(_ delta: Int) -> UInt64 { UInt64(bitPattern: Int64(delta)) }

    /// Emits a branch to the label `depth` levels out, with the value moves it needs.
    /// `condition` makes it a `br_if`.
    private mutating func branch(depth: UInt32, condition: UInt64?) {
        let index = controls.count - 1 - Int(depth)
        let label = controls[index]
        if label.kind == .function {
            // A branch to the function's label is a return.
            if let condition {
                // Skip over the return when the condition is false.
                let start = code.count
                emit(h_brUnless, condition, 0)
                emitReturn()
                code[start + 2] = Self.offsetWord(code.count - start)
            } else {
                emitReturn()
            }
            return
        }
        let arity = label.labelArity
        let src = slot(height - arity), dst = slot(label.baseHeight)
        let start = code.count
        let needsCopy = arity > 0 && src != dst
        switch (condition, needsCopy) {
        case (nil, false): emit(h_br, 0)
        case (nil, true): emit(h_br, 0, src, dst, UInt64(arity))
            code[start] = word(h_brCopy)
        case (let c?, false): emit(h_brIf, c, 0)
        case (let c?, true): emit(h_brIfCopy, c, 0, src, dst, UInt64(arity))
        }
        let patchWord = start + (condition == nil ? 1 : 2)
        if label.kind == .loop {
            code[patchWord] = Self.offsetWord(label.loopStart - start)
        } else {
            controls[index].pendingBranches.append((start, patchWord))
        }
    }

    private mutating func emitReturn() {
        let n = type.results.count
        emit(h_return, slot(height - n), UInt64(n))
    }

    private mutating func emitBranchTable(_ table: BranchTable) {
        let index = top
        height -= 1
        let targets = table.targets + [table.defaultTarget]
        let first = controls[controls.count - 1 - Int(table.defaultTarget)]
        let arity = first.kind == .function ? type.results.count : first.labelArity
        let src = slot(height - arity)
        let start = code.count
        emit(h_brTable, index, UInt64(table.targets.count), src, UInt64(arity))
        var returnPatches: [Int] = []
        for depth in targets {
            let labelIndex = controls.count - 1 - Int(depth)
            let label = controls[labelIndex]
            let entry = code.count
            if label.kind == .function {
                // Results go to slots 0... directly; then jump to a shared `return`.
                code.append(0); code.append(src)
                returnPatches.append(entry)
            } else {
                code.append(label.kind == .loop ? Self.offsetWord(label.loopStart - start) : 0)
                code.append(slot(label.baseHeight))
                if label.kind != .loop { controls[labelIndex].pendingBranches.append((start, entry)) }
            }
        }
        if !returnPatches.isEmpty {
            let returnAt = code.count
            emitReturnAt(src: src, count: arity)
            for entry in returnPatches { code[entry] = Self.offsetWord(returnAt - start) }
        }
    }

    private mutating func emitReturnAt(src: UInt64, count: Int) {
        emit(h_return, src, UInt64(count))
    }

    // MARK: Instructions

    private mutating func translate(_ instruction: Instruction) throws {
        if controls[controls.count - 1].isUnreachable {
            // Dead code: only structure matters until the enclosing block's else/end.
            switch instruction {
            case .block, .loop, .if: skipDepth += 1; return
            case .end where skipDepth > 0: skipDepth -= 1; return
            case .else where skipDepth == 0, .end: break
            default: return
            }
        }
        switch instruction {
        case .unreachable: emit(h_unreachable); markUnreachable()
        case .nop: break
        case .block(let bt):
            let (p, r) = blockSignature(bt)
            controls.append(Control(kind: .block, baseHeight: height - p, parameterCount: p, resultCount: r))
        case .loop(let bt):
            let (p, r) = blockSignature(bt)
            controls.append(Control(kind: .loop, baseHeight: height - p, parameterCount: p, resultCount: r,
                                    loopStart: code.count))
        case .if(let bt):
            let (p, r) = blockSignature(bt)
            let condition = top
            height -= 1
            let start = code.count
            emit(h_brUnless, condition, 0)
            var control = Control(kind: .if, baseHeight: height - p, parameterCount: p, resultCount: r)
            control.elseJump = (start, start + 2)
            controls.append(control)
        case .else:
            var control = controls.removeLast()
            if !control.isUnreachable {
                let start = code.count
                emit(h_br, 0)
                control.pendingBranches.append((start, start + 1))
            }
            if let (start, at) = control.elseJump { code[at] = Self.offsetWord(code.count - start) }
            control.elseJump = nil
            control.isUnreachable = false
            height = control.baseHeight + control.parameterCount
            controls.append(control)
        case .end:
            let control = controls.removeLast()
            if control.kind == .function {
                if !control.isUnreachable { emitReturn() }
                return
            }
            let here = code.count
            for (start, at) in control.pendingBranches { code[at] = Self.offsetWord(here - start) }
            if let (start, at) = control.elseJump { code[at] = Self.offsetWord(here - start) }
            height = control.baseHeight + control.resultCount
            if height > maxHeight { maxHeight = height }
        case .br(let depth):
            branch(depth: depth, condition: nil)
            markUnreachable()
        case .brIf(let depth):
            let condition = top
            height -= 1
            branch(depth: depth, condition: condition)
        case .brTable(let table):
            emitBranchTable(table)
            markUnreachable()
        case .return:
            emitReturn()
            markUnreachable()
        case .call(let index):
            let callee = context.module.types[Int(context.module.functionTypeIndices[Int(index)])]
            let argBase = height - callee.parameters.count
            emit(h_call, pointer(context.functions[Int(index)]), slot(argBase), pointer(context.memory0))
            height = argBase
            push(callee.results.count)
            // The callee's frame starts at argBase; make sure results fit in this frame's accounting.
        case .callIndirect(let typeIndex, let table):
            let callee = context.module.types[Int(typeIndex)]
            let index = top
            height -= 1
            let argBase = height - callee.parameters.count
            emit(h_callIndirect, pointer(context.tables[Int(table)]), UInt64(context.typeIDs[Int(typeIndex)]),
                 index, slot(argBase), pointer(context.memory0))
            height = argBase
            push(callee.results.count)
        case .drop: height -= 1
        case .select, .typedSelect:
            let condition = top
            emit(h_select, slot(height - 3), slot(height - 3), slot(height - 2), condition)
            height -= 2
        case .localGet(let i):
            emit(h_copy, slot(height), UInt64(i)); push()
        case .localSet(let i):
            emit(h_copy, UInt64(i), top); height -= 1
        case .localTee(let i):
            emit(h_copy, UInt64(i), top)
        case .globalGet(let i):
            emit(h_globalGet, slot(height), pointer(context.globals[Int(i)])); push()
        case .globalSet(let i):
            emit(h_globalSet, top, pointer(context.globals[Int(i)])); height -= 1
        case .tableGet(let t):
            emit(h_tableGet, top, pointer(context.tables[Int(t)]))
        case .tableSet(let t):
            emit(h_tableSet, slot(height - 2), top, pointer(context.tables[Int(t)])); height -= 2
        case .tableSize(let t):
            emit(h_tableSize, slot(height), pointer(context.tables[Int(t)])); push()
        case .tableGrow(let t):
            emit(h_tableGrow, slot(height - 2), top, pointer(context.tables[Int(t)])); height -= 1
        case .tableFill(let t):
            emit(h_tableFill, slot(height - 3), slot(height - 2), top, pointer(context.tables[Int(t)])); height -= 3
        case .tableCopy(let d, let s):
            emit(h_tableCopy, slot(height - 3), slot(height - 2), top,
                 pointer(context.tables[Int(d)]), pointer(context.tables[Int(s)])); height -= 3
        case .tableInit(let e, let t):
            emit(h_tableInit, slot(height - 3), slot(height - 2), top,
                 pointer(context.tables[Int(t)]), pointer(context.elements[Int(e)])); height -= 3
        case .elemDrop(let e):
            emit(h_elemDrop, pointer(context.elements[Int(e)]))
        case .load(let op, let arg):
            emit(memoryHandler(op), top, top, arg.offset, pointer(context.memories[Int(arg.memory)]))
        case .store(let op, let arg):
            emit(memoryHandler(op), slot(height - 2), top, arg.offset, pointer(context.memories[Int(arg.memory)]))
            height -= 2
        case .memorySize(let mi):
            emit(h_memorySize, slot(height), pointer(context.memories[Int(mi)])); push()
        case .memoryGrow(let mi):
            emit(h_memoryGrow, top, pointer(context.memories[Int(mi)]))
        case .memoryInit(let d, let mi):
            emit(h_memoryInit, slot(height - 3), slot(height - 2), top,
                 pointer(context.memories[Int(mi)]), pointer(context.data[Int(d)])); height -= 3
        case .dataDrop(let d):
            emit(h_dataDrop, pointer(context.data[Int(d)]))
        case .memoryCopy(let d, let s):
            emit(h_memoryCopy, slot(height - 3), slot(height - 2), top,
                 pointer(context.memories[Int(d)]), pointer(context.memories[Int(s)])); height -= 3
        case .memoryFill(let mi):
            emit(h_memoryFill, slot(height - 3), slot(height - 2), top, pointer(context.memories[Int(mi)])); height -= 3
        case .i32Const(let v): emit(h_const, slot(height), UInt64(UInt32(bitPattern: v))); push()
        case .i64Const(let v): emit(h_const, slot(height), UInt64(bitPattern: v)); push()
        case .f32Const(let v): emit(h_const, slot(height), UInt64(v)); push()
        case .f64Const(let v): emit(h_const, slot(height), v); push()
        case .numeric(let op):
            let (handler, isBinary) = numericHandler(op)
            if isBinary {
                emit(handler, slot(height - 2), slot(height - 2), top); height -= 1
            } else {
                emit(handler, top, top)
            }
        case .refNull: emit(h_const, slot(height), 0); push()
        case .refIsNull: emit(h_refIsNull, top, top)
        case .refFunc(let i): emit(h_const, slot(height), pointer(context.functions[Int(i)])); push()
        }
    }
}
