/// Builds module binaries by hand for the tests: the header plus sections, with the section
/// sizes computed so each test spells out only the bytes it is about.
enum ModuleBytes {
    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    static func section(_ id: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [id] + leb(UInt32(payload.count)) + payload
    }

    static func module(_ sections: [UInt8]...) -> [UInt8] {
        header + sections.flatMap { $0 }
    }

    static func leb(_ value: UInt32) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    static func name(_ s: String) -> [UInt8] { leb(UInt32(s.utf8.count)) + Array(s.utf8) }

    /// A type section with one `[] -> []` type, a function section with one function of it and a
    /// code section with that body (given without its size prefix).
    static func oneFunction(body: [UInt8], types: [UInt8] = [0x01, 0x60, 0x00, 0x00]) -> [[UInt8]] {
        [section(1, types), section(3, [0x01, 0x00]),
         section(10, [0x01] + leb(UInt32(body.count)) + body)]
    }
}
