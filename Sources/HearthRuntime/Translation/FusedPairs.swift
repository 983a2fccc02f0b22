/// A fused pair's handler (generated: `FusedPairTable.swift`) and where its consumer starts.
struct FusedPairHandler {
    /// Runs the producer and the consumer as one instruction, from the producer's start.
    var handler: Handler
    /// The producer's words, its handler word included: the consumer starts that far after it.
    var producerLength: Int
}

extension Translator {
    /// Runs once the function is translated, when no form can change any more: every producer
    /// that still hands its result to the instruction right after it in the accumulator, in a
    /// pair the instruction set fuses, becomes that pair (the consumer's words stay in place and
    /// its handler word goes unread). Links never cross a label, so nothing jumps to a consumer.
    mutating func fuseAccumulatorPairs() {
        var consumers = Set<Int>()
        for (producer, consumer) in accumulatorLinks where !consumers.contains(producer) {
            guard consumer < code.count, let pair = fusedPairHandlers[code[producer]]?[code[consumer]],
                  producer + pair.producerLength == consumer else { continue }
            code[producer] = HearthRuntime.word(pair.handler)
            consumers.insert(consumer)
            instructionStarts?.removeAll { $0 == consumer }
        }
    }
}
