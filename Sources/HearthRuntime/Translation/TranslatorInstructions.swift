import HearthBinary

/// The per-instruction translation.
extension Translator {
    mutating func translate(_ instruction: Instruction) throws {
        if controls[controls.count - 1].isUnreachable {
            // Dead code: only structure matters until the enclosing block's else/end.
            switch instruction {
            case .block, .loop, .if: skipDepth += 1; return
            case .end where skipDepth > 0: skipDepth -= 1; return
            case .else where skipDepth == 0, .end: break
            case .exception(let e): if skipsInDeadCode(e) { return }
            default: return
            }
        }
        switch instruction {
        case .loop, .else, .end, .exception:
            // Where labels are bound (and exceptions land), paths join: no local is known any more.
            localsWrittenSinceEntry = nil
        default: break
        }
        switch instruction {
        case .unreachable: emit(h_unreachable); markUnreachable()
        case .nop: break
        case .block(let bt): enterBlock(.block, bt)
        case .loop(let bt): enterBlock(.loop, bt)
        case .if(let bt): enterIf(bt)
        case .else: enterElse()
        case .end: closeHandlerBlock(); endBlock()
        case .br(let depth):
            branch(depth: depth, condition: nil)
            markUnreachable()
        case .brIf(let depth):
            let condition = popCondition()
            branch(depth: depth, condition: condition)
        case .brTable(let table):
            emitBranchTable(table)
            markUnreachable()
        case .return:
            emitReturn()
            markUnreachable()
        case .call(let index): emitCall(index)
        case .callIndirect(let typeIndex, let table): emitCallIndirect(typeIndex, table: table)
        case .returnCall(let index):
            emitReturnCall(index)
            markUnreachable()
        case .returnCallIndirect(let typeIndex, let table):
            emitReturnCallIndirect(typeIndex, table: table)
            markUnreachable()
        case .callRef(let typeIndex): emitCallRef(typeIndex)
        case .returnCallRef(let typeIndex):
            emitReturnCallRef(typeIndex)
            markUnreachable()
        case .brOnNull(let depth): emitBranchOnNull(depth)
        case .brOnNonNull(let depth): emitBranchOnNonNull(depth)
        case .refAsNonNull: emitReferenceAsNonNull()
        case .gc(let gc): translate(gc)
        case .refEq: translateRefEq()
        case .wideArithmetic(let op):
            let base = popHome(op.operandCount)
            let handler: Handler
            switch op {
            case .add128: handler = h_i64Add128
            case .sub128: handler = h_i64Sub128
            case .mulWideS: handler = h_i64MulWideS
            case .mulWideU: handler = h_i64MulWideU
            }
            emit(handler, base)
            push(.home)
            push(.home)
        case .drop: operands.removeLast()
        case .select, .typedSelect:
            if operands.width(height - 2) == 2 {
                let condition = popSlot(), ifFalse = popSlot(), ifTrue = popSlot()
                emitResult(h_select128, [ifTrue, ifFalse, condition], width: 2)
                return
            }
            let producer = accumulatorProducer(at: height - 1)
            let condition = popSlot(), ifFalse = popSlot(), ifTrue = popSlot()
            let at = code.count
            emitResult(h_select, ifTrue, ifFalse, condition)
            linkAccumulator(producer: producer, consumer: at, word: 4)
        case .localGet(let i): push(.local(localSlot(i)), width: localWidth(i))
        case .localSet(let i): setLocal(localSlot(i), tee: false)
        case .localTee(let i): setLocal(localSlot(i), tee: true)
        case .globalGet(let i) where context.globalTypes[Int(i)] == .v128:
            emitResult(h_globalGet128, [pointer(context.globals[Int(i)])], width: 2)
        case .globalSet(let i) where context.globalTypes[Int(i)] == .v128:
            emit(h_globalSet128, popSlot(), pointer(context.globals[Int(i)]))
        case .globalGet(let i): emitResult(h_globalGet, pointer(context.globals[Int(i)]))
        case .globalSet(let i):
            let producer = accumulatorProducer(at: height - 1), at = code.count
            emit(h_globalSet, popSlot(), pointer(context.globals[Int(i)]))
            linkAccumulator(producer: producer, consumer: at, word: 1)
        case .tableGet(let t):
            // `[handler, dst/index, table]` works in place on the home slot.
            let index = popHome(1)
            checkIndex64(index, table: t)
            emit(h_tableGet, index, pointer(context.tables[Int(t)])); push(.home)
        case .tableSet(let t):
            let value = popSlot(), index = popSlot()
            checkIndex64(index, table: t)
            emit(h_tableSet, index, value, pointer(context.tables[Int(t)]))
        // A 64-bit table's size is the same number zero-extended: the 32-bit handler writes it.
        case .tableSize(let t): emitResult(h_tableSize, pointer(context.tables[Int(t)]))
        case .tableGrow(let t):
            let base = popHome(2)
            let grow: Handler = context.table64[Int(t)] ? h_tableGrow64 : h_tableGrow
            emit(grow, base, base + 1, pointer(context.tables[Int(t)])); push(.home)
        case .tableFill(let t):
            let count = popSlot(), value = popSlot(), index = popSlot()
            checkIndex64(index, table: t)
            checkIndex64(count, table: t)
            emit(h_tableFill, index, value, count, pointer(context.tables[Int(t)]))
        case .tableCopy(let d, let s):
            let count = popSlot(), src = popSlot(), dst = popSlot()
            checkIndex64(dst, table: d)
            checkIndex64(src, table: s)
            if context.table64[Int(d)] && context.table64[Int(s)] { checkIndex64(count, table: d) }
            emit(h_tableCopy, dst, src, count, pointer(context.tables[Int(d)]), pointer(context.tables[Int(s)]))
        case .tableInit(let e, let t):
            let count = popSlot(), src = popSlot(), dst = popSlot()
            checkIndex64(dst, table: t)
            emit(h_tableInit, dst, src, count, pointer(context.tables[Int(t)]), pointer(context.elements[Int(e)]))
        case .elemDrop(let e):
            emit(h_elemDrop, pointer(context.elements[Int(e)]))
        case .load(let op, let arg):
            withMemory(arg.memory) { t in
                var arg = arg
                if t.context.memory64[Int(arg.memory)] { t.checkAddress64(above: 0, offset: arg.offset, width: op.width); arg.offset = 0 }
                t.translateAccess(op, arg, isStore: false)
            }
        case .store(let op, let arg):
            withMemory(arg.memory) { t in
                var arg = arg
                if t.context.memory64[Int(arg.memory)] { t.checkAddress64(above: 1, offset: arg.offset, width: op.width); arg.offset = 0 }
                t.translateAccess(op, arg, isStore: true)
            }
        // A 64-bit memory's size is the same number zero-extended: the 32-bit handler writes it.
        case .memorySize(let mi): emitResult(h_memorySize, pointer(context.memories[Int(mi)]))
        case .memoryGrow(let mi):
            // `h_memoryGrow` reloads the registers from the memory it grew.
            let grow: Handler = context.memory64[Int(mi)] ? h_memoryGrow64 : h_memoryGrow
            withMemory(mi) { t in t.emit(grow, t.popHome(1), t.pointer(t.context.memories[Int(mi)])); t.push(.home) }
        case .memoryInit(let d, let mi):
            let count = popSlot(), src = popSlot(), dst = popSlot()
            let initialize: Handler = context.memory64[Int(mi)] ? h_memoryInit64 : h_memoryInit
            emit(initialize, dst, src, count, pointer(context.memories[Int(mi)]), pointer(context.data[Int(d)]))
        case .dataDrop(let d):
            emit(h_dataDrop, pointer(context.data[Int(d)]))
        case .memoryCopy(let d, let s):
            let count = popSlot(), src = popSlot(), dst = popSlot()
            let widths = (context.memory64[Int(d)] ? 1 : 0) | (context.memory64[Int(s)] ? 2 : 0)
            if widths == 0 {
                emit(h_memoryCopy, dst, src, count, pointer(context.memories[Int(d)]), pointer(context.memories[Int(s)]))
            } else {
                emit(h_memoryCopy64, dst, src, count, pointer(context.memories[Int(d)]), pointer(context.memories[Int(s)]),
                     UInt64(widths))
            }
        case .memoryFill(let mi):
            let count = popSlot(), value = popSlot(), dst = popSlot()
            let fill: Handler = context.memory64[Int(mi)] ? h_memoryFill64 : h_memoryFill
            emit(fill, dst, value, count, pointer(context.memories[Int(mi)]))
        case .i32Const(let v): push(.constant(UInt64(UInt32(bitPattern: v))))
        case .i64Const(let v): push(.constant(UInt64(bitPattern: v)))
        case .f32Const(let v): push(.constant(UInt64(v)))
        case .f64Const(let v): push(.constant(v))
        case .numeric(let op): translateNumeric(op)
        case .refNull: push(.constant(0))
        case .refIsNull: emitResult(h_i64Eqz, popSlot())  // a null reference is the word 0
        case .refFunc(let i): push(.constant(pointer(context.functions[Int(i)])))
        case .simd(let simd): try translateSIMD(simd)
        case .atomic(let atomic): translateAtomic(atomic)
        case .exception(let exception): translateException(exception)
        }
    }

    /// Emits `body`'s access to memory `index`: for a memory other than 0, between two
    /// `h_selectMemory` that point the memory registers at it and back at memory 0. (The first
    /// one also ends the straight line, so no fusion reaches across it.)
    mutating func withMemory(_ index: UInt32, _ body: (inout Translator) throws -> Void) rethrows {
        guard index != 0 else { return try body(&self) }
        emit(h_selectMemory, pointer(context.memories[Int(index)]))
        try body(&self)
        let keep = lastResultWord
        instructionStarts.append(code.count)
        code.append(word(h_selectMemory))
        code.append(pointer(context.memory0))
        // The access's result may still be retargeted by a following `local.set`.
        lastResultWord = keep
    }

    /// For a 64-bit table: traps (`kind`) when the i64 in `slot` exceeds 32 bits, so the 32-bit
    /// table handler after it reads the whole value. Nothing for a 32-bit table.
    mutating func checkIndex64(_ slot: UInt64, table: UInt32, kind: TrapKind = .tableOutOfBounds) {
        guard context.table64[Int(table)] else { return }
        emit(h_checkIndex64, slot, UInt64(kind.rawValue))
    }

    /// For an access to a 64-bit memory: replaces the i64 address (below the top `above`
    /// entries) by `address + offset`, checked against the memory with `width` bytes (and for
    /// an `atomic` access, its alignment first), in the address's home slot; the access then
    /// runs with offset 0 as on a 32-bit memory.
    mutating func checkAddress64(above: Int, offset: UInt64, width: Int, atomic: Bool = false) {
        var kept: [(Operand, Int)] = []
        for _ in 0..<above {
            kept.append((operands[height - 1], operands.width(height - 1)))
            operands.removeLast()
        }
        let address = popSlot()
        emit(atomic ? h_atomicAddress64 : h_address64, slot(height), address, offset, UInt64(width))
        push(.home)
        for (operand, width) in kept.reversed() { push(operand, width: width) }
    }

    /// Picks the operand form: fused-branch candidate for compares, constant-immediate form
    /// when one operand is a constant, else the slot form.
    mutating func translateNumeric(_ op: NumericOperator) {
        let (handler, isBinary) = numericHandler(op)
        guard isBinary else {
            let isConstant = operands[height - 1].isConstant
            let producer = accumulatorProducer(at: height - 1)
            let start = code.count
            let operand = popSlot()
            emitResult(handler, operand)
            linkAccumulator(producer: producer, consumer: start, word: 2)
            if (op == .i32Eqz || op == .i64Eqz) && !isConstant {
                pendingCompare = PendingCompare(start: start, compare: nil, is64: op == .i64Eqz, lhs: operand,
                                                rhs: 0, rhsIsImmediate: false, dstHeight: height - 1)
            }
            return
        }
        let rhs = operands[height - 1], lhs = operands[height - 2]
        if let (compare, is64) = intCompare(op) {
            translateCompare(handler, compare, is64: is64, lhs: lhs, rhs: rhs)
            return
        }
        if case .constant(let c) = rhs, let immediateForm = immediateHandler(op) {
            let producer = accumulatorProducer(at: height - 2)
            operands.removeLast()
            let start = code.count
            let l = popSlot()
            emitResult(immediateForm, l, c)
            linkAccumulator(producer: producer, consumer: start, word: 2)
            if op == .i32Add, !lhs.isConstant {
                pendingAddress = PendingAddress(start: start, base: l, index: 0, shift: 0, dstHeight: height - 1, constant: c)
            }
            if op == .i32Shl, !lhs.isConstant {
                pendingAddress = PendingAddress(start: start, base: nil, index: l, shift: c & 31, dstHeight: height - 1)
            }
            return
        }
        if case .constant(let c) = lhs, isCommutative(op), let immediateForm = immediateHandler(op) {
            let (start, r) = emitWithConstantLeft(immediateForm, c)
            if op == .i32Add {
                pendingAddress = PendingAddress(start: start, base: r, index: 0, shift: 0, dstHeight: height - 1, constant: c)
            }
            return
        }
        if case .constant(let c) = lhs, !rhs.isConstant, let reversed = reversedImmediateHandler(op) {
            emitWithConstantLeft(reversed, c)
            return
        }
        if op == .i32Add {
            translateAddress(lhs: lhs, rhs: rhs)
            return
        }
        emitBinary(handler)
    }

    /// `i32.add` of two non-constant operands: absorbs a shift just emitted for either one
    /// (`base + (index << k)`) and stays pending for a load or store to absorb in turn.
    private mutating func translateAddress(lhs: Operand, rhs: Operand) {
        var shifted = pendingAddress(at: height - 1)
        if shifted == nil, case .local = rhs { shifted = pendingAddress(at: height - 2) }
        if let p = shifted, p.base == nil {
            truncateCode(to: p.start)
            closeStraightLine()
            // The shifted operand's slot is free now; the other one is the base.
            let other: UInt64
            if p.dstHeight == height - 1 {
                operands.removeLast()
                other = popSlot()
            } else {
                other = popSlot()
                operands.removeLast()
            }
            emitResult(h_i32AddShl, other, p.index, p.shift)
            pendingAddress = PendingAddress(start: p.start, base: other, index: p.index, shift: p.shift,
                                            dstHeight: height - 1)
            return
        }
        let start = code.count
        let (l, r) = emitBinary(h_i32Add)
        pendingAddress = PendingAddress(start: start, base: l, index: r, shift: 0, dstHeight: height - 1)
    }

    /// A load or store, absorbing the address computation just before it when it can.
    mutating func translateAccess(_ op: MemoryOperator, _ arg: MemoryArgument, isStore: Bool) {
        let memory = pointer(context.memories[Int(arg.memory)])
        if let biased = biasedMemoryHandler(op) {
            if !isStore, let p = pendingAddress(at: height - 1), let base = p.base, let c = p.constant {
                truncateCode(to: p.start)
                closeStraightLine()
                operands.removeLast()
                emitResult(biased, base, c, arg.offset)
                return
            }
            if isStore, let (handler, value) = storedValue(biased),
               let p = pendingAddress(at: height - 2), let base = p.base, let c = p.constant {
                truncateCode(to: p.start)
                closeStraightLine()
                operands.removeLast(2)
                emit(handler, base, c, value, arg.offset)
                return
            }
        }
        if let indexed = indexedMemoryHandler(op) {
            if !isStore, let p = pendingAddress(at: height - 1), let base = p.base, p.constant == nil {
                truncateCode(to: p.start)
                closeStraightLine()
                operands.removeLast()
                emitResult(indexed, base, p.index, p.shift, arg.offset, memory)
                return
            }
            if isStore, let (handler, value) = storedValue(indexed),
               let p = pendingAddress(at: height - 2), let base = p.base, p.constant == nil {
                truncateCode(to: p.start)
                closeStraightLine()
                operands.removeLast(2)
                emit(handler, base, p.index, p.shift, value, arg.offset, memory)
                return
            }
        }
        if let absolute = absoluteMemoryHandler(op), !context.memory64[Int(arg.memory)],
           case .constant(let address) = operands[height - (isStore ? 2 : 1)] {
            // A global or static of C: the effective address is known now (at most 2^33).
            let ea = UInt64(UInt32(truncatingIfNeeded: address)) + arg.offset
            if !isStore {
                operands.removeLast()
                emitResult(absolute, ea)
            } else if case .constant(let value) = operands[height - 1], let handler = constantStoreHandlers[word(absolute)] {
                operands.removeLast(2)
                emit(handler, ea, value)
            } else {
                let producer = accumulatorProducer(at: height - 1)
                let value = popSlot(), at = code.count
                operands.removeLast()
                emit(absolute, ea, value)
                linkAccumulator(producer: producer, consumer: at, word: 2)
            }
            return
        }
        if isStore, case .constant(let value) = operands[height - 1],
           let handler = constantStoreHandlers[word(memoryHandler(op))] {
            // `p[i] = 0`: the constant is the instruction's word; only the address is an operand.
            let producer = accumulatorProducer(at: height - 2)
            operands.removeLast()
            let address = popSlot(), at = code.count
            emit(handler, address, value, arg.offset, memory)
            linkAccumulator(producer: producer, consumer: at, word: 1)
        } else if isStore {
            let (producer, word) = binaryAccumulatorOperand(right: 2, left: 1)
            let value = popSlot(), address = popSlot()
            let at = code.count
            emit(memoryHandler(op), address, value, arg.offset, memory)
            linkAccumulator(producer: producer, consumer: at, word: word)
        } else {
            let producer = accumulatorProducer(at: height - 1), at = code.count
            emitResult(memoryHandler(op), popSlot(), arg.offset, memory)
            linkAccumulator(producer: producer, consumer: at, word: 2)
        }
    }

    /// What a fused store of `handler` stores: a local's slot, or a constant with the store's
    /// constant form. Nil for any other value (it is in a slot the fusion cannot name).
    private func storedValue(_ handler: Handler) -> (Handler, UInt64)? {
        switch operands[height - 1] {
        case .local(let slot): return (handler, slot)
        case .constant(let value): return constantStoreHandlers[word(handler)].map { ($0, value) }
        default: return nil
        }
    }

    /// Emits the compare's value form and remembers it, so that a following `br_if`/`if` can
    /// replace it by one fused branch (the constant, if any, then becomes an immediate).
    private mutating func translateCompare(_ handler: Handler, _ compare: IntCompare, is64: Bool,
                                           lhs: Operand, rhs: Operand) {
        var fused = compare
        var immediate: UInt64?
        var swapped = false
        switch (lhs, rhs) {
        case (.constant, .constant):
            materialise(height - 2)
            immediate = { if case .constant(let c) = rhs { return c }; return nil }()
        case (_, .constant(let c)):
            immediate = c
        case (.constant(let c), _):
            fused = compare.swapped
            immediate = c
            swapped = true
        default:
            break
        }
        let start = code.count
        if let immediate {
            let producer = accumulatorProducer(at: swapped ? height - 1 : height - 2)
            // The slot operand is the right one when the operands were swapped.
            let operand: UInt64
            if swapped {
                operand = popSlot()
                operands.removeLast()
            } else {
                operands.removeLast()
                operand = popSlot()
            }
            let at = code.count
            emitResult(compareImmediateHandler(fused, is64: is64), operand, immediate)
            linkAccumulator(producer: producer, consumer: at, word: 2)
            pendingCompare = PendingCompare(start: start, compare: fused, is64: is64, lhs: operand, rhs: immediate,
                                            rhsIsImmediate: true, dstHeight: height - 1)
            return
        }
        let (l, r) = emitBinary(handler)
        pendingCompare = PendingCompare(start: start, compare: fused, is64: is64, lhs: l, rhs: r,
                                        rhsIsImmediate: false, dstHeight: height - 1)
    }

    /// Which operand of an instruction about to pop two may come from the accumulator: the top
    /// one (word `right`) or, when the top one emits nothing before the consumer reads it, the
    /// one below (word `left`). A constant materialised in between does not touch the accumulator.
    func binaryAccumulatorOperand(right: Int, left: Int) -> (Int?, Int) {
        if let p = accumulatorProducer(at: height - 1) { return (p, right) }
        if operands[height - 1] != .home, let p = accumulatorProducer(at: height - 2) { return (p, left) }
        return (nil, 0)
    }

    /// `[handler, dst, lhs, rhs]` on the two top operands, reading one from the accumulator when
    /// the instruction just before produced it; returns the operand words.
    @discardableResult
    mutating func emitBinary(_ handler: Handler) -> (UInt64, UInt64) {
        let (producer, word) = binaryAccumulatorOperand(right: 3, left: 2)
        let r = popSlot()
        let l = popSlot()
        let at = code.count
        emitResult(handler, l, r)
        linkAccumulator(producer: producer, consumer: at, word: word)
        return (l, r)
    }

    /// `[handler, dst, rhs, constant]` for a binary operator whose left operand is the constant
    /// `c`: the right operand (the top) may come from the accumulator. Returns (start, rhs slot).
    @discardableResult
    private mutating func emitWithConstantLeft(_ handler: Handler, _ c: UInt64) -> (Int, UInt64) {
        let producer = accumulatorProducer(at: height - 1)
        let start = code.count
        let r = popSlot()
        operands.removeLast()
        emitResult(handler, r, c)
        linkAccumulator(producer: producer, consumer: start, word: 2)
        return (start, r)
    }
}
