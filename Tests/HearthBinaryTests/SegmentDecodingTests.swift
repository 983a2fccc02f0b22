import Testing
@testable import HearthBinary

/// The eight element segment encodings, the three data segment encodings, constant expressions.
struct SegmentDecodingTests {
    typealias B = ModuleBytes
    static let offsetZero: [UInt8] = [0x41, 0x00, 0x0B]
    static let refFunc0: [UInt8] = [0xD2, 0x00, 0x0B]

    func elements(_ payload: [UInt8]) throws -> [ElementSegment] {
        try ModuleDecoder.decode(B.module(B.section(9, payload))).elements
    }

    func offsetInstructions(_ mode: ElementSegment.Mode) -> [Instruction]? {
        if case .active(_, let offset) = mode { return offset.instructions }
        return nil
    }

    @Test func flags0IsActiveInTableZeroWithFunctionIndices() throws {
        let segment = try elements([0x01, 0x00] + Self.offsetZero + [0x02, 0x03, 0x04])[0]
        guard case .active(let table, let offset) = segment.mode, case .functions(let f) = segment.items else {
            Issue.record("wrong shape"); return
        }
        #expect(table == 0 && offset.instructions == [.i32Const(0)] && f == [3, 4])
        #expect(segment.type == .funcref)
    }

    @Test func flags1To3CarryAnElementKind() throws {
        let passive = try elements([0x01, 0x01, 0x00, 0x01, 0x05])[0]
        guard case .passive = passive.mode else { Issue.record("not passive"); return }
        let active = try elements([0x01, 0x02, 0x02] + Self.offsetZero + [0x00, 0x01, 0x07])[0]
        guard case .active(let table, _) = active.mode, case .functions(let f) = active.items else {
            Issue.record("not active"); return
        }
        #expect(table == 2 && f == [7])
        let declarative = try elements([0x01, 0x03, 0x00, 0x00])[0]
        guard case .declarative = declarative.mode else { Issue.record("not declarative"); return }
        #expect { try elements([0x01, 0x01, 0x01, 0x00]) } throws: { ($0 as? HearthError)?.kind == .decode }
    }

    @Test func flags4To7UseExpressions() throws {
        let four = try elements([0x01, 0x04] + Self.offsetZero + [0x01] + Self.refFunc0)[0]
        guard case .expressions(let e4) = four.items else { Issue.record("not expressions"); return }
        #expect(e4.map(\.instructions) == [[.refFunc(0)]])
        let five = try elements([0x01, 0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B])[0]
        #expect(five.type == .externref)
        guard case .passive = five.mode, case .expressions(let e5) = five.items else { Issue.record("bad 5"); return }
        #expect(e5[0].instructions == [.refNull(.extern)])
        let six = try elements([0x01, 0x06, 0x01] + Self.offsetZero + [0x70, 0x00])[0]
        guard case .active(let table, _) = six.mode else { Issue.record("bad 6"); return }
        #expect(table == 1 && six.items.count == 0)
        let seven = try elements([0x01, 0x07, 0x70, 0x01] + Self.refFunc0)[0]
        guard case .declarative = seven.mode else { Issue.record("bad 7"); return }
    }

    @Test func elementFlagsAbove7AreMalformed() {
        do {
            _ = try elements([0x01, 0x08])
            Issue.record("accepted")
        } catch {
            #expect((error as? HearthError)?.message == "malformed elements segment kind")
        }
    }

    @Test func dataSegmentEncodings() throws {
        let payload: [UInt8] = [0x03,
                                0x00] + Self.offsetZero + [0x02, 0xAA, 0xBB,
                                0x01, 0x01, 0xCC,
                                0x02, 0x00] + Self.offsetZero + [0x00]
        let module = try ModuleDecoder.decode(B.module(B.section(11, payload)))
        #expect(module.data.count == 3)
        #expect(Array(module.bytes(of: module.data[0])) == [0xAA, 0xBB])
        guard case .passive = module.data[1].mode else { Issue.record("not passive"); return }
        #expect(Array(module.bytes(of: module.data[1])) == [0xCC])
        guard case .active(let memory, let offset) = module.data[2].mode else { Issue.record("not active"); return }
        #expect(memory == 0 && offset.instructions == [.i32Const(0)] && module.data[2].range.isEmpty)
    }

    @Test func globalInitializerIsDecodedUpToEnd() throws {
        let module = try ModuleDecoder.decode(B.module(B.section(6, [0x01, 0x7E, 0x00, 0x42, 0x7F, 0x0B])))
        #expect(module.globals[0].type == GlobalType(valueType: .i64, isMutable: false))
        #expect(module.globals[0].initializer.instructions == [.i64Const(-1)])
        #expect(module.globals[0].initializer.offset == 13)
    }
}
