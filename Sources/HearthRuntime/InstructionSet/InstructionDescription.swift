/// What the instruction set generator knows of one handler: the words after its handler word
/// and which form of which instruction it is. The disassembler prints code with it; the
/// enumeration test runs every form against its plain instruction with it.
package struct InstructionDescription: Sendable {
    /// What one operand word holds, with the view the handler reads a slot or constant as.
    package enum Word: Equatable, Sendable {
        /// The frame slot the result goes to.
        case destination(View)
        /// A frame slot the instruction reads.
        case source(View)
        /// A value stored in the word.
        case constant(View)
        /// A memory offset.
        case offset
        /// The address of a memory cell.
        case memory
        /// The address of a global's cell.
        case global
        /// A branch offset in words, relative to the branch's handler word (`branchBase`).
        case branch
        /// A word the handler does not read: the second instruction's handler word, in a stepped
        /// branch or a fused pair.
        case unused
    }

    /// How a slot or constant is read.
    package enum View: String, Sendable {
        case i32, i64, f32, f64, s32, s64, raw
    }

    /// The handler's instruction word.
    package let handler: UInt64
    /// The handler's name (`h_i32Add_a2`).
    package let name: String
    /// The instruction word of the plain form, which this one must agree with.
    package let plain: UInt64
    /// The words after the handler word, word 1 first.
    package let words: [Word]
    /// The word whose source this form takes from the accumulator instead of its slot.
    package let accumulatorOperand: Int?
    /// Whether this form leaves its result in the accumulator instead of its destination slot.
    package let resultInAccumulator: Bool
    /// Whether the accumulator it leaves its result in is the float one (`facc`) rather than
    /// the integer one (`acc`).
    package let resultInFloatAccumulator: Bool
    /// Whether this is the backward form of a branch (it polls fuel and interrupts when taken).
    package let backward: Bool
    /// Whether this is a stepped backward branch: `h_i32AddImm`'s words, then the branch's.
    package let stepped: Bool
    /// For a fused pair: the producer's plain instruction word. The words are the producer's,
    /// one unread word, the consumer's (`plain` is the consumer); `accumulatorOperand` is the
    /// consumer's word that takes the producer's result, counted in the consumer's words, and
    /// `resultInAccumulator` says where the consumer's result goes.
    package let producer: UInt64?
    /// For an adjacent pair: the two instructions it runs one after the other (their handler
    /// words). The words are the first's, one unread word, the second's; `plain` is the second's
    /// plain instruction.
    package let sequence: (first: UInt64, second: UInt64)?

    /// `words` spells the words as the generated table does: `destination.i32 source.s32
    /// constant.raw offset memory global branch`, space-separated (a string, so the table of a
    /// thousand entries stays cheap to type-check).
    init(_ handler: Handler, _ name: String, plain: Handler, words: String, accumulatorOperand: Int?,
         resultInAccumulator: Bool, resultInFloatAccumulator: Bool, backward: Bool, stepped: Bool, producer: Handler? = nil,
         sequence: (Handler, Handler)? = nil) {
        self.handler = HearthRuntime.word(handler)
        self.name = name
        self.plain = HearthRuntime.word(plain)
        self.words = words.split(separator: " ").map { token -> Word in
            let parts = token.split(separator: ".")
            let view = parts.count == 2 ? View(rawValue: String(parts[1])) : nil
            switch (parts[0], view) {
            case ("destination", let view?): return .destination(view)
            case ("source", let view?): return .source(view)
            case ("constant", let view?): return .constant(view)
            case ("offset", nil): return .offset
            case ("memory", nil): return .memory
            case ("global", nil): return .global
            case ("branch", nil): return .branch
            case ("unused", nil): return .unused
            default: preconditionFailure("\(name): no instruction word \(token)")
            }
        }
        self.accumulatorOperand = accumulatorOperand
        self.resultInAccumulator = resultInAccumulator
        self.resultInFloatAccumulator = resultInFloatAccumulator
        self.backward = backward
        self.stepped = stepped
        self.producer = producer.map { HearthRuntime.word($0) }
        self.sequence = sequence.map { (HearthRuntime.word($0.0), HearthRuntime.word($0.1)) }
    }

    /// Where the second of two instructions run as one (a stepped branch, a fused or adjacent
    /// pair) starts: its handler word, the unread one after the first's words; 0 for a single
    /// instruction.
    package var secondStart: Int { words.firstIndex(of: .unused).map { $0 + 1 } ?? 0 }

    /// Words of the producer of a fused pair, its handler word included (0 for anything else).
    package var producerLength: Int { producer == nil ? 0 : secondStart }

    /// Where the word a branch offset is relative to sits: the instruction's handler word, or
    /// for two instructions run as one the second's own, after the first's words.
    package var branchBase: Int { secondStart }

    /// Whether this is the plain instruction rather than one of its forms.
    package var isPlain: Bool { handler == plain }
}

/// The instruction set as data, for tooling: every generated handler form, and the names of
/// the hand-written handlers.
package enum InstructionSet {
    /// Every generated handler form.
    package static var generated: [InstructionDescription] { generatedInstructions }

    /// The name of the handler whose instruction word is `word`, if it is one.
    package static func name(of word: UInt64) -> String? { names[word] }

    private static let names: [UInt64: String] = {
        var names: [UInt64: String] = [:]
        for description in generatedInstructions { names[description.handler] = description.name }
        for (name, handler) in handWrittenInstructions { names[HearthRuntime.word(handler)] = name }
        return names
    }()

    /// The description of the generated handler whose instruction word is `word`.
    static func description(of word: UInt64) -> InstructionDescription? { descriptions[word] }

    private static let descriptions: [UInt64: InstructionDescription] =
        Dictionary(generatedInstructions.map { ($0.handler, $0) }, uniquingKeysWith: { first, _ in first })
}
