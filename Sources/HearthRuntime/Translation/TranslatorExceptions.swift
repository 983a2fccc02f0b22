import HearthBinary

/// The handler scopes of the function being translated: the table under construction and the
/// blocks whose handlers cover the code being emitted.
struct HandlerScopes {
    var table = HandlerTable()
    /// Open scopes (their handlers protect the code emitted now), innermost last: the control
    /// index of the block and its table entry.
    var open: [(control: Int, entry: Int)] = []
    /// Legacy `try` blocks by control index: their entry, and whether a `catch` has begun
    /// (the protected part is then over).
    var legacy: [Int: (entry: Int, inHandler: Bool)] = [:]
}

/// Translation of exception handling.
///
/// - `try_table`: the catch clauses become *landing pads* emitted before the body (jumped
///   over on entry): each is an ordinary branch to the clause's label, emitted with the payload
///   (and `exnref`) as the top operands at their home slots above the block's base. The
///   unwinder writes the payload there and jumps to the pad, so the branch does the value moves,
///   loop polling and returns as any branch does.
/// - Legacy `try`: the handlers follow the protected part inline. A handler starts with a
///   hidden operand, the caught `exnref` (`rethrow` reads it), then the payload; at its end the
///   results are moved down to the block's base by a branch to the block's own label.
/// - `delegate l`: an entry without clauses that sends the search to the handlers around
///   label l (or out of the function).
extension Translator {
    mutating func translateException(_ instruction: ExceptionInstruction) {
        switch instruction {
        case .throw(let x):
            let type = context.tagTypes[Int(x)]
            let payload = popHome(type.parameters.count)
            emit(h_throw, pointer(context.tags[Int(x)]), payload, UInt64(type.parameterSlots))
            markUnreachable()
        case .throwRef:
            emit(h_throwRef, popSlot())
            markUnreachable()
        case .rethrow(let depth):
            // The catch block's hidden exception slot, at its base.
            emit(h_throwRef, slot(controls[controls.count - 1 - Int(depth)].baseHeight))
            markUnreachable()
        case .tryTable(let type, let clauses): enterTryTable(type, clauses)
        case .try(let type):
            enterBlock(.block, type)
            handlers.legacy[controls.count - 1] = (openScope(clauses: []), false)
        case .catch(let x): beginLegacyHandler(tag: x)
        case .catchAll: beginLegacyHandler(tag: nil)
        case .delegate(let depth): delegate(depth)
        }
    }

    /// In dead code, only the block structure matters: returns whether to skip the instruction.
    mutating func skipsInDeadCode(_ instruction: ExceptionInstruction) -> Bool {
        switch instruction {
        case .tryTable, .try:
            skipDepth += 1
            return true
        case .delegate:
            guard skipDepth > 0 else { return false }
            skipDepth -= 1
            return true
        case .catch, .catchAll: return skipDepth > 0
        case .throw, .throwRef, .rethrow: return true
        }
    }

    /// At every `end`, before the block is closed: ends the handler scope the block opened.
    mutating func closeHandlerBlock() {
        let index = controls.count - 1
        if let legacy = handlers.legacy[index] {
            if legacy.inHandler { finishLegacyHandler() } else { _ = closeScope() }
            handlers.legacy[index] = nil
        } else if handlers.open.last?.control == index {
            _ = closeScope()
        }
    }

    // MARK: Scopes

    /// Opens a handler entry for the innermost control, starting at the current code.
    private mutating func openScope(clauses: [HandlerTable.Clause]) -> Int {
        let id = handlers.table.entries.count
        handlers.table.entries.append(HandlerTable.Entry(range: code.count..<code.count, clauses: clauses,
                                                         parent: handlers.open.last?.entry ?? -1, delegate: nil))
        handlers.open.append((controls.count - 1, id))
        return id
    }

    /// Closes the innermost open scope at the current code; returns its entry.
    private mutating func closeScope() -> Int {
        let id = handlers.open.removeLast().entry
        handlers.table.entries[id].range = handlers.table.entries[id].range.lowerBound..<code.count
        return id
    }

    // MARK: try_table

    private mutating func enterTryTable(_ type: BlockType, _ clauses: [CatchClause]) {
        closeStraightLine()
        materialiseAll()
        let parameterCount = blockSignature(type).0.count
        let base = height - parameterCount
        // Without clauses there are no pads to jump over.
        let skip = clauses.isEmpty ? nil : code.count
        if skip != nil { emit(h_br, 0) }
        let saved = operands
        var entries: [HandlerTable.Clause] = []
        for clause in clauses {
            operands = saved
            operands.removeLast(parameterCount)
            var payloadSlots = 0
            if !clause.catchesAll {
                for t in context.tagTypes[Int(clause.tag)].parameters {
                    push(.home, width: t.slotWidth)
                    payloadSlots += t.slotWidth
                }
            }
            if clause.passesReference { push(.home) }
            let landing = code.count
            closeStraightLine()
            branch(depth: clause.label, condition: nil)
            entries.append(HandlerTable.Clause(
                tag: clause.catchesAll ? 0 : pointer(context.tags[Int(clause.tag)]), landing: landing,
                payloadSlot: Int(slot(base)), referenceSlot: clause.passesReference ? Int(slot(base)) + payloadSlots : -1))
        }
        operands = saved
        if let skip { code[skip + 1] = Self.offsetWord(code.count - skip) }
        closeStraightLine()
        enterBlock(.block, type)
        _ = openScope(clauses: entries)
    }

    // MARK: Legacy try

    /// `catch x` / `catch_all`: ends the protected part (or the previous handler) and starts a
    /// handler on the hidden `exnref` and the payload.
    private mutating func beginLegacyHandler(tag: UInt32?) {
        let index = controls.count - 1
        guard var legacy = handlers.legacy[index] else { return }
        if legacy.inHandler {
            finishLegacyHandler()
        } else {
            closeStraightLine()
            if !controls[index].isUnreachable {
                materialiseAll(from: controls[index].baseHeight)
                let start = code.count
                emit(h_br, 0)
                controls[index].pendingBranches.append((start, start + 1))
            }
            _ = closeScope()
            legacy.inHandler = true
            handlers.legacy[index] = legacy
        }
        let base = controls[index].baseHeight
        controls[index].isUnreachable = false
        resetHeight(base: base, pushing: [])
        push(.home)
        for t in tag.map({ context.tagTypes[Int($0)].parameters }) ?? [] { push(.home, width: t.slotWidth) }
        closeStraightLine()
        let clause = HandlerTable.Clause(tag: tag.map { pointer(context.tags[Int($0)]) } ?? 0, landing: code.count,
                                         payloadSlot: Int(slot(base)) + 1, referenceSlot: Int(slot(base)))
        handlers.table.entries[legacy.entry].clauses.append(clause)
    }

    /// The end of a handler's code: its results move down over the hidden slot to the block's
    /// base, by a branch to the block's end.
    private mutating func finishLegacyHandler() {
        guard !controls[controls.count - 1].isUnreachable else { return }
        branch(depth: 0, condition: nil)
        markUnreachable()
    }

    /// `delegate l`: closes the `try`; its exceptions go to the handlers around label l.
    private mutating func delegate(_ depth: UInt32) {
        let index = controls.count - 1
        let entry = closeScope()
        handlers.legacy[index] = nil
        let label = index - 1 - Int(depth)
        handlers.table.entries[entry].delegate = handlers.open.last(where: { $0.control <= label })?.entry ?? -1
        endBlock()
    }
}
