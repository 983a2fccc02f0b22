/// The validator's operand stack: a growable buffer of one-byte types.
///
/// Validation pushes and pops for nearly every instruction, and `Array`'s uniqueness checks on
/// each mutation were a measurable share of the time, so this keeps a raw buffer owned by a
/// small class (which frees it) and does the bookkeeping itself.
struct OperandStack {
    private final class Storage {
        var base: UnsafeMutablePointer<OperandType>
        var capacity: Int

        init(capacity: Int) {
            base = .allocate(capacity: capacity)
            self.capacity = capacity
        }

        deinit { base.deallocate() }
    }

    private let storage = Storage(capacity: 1024)
    private var base: UnsafeMutablePointer<OperandType>
    private var capacity: Int
    private(set) var count = 0

    init() {
        base = storage.base
        capacity = storage.capacity
    }

    @inline(__always)
    mutating func append(_ type: OperandType) {
        if count == capacity { grow() }
        base[count] = type
        count += 1
    }

    /// Removes and returns the top; the caller has checked that the stack is not empty.
    @inline(__always)
    mutating func removeLast() -> OperandType {
        count -= 1
        return base[count]
    }

    mutating func truncate(to newCount: Int) { count = newCount }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let newBase = UnsafeMutablePointer<OperandType>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        storage.base.deallocate()
        storage.base = newBase
        storage.capacity = newCapacity
        base = newBase
        capacity = newCapacity
    }
}
