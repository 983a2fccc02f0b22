/// A growable buffer of plain values (one-byte types, control frames, signature spans) for the
/// validator's stacks and lookup tables.
///
/// Validation touches these on nearly every instruction; `Array`'s uniqueness checks and
/// reference counting on each access were most of the validator's time, so this keeps a raw
/// buffer owned by a small class (which frees it) and does the bookkeeping itself. Elements
/// must be trivial types (no references), as they are never deinitialized one by one. Copies
/// share the buffer, so each stack has one owner (the validator, which is never copied).
struct RawStack<Element> {
    private final class Storage {
        var base: UnsafeMutablePointer<Element>

        init(capacity: Int) { base = .allocate(capacity: capacity) }

        deinit { base.deallocate() }
    }

    private let storage: Storage
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        let capacity = Swift.max(capacity, 1)
        storage = Storage(capacity: capacity)
        base = storage.base
        self.capacity = capacity
    }

    /// A stack holding `elements`.
    init<S: Sequence>(_ elements: S) where S.Element == Element {
        self.init(capacity: elements.underestimatedCount)
        for e in elements { append(e) }
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: capacity * 2) }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Appends `n` copies of `element`.
    mutating func append(_ element: Element, count n: Int) {
        if count + n > capacity { grow(to: Swift.max(capacity * 2, count + n)) }
        (base + count).initialize(repeating: element, count: n)
        count += n
    }

    /// Appends the elements of `other` in `range`.
    @inline(__always)
    mutating func append(from other: RawStack<Element>, _ range: Range<Int>) {
        let n = range.count
        if count + n > capacity { grow(to: Swift.max(capacity * 2, count + n)) }
        // Usually zero to two elements: a loop beats a call to memcpy.
        for i in 0..<n { (base + count + i).initialize(to: other.base[range.lowerBound + i]) }
        count += n
    }

    /// Removes and returns the top; the caller has checked that the stack is not empty.
    @inline(__always)
    mutating func removeLast() -> Element {
        count -= 1
        return base[count]
    }

    @inline(__always)
    mutating func truncate(to newCount: Int) { count = newCount }

    /// The element at `index`, which the caller has checked is below `count`.
    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    /// The top element; the stack must not be empty.
    @inline(__always)
    var last: Element {
        get { base[count - 1] }
        nonmutating set { base[count - 1] = newValue }
    }

    /// Whether the elements in two ranges are equal, element by element.
    func elementsEqual(_ a: Range<Int>, _ b: Range<Int>) -> Bool where Element: Equatable {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where base[a.lowerBound + i] != base[b.lowerBound + i] { return false }
        return true
    }

    private mutating func grow(to newCapacity: Int) {
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        storage.base.deallocate()
        storage.base = newBase
        base = newBase
        capacity = newCapacity
    }
}
