import HearthBinary

/// Operand and result types of every SIMD operator, flattened from `SIMDOperator.signature`
/// once, so typing a vector instruction reads a table instead of building arrays.
struct SIMDSignatures: Sendable {
    struct Entry: Sendable {
        /// Operands, first operand first (at most three: `v128.bitselect`).
        var operands: (OperandType, OperandType, OperandType)
        var operandCount: Int
        /// `nil` for stores.
        var result: OperandType?
    }

    /// Indexed by sub-opcode (all below 0x120: relaxed SIMD ends at 0x113).
    private let entries: LookupTable<Entry>

    static let shared = SIMDSignatures()

    private init() {
        var entries = [Entry](repeating: Entry(operands: (.unknown, .unknown, .unknown), operandCount: 0, result: nil),
                              count: 0x120)
        for op in SIMDOperator.allCases {
            let (operands, results) = op.signature
            var types: [OperandType] = operands.map { OperandType($0) }
            types.append(contentsOf: repeatElement(.unknown, count: 3 - types.count))
            entries[Int(op.rawValue)] = Entry(operands: (types[0], types[1], types[2]),
                                              operandCount: operands.count,
                                              result: results.first.map { OperandType($0) })
        }
        self.entries = LookupTable(entries)
    }

    @inline(__always)
    subscript(op: SIMDOperator) -> Entry { entries[Int(op.rawValue)] }
}

/// The typing rules of the vector instructions.
extension FunctionValidator {
    mutating func simd(_ instruction: SIMDInstruction) throws(HearthError) {
        switch instruction {
        case .plain(let op):
            try simdOperands(SIMDSignatures.shared[op])
        case .lane(let op, let lane):
            guard lane < op.laneCount else { throw error("invalid lane index") }
            try simdOperands(SIMDSignatures.shared[op])
        case .constant:
            push(.v128)
        case .shuffle(let lanes):
            // Each index picks one of the 32 bytes of the two operands.
            for i in 0..<16 where lanes[byte: i] >= 32 { throw error("invalid lane index") }
            try pop(.v128)
            try pop(.v128)
            push(.v128)
        case .memory(let op, let argument):
            let at = try simdMemoryAccess(op, argument)
            if op.isStore { try pop(.v128) }
            try pop(at)
            if !op.isStore { push(.v128) }
        case .memoryLane(let op, let argument, let lane):
            let at = try simdMemoryAccess(op, argument)
            guard lane < op.laneCount else { throw error("invalid lane index") }
            try pop(.v128)
            try pop(at)
            if !op.isStore { push(.v128) }
        }
    }

    private mutating func simdOperands(_ entry: SIMDSignatures.Entry) throws(HearthError) {
        if entry.operandCount > 2 { try pop(entry.operands.2) }
        if entry.operandCount > 1 { try pop(entry.operands.1) }
        if entry.operandCount > 0 { try pop(entry.operands.0) }
        if let result = entry.result { push(result) }
    }

    /// The address type of the accessed memory, after checking the alignment against the
    /// access width (the natural alignment is the most allowed).
    private mutating func simdMemoryAccess(_ op: SIMDOperator, _ argument: MemoryArgument) throws(HearthError) -> OperandType {
        let at = try memoryAddressType(argument.memory)
        guard argument.alignLog2 <= op.maxAlignLog2 else {
            throw error("alignment must not be larger than natural")
        }
        try checkOffset(argument.offset, addressType: at)
        return at
    }
}
