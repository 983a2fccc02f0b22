import HearthBinary

/// The vector instructions. Every operand is read from its slot (a `v128` from two) and no
/// accumulator or immediate forms exist yet: a vector operator is always
/// `[handler, dst, operands..., immediates...]`, in the operator's operand order.
extension Translator {
    mutating func translateSIMD(_ instruction: SIMDInstruction) throws {
        switch instruction {
        case .constant(let bits):
            emitResult(h_v128Const, [bits.low, bits.high], width: 2)
        case .shuffle(let lanes):
            let b = popSlot(), a = popSlot()
            emitResult(h_i8x16Shuffle, [a, b, lanes.low, lanes.high], width: 2)
        case .plain(let op):
            try emitLaneOperation(op, lane: nil)
        case .lane(let op, let lane):
            try emitLaneOperation(op, lane: lane)
        case .memory(let op, var argument):
            let memory = pointer(context.memories[Int(argument.memory)])
            let handler = simdMemoryHandler(op)
            let is64 = context.memory64[Int(argument.memory)], offset = argument.offset
            if is64 { argument.offset = 0 }
            withMemory(argument.memory) { t in
                if is64 { t.checkAddress64(above: op.isStore ? 1 : 0, offset: offset, width: op.memoryWidth) }
                if op.isStore {
                    let value = t.popSlot(), address = t.popSlot()
                    t.emit(handler, address, value, argument.offset, memory)
                } else {
                    t.emitResult(handler, [t.popSlot(), argument.offset, memory], width: 2)
                }
            }
        case .memoryLane(let op, var argument, let lane):
            let memory = pointer(context.memories[Int(argument.memory)])
            let handler = simdMemoryHandler(op)
            let is64 = context.memory64[Int(argument.memory)], offset = argument.offset
            if is64 { argument.offset = 0 }
            withMemory(argument.memory) { t in
                if is64 { t.checkAddress64(above: 1, offset: offset, width: op.memoryWidth) }
                let vector = t.popSlot(), address = t.popSlot()
                if op.isStore {
                    t.emit(handler, address, vector, argument.offset, memory, UInt64(lane))
                } else {
                    t.emitResult(handler, [address, vector, argument.offset, memory, UInt64(lane)], width: 2)
                }
            }
        }
    }

    /// `[handler, dst, operands..., lane?]` for an operator taking its operands from the stack.
    private mutating func emitLaneOperation(_ op: SIMDOperator, lane: UInt8?) throws {
        guard let handler = simdHandler(op) else { throw HearthError.trap(.hostError, "unsupported: SIMD instruction \(op.textName)") }
        let signature = op.signature
        var words = [UInt64](repeating: 0, count: signature.operands.count)
        for k in words.indices.reversed() { words[k] = popSlot() }
        if let lane { words.append(UInt64(lane)) }
        emitResult(handler, words, width: signature.results[0].slotWidth)
    }
}

/// The handler of a memory-form vector operator (`SIMDForm.memory` / `.memoryLane`).
func simdMemoryHandler(_ op: SIMDOperator) -> Handler {
    switch op {
    case .v128Load: return h_v128Load
    case .v128Load8x8S: return h_v128Load8x8S
    case .v128Load8x8U: return h_v128Load8x8U
    case .v128Load16x4S: return h_v128Load16x4S
    case .v128Load16x4U: return h_v128Load16x4U
    case .v128Load32x2S: return h_v128Load32x2S
    case .v128Load32x2U: return h_v128Load32x2U
    case .v128Load8Splat: return h_v128Load8Splat
    case .v128Load16Splat: return h_v128Load16Splat
    case .v128Load32Splat: return h_v128Load32Splat
    case .v128Load64Splat: return h_v128Load64Splat
    case .v128Load32Zero: return h_v128Load32Zero
    case .v128Load64Zero: return h_v128Load64Zero
    case .v128Store: return h_v128Store
    case .v128Load8Lane: return h_v128Load8Lane
    case .v128Load16Lane: return h_v128Load16Lane
    case .v128Load32Lane: return h_v128Load32Lane
    case .v128Load64Lane: return h_v128Load64Lane
    case .v128Store8Lane: return h_v128Store8Lane
    case .v128Store16Lane: return h_v128Store16Lane
    case .v128Store32Lane: return h_v128Store32Lane
    case .v128Store64Lane: return h_v128Store64Lane
    default: preconditionFailure("\(op.textName) is not a memory-form operator")
    }
}
