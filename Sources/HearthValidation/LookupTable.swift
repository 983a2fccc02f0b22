/// An immutable table of plain values, built once and then read from any thread: the backing
/// of the validator's process-wide operator tables.
///
/// It is a raw buffer rather than an `Array` for the reason `RawStack` is (no uniqueness or
/// reference-count traffic on the validator's hot path). The buffer is written only in `init`
/// and never freed (the tables live as long as the process), so sharing it across threads is
/// safe; a pointer cannot say that to the compiler, hence the unchecked conformance here, once,
/// instead of on each table.
struct LookupTable<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
    private let base: UnsafePointer<Element>

    /// A table holding `elements`, in order.
    init(_ elements: [Element]) {
        let buffer = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(elements.count, 1))
        elements.withUnsafeBufferPointer { if let start = $0.baseAddress { buffer.initialize(from: start, count: $0.count) } }
        base = UnsafePointer(buffer)
    }

    /// The element at `index`, which the caller has checked is in the table.
    @inline(__always)
    subscript(index: Int) -> Element { base[index] }
}
