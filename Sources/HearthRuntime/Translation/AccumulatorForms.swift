/// The accumulator forms of one handler (generated: `AccumulatorFormTable.swift`).
///
/// All forms keep the handler's operand layout; the words they take from or give to the
/// accumulator are left in place, unused. That is what lets the translator choose a form by
/// rewriting the handler word alone, and undo the choice the same way. A value travels in one
/// of two accumulators (DESIGN.md, "Accumulator"): integers in `acc`, floats in `facc`. A word
/// whose bits may be of either class (a slot copy, a load shared by `i64.load` and `f64.load`)
/// has a form for each; a link uses the pair of forms whose accumulators agree.
struct AccumulatorForms {
    /// Leaves the result in an accumulator instead of word 1's slot: the float one when
    /// `resultIsFloat`.
    var result: Handler?
    var resultIsFloat: Bool
    /// For a result of either class: the form leaving it in the float accumulator (`result`
    /// then uses the integer one).
    var floatResult: Handler?
    /// `operands[k - 1]` reads the operand of word `k` from an accumulator: the float one when
    /// `operandIsFloat[k - 1]`.
    var operands: [Handler?]
    var operandIsFloat: [Bool]
    /// For operands of either class: the form reading word `k` from the float accumulator.
    var floatOperands: [Handler?]
}

/// A producer switched to its result form for the consumer right after it.
struct AccumulatorLink {
    /// Start of the producer and its handler word before the switch.
    var producer: Int
    var original: UInt64
    /// Start of the consumer reading the accumulator, and the word it reads from there.
    var consumer: Int
    var word: Int
    /// Whether the value travels in the float accumulator.
    var isFloat: Bool
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

    /// Rewrites the instruction just emitted at `consumer` to read its word `k` from an
    /// accumulator and the `producer` to leave its result there, when both have forms using the
    /// same accumulator.
    mutating func linkAccumulator(producer: Int?, consumer: Int, word k: Int) {
        guard let producer, producer < consumer,
              let producerForms = accumulatorForms[code[producer]], var producerResult = producerForms.result,
              let consumerForms = accumulatorForms[code[consumer]], var reading = consumerForms.operands[k - 1] else { return }
        var isFloat = producerForms.resultIsFloat
        if isFloat != consumerForms.operandIsFloat[k - 1] {
            // One side is of either class: take its form for the other side's accumulator.
            if isFloat, let floatReading = consumerForms.floatOperands[k - 1] {
                reading = floatReading
            } else if !isFloat, let floatResult = producerForms.floatResult {
                producerResult = floatResult
                isFloat = true
            } else {
                return
            }
        }
        // The consumer's own value may be linked onward: keep the form that still writes it to
        // its slot until a next consumer asks for the accumulator.
        accumulatorLink = AccumulatorLink(producer: producer, original: code[producer], consumer: consumer, word: k,
                                          isFloat: isFloat)
        code[producer] = HearthRuntime.word(producerResult)
        code[consumer] = HearthRuntime.word(reading)
        accumulatorLinks.append((producer, consumer))
    }

    /// A branch that absorbed a compare reading the accumulator reads it itself, as its word
    /// `k`; without such a form (in the same accumulator) the producer writes its slot again
    /// (which the branch reads).
    mutating func keepAccumulator(_ link: AccumulatorLink, consumer: Int, word k: Int) {
        if let forms = accumulatorForms[code[consumer]], let reading = forms.operands[k - 1],
           forms.operandIsFloat[k - 1] == link.isFloat {
            code[consumer] = HearthRuntime.word(reading)
            accumulatorLink = AccumulatorLink(producer: link.producer, original: link.original, consumer: consumer, word: k,
                                              isFloat: link.isFloat)
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
        while let last = instructionStarts.last, last >= start { instructionStarts.removeLast() }
        if let step = pendingStep, step.end > start { pendingStep = nil }
    }
}
