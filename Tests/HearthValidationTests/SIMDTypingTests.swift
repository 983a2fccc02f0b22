import Testing
import HearthBinary
import HearthValidation

/// The typing rules of the vector instructions: operand types, lane index bounds, alignment.
struct SIMDTypingTests {
    typealias M = TestModules
    static let features = FeatureSet(version: .wasm2, simd: true)
    static let v128: UInt8 = 0x7B, i32: UInt8 = 0x7F
    static let memory = M.section(5, [0x01, 0x00, 0x01])
    static let zeros = [UInt8](repeating: 0, count: 16)

    func verdict(params: [UInt8] = [], results: [UInt8], _ code: [UInt8], memory: Bool = false) throws -> String? {
        try M.verdict(M.function(params: params, results: results, code: code + [0x0B],
                                 before: [], after: memory ? [Self.memory] : []), features: Self.features)
    }

    @Test func laneArithmeticTypesCheck() throws {
        // i32x4.add (v128.const 0) (v128.const 0)
        let constant = [0xFD, 0x0C] + Self.zeros
        #expect(try verdict(results: [Self.v128], constant + constant + [0xFD, 0xAE, 0x01]) == nil)
        // i32x4.add of an i32 and a v128
        #expect(try verdict(results: [Self.v128], [0x41, 0x00] + constant + [0xFD, 0xAE, 0x01]) == "type mismatch")
        // bitselect takes three vectors; shifts take a vector and an i32
        #expect(try verdict(results: [Self.v128], constant + constant + constant + [0xFD, 0x52]) == nil)
        #expect(try verdict(results: [Self.v128], constant + [0x41, 0x01, 0xFD, 0x6B]) == nil)
        // all_true yields an i32
        #expect(try verdict(results: [Self.i32], constant + [0xFD, 0x63]) == nil)
    }

    @Test func laneIndexMustBeBelowTheLaneCount() throws {
        let constant = [0xFD, 0x0C] + Self.zeros
        #expect(try verdict(results: [Self.i32], constant + [0xFD, 0x1B, 0x03]) == nil)
        #expect(try verdict(results: [Self.i32], constant + [0xFD, 0x1B, 0x04]) == "invalid lane index")
        // shuffle indices reach into both operands: 31 is fine, 32 is not
        let shuffle = [0xFD, 0x0D] + [UInt8](repeating: 31, count: 16)
        #expect(try verdict(results: [Self.v128], constant + constant + shuffle) == nil)
        let bad = [0xFD, 0x0D] + [UInt8](repeating: 0, count: 15) + [32]
        #expect(try verdict(results: [Self.v128], constant + constant + bad) == "invalid lane index")
    }

    @Test func loadsAndStoresCheckAlignmentAndLane() throws {
        let address: [UInt8] = [0x41, 0x00]
        let constant = [0xFD, 0x0C] + Self.zeros
        // v128.load align=16, v128.load8x8_s align=8, v128.load32_zero align=8 (too big)
        #expect(try verdict(results: [Self.v128], address + [0xFD, 0x00, 0x04, 0x00], memory: true) == nil)
        #expect(try verdict(results: [Self.v128], address + [0xFD, 0x01, 0x03, 0x00], memory: true) == nil)
        #expect(try verdict(results: [Self.v128], address + [0xFD, 0x5C, 0x03, 0x00], memory: true)
                == "alignment must not be larger than natural")
        // v128.store8_lane lane 15 then 16
        #expect(try verdict(results: [], address + constant + [0xFD, 0x58, 0x00, 0x00, 0x0F], memory: true) == nil)
        #expect(try verdict(results: [], address + constant + [0xFD, 0x58, 0x00, 0x00, 0x10], memory: true)
                == "invalid lane index")
        // without a memory
        #expect(try verdict(results: [Self.v128], address + [0xFD, 0x00, 0x04, 0x00]) == "unknown memory 0")
    }
}
