/// The identity of a durable object: 32 bytes shown as 64 lowercase hex digits. Ids are the only
/// thing that ever reaches the file system (as the database file name), and an id can only be
/// made from a hash, from random bytes, or from a string that is exactly 64 hex digits, so no
/// name can steer a path.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The 64 lowercase hex digits.
    public let hex: String

    /// Parses an id previously obtained from `hex`; anything but 64 hex digits is refused.
    public init(hex: String) throws {
        let lowered = hex.lowercased()
        guard lowered.utf8.count == 64, lowered.utf8.allSatisfy({ ObjectID.isHexDigit($0) }) else {
            throw ObjectError.invalidObjectID(hex)
        }
        self.hex = lowered
    }

    init(bytes: [UInt8]) {
        precondition(bytes.count == 32)
        hex = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
        }.joined()
    }

    /// The id for `name` in `namespace`: SHA-256 over both, with the namespace length first so
    /// ("ab", "c") and ("a", "bc") differ.
    static func derived(namespace: String, name: String) -> ObjectID {
        var input = Array("hearth-object-id:\(namespace.utf8.count):".utf8)
        input += Array(namespace.utf8)
        input += Array(name.utf8)
        return ObjectID(bytes: SHA256.digest(input))
    }

    /// A fresh random id.
    static func random() -> ObjectID {
        var generator = SystemRandomNumberGenerator()
        return ObjectID(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The database file name for this id (never derived from user input directly).
    var fileName: String { "\(hex).sqlite" }

    public var description: String { hex }
    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
    }
}
