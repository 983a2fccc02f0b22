import Testing
@testable import HearthText

/// Numeric literals and string escapes, converted exactly.
struct LiteralTests {
    @Test func integersAcceptSignedAndUnsignedSpellings() throws {
        #expect(try NumberLiterals.parseInteger("4294967295", bits: 32) == 0xFFFF_FFFF)
        #expect(try NumberLiterals.parseInteger("-2147483648", bits: 32) == 0x8000_0000)
        #expect(try NumberLiterals.parseInteger("0x1_0", bits: 32) == 16)
        #expect(try NumberLiterals.parseInteger("-1", bits: 64) == UInt64.max)
        #expect(throws: NumberError.self) { try NumberLiterals.parseInteger("-2147483649", bits: 32) }
        #expect(throws: NumberError.self) { try NumberLiterals.parseInteger("18446744073709551616", bits: 64) }
    }

    @Test func f32RoundsDirectlyFromDecimalDigitsToNearestEven() throws {
        // Exactly halfway between 1 and the next float: ties to even (1.0).
        #expect(try NumberLiterals.parseF32("1.000000059604644775390625") == 0x3F80_0000)
        // A hair above halfway rounds up; going via Double would lose the hair.
        #expect(try NumberLiterals.parseF32("1.00000005960464477539062500001") == 0x3F80_0001)
        #expect(try NumberLiterals.parseF32("0.1") == 0x3DCC_CCCD)
        #expect(try NumberLiterals.parseF32("1e-45") == 1)  // rounds to the smallest subnormal
        #expect(try NumberLiterals.parseF32("-0") == 0x8000_0000)
    }

    @Test func hexFloatsRoundWithStickyBits() throws {
        #expect(try NumberLiterals.parseF32("0x1.8p3") == 0x4140_0000)
        #expect(try NumberLiterals.parseF32("0x1.00000100000000000p-50") == 0x2680_0000)
        #expect(try NumberLiterals.parseF32("0x1.000001000000000001p-50") == 0x2680_0001)
        #expect(try NumberLiterals.parseF64("0x1.fffffffffffffp1023") == 0x7FEF_FFFF_FFFF_FFFF)
        #expect(try NumberLiterals.parseF64("0x1p-1074") == 1)
    }

    @Test func specialFloatSpellings() throws {
        #expect(try NumberLiterals.parseF32("inf") == 0x7F80_0000)
        #expect(try NumberLiterals.parseF32("-nan") == 0xFFC0_0000)
        #expect(try NumberLiterals.parseF32("nan:0x200000") == 0x7FA0_0000)
        #expect(try NumberLiterals.parseF64("+nan:0x1") == 0x7FF0_0000_0000_0001)
        #expect(throws: NumberError.self) { try NumberLiterals.parseF32("nan:0x800000") }
        #expect(throws: NumberError.self) { try NumberLiterals.parseF64("1e309") }
        #expect(throws: NumberError.self) { try NumberLiterals.parseF64("1.e") }
    }

    @Test func stringsDecodeEscapesToRawBytes() throws {
        let lexer = try Lexer(source: Array(#""a\t\n\\\'\"\u{1F600}\ff""#.utf8))
        #expect(lexer.strings[0] == [0x61, 0x09, 0x0A, 0x5C, 0x27, 0x22, 0xF0, 0x9F, 0x98, 0x80, 0xFF])
    }

    @Test func blockCommentsNest() throws {
        let lexer = try Lexer(source: Array("(; a (; b ;) c ;) x ;; y\n z".utf8))
        #expect(lexer.tokens.map { lexer.text($0) } == ["x", "z"])
    }
}
