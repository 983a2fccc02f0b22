import HearthBinary

/// The typing rules of the threads proposal's 0xFE instructions (Wasm 3.0).
///
/// Kept apart from `InstructionTyping.swift` and written only in terms of `pop`/`push` of the
/// numeric types and `memoryAddressType`, so it does not depend on how operand types are
/// represented. Atomics are valid on any memory, shared or not: only `wait` on an unshared
/// memory fails, and at run time.
extension FunctionValidator {
    mutating func atomic(_ instruction: AtomicInstruction) throws(HearthError) {
        guard case .access(let op, let argument) = instruction else { return }  // `atomic.fence`
        let address = try memoryAddressType(argument.memory)
        // Unlike a plain access, an atomic one may not claim a smaller alignment either.
        guard argument.alignLog2 == op.alignLog2 else { throw error("atomic alignment must be natural") }
        try checkOffset(argument.offset, addressType: address)
        switch op.kind {
        case .load:
            try pop(address)
            pushValue(op)
        case .store:
            try popValue(op)
            try pop(address)
        case .readModifyWrite:
            try popValue(op)
            try pop(address)
            pushValue(op)
        case .compareExchange:
            try popValue(op)
            try popValue(op)
            try pop(address)
            pushValue(op)
        case .notify:
            try pop(.i32)
            try pop(address)
            push(.i32)
        case .wait:
            try pop(.i64)
            try popValue(op)
            try pop(address)
            push(.i32)
        }
    }

    /// Pops the operator's value operand: i64 or i32.
    private mutating func popValue(_ op: AtomicOperator) throws(HearthError) {
        if op.is64 { try pop(.i64) } else { try pop(.i32) }
    }

    private mutating func pushValue(_ op: AtomicOperator) {
        if op.is64 { push(.i64) } else { push(.i32) }
    }
}
