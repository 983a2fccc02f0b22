/// The accumulator forms of one handler (generated: `AccumulatorFormTable.swift`).
///
/// All forms keep the handler's operand layout; the words they take from or give to the
/// accumulator are left in place, unused. That is what lets the translator choose a form by
/// rewriting the handler word alone, and undo the choice the same way.
struct AccumulatorForms {
    /// Leaves the result in the accumulator instead of word 1's slot.
    var result: Handler?
    /// `operands[k - 1]` reads the operand of word `k` from the accumulator.
    var operands: [Handler?]
    /// Both: reads word `k` from the accumulator and leaves its result there.
    var operandsWithResult: [Handler?]
}

/// A producer switched to its result form for the consumer right after it.
struct AccumulatorLink {
    /// Start of the producer and its handler word before the switch.
    var producer: Int
    var original: UInt64
    /// Start of the consumer reading the accumulator, and the word it reads from there.
    var consumer: Int
    var word: Int
}

extension Translator {
    /// The start of the instruction that produced the entry at height `h`, when that value can
    /// be handed to the next instruction in the accumulator: the entry is in its home slot,
    /// written by the last instruction emitted (nothing emitted or bound since), and that
    /// instruction has a result form. Call it before popping: popping may materialise.
    func accumulatorProducer(at h: Int) -> Int? {
        guard h >= 0, operands[h] == .home, let w = lastResultWord, code[w] == slot(h) else { return nil }
        let start = w - 1
        guard accumulatorForms[code[start]]?.result != nil else { return nil }
        return start
    }

    /// Rewrites the instruction just emitted at `consumer` to read its word `k` from the
    /// accumulator and the `producer` to leave its result there, when both forms exist.
    mutating func linkAccumulator(producer: Int?, consumer: Int, word k: Int) {
        guard let producer, producer < consumer,
              let producerResult = accumulatorForms[code[producer]]?.result,
              let consumerForms = accumulatorForms[code[consumer]],
              let reading = consumerForms.operands[k - 1] else { return }
        // The consumer's own value may be linked onward: keep the form that still writes it to
        // its slot until a next consumer asks for the accumulator.
        accumulatorLink = AccumulatorLink(producer: producer, original: code[producer], consumer: consumer, word: k)
        code[producer] = HearthRuntime.word(producerResult)
        code[consumer] = HearthRuntime.word(reading)
        accumulatorLinks.append((producer, consumer))
    }

    /// A branch that absorbed a compare reading the accumulator reads it itself, as its word
    /// `k`; without such a form the producer writes its slot again (which the branch reads).
    mutating func keepAccumulator(_ link: AccumulatorLink, consumer: Int, word k: Int) {
        if let reading = accumulatorForms[code[consumer]]?.operands[k - 1] {
            code[consumer] = HearthRuntime.word(reading)
            accumulatorLink = AccumulatorLink(producer: link.producer, original: link.original, consumer: consumer, word: k)
        } else {
            code[link.producer] = link.original
        }
    }

    /// Removes the code from `start` on (a fused branch or access absorbs it); a producer
    /// linked to a removed consumer writes its slot again, which the absorbing instruction reads.
    mutating func truncateCode(to start: Int) {
        if let link = accumulatorLink, link.consumer >= start {
            code[link.producer] = link.original
            accumulatorLink = nil
        }
        code.removeLast(code.count - start)
        instructionStarts?.removeAll { $0 >= start }
        if let step = pendingStep, step.end > start { pendingStep = nil }
    }
}
