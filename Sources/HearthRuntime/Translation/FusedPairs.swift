/// A fused pair's handler (generated: `FusedPairTable.swift`) and where its consumer starts.
struct FusedPairHandler {
    /// Runs the producer and the consumer as one instruction, from the producer's start.
    var handler: Handler
    /// The producer's words, its handler word included: the consumer starts that far after it.
    var producerLength: Int
}

/// The handler words of two instructions: the key of the pair tables.
struct HandlerPair: Hashable {
    /// The producer's (the first instruction's) handler word.
    var first: UInt64
    /// The consumer's (the second instruction's) handler word.
    var second: UInt64

    init(_ first: UInt64, _ second: UInt64) {
        self.first = first
        self.second = second
    }
}

extension Translator {
    /// Runs once the function is translated, when no form can change any more: fuses the
    /// accumulator pairs, then the adjacent pairs, and drops every fused second instruction from
    /// the recorded starts, in one pass over them.
    mutating func fusePairs() {
        let consumers = fuseAccumulatorPairs()
        var starts: [Int] = []
        starts.reserveCapacity(instructionStarts.count)
        var nextConsumer = 0
        // The last start kept that an adjacent pair may still begin with.
        var pairable: Int?
        for start in instructionStarts {
            while nextConsumer < consumers.count && consumers[nextConsumer] < start { nextConsumer += 1 }
            if nextConsumer < consumers.count && consumers[nextConsumer] == start { continue }
            if let first = pairable, fuseAdjacentPair(first, start) {
                // Greedy from the function's start: an instruction is in one pair at most.
                pairable = nil
                continue
            }
            starts.append(start)
            pairable = start
        }
        instructionStarts = starts
    }

    /// Every producer that still hands its result to the instruction right after it in the
    /// accumulator, in a pair the instruction set fuses, becomes that pair (the consumer's words
    /// stay in place and its handler word goes unread). Links never cross a label, so nothing
    /// jumps to a consumer. Returns the fused consumers' starts, in order.
    private mutating func fuseAccumulatorPairs() -> [Int] {
        // Links are recorded as their consumers are emitted, so a producer that was itself
        // fused away as a consumer is the last one fused.
        var consumers: [Int] = []
        for (producer, consumer) in accumulatorLinks where producer != consumers.last {
            guard consumer < code.count, let pair = fusedPairHandlers[HandlerPair(code[producer], code[consumer])],
                  producer + pair.producerLength == consumer else { continue }
            code[producer] = HearthRuntime.word(pair.handler)
            consumers.append(consumer)
        }
        consumers.sort()
        return consumers
    }

    /// Fuses the instruction at `first` with the one right after it, at `second`, when the two
    /// form an adjacent pair: it becomes the pair, at the first's start. The second stays whole
    /// (its handler word and words), so a branch landing on it runs it alone, as before: no
    /// label rule.
    private mutating func fuseAdjacentPair(_ first: Int, _ second: Int) -> Bool {
        guard adjacentPairFirsts.mayContain(code[first]), let pair = adjacentPairHandlers[HandlerPair(code[first], code[second])],
              first + pair.producerLength == second else { return false }
        code[first] = HearthRuntime.word(pair.handler)
        return true
    }
}

/// A cheap first test of "may this handler word start an adjacent pair?", ahead of the
/// table lookup, which every instruction of every translated function would otherwise pay:
/// one bit per handler address (handlers are 16-byte aligned), some false positives, no false
/// negatives.
struct HandlerFilter {
    private var bits = [UInt64](repeating: 0, count: 64)

    init(_ words: some Sequence<UInt64>) {
        for word in words { bits[Self.bit(word) >> 6] |= 1 << UInt64(Self.bit(word) & 63) }
    }

    private static func bit(_ word: UInt64) -> Int { Int(truncatingIfNeeded: (word >> 4) & 4095) }

    /// False when `word` is certainly not one of the words the filter was built from.
    func mayContain(_ word: UInt64) -> Bool {
        bits[Self.bit(word) >> 6] & (1 << UInt64(Self.bit(word) & 63)) != 0
    }
}

/// The first handlers of the adjacent pairs.
let adjacentPairFirsts = HandlerFilter(adjacentPairHandlers.lazy.map(\.key.first))
