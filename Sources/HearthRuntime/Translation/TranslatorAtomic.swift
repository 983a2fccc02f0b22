import HearthBinary

/// Translation of the threads proposal's 0xFE instructions (handlers: AtomicHandlers.swift).
///
/// An atomic access is translated like a plain load or store without the fused forms: memory k
/// is selected around it (`withMemory`) and a 64-bit memory's address is checked (alignment,
/// then bounds) and folded with the offset by `h_atomicAddress64` first. Operands come straight from their slots (locals in
/// place, constants materialised); no accumulator or immediate forms, atomics are rare.
extension Translator {
    mutating func translateAtomic(_ instruction: AtomicInstruction) {
        // One thread per store: its accesses are already ordered, so a fence has nothing to do.
        guard case .access(let op, let argument) = instruction else { return }
        let memory = Int(argument.memory)
        // Import matching requires the declared `shared` exactly, so the module's own type says it.
        let shared: UInt64 = context.module.allMemories[memory].limits.isShared ? 1 : 0
        withMemory(argument.memory) { t in
            var offset = argument.offset
            if t.context.memory64[memory] {
                t.checkAddress64(above: op.operandsAboveAddress, offset: offset, width: op.width, atomic: true)
                offset = 0
            } else {
                // Any offset of 2^32 or more traps on a memory of at most 4 GiB; clamping it keeps
                // the handler's `Int` address arithmetic from wrapping around.
                offset = min(offset, 1 << 32)
            }
            t.emitAtomic(op, offset: offset, shared: shared)
        }
    }

    private mutating func emitAtomic(_ op: AtomicOperator, offset: UInt64, shared: UInt64) {
        let handler = atomicHandler(op)
        switch op.kind {
        case .load:
            emitResult(handler, popSlot(), offset)
        case .store:
            let value = popSlot(), address = popSlot()
            emit(handler, address, value, offset)
        case .readModifyWrite, .notify:
            let value = popSlot(), address = popSlot()
            emitResult(handler, address, value, offset)
        case .compareExchange:
            let replacement = popSlot(), expected = popSlot(), address = popSlot()
            emitResult(handler, address, expected, replacement, offset)
        case .wait:
            let timeout = popSlot(), expected = popSlot(), address = popSlot()
            emitResult(handler, address, expected, timeout, offset, shared)
        }
    }
}

extension AtomicOperator {
    /// How many operands lie above the address on the stack.
    var operandsAboveAddress: Int {
        switch kind {
        case .load: return 0
        case .store, .readModifyWrite, .notify: return 1
        case .compareExchange, .wait: return 2
        }
    }
}
