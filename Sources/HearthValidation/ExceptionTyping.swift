import HearthBinary

/// Typing of exception handling: the 3.0 instructions (`throw`, `throw_ref`, `try_table`) and
/// the legacy proposal's `try`/`catch`/`catch_all`/`delegate`/`rethrow`.
extension FunctionValidator {
    mutating func exception(_ instruction: ExceptionInstruction) throws(HearthError) {
        switch instruction {
        case .throw(let x):
            try popParameters(of: try tagSignature(x))
            markUnreachable()
        case .throwRef:
            try pop(.reference(nullable: true, heap: OperandType.Heap.exception))
            markUnreachable()
        case .tryTable(let type, let clauses):
            try checkBlockType(type)
            // Clause labels are resolved outside the try_table's own frame.
            for clause in clauses { try checkCatchClause(clause) }
            try pushControl(.block, type)
        case .try(let type): try pushControl(.legacyTry, type)
        case .catch(let x):
            let tag = try tagSignature(x)
            try enterLegacyHandler(.legacyCatch)
            for i in tag.parameters { push(c.signatures.pool[i]) }
        case .catchAll: try enterLegacyHandler(.legacyCatchAll)
        case .delegate(let depth):
            guard frames.last.kind == .legacyTry else { throw error("delegate without try") }
            let frame = try popControl()
            _ = try label(depth)
            push(types: frame.results)
            labelTypes.truncate(to: frame.typesStart)
        case .rethrow(let depth):
            let kind = try label(depth).kind
            guard kind == .legacyCatch || kind == .legacyCatchAll else { throw error("invalid rethrow label") }
            markUnreachable()
        }
    }

    /// The signature of tag `x`'s function type.
    mutating func tagSignature(_ x: UInt32) throws(HearthError) -> SignatureTable.Span {
        guard Int(x) < c.tags.count else { throw error("unknown tag \(x)") }
        return c.signatures[Int(c.tags[Int(x)])]
    }

    private mutating func popParameters(of signature: SignatureTable.Span) throws(HearthError) {
        var i = signature.parameters.upperBound
        while i > signature.start {
            i -= 1
            try pop(c.signatures.pool[i])
        }
    }

    /// What a clause hands its label (the payload, then `(ref exn)` for the `_ref` forms) must
    /// match the label's types.
    private mutating func checkCatchClause(_ clause: CatchClause) throws(HearthError) {
        var produced: [OperandType] = []
        if !clause.catchesAll {
            for i in try tagSignature(clause.tag).parameters { produced.append(c.signatures.pool[i]) }
        }
        if clause.passesReference { produced.append(.reference(nullable: false, heap: OperandType.Heap.exception)) }
        let types = try label(clause.label).labelTypes
        guard produced.count == types.count else { throw error("type mismatch") }
        for (k, t) in produced.enumerated() where !c.isSubtype(t, labelTypes[types.lowerBound + k]) {
            throw error("type mismatch")
        }
    }

    /// `catch`/`catch_all`: the previous part of the `try` must produce the block's results;
    /// the handler starts on an empty stack with the block's results still to produce.
    private mutating func enterLegacyHandler(_ kind: FrameKind) throws(HearthError) {
        let current = frames.last.kind
        guard current == .legacyTry || current == .legacyCatch else { throw error("catch without try") }
        let frame = try popControl()
        enter(kind, typesStart: frame.typesStart, parameterCount: frame.parameterCount, resultCount: frame.resultCount)
        // `enter` pushed the block's parameters; a handler starts with only the payload.
        operands.truncate(to: frames.last.height)
    }
}
