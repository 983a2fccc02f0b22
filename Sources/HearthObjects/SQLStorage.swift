import HearthSQLite

/// User SQL against the object's database, under the authorizer: internal tables are hidden and
/// transaction statements are refused (use `ObjectStorage.transactionSync`).
public final class SQLStorage {
    let connection: StorageConnection

    init(connection: StorageConnection) { self.connection = connection }

    /// Runs one or more `;`-separated statements. Parameters are consumed in order: each
    /// statement takes as many as it has placeholders; leftovers or shortfalls are errors.
    @discardableResult
    public func exec(_ sql: String, _ parameters: SQLValue...) throws -> SQLCursor {
        try exec(sql, parameters: parameters)
    }

    /// `exec` with the parameters as an array.
    @discardableResult
    public func exec(_ sql: String, parameters: [SQLValue]) throws -> SQLCursor {
        try connection.runUserSQL { db in
            var remaining = parameters[...]
            var columns: [String] = []
            var lastRows: [[SQLValue]] = []
            var read = 0
            var written: Int64 = 0
            try db.forEachStatement(sql) { statement in
                let count = statement.parameterCount
                guard remaining.count >= count else {
                    throw SQLiteError(extendedCode: SQLiteError.Code.range,
                                      message: "the SQL needs more than the \(parameters.count) parameter(s) given", sql: sql)
                }
                try statement.bind(Array(remaining.prefix(count)))
                remaining = remaining.dropFirst(count)
                let changesBefore = db.totalChanges
                var rows: [[SQLValue]] = []
                while try statement.step() { rows.append(statement.row()) }
                written += db.totalChanges - changesBefore
                // Rows scanned, as workerd bills them: stock SQLite counts the steps of full
                // scans (the first row of a scan is no step); rows found through an index are
                // the rows returned. A close lower bound, not workerd's patched counter.
                let scanned = statement.fullScanSteps
                read += max(rows.count, scanned > 0 ? scanned + 1 : 0)
                columns = statement.columnNames
                lastRows = rows
            }
            guard remaining.isEmpty else {
                throw SQLiteError(extendedCode: SQLiteError.Code.range,
                                  message: "\(remaining.count) of \(parameters.count) parameter(s) left unused", sql: sql)
            }
            return SQLCursor(columnNames: columns, rows: lastRows, rowsRead: read, rowsWritten: Int(written))
        }
    }

    /// The database's current size in bytes (`page_count × page_size`).
    public var databaseSize: Int64 {
        get throws { try connection.run { try $0.size() } }
    }
}
