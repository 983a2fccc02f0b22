import Testing
@testable import HearthBinary

/// The 0xFD-prefixed vector instructions: each immediate form, the feature switch and bad opcodes.
struct SIMDDecodingTests {
    static let simd = FeatureSet(version: .wasm2, simd: true)

    func read(_ bytes: [UInt8], features: FeatureSet = SIMDDecodingTests.simd) throws(HearthError) -> [Instruction] {
        var reader = CodeReader(bytes: bytes, range: 0..<bytes.count, features: features)
        var out: [Instruction] = []
        while !reader.isAtEnd { out.append(try reader.read()) }
        return out
    }

    func message(_ bytes: [UInt8], features: FeatureSet = SIMDDecodingTests.simd) -> String? {
        do { _ = try read(bytes, features: features); return nil } catch { return error.message }
    }

    @Test func everyImmediateFormDecodes() throws {
        let constant: [UInt8] = Array(0..<16)
        let code: [UInt8] = [0xFD, 0x00, 0x04, 0x10]                   // v128.load align=16 offset=16
            + [0xFD, 0x0C] + constant                                  // v128.const
            + [0xFD, 0x0D] + constant.map { $0 * 2 }                   // i8x16.shuffle
            + [0xFD, 0x15, 0x0F]                                       // i8x16.extract_lane_s 15
            + [0xFD, 0x57, 0x03, 0x08, 0x01]                           // v128.load64_lane align=8 offset=8 lane 1
            + [0xFD, 0xAE, 0x01]                                       // i32x4.add (two-byte LEB sub-opcode)
        #expect(try read(code) == [
            .simd(.memory(.v128Load, MemoryArgument(alignLog2: 4, offset: 16))),
            .simd(.constant(V128Bits(low: 0x0706_0504_0302_0100, high: 0x0F0E_0D0C_0B0A_0908))),
            .simd(.shuffle(V128Bits(bytes: constant.map { $0 * 2 }))),
            .simd(.lane(.i8x16ExtractLaneS, lane: 15)),
            .simd(.memoryLane(.v128Load64Lane, MemoryArgument(alignLog2: 3, offset: 8), lane: 1)),
            .simd(.plain(.i32x4Add)),
        ])
    }

    @Test func simdIsRejectedAsUnsupportedWhenTheFeatureIsOff() {
        #expect(message([0xFD, 0xAE, 0x01], features: FeatureSet(version: .wasm2, simd: false)) == "unsupported: SIMD instructions (0xFD prefix)")
    }

    @Test func unassignedSubOpcodesAreIllegal() {
        #expect(message([0xFD, 0x9A, 0x01]) == "illegal opcode 0xfd 154")
        #expect(message([0xFD, 0x80, 0x02]) == "illegal opcode 0xfd 256")
    }

    @Test func truncatedConstantIsUnexpectedEnd() {
        #expect(message([0xFD, 0x0C, 0x01, 0x02]) != nil)
    }

    @Test func operatorTableHasAllWasm2Instructions() {
        #expect(SIMDOperator.allCases.filter { !$0.isRelaxed }.count == 236)
        #expect(SIMDOperator.byTextName["f64x2.convert_low_i32x4_u"] == .f64x2ConvertLowI32x4U)
        #expect(SIMDOperator.f64x2ConvertLowI32x4U.rawValue == 0xFF)
        #expect(SIMDOperator.v128Load32Zero.maxAlignLog2 == 2)
        #expect(SIMDOperator.v128Store16Lane.isStore)
        #expect(!SIMDOperator.v128Load16Lane.isStore)
        #expect(SIMDOperator.v128Load16Lane.laneCount == 8)
        #expect(SIMDOperator.i64x2ReplaceLane.signature.operands == [.v128, .i64])
        #expect(SIMDOperator.i8x16Bitmask.signature.results == [.i32])
    }
}

/// Relaxed SIMD (sub-opcodes 0x100 and up) belongs to Wasm 3.0.
@Suite struct RelaxedSIMDDecodingTests {
    @Test func relaxedOperatorsDecodeUnderWasm3Only() throws {
        // 0xFD, LEB128 0x112 (i16x8.relaxed_dot_i8x16_i7x16_s)
        let bytes: [UInt8] = [0xFD, 0x92, 0x02]
        var reader3 = CodeReader(bytes: bytes, range: 0..<3, features: .wasm3)
        #expect(try reader3.read() == .simd(.plain(.i16x8RelaxedDotI8x16I7x16S)))
        var reader2 = CodeReader(bytes: bytes, range: 0..<3, features: .wasm2)
        #expect { _ = try reader2.read() } throws: { ($0 as? HearthError)?.kind == .decode }
        #expect(SIMDOperator.allCases.filter(\.isRelaxed).count == 20)
    }
}
