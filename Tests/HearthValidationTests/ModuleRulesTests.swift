import Testing
import HearthBinary
import HearthValidation

/// Module-level rules: limits, memories, exports, start, constant expressions, segments.
struct ModuleRulesTests {
    typealias M = TestModules

    func verdict(_ sections: [UInt8]...) throws -> String? {
        try M.verdict(M.header + sections.flatMap { $0 })
    }

    @Test func memoryLimits() throws {
        #expect(try verdict(M.section(5, [0x01, 0x01, 0x02, 0x01])) == "size minimum must not be greater than maximum")
        #expect(try verdict(M.section(5, [0x01, 0x00] + M.leb(65537))) == "memory size must be at most 65536 pages (4GiB)")
        #expect(try verdict(M.section(5, [0x01, 0x00] + M.leb(65536))) == nil)
    }

    @Test func atMostOneMemoryInWasm2() throws {
        let two = M.header + M.section(5, [0x02, 0x00, 0x00, 0x00, 0x00])
        #expect(try M.verdict(two) == "multiple memories")
        #expect(try M.verdict(two, features: .wasm3) == nil)
    }

    @Test func multipleTablesAndMemoriesCanBeTurnedOff() throws {
        let twoTables = M.header + M.section(4, [0x02, 0x70, 0x00, 0x00, 0x70, 0x00, 0x00])
        let twoMemories = M.header + M.section(5, [0x02, 0x00, 0x00, 0x00, 0x00])
        var oneOfEach = FeatureSet.wasm3
        oneOfEach.multipleTables = false
        oneOfEach.multipleMemories = false
        #expect(try M.verdict(twoTables, features: oneOfEach) == "multiple tables")
        #expect(try M.verdict(twoMemories, features: oneOfEach) == "multiple memories")
        #expect(try M.verdict(twoTables, features: .wasm3) == nil)
        var noMemory64 = FeatureSet.wasm3
        noMemory64.memory64 = false
        #expect { try M.verdict(M.header + M.section(5, [0x01, 0x04, 0x00]), features: noMemory64) } throws: { ($0 as? HearthError)?.kind == .decode }
        #expect(try M.verdict(M.header + M.section(5, [0x01, 0x04, 0x00]), features: .wasm3) == nil)
    }

    @Test func tableLimits() throws {
        #expect(try verdict(M.section(4, [0x01, 0x70, 0x01, 0x03, 0x02])) == "size minimum must not be greater than maximum")
    }

    @Test func exportNamesMustBeDistinctAsBytes() throws {
        let memory = M.section(5, [0x01, 0x00, 0x00])
        let same = M.section(7, [0x02] + M.name("m") + [0x02, 0x00] + M.name("m") + [0x02, 0x00])
        #expect(try verdict(memory, same) == "duplicate export name")
        // "\u{C5}" and "A\u{30A}" are canonically equivalent but different names.
        let distinct = M.section(7, [0x02] + M.name("\u{C5}") + [0x02, 0x00] + M.name("A\u{30A}") + [0x02, 0x00])
        #expect(try verdict(memory, distinct) == nil)
        // A duplicate is found wherever it stands; a name and its prefix are distinct.
        let apart = M.section(7, [0x03] + M.name("m") + [0x02, 0x00] + M.name("mm") + [0x02, 0x00] + M.name("m") + [0x02, 0x00])
        #expect(try verdict(memory, apart) == "duplicate export name")
        let prefix = M.section(7, [0x02] + M.name("mm") + [0x02, 0x00] + M.name("m") + [0x02, 0x00])
        #expect(try verdict(memory, prefix) == nil)
        #expect(try verdict(M.section(7, [0x01] + M.name("g") + [0x03, 0x00])) == "unknown global 0")
    }

    @Test func startFunctionMustTakeAndReturnNothing() throws {
        let ok = M.function(code: [0x0B], after: [M.section(8, [0x00])])
        #expect(try M.verdict(ok) == nil)
        let withResult = M.function(results: [0x7F], code: [0x41, 0x00, 0x0B], after: [M.section(8, [0x00])])
        #expect(try M.verdict(withResult) == "start function")
        let missing = M.function(code: [0x0B], after: [M.section(8, [0x01])])
        #expect(try M.verdict(missing) == "unknown function 1")
    }

    @Test func globalInitializersAreConstantAndTyped() throws {
        #expect(try verdict(M.section(6, [0x01, 0x7F, 0x00, 0x41, 0x00, 0x0B])) == nil)
        #expect(try verdict(M.section(6, [0x01, 0x7F, 0x00, 0x42, 0x00, 0x0B])) == "type mismatch")
        #expect(try verdict(M.section(6, [0x01, 0x7F, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6A, 0x0B])) == "constant expression required")
        #expect(try verdict(M.section(6, [0x01, 0x7F, 0x00, 0x0B])) == "type mismatch")
    }

    @Test func globalGetInInitializersFollowsTheVersionRules() throws {
        let two = M.section(6, [0x02, 0x7F, 0x00, 0x41, 0x00, 0x0B, 0x7F, 0x00, 0x23, 0x00, 0x0B])
        #expect(try verdict(two) == "unknown global 0")
        #expect(try M.verdict(M.header + two, features: .wasm3) == nil)
        let imported = M.section(2, [0x01] + M.name("m") + M.name("g") + [0x03, 0x7F, 0x01])
        let readsMutable = M.section(6, [0x01, 0x7F, 0x00, 0x23, 0x00, 0x0B])
        #expect(try verdict(imported, readsMutable) == "constant expression required")
    }

    @Test func elementSegmentsMatchTheirTable() throws {
        let types = M.section(1, [0x01] + M.type([], []))
        let functions = M.section(3, [0x01, 0x00])
        let externTable = M.section(4, [0x01, 0x6F, 0x00, 0x01])
        let active = M.section(9, [0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00])
        let code = M.section(10, [0x01, 0x02, 0x00, 0x0B])
        #expect(try verdict(types, functions, externTable, active, code) == "type mismatch")
        #expect(try verdict(types, functions, active, code) == "unknown table 0")
        let badOffset = M.section(9, [0x01, 0x00, 0x42, 0x00, 0x0B, 0x01, 0x00])
        let funcTable = M.section(4, [0x01, 0x70, 0x00, 0x01])
        #expect(try verdict(types, functions, funcTable, badOffset, code) == "type mismatch")
        let unknownFunction = M.section(9, [0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x05])
        #expect(try verdict(types, functions, funcTable, unknownFunction, code) == "unknown function 5")
    }

    @Test func dataSegmentsNeedTheirMemory() throws {
        let data = M.section(11, [0x01, 0x00, 0x41, 0x00, 0x0B, 0x00])
        #expect(try verdict(data) == "unknown memory 0")
        #expect(try verdict(M.section(5, [0x01, 0x00, 0x00]), data) == nil)
    }

    @Test func blockSignatureResolvesAllThreeForms() throws {
        let module = try ModuleDecoder.decode(M.header + M.section(1, [0x01] + M.type([0x7F], [0x7E, 0x7D])))
        #expect(ModuleValidator.blockSignature(.empty, in: module) == FunctionType())
        #expect(ModuleValidator.blockSignature(.value(.f64), in: module) == FunctionType(results: [.f64]))
        #expect(ModuleValidator.blockSignature(.typeIndex(0), in: module)
                == FunctionType(parameters: [.i32], results: [.i64, .f32]))
    }

    @Test func aSubtypeChainDeeperThanSixtyThreeIsRefused() throws {
        // Types 0...n: each a non-final struct subtype of the one before.
        func chain(_ n: Int) -> [UInt8] {
            var entries: [UInt8] = [0x50, 0x00, 0x5F, 0x00]  // sub () (struct)
            for i in 1...n { entries += [0x50, 0x01, UInt8(i - 1), 0x5F, 0x00] }
            return M.header + M.section(1, [UInt8(n + 1)] + entries)
        }
        #expect(try M.verdict(chain(63), features: .wasm3) == nil)
        #expect(try M.verdict(chain(64), features: .wasm3) == "implementation limit: subtype chain of type 64 deeper than 63")
    }
}
