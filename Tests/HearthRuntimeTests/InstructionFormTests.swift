import HearthBinary
import HearthRuntime
import Testing

/// The generated instruction forms (accumulator operands and results, backward branches) run
/// against their plain instruction on the same inputs and must do exactly what it does; a
/// stepped backward branch against `h_i32AddImm` followed by its plain branch.
@Suite struct InstructionFormTests {
    /// Deterministic inputs (SplitMix64), so a failure names a reproducible case.
    struct Inputs {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func pick(_ values: [UInt64]) -> UInt64 { values[Int(next() % UInt64(values.count))] }

        /// A value of `view`: small numbers half of the time (addresses in bounds, shifts,
        /// divisors of one), edge patterns the other half; garbage in the unused upper half.
        mutating func value(_ view: InstructionDescription.View, small: Bool) -> UInt64 {
            let upper = (next() & 0xFFFF_FFFF_0000_0000)
            switch view {
            case .i32, .s32:
                let v = small ? next() % 48 : pick([0, 1, 2, 31, 32, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, next() & 0xFFFF_FFFF])
                return upper | v
            case .i64, .s64, .raw:
                return small ? next() % 48 : pick([0, 1, 63, 64, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000,
                                                   UInt64.max, 0xFFFF_FFFF, next()])
            case .f32:
                return upper | pick([0, 0x8000_0000, 0x3FC0_0000, 0xBF80_0000, 0x7FC0_0000, 0x7F80_0000,
                                     0xFF80_0000, 0x4F00_0000, 0xCF00_0001, 0x5F80_0000, next() & 0xFFFF_FFFF])
            case .f64:
                return pick([0, 0x8000_0000_0000_0000, 0x3FF8_0000_0000_0000, 0xBFF0_0000_0000_0000,
                             0x7FF8_0000_0000_0000, 0x7FF0_0000_0000_0000, 0x41E0_0000_0000_0000,
                             0xC3E0_0000_0000_0001, 0x43F0_0000_0000_0000, next()])
            }
        }

        /// Operand words for `description`, its sources' values put in `frame`: the source of
        /// word k reads slot `slot(ofWord: k)`, a destination of word k is `destination(k)`; an
        /// offset small (in bounds) half of the time; memory, global, branch and unused words 0
        /// (the harness fills those in).
        mutating func words(for description: InstructionDescription, frame: inout [UInt64], small: Bool,
                            destination: (Int) -> UInt64) -> [UInt64] {
            var words: [UInt64] = []
            for (i, word) in description.words.enumerated() {
                switch word {
                case .destination: words.append(destination(i + 1))
                case .source(let view):
                    frame[InstructionFormTests.slot(ofWord: i + 1)] = value(view, small: small)
                    words.append(UInt64(InstructionFormTests.slot(ofWord: i + 1)))
                case .constant(let view): words.append(value(view, small: small))
                case .offset: words.append(small ? next() % 16 : pick([0, 200, 1 << 31]))
                case .memory, .global, .branch, .unused: words.append(0)
                }
            }
            return words
        }
    }

    static let destination: UInt64 = 1
    /// Word k's slot, when it is a source: distinct from the destination and from each other.
    static func slot(ofWord k: Int) -> Int { k + 1 }

    @Test func everyGeneratedFormDoesWhatItsPlainInstructionDoesOnTheSameInputs() {
        let all = InstructionSet.generated
        let plain = Dictionary(all.filter(\.isPlain).map { ($0.handler, $0) }, uniquingKeysWith: { a, _ in a })
        let forms = all.filter { !$0.isPlain && $0.producer == nil && $0.sequence == nil }
        let step = all.first { $0.name == "h_i32AddImm" }!
        let harness = InstructionHarness()
        var inputs = Inputs(state: 20261204)
        var runs = 0, taken = 0, trapped = 0, fellThrough = 0
        for form in forms {
            guard let base = plain[form.plain] else {
                Issue.record("\(form.name): no plain instruction")
                continue
            }
            let stepWords = form.branchBase
            #expect(base.words == Array(form.words.dropFirst(stepWords)), "\(form.name) has the words of \(base.name)")
            for trial in 0..<24 {
                let small = trial % 2 == 0
                var frame = (0..<10).map { _ in inputs.next() }
                var words = inputs.words(for: form, frame: &frame, small: small) { _ in Self.destination }
                if form.stepped, case .source = form.words[stepWords] {
                    // The translator steps the slot the branch then tests (`i += k; i != n`).
                    words[0] = words[stepWords]
                    words[1] = words[stepWords]
                }
                let memory = (0..<256).map { _ in UInt8(truncatingIfNeeded: inputs.next()) }
                let global = inputs.next(), incoming = inputs.next()
                let fuel = trial % 8 == 1 ? 0 : 100
                var before = frame
                if form.stepped {
                    before = harness.run(step, words: Array(words[..<step.words.count]), frame: frame, memory: memory,
                                         global: global, accumulator: incoming, fuel: fuel).frame
                }
                let expected = harness.run(base, words: Array(words.dropFirst(stepWords)), frame: before, memory: memory,
                                           global: global, accumulator: incoming, fuel: fuel)
                // The form gets the operand in the accumulator and garbage in its slot.
                var formFrame = frame
                var accumulator = incoming
                if let k = form.accumulatorOperand {
                    accumulator = frame[Self.slot(ofWord: k)]
                    formFrame[Self.slot(ofWord: k)] = ~accumulator
                }
                let actual = harness.run(form, words: words, frame: formFrame, memory: memory, global: global,
                                         accumulator: accumulator, fuel: fuel)
                runs += 1
                let what = "\(form.name) trial \(trial)"
                if form.backward, expected.taken, fuel == 0 {
                    // A taken backward branch polls: with no fuel left it stops there.
                    #expect(actual.trap == .outOfFuel, "\(what): a taken backward branch polls")
                    continue
                }
                #expect(actual.trap == expected.trap, "\(what): trap")
                #expect(actual.memory == expected.memory, "\(what): memory")
                #expect(actual.global == expected.global, "\(what): global")
                #expect(actual.taken == expected.taken, "\(what): branch")
                #expect(actual.fuel == expected.fuel - (form.backward && expected.taken ? 1 : 0), "\(what): fuel")
                if expected.trap != nil { trapped += 1; continue }
                if expected.taken { taken += 1 } else { fellThrough += 1 }
                var expectedFrame = expected.frame
                if let k = form.accumulatorOperand { expectedFrame[Self.slot(ofWord: k)] = formFrame[Self.slot(ofWord: k)] }
                if form.resultInAccumulator {
                    let result = form.resultInFloatAccumulator ? actual.floatAccumulator : actual.accumulator
                    #expect(result == expected.frame[Int(Self.destination)], "\(what): result in the accumulator")
                    expectedFrame[Int(Self.destination)] = frame[Int(Self.destination)]
                }
                #expect(actual.frame == expectedFrame, "\(what): frame")
            }
        }
        // Every form ran, on paths that matter: results, taken and untaken branches, traps.
        #expect(forms.count > 900)
        #expect(runs == forms.count * 24)
        #expect(taken > 1_000 && fellThrough > 10_000 && trapped > 1_000, "taken \(taken), through \(fellThrough), trapped \(trapped)")
    }

    /// An adjacent pair against its two instructions run one after the other: the same frame,
    /// memory, global, accumulators, trap, branch and fuel. Half the trials make the second read
    /// the slot the first writes, as in the loops the pairs come from.
    @Test func everyAdjacentPairDoesWhatItsTwoInstructionsDoOneAfterTheOther() {
        let all = InstructionSet.generated
        let byHandler = Dictionary(all.map { ($0.handler, $0) }, uniquingKeysWith: { a, _ in a })
        let pairs = all.filter { $0.sequence != nil }
        let harness = InstructionHarness()
        var inputs = Inputs(state: 20261206)
        var runs = 0, taken = 0, trapped = 0
        for pair in pairs {
            guard let sequence = pair.sequence, let first = byHandler[sequence.first], let second = byHandler[sequence.second] else {
                Issue.record("\(pair.name): no first or second instruction")
                continue
            }
            let length = pair.secondStart
            #expect(Array(pair.words[..<(length - 1)]) == first.words, "\(pair.name): the first's words")
            #expect(Array(pair.words[length...]) == second.words, "\(pair.name): the second's words")
            for trial in 0..<24 {
                var frame = (0..<12).map { _ in inputs.next() }
                var words = inputs.words(for: pair, frame: &frame, small: trial % 4 < 2) { UInt64(Self.slot(ofWord: $0)) }
                if trial % 2 == 0, let k = second.words.firstIndex(where: { if case .source = $0 { return true } else { return false } }) {
                    words[length + k] = words[0]
                }
                let memory = (0..<256).map { _ in UInt8(truncatingIfNeeded: inputs.next()) }
                let global = inputs.next(), incoming = inputs.next()
                let fuel = trial % 8 == 1 ? 0 : 100
                let ranFirst = harness.run(first, words: Array(words[..<(length - 1)]), frame: frame, memory: memory,
                                           global: global, accumulator: incoming, fuel: fuel)
                let expected = ranFirst.trap != nil ? ranFirst
                    : harness.run(second, words: Array(words[length...]), frame: ranFirst.frame, memory: ranFirst.memory,
                                  global: ranFirst.global, accumulator: incoming, fuel: ranFirst.fuel)
                let actual = harness.run(pair, words: words, frame: frame, memory: memory, global: global,
                                         accumulator: incoming, fuel: fuel)
                runs += 1
                #expect(actual == expected, "\(pair.name) trial \(trial)")
                if expected.trap != nil { trapped += 1 } else if expected.taken { taken += 1 }
            }
        }
        #expect(pairs.count >= 10)
        #expect(runs == pairs.count * 24)
        #expect(taken > 20 && trapped > 20, "taken \(taken), trapped \(trapped)")
    }

    /// A fused pair against its producer then its consumer, the consumer reading the producer's
    /// slot: the pair writes only the consumer's destination (or the accumulator), never the
    /// producer's slot, and ignores the slot word the consumer's accumulator operand had. A
    /// branch consumer branches as its plain form does, and its backward form also polls as
    /// the plain backward branch does (a unit of fuel when taken, none left: out of fuel).
    @Test func everyFusedPairDoesWhatItsProducerThenItsConsumerDo() {
        let all = InstructionSet.generated
        let plain = Dictionary(all.filter(\.isPlain).map { ($0.handler, $0) }, uniquingKeysWith: { a, _ in a })
        let backward = Dictionary(all.filter { $0.backward && !$0.stepped && $0.accumulatorOperand == nil
                                               && $0.producer == nil && $0.sequence == nil }.map { ($0.plain, $0) },
                                  uniquingKeysWith: { a, _ in a })
        let pairs = all.filter { $0.producer != nil }
        let harness = InstructionHarness()
        var inputs = Inputs(state: 20261205)
        var runs = 0, trapped = 0, taken = 0, stoppedBackward = 0
        for pair in pairs {
            guard let producer = plain[pair.producer!], let consumer = pair.backward ? backward[pair.plain] : plain[pair.plain],
                  let k = pair.accumulatorOperand else {
                Issue.record("\(pair.name): no plain producer or consumer")
                continue
            }
            let length = pair.producerLength
            #expect(Array(pair.words[..<(length - 1)]) == producer.words, "\(pair.name): the producer's words")
            #expect(Array(pair.words[length...]) == consumer.words, "\(pair.name): the consumer's words")
            for trial in 0..<24 {
                let small = trial % 2 == 0
                var frame = (0..<12).map { _ in inputs.next() }
                let words = inputs.words(for: pair, frame: &frame, small: small) { UInt64(Self.slot(ofWord: $0)) }
                let memory = (0..<256).map { _ in UInt8(truncatingIfNeeded: inputs.next()) }
                let global = inputs.next()
                // Small inputs (even trials) keep loads in bounds, so a consumer runs with no fuel.
                let fuel = trial % 8 == 2 ? 0 : 100
                let producerDestination = Int(words[0])
                let produced = harness.run(producer, words: Array(words[..<(length - 1)]), frame: frame, memory: memory,
                                           global: global, accumulator: 0, fuel: fuel)
                var consumerWords = Array(words[length...])
                consumerWords[k - 1] = UInt64(producerDestination)
                let expected = produced.trap != nil ? produced
                    : harness.run(consumer, words: consumerWords, frame: produced.frame, memory: produced.memory,
                                  global: produced.global, accumulator: 0, fuel: fuel)
                let actual = harness.run(pair, words: words, frame: frame, memory: memory, global: global,
                                         accumulator: inputs.next(), fuel: fuel)
                runs += 1
                let what = "\(pair.name) trial \(trial)"
                #expect(actual.trap == expected.trap, "\(what): trap")
                #expect(actual.fuel == expected.fuel, "\(what): fuel")
                #expect(actual.memory == expected.memory, "\(what): memory")
                #expect(actual.global == expected.global, "\(what): global")
                #expect(actual.taken == expected.taken, "\(what): branch")
                if expected.trap == .outOfFuel && pair.backward { stoppedBackward += 1 }
                if expected.trap != nil { trapped += 1; continue }
                if expected.taken { taken += 1 }
                var expectedFrame = frame
                if case .destination(let view) = consumer.words[0] {
                    let consumerDestination = Int(words[length])
                    // A float result that is NaN either way may differ in sign and payload: the
                    // compiler commutes a multiply's operands, and Wasm leaves that choice open.
                    var result = expected.frame[consumerDestination]
                    let inAccumulator = pair.resultInFloatAccumulator ? actual.floatAccumulator : actual.accumulator
                    let got = pair.resultInAccumulator ? inAccumulator : actual.frame[consumerDestination]
                    if Self.isNaN(got, view), Self.isNaN(result, view) { result = got }
                    if pair.resultInAccumulator {
                        #expect(inAccumulator == result, "\(what): result in the accumulator")
                    } else {
                        expectedFrame[consumerDestination] = result
                    }
                }
                #expect(actual.frame == expectedFrame, "\(what): frame")
            }
        }
        #expect(trapped > 50, "trapped \(trapped)")
        #expect(taken > 20 && stoppedBackward > 0, "taken \(taken), stopped by a backward poll \(stoppedBackward)")
        #expect(pairs.contains { $0.name == "h_i32Load8UThenBackIf_a1" && $0.backward })
        #expect(pairs.count > 100)
        #expect(runs == pairs.count * 24)
    }

    static func isNaN(_ bits: UInt64, _ view: InstructionDescription.View) -> Bool {
        switch view {
        case .f32: return Float(bitPattern: UInt32(truncatingIfNeeded: bits)).isNaN
        case .f64: return Double(bitPattern: bits).isNaN
        default: return false
        }
    }

    @Test func theInstructionSetNamesEveryHandlerItGeneratesAndTheHandWrittenOnes() {
        let all = InstructionSet.generated
        #expect(Set(all.map(\.handler)).count == all.count)
        #expect(all.contains { $0.name == "h_i32Add_a2r" && $0.accumulatorOperand == 2 && $0.resultInAccumulator })
        #expect(all.contains { $0.name == "h_backI32LtSImm_a1" && $0.backward })
        #expect(all.contains { $0.name == "h_backStepI32Ne" && $0.backward && $0.stepped && $0.branchBase == 4 })
        #expect(all.contains { $0.name == "h_f64MulThenF64Sub_a3r" && $0.producerLength == 4 && $0.accumulatorOperand == 3 })
        for description in all { #expect(InstructionSet.name(of: description.handler) == description.name) }
    }
}
