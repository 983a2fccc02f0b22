/// A hash table kept in flat arrays (open addressing, linear probing), for the
/// engine's lookups on the way from a command's start to a guest's first instruction: import
/// and export names, recursion groups, the translator's pair tables.
///
/// Why not `Dictionary`: a dictionary's storage is a class generic over a `Hashable` key, and
/// the first dictionary of each key type makes the Swift runtime look the key's conformance up
/// by scanning every protocol conformance record in the process, about 250,000 instructions a
/// key type: four of them were nearly half of `hearth run`'s instructions for an empty module
/// (`Benchmarks/RESULTS.md`, start-up). This type does not require `Hashable` of its key (only
/// its operations do), and its storage is arrays of hashes, optional keys and optional values,
/// whose type metadata names no conformance. Iteration order is unspecified, as a dictionary's.
public struct FlatTable<Key, Value> {
    /// Each slot's key hash, or `empty`; a probe reads only these until a hash matches.
    @usableFromInline var hashes: [Int]
    /// Each slot's key, where `hashes` is not `empty`. Apart from the values, so that comparing
    /// a key copies no value (nor retains what a value holds).
    @usableFromInline var keys: [Key?]
    /// Each slot's value, where `hashes` is not `empty`.
    @usableFromInline var values: [Value?]
    /// The number of entries.
    @usableFromInline var occupied: Int

    /// The hash of an empty slot (a key whose hash is this one is stored as the next value).
    @usableFromInline static var empty: Int { Int.min }

    /// An empty table; it allocates at its first insertion.
    @inlinable
    public init() {
        hashes = []
        keys = []
        values = []
        occupied = 0
    }

    /// The number of entries.
    @inlinable public var count: Int { occupied }

    /// Whether the table has no entries.
    @inlinable public var isEmpty: Bool { occupied == 0 }
}

extension FlatTable where Key: Hashable {
    /// An empty table with room for `capacity` entries before it grows.
    @inlinable
    public init(minimumCapacity capacity: Int) {
        self.init()
        if capacity > 0 { allocate(slots: Self.slotCount(for: capacity)) }
    }

    /// The value stored for `key`; setting `nil` removes the entry.
    @inlinable
    public subscript(key: Key) -> Value? {
        get {
            guard let i = index(of: key, hash: Self.hash(of: key)) else { return nil }
            return values[i]
        }
        set {
            if let newValue { updateValue(newValue, forKey: key) } else { removeValue(forKey: key) }
        }
    }

    /// Runs `body` on the value stored for `key` in place, storing `defaultValue` first when
    /// there is none (`Dictionary`'s `[key, default:]` as a method: a nested table is changed
    /// without being copied).
    @inlinable
    public mutating func modifyValue<R>(forKey key: Key, default defaultValue: @autoclosure () -> Value,
                                        _ body: (inout Value) throws -> R) rethrows -> R {
        let hash = Self.hash(of: key)
        let i: Int
        if let found = index(of: key, hash: hash) {
            i = found
        } else {
            i = insertNew(key, defaultValue(), hash: hash)
        }
        return try body(&values[i]!)
    }

    /// Stores `value` for `key`; answers the value it replaced, if any.
    @inlinable @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: Key) -> Value? {
        let hash = Self.hash(of: key)
        if let i = index(of: key, hash: hash) {
            let old = values[i]
            values[i] = value
            return old
        }
        insertNew(key, value, hash: hash)
        return nil
    }

    /// Removes the entry of `key`; answers its value, if there was one.
    @inlinable @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        guard var hole = index(of: key, hash: Self.hash(of: key)) else { return nil }
        let removed = values[hole]
        hashes[hole] = Self.empty
        keys[hole] = nil
        values[hole] = nil
        occupied -= 1
        // Backward-shift deletion: every entry after the hole, up to the next empty slot, moves
        // into the hole when the hole is on its probe path (between its home slot and where it
        // is), so lookups never need tombstones.
        let mask = hashes.count - 1
        var j = hole
        while true {
            j = (j + 1) & mask
            let hash = hashes[j]
            if hash == Self.empty { break }
            let home = hash & mask
            if (hole - home) & mask < (j - home) & mask {
                hashes[hole] = hash
                keys.swapAt(hole, j)
                values.swapAt(hole, j)
                hashes[j] = Self.empty
                hole = j
            }
        }
        return removed
    }

    /// `key`'s hash as the table stores it (never `empty`).
    @inlinable
    static func hash(of key: Key) -> Int {
        let hash = key.hashValue
        return hash == empty ? empty &+ 1 : hash
    }

    /// The slot holding `key`, if it is in the table.
    @inlinable
    func index(of key: Key, hash: Int) -> Int? {
        if hashes.isEmpty { return nil }
        let mask = hashes.count - 1
        var i = hash & mask
        while true {
            let stored = hashes[i]
            if stored == Self.empty { return nil }
            if stored == hash && keys[i]! == key { return i }
            i = (i + 1) & mask
        }
    }

    /// Stores an entry whose key is not in the table, growing it first when it would be more
    /// than three quarters full; answers its slot.
    @inlinable @discardableResult
    mutating func insertNew(_ key: Key, _ value: Value, hash: Int) -> Int {
        if (occupied + 1) * 4 > hashes.count * 3 { grow() }
        let i = freeSlot(for: hash)
        hashes[i] = hash
        keys[i] = key
        values[i] = value
        occupied += 1
        return i
    }

    /// The first empty slot on `hash`'s probe path.
    @inlinable
    func freeSlot(for hash: Int) -> Int {
        let mask = hashes.count - 1
        var i = hash & mask
        while hashes[i] != Self.empty { i = (i + 1) & mask }
        return i
    }

    /// Empty arrays of `slots` slots.
    @inlinable
    mutating func allocate(slots: Int) {
        hashes = Array(repeating: Self.empty, count: slots)
        keys = Array(repeating: nil, count: slots)
        values = Array(repeating: nil, count: slots)
    }

    /// Twice the slots (or the first 8), every entry moved to its place in them.
    @inlinable
    mutating func grow() {
        let oldHashes = hashes, oldKeys = keys, oldValues = values
        allocate(slots: Self.slotCount(for: occupied + 1))
        for (i, hash) in oldHashes.enumerated() where hash != Self.empty {
            let j = freeSlot(for: hash)
            hashes[j] = hash
            keys[j] = oldKeys[i]
            values[j] = oldValues[i]
        }
    }

    /// The fewest slots, a power of two and at least 8, that hold `capacity` entries at most
    /// three quarters full.
    @inlinable
    static func slotCount(for capacity: Int) -> Int {
        var n = 8
        while n * 3 < capacity * 4 { n *= 2 }
        return n
    }
}

extension FlatTable: Sequence {
    /// Iterates over the entries in slot order.
    public struct Iterator: IteratorProtocol {
        @usableFromInline let keys: [Key?]
        @usableFromInline let values: [Value?]
        @usableFromInline var position = 0

        @inlinable init(keys: [Key?], values: [Value?]) {
            self.keys = keys
            self.values = values
        }

        /// The next entry, skipping empty slots.
        @inlinable
        public mutating func next() -> (key: Key, value: Value)? {
            while position < keys.count {
                defer { position += 1 }
                if let key = keys[position] { return (key, values[position]!) }
            }
            return nil
        }
    }

    /// An iterator over the table's entries.
    @inlinable
    public func makeIterator() -> Iterator { Iterator(keys: keys, values: values) }

    /// The number of entries.
    @inlinable
    public var underestimatedCount: Int { count }
}

extension FlatTable: ExpressibleByDictionaryLiteral where Key: Hashable {
    /// A table of the literal's entries; a key given twice keeps its last value.
    @inlinable
    public init(dictionaryLiteral entries: (Key, Value)...) {
        self.init(minimumCapacity: entries.count)
        for (key, value) in entries { self[key] = value }
    }
}

extension FlatTable: Sendable where Key: Sendable, Value: Sendable {}
