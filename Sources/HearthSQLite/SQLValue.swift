import Foundation

/// A value SQLite stores in a cell or accepts as a bound parameter, one case per storage class.
public enum SQLValue: Equatable, Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// An INTEGER, widened to 64 bits.
    public init(_ value: Int) { self = .integer(Int64(value)) }
    /// An INTEGER (SQLite's integers are 64-bit signed).
    public init(_ value: Int64) { self = .integer(value) }
    /// A REAL (an 8-byte IEEE float in SQLite).
    public init(_ value: Double) { self = .real(value) }
    /// A TEXT value, bound as UTF-8.
    public init(_ value: String) { self = .text(value) }
    /// A BLOB holding these bytes.
    public init(_ value: [UInt8]) { self = .blob(value) }
    /// A BLOB holding a copy of the data's bytes.
    public init(_ value: Data) { self = .blob([UInt8](value)) }
    /// Booleans are stored the way SQLite itself does: 0 or 1.
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }

    /// Whether this is SQL NULL (no value, as opposed to 0 or empty text).
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The integer, if this is one.
    public var int64Value: Int64? { if case .integer(let v) = self { return v } else { return nil } }
    /// The number as a double; integers convert, like SQLite's own affinity rules.
    public var doubleValue: Double? {
        switch self {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
    /// The text, if this is text.
    public var stringValue: String? { if case .text(let v) = self { return v } else { return nil } }
    /// The bytes, if this is a blob.
    public var bytesValue: [UInt8]? { if case .blob(let v) = self { return v } else { return nil } }
}

extension SQLValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self.init(value) }
}
