import Testing
@testable import HearthBinary

/// Instruction decoding: immediates, prefixes, reserved bytes and opcode errors, under 2.0 rules
/// unless a test names others.
struct CodeReaderTests {
    func read(_ bytes: [UInt8], features: FeatureSet = .wasm2) throws(HearthError) -> [Instruction] {
        var reader = CodeReader(bytes: bytes, range: 0..<bytes.count, features: features)
        var out: [Instruction] = []
        while !reader.isAtEnd { out.append(try reader.read()) }
        return out
    }

    func message(_ bytes: [UInt8], features: FeatureSet = .wasm2) -> String? {
        do { _ = try read(bytes, features: features); return nil } catch { return error.message }
    }

    @Test func controlAndVariableInstructions() throws {
        let code: [UInt8] = [0x02, 0x40, 0x03, 0x7F, 0x04, 0x05, 0x05, 0x0B, 0x0C, 0x01, 0x0E, 0x02, 0x00, 0x01, 0x02,
                             0x11, 0x03, 0x01, 0x1C, 0x01, 0x6F, 0x20, 0x05, 0x24, 0x80, 0x01]
        #expect(try read(code) == [
            .block(.empty), .loop(.value(.i32)), .if(.typeIndex(5)), .else, .end, .br(1),
            .brTable(BranchTable(targets: [0, 1], defaultTarget: 2)),
            .callIndirect(typeIndex: 3, table: 1), .typedSelect([.externref]), .localGet(5), .globalSet(128),
        ])
    }

    @Test func memoryAndConstantInstructions() throws {
        let code: [UInt8] = [0x28, 0x02, 0x10, 0x3B, 0x00, 0x04, 0x3F, 0x00, 0x41, 0x7F,
                             0x43, 0x00, 0x00, 0x80, 0x3F, 0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
        #expect(try read(code) == [
            .load(.i32Load, MemoryArgument(alignLog2: 2, offset: 16)),
            .store(.i32Store16, MemoryArgument(alignLog2: 0, offset: 4)),
            .memorySize(0), .i32Const(-1), .f32Const(0x3F80_0000), .f64Const(0x3FF0_0000_0000_0000),
        ])
    }

    @Test func prefixedInstructions() throws {
        let code: [UInt8] = [0xFC, 0x00, 0xFC, 0x08, 0x03, 0x00, 0xFC, 0x0A, 0x00, 0x00, 0xFC, 0x0C, 0x01, 0x02,
                             0xFC, 0x0E, 0x03, 0x04, 0xFC, 0x11, 0x05]
        #expect(try read(code) == [
            .numeric(.i32TruncSatF32S), .memoryInit(data: 3, memory: 0), .memoryCopy(destination: 0, source: 0),
            .tableInit(element: 1, table: 2), .tableCopy(destination: 3, source: 4), .tableFill(5),
        ])
    }

    @Test func referenceAndNumericInstructions() throws {
        #expect(try read([0xD0, 0x70, 0xD1, 0xD2, 0x02, 0x6A, 0xC4]) == [
            .refNull(.function), .refIsNull, .refFunc(2), .numeric(.i32Add), .numeric(.i64Extend32S),
        ])
    }

    @Test func opcodesOfTheCurrentStandardNameTheirFeatureUnderOlderRules() {
        let suffix = ", a WebAssembly 3.0 feature, turned off (features 2.0)"
        #expect(message([0x12, 0x00], features: .wasm2) == "illegal opcode 12: the module uses tail calls" + suffix)
        #expect(message([0x14, 0x00], features: .wasm2) == "illegal opcode 14: the module uses typed function references" + suffix)
        #expect(message([0xFB, 0x00, 0x00], features: .wasm2) == "illegal opcode fb: the module uses garbage collection" + suffix)
        #expect(message([0x1F, 0x40, 0x00], features: .wasm2) == "illegal opcode 1f: the module uses exception handling" + suffix)
        #expect(message([0x27]) == "illegal opcode 27")
    }

    @Test func illegalOpcodesAndReservedBytes() {
        #expect(message([0x27]) == "illegal opcode 27")
        #expect(message([0x06])?.hasPrefix("illegal opcode 06") == true)
        #expect(message([0xFC, 0x12]) == "illegal opcode 0xfc 18")
        #expect(message([0x3F, 0x01]) == "zero byte expected")
        #expect(message([0x40, 0x80, 0x00]) == "zero byte expected")
        #expect(message([0x28, 0x20, 0x00]) == "malformed memop flags")
        #expect(message([0xD0, 0x7F])?.hasPrefix("malformed reference type") == true)
        #expect(message([0x41]) == "unexpected end of section or function")
    }

    @Test func simdIsUnsupportedWhenSwitchedOff() {
        let scalarOnly = FeatureSet(version: .wasm2, simd: false)
        #expect(message([0xFD, 0x0C], features: scalarOnly)?.hasPrefix("unsupported: SIMD") == true)
        #expect(message([0x02, 0x7B], features: scalarOnly)?.hasPrefix("unsupported: SIMD") == true)
    }

    @Test func offsetsAreAbsolute() throws {
        let bytes: [UInt8] = [0xAA, 0xAA, 0x41, 0x05, 0x0B]
        var reader = CodeReader(bytes: bytes, range: 2..<5)
        #expect(reader.offset == 2)
        _ = try reader.read()
        #expect(reader.offset == 4)
        #expect(try reader.read() == .end)
        #expect(reader.isAtEnd)
    }
}
