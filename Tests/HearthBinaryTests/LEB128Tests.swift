import Testing
@testable import HearthBinary

/// LEB128 edge cases, as binary-leb128.wast exercises them.
struct LEB128Tests {
    func readU32(_ bytes: [UInt8]) throws(HearthError) -> UInt32 {
        var r = ByteReader(bytes: bytes)
        return try r.u32()
    }

    func readS32(_ bytes: [UInt8]) throws(HearthError) -> Int32 {
        var r = ByteReader(bytes: bytes)
        return try r.s32()
    }

    func readS64(_ bytes: [UInt8]) throws(HearthError) -> Int64 {
        var r = ByteReader(bytes: bytes)
        return try r.s64()
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return (error as? HearthError)?.message }
    }

    @Test func unsignedAcceptsRedundantZeroBytesUpToFiveBytes() throws {
        #expect(try readU32([0x80, 0x80, 0x80, 0x80, 0x00]) == 0)
        #expect(try readU32([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == UInt32.max)
        #expect(try readU32([0xE5, 0x8E, 0x26]) == 624_485)
    }

    @Test func unsignedRejectsSixthByte() {
        #expect(message { _ = try readU32([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) } == "integer representation too long")
    }

    @Test func unsignedRejectsUnusedBitsInLastByte() {
        #expect(message { _ = try readU32([0x80, 0x80, 0x80, 0x80, 0x10]) } == "integer too large")
        #expect(message { _ = try readU32([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]) } == "integer too large")
    }

    @Test func signedDecodesNegativeAndSignExtendedForms() throws {
        #expect(try readS32([0x7F]) == -1)
        #expect(try readS32([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) == -1)
        #expect(try readS32([0x80, 0x80, 0x80, 0x80, 0x78]) == Int32.min)
        #expect(try readS32([0xFF, 0xFF, 0xFF, 0xFF, 0x07]) == Int32.max)
        #expect(try readS64([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F]) == Int64.min)
        #expect(try readS64([0xC0, 0xBB, 0x78]) == -123_456)
    }

    @Test func signedRejectsUnusedBitsThatAreNotTheSignExtension() {
        #expect(message { _ = try readS32([0x80, 0x80, 0x80, 0x80, 0x70]) } == "integer too large")
        #expect(message { _ = try readS32([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) } == "integer too large")
        #expect(message { _ = try readS64([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) } == "integer too large")
        #expect(message { _ = try readS64([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7E]) } == "integer too large")
    }

    @Test func signedRejectsTooManyBytes() {
        #expect(message { _ = try readS32([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) } == "integer representation too long")
    }

    @Test func truncatedIntegerIsUnexpectedEnd() {
        var r = ByteReader(bytes: [0x80, 0x80])
        #expect(message { _ = try r.u32() } == "unexpected end of section or function")
    }
}
