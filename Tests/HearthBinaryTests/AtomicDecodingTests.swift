import Testing
@testable import HearthBinary

/// The threads proposal in the binary format: the `shared` limits flag and the 0xFE prefix,
/// both Wasm 3.0 only (in 2.0 they stay the errors they were).
struct AtomicDecodingTests {
    typealias B = ModuleBytes

    /// Instructions are read as `CodeReaderTests` reads them, under 3.0 unless told otherwise.
    func read(_ bytes: [UInt8]) throws(HearthError) -> [Instruction] { try CodeReaderTests().read(bytes, features: .wasm3) }

    func message(_ bytes: [UInt8], features: FeatureSet = .wasm3) -> String? {
        CodeReaderTests().message(bytes, features: features)
    }

    @Test func sharedMemoryFlagsDecodeWithMaximumAndAddressType() throws {
        // Memory section, one memory: flags 0x03 (max, shared) then 0x07 (max, shared, i64).
        let shared = try ModuleDecoder.decode(B.module(B.section(5, [0x01, 0x03, 0x01, 0x02])), features: .wasm3)
        #expect(shared.memories == [MemoryType(limits: Limits(min: 1, max: 2, isShared: true))])
        let shared64 = try ModuleDecoder.decode(B.module(B.section(5, [0x01, 0x07, 0x01, 0x02])), features: .wasm3)
        #expect(shared64.memories == [MemoryType(limits: Limits(min: 1, max: 2, is64: true, isShared: true))])
        // Without a maximum it decodes; validation rejects it ("shared memory must have maximum").
        let noMax = try ModuleDecoder.decode(B.module(B.section(5, [0x01, 0x02, 0x01])), features: .wasm3)
        #expect(noMax.memories[0].limits.isShared && noMax.memories[0].limits.max == nil)
    }

    @Test func sharedFlagStaysAnErrorInWasm2() {
        #expect { try ModuleDecoder.decode(B.module(B.section(5, [0x01, 0x03, 0x01, 0x02])), features: .wasm2) } throws: { ($0 as? HearthError)?.kind == .decode }
    }

    @Test func atomicInstructionsDecodeWithTheirMemoryArgument() throws {
        let code: [UInt8] = [0xFE, 0x1E, 0x02, 0x08]       // i32.atomic.rmw.add align=4 offset=8
            + [0xFE, 0x4E, 0x42, 0x01, 0x00]                 // i64.atomic.rmw32.cmpxchg_u memory 1
            + [0xFE, 0x02, 0x03, 0x00]                       // memory.atomic.wait64
            + [0xFE, 0x03, 0x00]                             // atomic.fence
        #expect(try read(code) == [
            .atomic(.access(.i32AtomicRmwAdd, MemoryArgument(alignLog2: 2, offset: 8))),
            .atomic(.access(.i64AtomicRmw32CmpxchgU, MemoryArgument(alignLog2: 2, offset: 0, memory: 1))),
            .atomic(.access(.memoryAtomicWait64, MemoryArgument(alignLog2: 3, offset: 0))),
            .atomic(.fence),
        ])
    }

    @Test func prefixIsIllegalInWasm2AndUnassignedSubOpcodesAreIllegal() {
        #expect(message([0xFE, 0x10, 0x02, 0x00], features: .wasm2)
                == "illegal opcode fe: the module uses threads (atomics), a WebAssembly 3.0 feature, turned off (features 2.0)")
        #expect(message([0xFE, 0x04, 0x02, 0x00]) == "illegal opcode 0xfe 4")
        #expect(message([0xFE, 0x4F, 0x02, 0x00]) == "illegal opcode 0xfe 79")
        #expect(message([0xFE, 0x03, 0x01]) == "zero byte expected")
    }

    @Test func operatorShapesFollowTheOpcodeLayout() {
        #expect(AtomicOperator.allCases.count == 3 + 63)
        #expect(AtomicOperator.i64AtomicLoad32U.textName == "i64.atomic.load32_u")
        #expect(AtomicOperator.i32AtomicStore16.textName == "i32.atomic.store16")
        #expect(AtomicOperator.i64AtomicRmw8XchgU.textName == "i64.atomic.rmw8.xchg_u")
        #expect(AtomicOperator.i32AtomicRmwCmpxchg.textName == "i32.atomic.rmw.cmpxchg")
        #expect(AtomicOperator.memoryAtomicWait32.textName == "memory.atomic.wait32")
        #expect(AtomicOperator.byTextName["i64.atomic.rmw16.sub_u"] == .i64AtomicRmw16SubU)
        #expect(AtomicOperator.i64AtomicRmw16SubU.kind == .readModifyWrite(.sub))
        #expect(AtomicOperator.i64AtomicRmw16SubU.width == 2 && AtomicOperator.i64AtomicRmw16SubU.is64)
        #expect(AtomicOperator.i32AtomicRmw8CmpxchgU.kind == .compareExchange)
        #expect(AtomicOperator.i64AtomicStore.alignLog2 == 3)
    }
}
