import HearthBinary

/// Runs one instruction on its own, for the enumeration test of the generated forms: the test
/// runs every form and its plain instruction on the same inputs and compares what they did.
package struct InstructionRun: Equatable, Sendable {
    /// The frame after the instruction.
    package var frame: [UInt64]
    /// The memory after the instruction.
    package var memory: [UInt8]
    /// The global cell's value after the instruction.
    package var global: UInt64
    /// The integer accumulator the instruction passed on.
    package var accumulator: UInt64
    /// The float accumulator the instruction passed on, as bits.
    package var floatAccumulator: UInt64
    /// For a branch: whether it was taken.
    package var taken: Bool
    /// The trap it raised, if any.
    package var trap: TrapKind?
    /// Fuel left.
    package var fuel: Int
}

/// A store to run single instructions in (see `run`).
package struct InstructionHarness {
    private let store = Store(engine: Engine())

    /// A harness with a store of its own.
    package init() {}

    /// Runs `description`'s handler once with `words` as its operand words, over a copy of
    /// `frame`, `memory` and a global cell holding `global`, with the bits `accumulator` in
    /// both accumulator registers and `fuel` units of fuel. The `.memory`, `.global` and `.branch`
    /// words are filled in here (the memory cell is unused by memory-0 accesses; the global
    /// word points at the cell; the branch word at a second exit that reports "taken"; an
    /// unused word is left as given).
    package func run(_ description: InstructionDescription, words: [UInt64], frame: [UInt64],
                            memory: [UInt8], global: UInt64, accumulator: UInt64, fuel: Int) -> InstructionRun {
        precondition(words.count == description.words.count)
        let st = store.state
        let exitWords = 3
        var code = [description.handler] + words
        let fallingThrough = code.count
        code += [word(h_exitForTesting), UInt64(frame.count), 0]
        code += [word(h_exitForTesting), UInt64(frame.count), 1]
        let cell = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        defer { cell.deallocate() }
        cell.initialize(repeating: 0, count: 2)
        cell[0] = global
        for (i, word) in description.words.enumerated() {
            switch word {
            case .global: code[i + 1] = UInt64(UInt(bitPattern: cell))
            case .branch: code[i + 1] = UInt64(fallingThrough + exitWords - description.branchBase)
            case .memory: code[i + 1] = 0
            default: break
            }
        }
        var slots = frame + [0, 0, 0]
        var bytes = memory
        let savedFuel = st.pointee.fuel
        st.pointee.fuel = fuel
        st.pointee.trap = 0
        code.withUnsafeBufferPointer { code in
            slots.withUnsafeMutableBufferPointer { slots in
                bytes.withUnsafeMutableBytes { bytes in
                    HearthRuntime.run(code.baseAddress!, slots.baseAddress!, bytes.baseAddress!, bytes.count, st, accumulator,
                                       Double(bitPattern: accumulator))
                }
            }
        }
        let trap = st.pointee.trap == 0 ? nil : TrapKind(rawValue: st.pointee.trap)
        let result = InstructionRun(frame: Array(slots[..<frame.count]), memory: bytes, global: cell[0],
                                    accumulator: trap == nil ? slots[frame.count] : 0,
                                    floatAccumulator: trap == nil ? slots[frame.count + 2] : 0,
                                    taken: slots[frame.count + 1] == 1, trap: trap, fuel: st.pointee.fuel)
        st.pointee.fuel = savedFuel
        st.pointee.trap = 0
        return result
    }
}

/// `[handler, slot, marker]`: leaves the handler chain, writing the integer accumulator to
/// `slot`, `marker` to the slot after it (which exit was reached) and the float accumulator's
/// bits to the slot after that.
func h_exitForTesting(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    fp[imm(pc, 1)] = acc
    fp[imm(pc, 1) + 1] = pc[2]
    fp[imm(pc, 1) + 2] = facc.bitPattern
}
