/// Exception handling (Wasm 3.0): the tag type, the instructions of the 3.0 form (`throw`,
/// `throw_ref`, `try_table`) and of the legacy form (`try`, `catch`, `catch_all`, `delegate`,
/// `rethrow`), and their decoding.

/// A tag's type: the function type (by index) whose parameters are the exception's payload;
/// it has no results. The attribute byte is always 0 ("exception").
public struct TagType: Hashable, Sendable {
    /// Index in the type section of the function type whose parameters are the payload.
    public var typeIndex: UInt32

    /// The tag type whose payload is the parameters of function type `typeIndex`.
    public init(typeIndex: UInt32) { self.typeIndex = typeIndex }
}

/// One handler clause of a `try_table`: which exceptions it catches and the label it branches to.
public struct CatchClause: Hashable, Sendable {
    /// The four handler forms; the raw value is the clause's kind byte in the binary.
    public enum Kind: UInt8, Hashable, Sendable {
        /// `catch x l`: exceptions of tag x; the label gets the payload.
        case `catch` = 0
        /// `catch_ref x l`: the payload and the exception reference.
        case catchRef = 1
        /// `catch_all l`: any exception; the label gets nothing.
        case catchAll = 2
        /// `catch_all_ref l`: any exception; the label gets the exception reference.
        case catchAllRef = 3
    }

    /// Which exceptions the clause catches and what it hands to its label.
    public var kind: Kind
    /// The tag index for `catch`/`catch_ref` (unused otherwise).
    public var tag: UInt32
    /// The label branched to on a catch, a relative depth counted from outside the `try_table`.
    public var label: UInt32

    /// A clause of `kind` branching to `label`; `tag` is read only by `catch` and `catch_ref`.
    public init(kind: Kind, tag: UInt32 = 0, label: UInt32) {
        self.kind = kind
        self.tag = tag
        self.label = label
    }

    /// Whether it catches every exception whatever its tag (`catch_all`, `catch_all_ref`).
    public var catchesAll: Bool { kind == .catchAll || kind == .catchAllRef }
    /// Whether the label also receives the caught exception as an `exnref` (the `_ref` forms).
    public var passesReference: Bool { kind == .catchRef || kind == .catchAllRef }
}

/// An exception-handling instruction (one case of `Instruction`, so the shared enum grows by one).
public enum ExceptionInstruction: Hashable, Sendable {
    /// `throw x` (0x08): payload from the stack.
    case `throw`(UInt32)
    /// `throw_ref` (0x0A): rethrows the exception reference on the stack (null traps).
    case throwRef
    /// `try_table bt catch*` (0x1F): a block whose exceptions go to the clauses' labels.
    case tryTable(BlockType, [CatchClause])
    // Legacy form (the pre-3.0 proposal, still in the testsuite's `legacy/` scripts).
    /// `try bt` (0x06)
    case `try`(BlockType)
    /// `catch x` (0x07): starts a handler for tag x.
    case `catch`(UInt32)
    /// `catch_all` (0x19)
    case catchAll
    /// `delegate l` (0x18): ends a `try` whose exceptions go to the handlers of label l.
    case delegate(UInt32)
    /// `rethrow l` (0x09): rethrows the exception caught by the catch block at label l.
    case rethrow(UInt32)
}

extension CodeReader {
    /// The exception-handling instruction with `opcode`, or nil when it is not one (or the
    /// features are not 3.0's).
    mutating func exceptionInstruction(_ opcode: UInt8) throws(HearthError) -> ExceptionInstruction? {
        guard features.version == .wasm3 else { return nil }
        switch opcode {
        case 0x06: return .try(try reader.blockType(features: features))
        case 0x07: return .catch(try reader.u32())
        case 0x08: return .throw(try reader.u32())
        case 0x09: return .rethrow(try reader.u32())
        case 0x0A: return .throwRef
        case 0x18: return .delegate(try reader.u32())
        case 0x19: return .catchAll
        case 0x1F:
            let type = try reader.blockType(features: features)
            let count = try reader.count()
            var clauses: [CatchClause] = []
            clauses.reserveCapacity(reader.reservation(for: count))
            for _ in 0..<count {
                let at = reader.position
                guard let kind = CatchClause.Kind(rawValue: try reader.byte()) else {
                    throw HearthError.decoding("malformed handler kind", at: at)
                }
                let tag = kind == .catch || kind == .catchRef ? try reader.u32() : 0
                clauses.append(CatchClause(kind: kind, tag: tag, label: try reader.u32()))
            }
            return .tryTable(type, clauses)
        default: return nil
        }
    }
}

extension ByteReader {
    /// `tagtype`: the attribute byte (0) and a type index.
    mutating func tagType() throws(HearthError) -> TagType {
        let at = position
        guard try byte() == 0 else { throw HearthError.decoding("malformed tag attribute", at: at) }
        return TagType(typeIndex: try u32())
    }
}
