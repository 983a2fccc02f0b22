import HearthBinary

/// Every function type of a module as operand types, in one flat pool: a span per type gives
/// where its parameters (then its results) sit.
///
/// Calls and typed blocks are the most common instructions after locals and arithmetic; with
/// one array per signature each use retained and released two arrays, with the pool it is a
/// few integer reads.
struct SignatureTable {
    /// Where one type's operand types sit in `pool`: parameters first, then results.
    struct Span {
        var start: Int
        var parameterCount: Int
        var resultCount: Int
        var isFunction: Bool

        var parameters: Range<Int> { start..<(start + parameterCount) }
        var results: Range<Int> { (start + parameterCount)..<(start + parameterCount + resultCount) }
    }

    /// Shared read-only by copies of the context once built.
    private(set) var pool = RawStack<OperandType>()
    private(set) var spans = RawStack<Span>()

    /// Non-function types get an empty span with `isFunction` false.
    init(_ types: [SubType]) {
        for sub in types {
            guard let type = sub.functionType else {
                spans.append(Span(start: pool.count, parameterCount: 0, resultCount: 0, isFunction: false))
                continue
            }
            spans.append(Span(start: pool.count, parameterCount: type.parameters.count,
                              resultCount: type.results.count, isFunction: true))
            for t in type.parameters { pool.append(OperandType(t)) }
            for t in type.results { pool.append(OperandType(t)) }
        }
    }

    var count: Int { spans.count }

    @inline(__always)
    subscript(typeIndex: Int) -> Span { spans[typeIndex] }
}
