import CSQLite

/// SQLite's "copy the buffer now" destructor marker, which the C macro `SQLITE_TRANSIENT` expands to.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The storage class of a column value in the current row.
public enum ColumnType: Sendable {
    case integer, real, text, blob, null
}

/// A prepared statement: bind parameters, step through rows, read typed columns. It keeps its
/// connection alive, and is finalized when released.
public final class Statement {
    let handle: OpaquePointer
    /// The connection that prepared it.
    public let database: Database

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// The statement's SQL text.
    public var sql: String { sqlite3_sql(handle).map { String(cString: $0) } ?? "" }
    /// How many parameters it takes (the largest `?NNN` index).
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }
    /// Columns in each result row.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }
    /// True when the statement makes no direct change to the database file.
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }
    /// The name of a result column.
    public func columnName(at index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }
    /// All result column names, in order.
    public var columnNames: [String] { (0..<columnCount).map { columnName(at: $0) } }

    /// How many times this statement stepped forward in a table during full scans so far
    /// (`SQLITE_STMTSTATUS_FULLSCAN_STEP`): rows it read without returning them.
    public var fullScanSteps: Int { Int(sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0)) }

    /// Binds one value to the 1-based parameter `index`.
    public func bind(_ value: SQLValue, at index: Int) throws {
        let i = Int32(index)
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, i)
        case .integer(let v): rc = sqlite3_bind_int64(handle, i, v)
        case .real(let v): rc = sqlite3_bind_double(handle, i, v)
        case .text(let v):
            if v.isEmpty {
                // An explicit empty C string, so the value binds as '' and not as NULL.
                rc = sqlite3_bind_text(handle, i, "", 0, transient)
            } else {
                var text = v
                rc = text.withUTF8 { utf8 in
                    utf8.withMemoryRebound(to: CChar.self) {
                        sqlite3_bind_text64(handle, i, $0.baseAddress, sqlite3_uint64($0.count), transient, UInt8(SQLITE_UTF8))
                    }
                }
            }
        case .blob(let v):
            rc = v.isEmpty ? sqlite3_bind_zeroblob(handle, i, 0) : v.withUnsafeBytes {
                sqlite3_bind_blob64(handle, i, $0.baseAddress, sqlite3_uint64($0.count), transient)
            }
        }
        guard rc == SQLITE_OK else { throw SQLiteError.from(database.handle, sql: sql) }
    }

    /// Binds `values` to parameters 1...n; the count must match the statement's parameters.
    public func bind(_ values: [SQLValue]) throws {
        guard values.count == parameterCount else {
            throw SQLiteError(extendedCode: SQLITE_RANGE,
                              message: "statement takes \(parameterCount) parameter(s), \(values.count) given", sql: sql)
        }
        for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
    }

    /// Advances: true when a row is available, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError.from(database.handle, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs the statement to completion, ignoring rows.
    public func run() throws { while try step() {} }

    /// Rewinds so the statement can run again; bindings are kept.
    public func reset() { sqlite3_reset(handle) }
    /// Sets every parameter back to NULL.
    public func clearBindings() { sqlite3_clear_bindings(handle) }

    /// The storage class of a column in the current row.
    public func columnType(at index: Int) -> ColumnType {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_INTEGER: return .integer
        case SQLITE_FLOAT: return .real
        case SQLITE_TEXT: return .text
        case SQLITE_BLOB: return .blob
        default: return .null
        }
    }

    /// Column `index` (from 0) of the current row as an integer, converted by SQLite's rules
    /// (NULL reads as 0).
    public func int64(at index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }
    /// Column `index` (from 0) of the current row as a double, converted by SQLite's rules
    /// (NULL reads as 0.0).
    public func double(at index: Int) -> Double { sqlite3_column_double(handle, Int32(index)) }

    /// The column as text, or nil when it is NULL. Embedded NULs are kept.
    public func string(at index: Int) -> String? {
        guard let text = sqlite3_column_text(handle, Int32(index)) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column as bytes, or nil when it is NULL.
    public func bytes(at index: Int) -> [UInt8]? {
        if columnType(at: index) == .null { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        guard count > 0, let blob = sqlite3_column_blob(handle, Int32(index)) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: blob, count: count))
    }

    /// The column as a `SQLValue` of its actual storage class.
    public func value(at index: Int) -> SQLValue {
        switch columnType(at: index) {
        case .integer: return .integer(int64(at: index))
        case .real: return .real(double(at: index))
        case .text: return .text(string(at: index) ?? "")
        case .blob: return .blob(bytes(at: index) ?? [])
        case .null: return .null
        }
    }

    /// Every column of the current row.
    public func row() -> [SQLValue] { (0..<columnCount).map { value(at: $0) } }
}
