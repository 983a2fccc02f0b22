import HearthBinary

/// Control flow and calls. Block entries materialise the whole virtual stack: a value left
/// virtual across a block could be materialised later on one path only. Branch values and
/// call arguments are materialised where the branch/call needs them in their home slots.
extension Translator {
    /// A branch condition: a slot holding an i32 (`producer`: the instruction just before can
    /// hand it over in the accumulator), or an integer test absorbed from the instruction just
    /// before, removed from the code (`accumulator`: that test read an operand from there).
    enum Condition {
        case slot(UInt64, producer: Int?)
        case test(PendingCompare, accumulator: AccumulatorLink?)
        /// A GC cast of the reference in the slot (`br_on_cast`), or its failure.
        case cast(UInt64, target: UInt64, id: UInt64, whenFails: Bool)
    }

    static func offsetWord(_ delta: Int) -> UInt64 { UInt64(bitPattern: Int64(delta)) }

    func blockSignature(_ type: BlockType) -> ([ValueType], [ValueType]) {
        switch type {
        case .empty: return ([], [])
        case .value(let t): return ([], [t])
        case .typeIndex(let i):
            let t = context.module.functionType(i)
            return (t.parameters, t.results)
        }
    }

    mutating func markUnreachable() {
        controls[controls.count - 1].isUnreachable = true
    }

    /// Pops the i32 condition on top, fusing with the compare that produced it when possible.
    mutating func popCondition() -> Condition {
        if let p = pendingCompare, operands.last == .home, height - 1 == p.dstHeight {
            // The branch takes over the compare's accumulator operand (`keepAccumulator`).
            var link: AccumulatorLink?
            if let l = accumulatorLink, l.consumer >= p.start { link = l; accumulatorLink = nil }
            truncateCode(to: p.start)
            // The compare is gone; a step before it is still the instruction before the branch.
            let step = pendingStep
            closeStraightLine()
            pendingStep = step
            operands.removeLast()
            return .test(p, accumulator: link)
        }
        let producer = accumulatorProducer(at: height - 1)
        return .slot(popSlot(), producer: producer)
    }

    /// Emits a conditional branch taken when `condition` holds (or fails, when `negate`);
    /// returns (instruction start, offset word) for patching.
    mutating func emitConditionalBranch(_ condition: Condition, negate: Bool) -> (Int, Int) {
        let start = code.count
        switch condition {
        case .cast(let s, let target, let id, let whenFails):
            emit(whenFails != negate ? h_brOnCastFail : h_brOnCast, s, target, id, 0)
            return (start, start + 4)
        case .slot(let s, let producer):
            if negate { emit(h_brUnless, s, 0) } else { emit(h_brIf, s, 0) }
            linkAccumulator(producer: producer, consumer: start, word: 1)
            return (start, start + 2)
        case .test(let p, let link):
            defer {
                // The compare's words 2, 3 are the branch's words 1, 2.
                if let link { keepAccumulator(link, consumer: start, word: link.word - 1) }
            }
            guard let compare = p.compare else {
                // eqz: branch when the operand is zero (or non-zero, negated).
                switch (p.is64, negate) {
                case (false, false): emit(h_brUnless, p.lhs, 0)
                case (false, true): emit(h_brIf, p.lhs, 0)
                case (true, false): emit(h_brI64Eqz, p.lhs, 0)
                case (true, true): emit(h_brI64Nez, p.lhs, 0)
                }
                return (start, start + 2)
            }
            emit(fusedBranchHandler(negate ? compare.negated : compare, is64: p.is64, immediate: p.rhsIsImmediate),
                 p.lhs, p.rhs, 0)
            return (start, start + 3)
        }
    }

    /// Emits a branch to the label `depth` levels out, with the value moves it needs.
    /// `condition` makes it a `br_if` (its condition already popped).
    mutating func branch(depth: UInt32, condition: Condition?) {
        let index = controls.count - 1 - Int(depth)
        let label = controls[index]
        let arity = label.kind == .function ? type.results.count : label.labelArity
        // Values go first, before any conditional jump: both paths then see them at home.
        let src = valueSource(arity)
        let slots = slotCount(ofTop: arity)
        let needsCopy = label.kind != .function && arity > 0 && src != slot(label.baseHeight)
        if let condition, label.kind == .function || needsCopy {
            // Rare: jump over an unconditional branch-with-moves when the condition fails.
            let (start, at) = emitConditionalBranch(condition, negate: true)
            emitBranch(label: index, slots: slots, src: src, needsCopy: needsCopy)
            code[at] = Self.offsetWord(code.count - start)
            return
        }
        if let condition {
            let (start, at) = emitConditionalBranch(condition, negate: false)
            link(start: start, word: at, label: index)
            return
        }
        emitBranch(label: index, slots: slots, src: src, needsCopy: needsCopy)
    }

    /// `slots`: how many slots the branch values take (a `v128` takes two).
    private mutating func emitBranch(label index: Int, slots: Int, src: UInt64, needsCopy: Bool) {
        let label = controls[index]
        if label.kind == .function {
            emit(h_return, src, UInt64(slots))
            return
        }
        let start = code.count
        if needsCopy {
            emit(h_brCopy, 0, src, slot(label.baseHeight), UInt64(slots))
        } else {
            emit(h_br, 0)
        }
        link(start: start, word: start + 1, label: index)
    }

    /// Points the offset word at the label: now for loops, at `end` for the others.
    /// A branch back to a loop becomes its backward form when it has one: that polls when
    /// taken and lands after the header's `h_poll`, saving a dispatch per iteration.
    private mutating func link(start: Int, word: Int, label index: Int) {
        if controls[index].kind == .loop {
            var target = controls[index].loopStart
            if let backward = backwardBranchHandlers[code[start]] {
                code[start] = HearthRuntime.word(backward)
                target += 1
                // An in-place add just before (`i += k`): the add becomes the stepped branch,
                // whose words are the add's then this branch's (its offset still counted from
                // this branch's handler word, which stays, unread).
                if let step = pendingStep, step.end == start, code[step.start] == HearthRuntime.word(h_i32AddImm),
                   let stepped = steppedBranchHandlers[code[start]] {
                    code[step.start] = HearthRuntime.word(stepped)
                    // The branch was the last instruction emitted.
                    if instructionStarts.last == start { instructionStarts.removeLast() }
                    pendingStep = nil
                }
            }
            code[word] = Self.offsetWord(target - start)
        } else {
            controls[index].pendingBranches.append((start, word))
        }
    }

    mutating func emitReturn() {
        let n = type.results.count
        emit(h_return, valueSource(n), UInt64(slotCount(ofTop: n)))
    }

    mutating func emitBranchTable(_ table: BranchTable) {
        let index = popSlot()
        let targets = table.targets + [table.defaultTarget]
        let first = controls[controls.count - 1 - Int(table.defaultTarget)]
        let arity = first.kind == .function ? type.results.count : first.labelArity
        let src = valueSource(arity)
        let start = code.count
        let slots = slotCount(ofTop: arity)
        emit(slots == 0 ? h_brTable : h_brTableCopy, index, UInt64(table.targets.count), src, UInt64(slots))
        var returnPatches: [Int] = []
        for depth in targets {
            let labelIndex = controls.count - 1 - Int(depth)
            let label = controls[labelIndex]
            let entry = code.count
            if label.kind == .function {
                // Results go to slots 0... directly; then jump to a shared `return`.
                code.append(0); code.append(0)
                returnPatches.append(entry)
            } else {
                code.append(label.kind == .loop ? Self.offsetWord(label.loopStart - start) : 0)
                code.append(slot(label.baseHeight))
                if label.kind != .loop { controls[labelIndex].pendingBranches.append((start, entry)) }
            }
        }
        if !returnPatches.isEmpty {
            // The table already moved the values to slot 0: the shared return moves nothing.
            let returnAt = code.count
            emit(h_return, 0, 0)
            for entry in returnPatches { code[entry] = Self.offsetWord(returnAt - start) }
        }
    }

    // MARK: Structured instructions

    mutating func enterBlock(_ kind: Control.Kind, _ blockType: BlockType) {
        closeStraightLine()
        let (p, r) = blockSignature(blockType)
        materialiseAll()
        controls.append(Control(kind: kind, baseHeight: height - p.count, parameters: p, results: r,
                                loopStart: code.count))
        // Every back edge lands on this poll, so a loop cannot run forever unstoppably.
        if kind == .loop { emit(h_poll) }
    }

    mutating func enterIf(_ blockType: BlockType) {
        let (p, r) = blockSignature(blockType)
        let condition = popCondition()
        materialiseAll()
        let jump = emitConditionalBranch(condition, negate: true)
        closeStraightLine()
        var control = Control(kind: .if, baseHeight: height - p.count, parameters: p, results: r)
        control.elseJump = jump
        controls.append(control)
    }

    mutating func enterElse() {
        closeStraightLine()
        var control = controls.removeLast()
        if !control.isUnreachable {
            materialiseAll(from: control.baseHeight)
            let start = code.count
            emit(h_br, 0)
            control.pendingBranches.append((start, start + 1))
        }
        if let (start, at) = control.elseJump { code[at] = Self.offsetWord(code.count - start) }
        control.elseJump = nil
        control.isUnreachable = false
        resetHeight(base: control.baseHeight, pushing: control.parameters)
        controls.append(control)
        closeStraightLine()
    }

    mutating func endBlock() {
        closeStraightLine()
        let control = controls.removeLast()
        if control.kind == .function {
            if !control.isUnreachable { emitReturn() }
            return
        }
        if !control.isUnreachable { materialiseAll(from: control.baseHeight) }
        let here = code.count
        for (start, at) in control.pendingBranches { code[at] = Self.offsetWord(here - start) }
        if let (start, at) = control.elseJump { code[at] = Self.offsetWord(here - start) }
        resetHeight(base: control.baseHeight, pushing: control.results)
        closeStraightLine()
    }

    // MARK: Calls

    /// Arguments end up in their home slots, where the callee's frame starts; those still in
    /// one-slot locals or constants are moved there by the call itself (`h_callMoving`).
    /// Operands below stay virtual: the callee cannot write this frame's locals.
    mutating func emitCall(_ index: UInt32) {
        let callee = context.module.functionType(context.functionTypeIndices[Int(index)])
        let moves = argumentMoves(callee.parameters.count)
        let argBase = popHome(callee.parameters.count)
        let target = [pointer(context.functions[Int(index)]), argBase, pointer(context.memory0)]
        if let moves {
            emit(h_callMoving, moves + target + [UInt64(moves.count + target.count + 2)])
        } else {
            emit(h_call, target)
        }
        for t in callee.results { push(.home, width: t.slotWidth) }
    }

    /// The move words (`[slotMoves, constantMoves, (dst, src)*, (dst, constant)*]`) of a call
    /// whose top `count` operands are its arguments, those operands now marked home; nil when
    /// every argument is already in its slot.
    private mutating func argumentMoves(_ count: Int) -> [UInt64]? {
        var slotMoves: [UInt64] = [], constantMoves: [UInt64] = []
        for h in (height - count)..<height where operands.width(h) == 1 {
            switch operands[h] {
            case .home: continue
            case .local(let i): slotMoves += [slot(h), i]
            case .constant(let c): constantMoves += [slot(h), c]
            }
            operands[h] = .home
        }
        if slotMoves.isEmpty && constantMoves.isEmpty { return nil }
        return [UInt64(slotMoves.count / 2), UInt64(constantMoves.count / 2)] + slotMoves + constantMoves
    }

    /// A tail call: the arguments move down to slot 0 and the callee runs in this frame, under
    /// this function's control entry, so tail-recursive code runs in constant stack.
    mutating func emitReturnCall(_ index: UInt32) {
        let callee = context.module.functionType(context.functionTypeIndices[Int(index)])
        let argBase = popHome(callee.parameters.count)
        emit(h_returnCall, pointer(context.functions[Int(index)]), argBase, UInt64(callee.parameterSlots),
             pointer(context.memory0))
        // Where a host callee, called normally, returns to.
        emit(h_return, argBase, UInt64(callee.resultSlots))
    }

    mutating func emitReturnCallIndirect(_ typeIndex: UInt32, table: UInt32) {
        let callee = context.module.functionType(typeIndex)
        let index = popSlot()
        checkIndex64(index, table: table, kind: .undefinedElement)
        let argBase = popHome(callee.parameters.count)
        emit(h_returnCallIndirect, pointer(context.tables[Int(table)]), UInt64(context.typeIDs[Int(typeIndex)]),
             index, argBase, UInt64(callee.parameterSlots), pointer(context.memory0))
        emit(h_return, argBase, UInt64(callee.resultSlots))
    }

    /// `call_ref $t`: the reference is on top, above the arguments.
    mutating func emitCallRef(_ typeIndex: UInt32) {
        let callee = context.module.functionType(typeIndex)
        let reference = popSlot()
        let argBase = popHome(callee.parameters.count)
        emit(h_callRef, reference, argBase, pointer(context.memory0))
        for t in callee.results { push(.home, width: t.slotWidth) }
    }

    mutating func emitReturnCallRef(_ typeIndex: UInt32) {
        let callee = context.module.functionType(typeIndex)
        let reference = popSlot()
        let argBase = popHome(callee.parameters.count)
        emit(h_returnCallRef, reference, argBase, UInt64(callee.parameterSlots), pointer(context.memory0))
        emit(h_return, argBase, UInt64(callee.resultSlots))
    }

    /// `br_on_null l`: the reference is popped for the branch (the label's values are below
    /// it) and comes back when it is not null. References are whole words, so the test is a
    /// 64-bit one.
    mutating func emitBranchOnNull(_ depth: UInt32) {
        let operand = operands[height - 1]
        let reference = popSlot()
        branch(depth: depth, condition: .test(Self.nullTest(reference, isNull: true), accumulator: nil))
        push(operand.isLocal ? operand : .home)
    }

    /// `br_on_non_null l`: the reference is the label's last value; on null it is dropped.
    mutating func emitBranchOnNonNull(_ depth: UInt32) {
        let operand = operands[height - 1]
        let reference = popSlot()
        push(operand.isLocal ? operand : .home)
        branch(depth: depth, condition: .test(Self.nullTest(reference, isNull: false), accumulator: nil))
        operands.removeLast()
    }

    /// `ref.as_non_null`: a check in place.
    mutating func emitReferenceAsNonNull() {
        let operand = operands[height - 1]
        let reference = popSlot()
        emit(h_refAsNonNull, reference)
        push(operand.isLocal ? operand : .home)
    }

    private static func nullTest(_ slot: UInt64, isNull: Bool) -> PendingCompare {
        PendingCompare(start: 0, compare: isNull ? nil : .ne, is64: true, lhs: slot, rhs: 0,
                       rhsIsImmediate: !isNull, dstHeight: 0)
    }

    /// Like `emitCall`: arguments in locals or constants are moved by the call
    /// (`h_callIndirectMoving`).
    mutating func emitCallIndirect(_ typeIndex: UInt32, table: UInt32) {
        let callee = context.module.functionType(typeIndex)
        let index = popSlot()
        checkIndex64(index, table: table, kind: .undefinedElement)
        let moves = argumentMoves(callee.parameters.count)
        let argBase = popHome(callee.parameters.count)
        let target = [pointer(context.tables[Int(table)]), UInt64(context.typeIDs[Int(typeIndex)]), index, argBase,
                      pointer(context.memory0)]
        if let moves {
            emit(h_callIndirectMoving, moves + target + [UInt64(moves.count + target.count + 2)])
        } else {
            emit(h_callIndirect, target)
        }
        for t in callee.results { push(.home, width: t.slotWidth) }
    }
}
