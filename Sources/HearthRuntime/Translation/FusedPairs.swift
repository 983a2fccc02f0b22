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
        // Links are recorded as their consumers are emitted, so a producer that was itself
        // fused away as a consumer is the last one fused, and the fused consumers come in
        // order: one merge over the (sorted) instruction starts drops them, no hashing.
        var consumers: [Int] = []
        for (producer, consumer) in accumulatorLinks where producer != consumers.last {
            guard consumer < code.count, let pair = fusedPairHandlers[code[producer]]?[code[consumer]],
                  producer + pair.producerLength == consumer else { continue }
            code[producer] = HearthRuntime.word(pair.handler)
            consumers.append(consumer)
        }
        guard !consumers.isEmpty else { return }
        consumers.sort()
        var starts: [Int] = []
        starts.reserveCapacity(instructionStarts.count)
        var next = 0
        for start in instructionStarts {
            while next < consumers.count && consumers[next] < start { next += 1 }
            if next < consumers.count && consumers[next] == start { continue }
            starts.append(start)
        }
        instructionStarts = starts
    }

    /// Runs after `fuseAccumulatorPairs`: two instructions that follow each other and form an
    /// adjacent pair become it, at the first's start. The second stays whole (its handler word
    /// and words), so a branch landing on it runs it alone, as before: no label rule. Greedy
    /// from the start of the function; an instruction is in one pair at most.
    mutating func fuseAdjacentPairs() {
        var starts: [Int] = []
        starts.reserveCapacity(instructionStarts.count)
        var n = 0
        while n < instructionStarts.count {
            let first = instructionStarts[n]
            starts.append(first)
            n += 1
            guard n < instructionStarts.count, adjacentPairFirsts.mayContain(code[first]) else { continue }
            let second = instructionStarts[n]
            if let pair = adjacentPairHandlers[code[first]]?[code[second]], first + pair.producerLength == second {
                code[first] = HearthRuntime.word(pair.handler)
                n += 1
            }
        }
        instructionStarts = starts
    }
}

/// A cheap first test of "may this handler word start an adjacent pair?", ahead of the
/// dictionary lookup, which every instruction of every translated function would otherwise pay:
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
let adjacentPairFirsts = HandlerFilter(adjacentPairHandlers.keys)
