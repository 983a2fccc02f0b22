import Testing
import HearthBinary
import HearthValidation

/// The validator reads common instructions straight from the bytes; these check that it accepts
/// and rejects exactly what the decoder does, with the decoder's messages and offsets.
struct FastPathTests {
    typealias M = TestModules
    static let i32: UInt8 = 0x7F, i64: UInt8 = 0x7E

    /// The error (message, offset relative to the start of the code) or nil when valid.
    static func failure(_ code: [UInt8], locals: [UInt8] = [0x00], results: [UInt8] = [],
                        after: [[UInt8]] = []) throws -> (String, Int)? {
        let module = try ModuleDecoder.decode(M.function(results: results, locals: locals, code: code, after: after), features: .wasm2)
        do {
            try ModuleValidator.validate(module, features: .wasm2)
            return nil
        } catch {
            return (error.message, (error.offset ?? -1) - module.codes[0].code.lowerBound)
        }
    }

    @Test func longButValidIndexEncodingsAreAccepted() throws {
        let locals: [UInt8] = [0x01, 0x01, Self.i32]
        // local.get 0 as a five-byte LEB128, then as a two-byte one.
        #expect(try Self.failure([0x20, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1A, 0x20, 0x80, 0x00, 0x1A, 0x0B],
                                 locals: locals) == nil)
    }

    @Test func malformedIndexEncodingsKeepTheDecodersMessages() throws {
        let tooLarge = try Self.failure([0x20, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1A, 0x0B])
        #expect(tooLarge?.0 == "integer too large")
        #expect(tooLarge?.1 == 5)
        let tooLong = try Self.failure([0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1A, 0x0B])
        #expect(tooLong?.0 == "integer representation too long")
        #expect(tooLong?.1 == 5)
    }

    @Test func constantsAtTheEdgesOfTheirWidth() throws {
        // i32.const -2^31 (five bytes), i64.const -2^63 (ten bytes).
        #expect(try Self.failure([0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x1A, 0x0B]) == nil)
        #expect(try Self.failure([0x42] + [UInt8](repeating: 0x80, count: 9) + [0x7F, 0x1A, 0x0B]) == nil)
        // Unused bits that do not copy the sign bit.
        #expect(try Self.failure([0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x1A, 0x0B])?.0 == "integer too large")
        #expect(try Self.failure([0x42] + [UInt8](repeating: 0x80, count: 9) + [0x01, 0x1A, 0x0B])?.0
                == "integer too large")
        #expect(try Self.failure([0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1A, 0x0B])?.0
                == "integer representation too long")
    }

    @Test func bodyEndingInsideAnInstructionIsUnexpectedEnd() throws {
        // i32.const whose immediate is the final byte: the function's `end` is never reached.
        #expect(try Self.failure([0x41, 0x0B])?.0 == "unexpected end of section or function")
    }

    @Test func memoryEncodingsTheFastPathDeclines() throws {
        let memory = M.section(5, [0x01, 0x00, 0x01])
        #expect(try Self.failure([0x3F, 0x01, 0x1A, 0x0B], after: [memory])?.0 == "zero byte expected")
        #expect(try Self.failure([0x41, 0x00, 0x28, 0x20, 0x00, 0x1A, 0x0B], after: [memory])?.0
                == "malformed memop flags")
        // An alignment flag in a two-byte encoding is still fine.
        #expect(try Self.failure([0x41, 0x00, 0x28, 0x82, 0x00, 0x00, 0x1A, 0x0B], after: [memory]) == nil)
    }

    @Test func blockTypesOutsideTheOneByteFormsGoThroughTheDecoder() throws {
        #expect(try Self.failure([0x02, 0x7B, 0x0B, 0x0B])?.0 == "type mismatch")
        let vector: [UInt8] = [0xFD, 0x0C] + [UInt8](repeating: 7, count: 16)
        #expect(try Self.failure([0x02, 0x7B] + vector + [0x0B, 0x1A, 0x0B]) == nil)
        #expect(try Self.failure([0x02, 0x7F, 0x41, 0x00, 0x0B, 0x1A, 0x0B]) == nil)
        #expect(try Self.failure([0x02, 0x6F, 0xD0, 0x6F, 0x0B, 0x1A, 0x0B]) == nil)
    }

    @Test func typeErrorsPointAtTheOffendingInstruction() throws {
        // i64.const 0; i32.eqz -> the mismatch is reported at the i32.eqz (offset 2).
        let mismatch = try Self.failure([0x42, 0x00, 0x45, 0x1A, 0x0B])
        #expect(mismatch?.0 == "type mismatch")
        #expect(mismatch?.1 == 2)
        // br_table whose targets disagree in arity, with the targets read straight from the bytes.
        let code: [UInt8] = [0x02, Self.i32, 0x02, 0x40, 0x41, 0x00, 0x0E, 0x02, 0x00, 0x01, 0x01, 0x0B,
                             0x41, 0x00, 0x0B, 0x1A, 0x0B]
        #expect(try Self.failure(code)?.0 == "type mismatch")
    }

    @Test func nestedBlocksIfElseAndCallsValidate() throws {
        // (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (call 0))))
        let code: [UInt8] = [0x41, 0x01, 0x04, Self.i32, 0x41, 0x02, 0x05, 0x10, 0x00, 0x0B, 0x0B]
        #expect(try Self.failure(code, results: [Self.i32]) == nil)
        // `else` outside an `if`.
        #expect(try Self.failure([0x02, 0x40, 0x05, 0x0B, 0x0B])?.0 == "END opcode expected")
    }
}
