/// A cursor over a byte buffer that reads the binary format's primitives: bytes, LEB128
/// integers, fixed-width floats, names and length-prefixed byte ranges.
///
/// `limit` is where reading must stop. The module decoder reads sections with `limit` at the end
/// of the file (like the reference interpreter, a section that claims fewer bytes than it uses is
/// caught afterwards as "section size mismatch"); `CodeReader` limits it to one function body.
/// Nothing here allocates except `name()`.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    let limit: Int
    /// The message for running past `limit`: plain "unexpected end" at the top level of the
    /// file, the longer form inside a section or function (the testsuite accepts either prefix).
    var endMessage: String

    init(bytes: [UInt8], position: Int = 0, limit: Int? = nil,
         endMessage: String = "unexpected end of section or function") {
        self.bytes = bytes
        self.position = position
        self.limit = limit ?? bytes.count
        self.endMessage = endMessage
    }

    var isAtEnd: Bool { position >= limit }
    var remaining: Int { limit - position }

    @inline(__always)
    mutating func byte() throws(HearthError) -> UInt8 {
        guard position < limit else { throw HearthError.decoding(endMessage, at: position) }
        let b = bytes[position]
        position += 1
        return b
    }

    /// The next byte without consuming it; nil at the limit.
    func peek() -> UInt8? { position < limit ? bytes[position] : nil }

    /// Reads `count` raw bytes as a range into `bytes` (no copy).
    mutating func range(count: Int) throws(HearthError) -> Range<Int> {
        guard count <= remaining else { throw HearthError.decoding(endMessage, at: limit) }
        let r = position..<(position + count)
        position += count
        return r
    }

    /// The element count of a vector. Not checked against the input (running out of bytes while
    /// reading the elements reports "unexpected end", as the testsuite expects); use
    /// `reservation(for:)` before reserving capacity for it.
    mutating func count() throws(HearthError) -> Int { Int(try u32()) }

    /// How much to reserve for `count` elements: no element takes less than a byte, so a corrupt
    /// count can never make a caller reserve gigabytes.
    func reservation(for count: Int) -> Int { Swift.min(count, remaining) }

    /// A section size or name length: must fit in what is left of the input
    /// ("length out of bounds").
    mutating func length() throws(HearthError) -> Int {
        let at = position
        let n = Int(try u32())
        guard n <= remaining else { throw HearthError.decoding("length out of bounds", at: at) }
        return n
    }

    // MARK: LEB128

    /// Unsigned 32-bit LEB128; the hot path for indices and counts.
    @inline(__always)
    mutating func u32() throws(HearthError) -> UInt32 {
        let first = try byte()
        if first < 0x80 { return UInt32(first) }
        return UInt32(truncatingIfNeeded: try unsignedTail(UInt64(first & 0x7F), bits: 32))
    }

    mutating func u64() throws(HearthError) -> UInt64 {
        let first = try byte()
        if first < 0x80 { return UInt64(first) }
        return try unsignedTail(UInt64(first & 0x7F), bits: 64)
    }

    /// An unsigned LEB128 of `bits` bits (e.g. 1 for limit flags, as the spec's tests expect).
    mutating func unsigned(bits: Int) throws(HearthError) -> UInt64 {
        var result: UInt64 = 0
        var shift = 0
        while true {
            let b = try byte()
            let remainingBits = bits - shift
            if remainingBits <= 7 {
                // Last byte allowed: no continuation, and the bits beyond `bits` must be zero.
                if b & 0x80 != 0 { throw HearthError.decoding("integer representation too long", at: position - 1) }
                let unused = UInt8(truncatingIfNeeded: (0x7F << remainingBits) & 0x7F)
                if b & unused != 0 { throw HearthError.decoding("integer too large", at: position - 1) }
                return result | UInt64(b) << UInt64(shift)
            }
            result |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func unsignedTail(_ low: UInt64, bits: Int) throws(HearthError) -> UInt64 {
        var result = low
        var shift = 7
        while true {
            let b = try byte()
            let remainingBits = bits - shift
            if remainingBits <= 7 {
                if b & 0x80 != 0 { throw HearthError.decoding("integer representation too long", at: position - 1) }
                let unused = UInt8(truncatingIfNeeded: (0x7F << remainingBits) & 0x7F)
                if b & unused != 0 { throw HearthError.decoding("integer too large", at: position - 1) }
                return result | UInt64(b) << UInt64(shift)
            }
            result |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A signed LEB128 of `bits` bits (32, 33 or 64), sign-extended to 64 bits.
    mutating func signed(bits: Int) throws(HearthError) -> Int64 {
        var result: Int64 = 0
        var shift = 0
        while true {
            let b = try byte()
            let remainingBits = bits - shift
            if remainingBits <= 7 {
                if b & 0x80 != 0 { throw HearthError.decoding("integer representation too long", at: position - 1) }
                // The unused high bits must all copy the sign bit (the highest used bit).
                let unused = UInt8(truncatingIfNeeded: (0x7F << (remainingBits - 1)) & 0x7F)
                let high = b & unused
                if high != 0 && high != unused { throw HearthError.decoding("integer too large", at: position - 1) }
                result |= Int64(b & 0x7F) << Int64(shift)
                shift += 7
                break
            }
            result |= Int64(b & 0x7F) << Int64(shift)
            shift += 7
            if b & 0x80 == 0 {
                if b & 0x40 != 0 { result |= -1 << Int64(shift) }
                return result
            }
        }
        // Reached only through the last allowed byte: sign-extend from its bit 6 when it fits.
        if shift < 64 && result & (1 << Int64(shift - 1)) != 0 { result |= -1 << Int64(shift) }
        return result
    }

    mutating func s32() throws(HearthError) -> Int32 {
        let first = try byte()
        if first < 0x40 { return Int32(first) }
        position -= 1
        return Int32(truncatingIfNeeded: try signed(bits: 32))
    }

    mutating func s64() throws(HearthError) -> Int64 { try signed(bits: 64) }

    // MARK: Fixed width

    mutating func fixed32() throws(HearthError) -> UInt32 {
        guard remaining >= 4 else { throw HearthError.decoding(endMessage, at: limit) }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[position + i]) << UInt32(8 * i) }
        position += 4
        return v
    }

    mutating func fixed64() throws(HearthError) -> UInt64 {
        guard remaining >= 8 else { throw HearthError.decoding(endMessage, at: limit) }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[position + i]) << UInt64(8 * i) }
        position += 8
        return v
    }

    // MARK: Names

    /// A length-prefixed UTF-8 name.
    mutating func name() throws(HearthError) -> String {
        let count = try length()
        let r = position..<(position + count)
        guard UTF8Validation.isValid(bytes, r) else {
            throw HearthError.decoding("malformed UTF-8 encoding", at: position)
        }
        position += count
        return String(decoding: bytes[r], as: UTF8.self)
    }
}
