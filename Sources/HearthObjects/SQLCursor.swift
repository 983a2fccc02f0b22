import HearthSQLite

/// The result of `SQLStorage.exec`: the rows of the last statement plus counters over all of
/// them. Rows are read completely while the statement runs, so a cursor never holds a statement
/// (or a transaction) open across turns.
public struct SQLCursor: Sendable, Sequence {
    /// Result column names of the last statement.
    public let columnNames: [String]
    private let rows: [[SQLValue]]
    /// Rows read by all statements of the call: rows scanned by full scans, or returned when an
    /// index found them (see `SQLStorage.exec`).
    public let rowsRead: Int
    /// Rows inserted, updated or deleted by all statements of the call (triggers included).
    public let rowsWritten: Int

    init(columnNames: [String], rows: [[SQLValue]], rowsRead: Int, rowsWritten: Int) {
        self.columnNames = columnNames
        self.rows = rows
        self.rowsRead = rowsRead
        self.rowsWritten = rowsWritten
    }

    /// Rows as arrays of values in column order.
    public func raw() -> [[SQLValue]] { rows }

    /// Rows as column-name → value dictionaries (a later duplicate column name wins).
    public func toArray() -> [[String: SQLValue]] { rows.map(object) }

    /// The only row; throws unless there is exactly one.
    public func one() throws -> [String: SQLValue] {
        guard rows.count == 1 else { throw ObjectError.expectedOneRow(found: rows.count) }
        return object(rows[0])
    }

    public func makeIterator() -> IndexingIterator<[[String: SQLValue]]> { toArray().makeIterator() }

    private func object(_ row: [SQLValue]) -> [String: SQLValue] {
        var result: [String: SQLValue] = [:]
        for (name, value) in zip(columnNames, row) { result[name] = value }
        return result
    }
}
