import CSQLite

/// A run-time limit of a connection (`sqlite3_limit`); SQLite only ever lowers these below its
/// compile-time maxima, which is what makes them usable as caps on untrusted SQL.
public enum SQLiteLimit: Sendable, CaseIterable {
    /// Largest string, blob or row, in bytes.
    case length
    /// Longest SQL statement text, in bytes.
    case sqlLength
    /// Most columns in a table, index, view, result set or ORDER BY/GROUP BY.
    case columns
    /// Deepest expression tree.
    case expressionDepth
    /// Most terms in a compound SELECT.
    case compoundSelect
    /// Most bound parameters (highest `?NNN`).
    case variableNumber
    /// Deepest trigger recursion.
    case triggerDepth
    /// Most attached databases.
    case attached
    /// Longest LIKE/GLOB pattern.
    case likePatternLength

    var identifier: Int32 {
        switch self {
        case .length: return SQLITE_LIMIT_LENGTH
        case .sqlLength: return SQLITE_LIMIT_SQL_LENGTH
        case .columns: return SQLITE_LIMIT_COLUMN
        case .expressionDepth: return SQLITE_LIMIT_EXPR_DEPTH
        case .compoundSelect: return SQLITE_LIMIT_COMPOUND_SELECT
        case .variableNumber: return SQLITE_LIMIT_VARIABLE_NUMBER
        case .triggerDepth: return SQLITE_LIMIT_TRIGGER_DEPTH
        case .attached: return SQLITE_LIMIT_ATTACHED
        case .likePatternLength: return SQLITE_LIMIT_LIKE_PATTERN_LENGTH
        }
    }
}
