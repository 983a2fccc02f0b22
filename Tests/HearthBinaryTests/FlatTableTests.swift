import Testing
@testable import HearthBinary

/// The engine's hash table against `Dictionary` as the oracle: insertions, replacements and
/// removals (including removals inside a run of colliding keys), growth, iteration.
struct FlatTableTests {
    /// A key whose hash is its value modulo `buckets`: few buckets make long collision runs,
    /// which wrap around the end of the slots.
    struct CollidingKey: Hashable {
        var value: Int
        var buckets: Int
        func hash(into hasher: inout Hasher) { hasher.combine(value % buckets) }
        static func == (a: Self, b: Self) -> Bool { a.value == b.value }
    }

    /// A small deterministic generator (Knuth's 64-bit LCG, high bits), so a failure names its
    /// seed and repeats.
    struct Steps: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 32 | state << 32
        }
    }

    func contents<K, V>(_ table: FlatTable<K, V>) -> [K: V] {
        var out: [K: V] = [:]
        for (key, value) in table {
            #expect(out[key] == nil, "a key iterated twice")
            out[key] = value
        }
        return out
    }

    @Test(arguments: [1, 3, 1000])
    func randomInsertionsReplacementsAndRemovalsLeaveWhatADictionaryWould(buckets: Int) {
        for seed in UInt64(1)...20 {
            var random = Steps(state: seed)
            var table = FlatTable<CollidingKey, Int>()
            var oracle: [CollidingKey: Int] = [:]
            for step in 0..<600 {
                let key = CollidingKey(value: Int.random(in: 0..<80, using: &random), buckets: buckets)
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5:
                    #expect(table.updateValue(step, forKey: key) == oracle.updateValue(step, forKey: key))
                case 5..<8:
                    #expect(table.removeValue(forKey: key) == oracle.removeValue(forKey: key))
                case 8:
                    table.modifyValue(forKey: key, default: -1) { $0 += 1000 }
                    oracle[key, default: -1] += 1000
                default:
                    table[key] = nil
                    oracle[key] = nil
                }
                #expect(table.count == oracle.count, "seed \(seed), step \(step)")
                // Every key, present or not, looks up as in the oracle.
                for value in 0..<80 {
                    let probe = CollidingKey(value: value, buckets: buckets)
                    if table[probe] != oracle[probe] {
                        Issue.record("seed \(seed), step \(step): key \(value) is \(String(describing: table[probe])), expected \(String(describing: oracle[probe]))")
                        return
                    }
                }
            }
            #expect(contents(table) == oracle)
        }
    }

    @Test func aTableGrowsPastItsCapacityAndKeepsEveryEntry() {
        var table = FlatTable<Int, String>(minimumCapacity: 2)
        for i in 0..<5000 { table[i * 7919] = "\(i)" }
        #expect(table.count == 5000)
        #expect(table.underestimatedCount == 5000)
        for i in 0..<5000 { #expect(table[i * 7919] == "\(i)") }
        #expect(table[1] == nil)
        #expect(Set(table.map(\.key)) == Set((0..<5000).map { $0 * 7919 }))
    }

    @Test func anEmptyTableFindsNothingAndRemovesNothing() {
        var table = FlatTable<String, Int>()
        #expect(table.isEmpty)
        #expect(table["a"] == nil)
        #expect(table.removeValue(forKey: "a") == nil)
        #expect(Array(table).isEmpty)
    }

    @Test func aNestedTableIsChangedInPlaceAndALiteralHoldsItsEntries() {
        var outer = FlatTable<String, FlatTable<String, Int>>()
        for i in 0..<100 { outer.modifyValue(forKey: "m\(i % 3)", default: FlatTable()) { $0["n\(i)"] = i } }
        #expect(outer.count == 3)
        #expect(outer["m1"]?.count == 33)
        #expect(outer["m1"]?["n97"] == 97)
        #expect(outer["m1"]?["n98"] == nil)
        let literal: FlatTable<Int, String> = [1: "a", 2: "b"]
        #expect(contents(literal) == [1: "a", 2: "b"])
    }
}
