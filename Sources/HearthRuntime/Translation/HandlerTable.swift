/// Where exceptions thrown in one translated function are caught: one entry per `try_table`
/// or legacy `try`, kept with the function's code (by record, in the store's `ExceptionHeap`).
///
/// Code that never throws pays nothing for this: the table is only read by the unwinder.
struct HandlerTable {
    /// One handler clause: the tag it catches and where its landing code is.
    struct Clause {
        /// The tag cell's address; 0 catches any exception.
        var tag: UInt64
        /// Word offset of the landing code in the function's code.
        var landing: Int
        /// The frame slot the payload goes to (its slots follow).
        var payloadSlot: Int
        /// The frame slot the `exnref` goes to, -1 when the clause does not take it.
        var referenceSlot: Int
    }

    /// A `try_table` body or a legacy `try`'s protected part.
    struct Entry {
        /// The code words it protects (offsets in the function's code).
        var range: Range<Int>
        var clauses: [Clause]
        /// The enclosing entry (the next one to try), -1 for none.
        var parent: Int
        /// For a legacy `try ... delegate l`: the entry the exception goes to instead (-1: out
        /// of the function); nil for an ordinary handler.
        var delegate: Int?
    }

    /// Entries in the order their blocks start: an entry's enclosing entries come before it,
    /// so the last entry whose range contains a pc is the innermost one.
    var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }

    /// The clause catching an exception of `tag` thrown at code offset `offset` (for a caller
    /// frame, inside its call instruction), innermost handler first.
    func clause(catching tag: UInt64, at offset: Int) -> Clause? {
        guard var i = entries.lastIndex(where: { $0.range.contains(offset) }) else { return nil }
        while i >= 0 {
            let entry = entries[i]
            if let target = entry.delegate {
                i = target
                continue
            }
            if let clause = entry.clauses.first(where: { $0.tag == 0 || $0.tag == tag }) { return clause }
            i = entry.parent
        }
        return nil
    }
}
