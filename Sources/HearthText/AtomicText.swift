import HearthBinary

/// The threads proposal's instructions in the text format: `atomic.fence`, and the atomic
/// operators with `memidx? offset=? align=?` like plain loads and stores (align defaults to
/// the natural alignment, the only valid one).
extension ModuleParser {
    /// The atomic instruction `name` with its immediates, or nil when `name` is not one.
    func parseAtomic(_ name: String) throws -> AtomicInstruction? {
        if name == "atomic.fence" { return .fence }
        guard let op = AtomicOperator.byTextName[name] else { return nil }
        let memory = try optionalIndex(memorySpace)
        return .access(op, try parseMemoryArgument(naturalAlignLog2: op.alignLog2, memory: memory))
    }
}

extension BinaryWriter {
    /// A 0xFE-prefixed instruction: sub-opcode, then the memory argument (`atomic.fence`: its
    /// reserved zero byte).
    mutating func atomicInstruction(_ atomic: AtomicInstruction) {
        byte(0xFE)
        switch atomic {
        case .fence:
            u32(0x03)
            byte(0x00)
        case .access(let op, let argument):
            u32(op.rawValue)
            memoryArgument(argument)
        }
    }
}
