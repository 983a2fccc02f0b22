import HearthBinary

/// What the translator needs of an instance: the module and the raw cells its immediates name.
struct TranslationContext {
    var module: Module
    /// `module.functionTypeIndices`, built once: a call instruction looks its callee's type up.
    var functionTypeIndices: [UInt32] = []
    var features: FeatureSet
    var functions: [UnsafeMutablePointer<FunctionRecord>]
    var tables: [UnsafeMutablePointer<TableCell>]
    var memories: [UnsafeMutablePointer<MemoryCell>]
    /// Global cells: two words each, so a `v128` global fits.
    var globals: [UnsafeMutablePointer<UInt64>]
    var globalTypes: [ValueType]
    /// Which memories are 64-bit (memory64): their accesses check i64 addresses first.
    var memory64: [Bool]
    /// Which tables are 64-bit: their i64 indices are checked to fit 32 bits first.
    var table64: [Bool]
    var data: [UnsafeMutablePointer<DataCell>]
    var elements: [UnsafeMutablePointer<ElementCell>]
    /// Engine-wide type id of each of the module's types.
    var typeIDs: [Int]
    /// The registered type of each of the module's types (GC object layouts, casts).
    var runtimeTypes: [UnsafeMutablePointer<RuntimeType>]
    /// Memory 0, or the store's empty dummy memory.
    var memory0: UnsafeMutablePointer<MemoryCell>
    /// Tag cells (their addresses are the tags' identities) and types, imports first.
    var tags: [UnsafeMutablePointer<TagCell>] = []
    var tagTypes: [FunctionType] = []
}

/// Translates one validated function body into threaded register code.
///
/// Frame layout: slots `0..<L` are the parameters then the declared locals; the operand-stack
/// entry at height `h` has the *home slot* `L + h` (heights are static because the body is
/// valid). A `v128` takes two slots, so with vectors these are sums of widths (`OperandStack`,
/// `localSlots`); functions without vectors keep exactly `L + h`. The translator keeps a virtual operand stack (`Operand`): `local.get` and constants
/// emit nothing, consumers name the local's slot or take the constant as an immediate, and a
/// `local.set` right after the instruction producing its value retargets that instruction's
/// destination to the local. Integer compares fuse with a following `br_if`/`if`.
/// The instruction switch is in `TranslatorInstructions.swift`, control flow and calls in
/// `TranslatorControl.swift`.
struct Translator {
    let context: TranslationContext
    let type: FunctionType
    let body: FunctionBody
    /// Slots taken by the parameters and declared locals.
    let localSlotCount: Int
    /// Slots taken by the parameters.
    let parameterSlotCount: Int
    /// The slot of each local when some local is a `v128`; nil when local `i` is slot `i`.
    let localSlots: [UInt64]?
    var code: [UInt64] = []
    /// The virtual operand stack; its count is the validation height.
    var operands: OperandStack
    /// The highest first-free slot seen: the frame's size.
    var maxSlot: Int
    var controls: [Control] = []
    /// Nesting depth of blocks opened inside unreachable code (skipped entirely).
    var skipDepth = 0
    /// The destination word of the last emitted instruction, when that instruction wrote the
    /// top operand's home slot and nothing was emitted or bound since (retarget candidate).
    var lastResultWord: Int?
    /// The last emitted instruction, when it is an integer test a branch may absorb.
    var pendingCompare: PendingCompare?
    /// The last emitted instruction, when it computes an address an access may absorb.
    var pendingAddress: PendingAddress?
    /// The last producer switched to leave its result in the accumulator, for `truncateCode`.
    var accumulatorLink: AccumulatorLink?
    /// The last `h_i32AddImm` retargeted to add to a local in place (`i = i + k` by `local.set`
    /// or `local.tee`), with no label since: a backward branch right after it takes it in as
    /// its stepped form (`link`).
    var pendingStep: (start: Int, end: Int)?
    /// Every (producer, consumer) the accumulator linked, for `fusePairs` at the end.
    var accumulatorLinks: [(Int, Int)] = []
    /// Exception handlers (try_table, legacy try) being translated (TranslatorExceptions.swift).
    var handlers = HandlerScopes()
    /// Where each instruction starts, in order: for `fusePairs` and the disassembler.
    var instructionStarts: [Int] = []
    /// The declared locals (by slot) written since the entry zeroed them all, while the code
    /// runs straight on from the entry (no label bound yet; nil after the first, or after
    /// `maxTrackedLocalWrites`): setting a local not listed to a zero constant there emits
    /// nothing. Compilers zero accumulators and counters at the top of a function; each such
    /// `const` was a dispatch on every call. A short list, not a set: the stretch is short, and
    /// a set per function costs the large programs' translation more than it saves them.
    var localsWrittenSinceEntry: [UInt64]? = []
    static let maxTrackedLocalWrites = 32

    struct Control {
        enum Kind { case block, loop, `if`, function }
        var kind: Kind
        /// Operand height below the block's parameters.
        var baseHeight: Int
        var parameters: [ValueType]
        var results: [ValueType]
        /// For loops, the code index branches jump back to.
        var loopStart = 0
        /// Forward branches to patch at `end`: (instruction start, word to patch).
        var pendingBranches: [(Int, Int)] = []
        /// The `if`'s jump to the else arm, when no `else` was seen yet.
        var elseJump: (Int, Int)?
        var isUnreachable = false

        var parameterCount: Int { parameters.count }
        var resultCount: Int { results.count }
        var labelArity: Int { kind == .loop ? parameterCount : resultCount }
    }

    init(context: TranslationContext, definedIndex: Int) {
        self.context = context
        let module = context.module
        self.type = module.functionType(module.functions[definedIndex])
        self.body = module.codes[definedIndex]
        let parameterSlots = type.parameters.reduce(0) { $0 + $1.slotWidth }
        self.parameterSlotCount = parameterSlots
        if parameterSlots == type.parameters.count && !body.locals.contains(where: { $0.type == .v128 }) {
            localSlots = nil
            localSlotCount = type.parameters.count + body.localCount
        } else {
            var slots: [UInt64] = []
            var next = 0
            for t in type.parameters + body.localTypes {
                slots.append(UInt64(next))
                next += t.slotWidth
            }
            localSlots = slots
            localSlotCount = next
        }
        operands = OperandStack(firstSlot: localSlotCount)
        maxSlot = localSlotCount
    }

    /// Local `i`'s slot.
    func localSlot(_ i: UInt32) -> UInt64 { localSlots?[Int(i)] ?? UInt64(i) }

    /// Slots local `i` takes.
    func localWidth(_ i: UInt32) -> Int {
        guard let slots = localSlots else { return 1 }
        let end = Int(i) + 1 < slots.count ? Int(slots[Int(i) + 1]) : localSlotCount
        return end - Int(slots[Int(i)])
    }

    /// The translated code, ready to copy into its final buffer.
    mutating func translate() throws -> [UInt64] {
        // Frame size patched below; the last word is the zero `h_enterZeroing` stores into the locals.
        let zeroedLocals = localSlotCount - parameterSlotCount
        emit(Self.enterHandler(zeroing: zeroedLocals), 0, UInt64(parameterSlotCount), UInt64(zeroedLocals), 0)
        controls.append(Control(kind: .function, baseHeight: 0, parameters: [], results: type.results))
        var reader = CodeReader(bytes: context.module.bytes, range: body.code, features: context.features)
        while !controls.isEmpty {
            let instruction = try reader.read()
            try translate(instruction)
        }
        fusePairs()
        // Room for the frame plus the largest host-call result area is checked at entry.
        code[1] = UInt64(maxSlot + 1)
        return code
    }

    /// The function entry that zeroes `count` locals: each count's cheapest (`h_enter`).
    static func enterHandler(zeroing count: Int) -> Handler {
        switch count {
        case 0: h_enter
        case 1...4: h_enterZeroingFew
        default: h_enterZeroing
        }
    }

    // MARK: Emission

    mutating func emit(_ handler: Handler, _ immediates: UInt64...) {
        emit(handler, immediates)
    }

    mutating func emit(_ handler: Handler, _ immediates: [UInt64]) {
        lastResultWord = nil
        pendingCompare = nil
        pendingAddress = nil
        instructionStarts.append(code.count)
        code.append(word(handler))
        code.append(contentsOf: immediates)
    }

    /// Emits `[handler, dst, operands...]` whose result becomes the new top operand, in its
    /// home slot (a following `local.set` may retarget `dst`).
    mutating func emitResult(_ handler: Handler, _ operands: UInt64...) {
        emitResult(handler, operands, width: 1)
    }

    /// `emitResult` for a result of `width` slots (2: a `v128`).
    mutating func emitResult(_ handler: Handler, _ operands: [UInt64], width: Int) {
        let dst = slot(height)
        emit(handler, [dst] + operands)
        lastResultWord = code.count - operands.count - 1
        push(.home, width: width)
    }

    /// Forgets the retarget/fusion candidates: a label or block boundary lies between.
    mutating func closeStraightLine() {
        lastResultWord = nil
        pendingCompare = nil
        pendingAddress = nil
        pendingStep = nil
    }

    // MARK: Operand stack

    var height: Int { operands.count }

    func slot(_ h: Int) -> UInt64 { UInt64(operands.home(h)) }

    /// Slots taken by the top `n` entries.
    func slotCount(ofTop n: Int) -> Int { operands.top - operands.home(height - n) }

    func pointer<T>(_ p: UnsafeMutablePointer<T>) -> UInt64 { UInt64(UInt(bitPattern: p)) }

    mutating func push(_ operand: Operand, width: Int = 1) {
        operands.append(operand, width: width)
        if operands.top > maxSlot { maxSlot = operands.top }
    }

    /// Sets the stack after a block boundary to the `base` entries below the block plus
    /// `types`; every entry is then in its home slot.
    mutating func resetHeight(base: Int, pushing types: [ValueType]) {
        if operands.count > base { operands.removeLast(operands.count - base) }
        for i in operands.indices { operands[i] = .home }
        for t in types { push(.home, width: t.slotWidth) }
    }

    /// Copies the entry at height `h` into its home slot.
    mutating func materialise(_ h: Int) {
        switch operands[h] {
        case .home: return
        case .local(let i): emit(operands.width(h) == 2 ? h_copy128 : h_copy, slot(h), i)
        case .constant(let c): emit(h_const, slot(h), c)
        }
        operands[h] = .home
    }

    mutating func materialiseAll(from first: Int = 0) {
        var h = first
        while h < height { materialise(h); h += 1 }
    }

    /// Pops the top entry as a slot to read: a local's own slot, or the home slot (a constant
    /// is materialised there first).
    mutating func popSlot() -> UInt64 {
        let h = height - 1
        if case .local(let i) = operands[h] {
            operands.removeLast()
            return i
        }
        materialise(h)
        operands.removeLast()
        return slot(h)
    }

    /// Pops `n` entries materialised in their home slots; returns the first one's slot.
    mutating func popHome(_ n: Int) -> UInt64 {
        materialiseAll(from: height - n)
        operands.removeLast(n)
        return slot(height)
    }

    /// Makes the top `n` operands readable as consecutive values (branch/return values) and
    /// returns the slot of the first; a single local is read in place.
    mutating func valueSource(_ n: Int) -> UInt64 {
        if n == 1, case .local(let i) = operands[height - 1] { return i }
        materialiseAll(from: height - n)
        return slot(height - n)
    }

    /// The pending address computation producing the entry at height `h`, if any; the entry
    /// must be `.home` and written by the last instruction.
    func pendingAddress(at h: Int) -> PendingAddress? {
        guard let p = pendingAddress, p.dstHeight == h, operands[h] == .home else { return nil }
        return p
    }

    /// `local.set`/`local.tee`: stores the top operand into the local at slot `index`.
    mutating func setLocal(_ index: UInt64, tee: Bool) {
        let h = height - 1
        let top = operands[h]
        if localsWrittenSinceEntry != nil {
            if top == .constant(0), index >= parameterSlotCount, !localsWrittenSinceEntry!.contains(index) {
                // The local holds that zero already (`constant` is one slot: not a v128 local).
                operands.removeLast()
                if tee { push(top) }
                return
            }
            if localsWrittenSinceEntry!.count < Self.maxTrackedLocalWrites {
                localsWrittenSinceEntry!.append(index)
            } else {
                localsWrittenSinceEntry = nil
            }
        }
        let width = operands.width(h)
        let aliased = operands[..<h].contains(.local(index))
        if top == .home, !aliased, let w = lastResultWord, code[w] == slot(h) {
            // The producer writes the local directly.
            code[w] = index
            closeStraightLine()
            if code[w - 1] == word(h_i32AddImm), code[w + 1] == index { pendingStep = (w - 1, w + 3) }
        } else {
            // Pending reads of the local's old value are taken now.
            for k in 0..<h where operands[k] == .local(index) { materialise(k) }
            switch top {
            case .home: emit(width == 2 ? h_copy128 : h_copy, index, slot(h))
            case .local(let j): if j != index { emit(width == 2 ? h_copy128 : h_copy, index, j) }
            case .constant(let c): emit(h_const, index, c)
            }
        }
        operands.removeLast()
        if tee {
            if case .constant = top { push(top) } else { push(.local(index), width: width) }
        }
    }
}
