import Testing
import HearthBinary
import HearthValidation

/// The typing rules of instructions inside function bodies.
struct FunctionBodyTests {
    typealias M = TestModules
    static let i32: UInt8 = 0x7F, i64: UInt8 = 0x7E, f32: UInt8 = 0x7D, funcref: UInt8 = 0x70, externref: UInt8 = 0x6F

    @Test func wellTypedArithmeticIsValid() throws {
        // (i32.add (local.get 0) (i32.const 2))
        let bytes = M.function(params: [Self.i32], results: [Self.i32], code: [0x20, 0x00, 0x41, 0x02, 0x6A, 0x0B])
        #expect(try M.verdict(bytes) == nil)
    }

    @Test func aThirtyTwoBitMemoryRejectsOffsetsBeyondThirtyTwoBits() throws {
        // 3.0 reads offsets as u64: (i32.load8_u offset=2^64-16 (local.get 0)) on a 32-bit
        // memory is invalid; accepted, the address would wrap below the memory.
        let memory = M.section(5, [0x01, 0x00, 0x01])
        let huge: [UInt8] = [0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        let load = M.function(params: [Self.i32], results: [Self.i32],
                              code: [0x20, 0x00, 0x2D, 0x00] + huge + [0x0B], after: [memory])
        #expect(try M.verdict(load, features: .wasm3) == "offset out of range")
        let store = M.function(params: [Self.i32], code: [0x20, 0x00, 0x41, 0x00, 0x36, 0x02] + M.leb64(1 << 32) + [0x0B],
                               after: [memory])
        #expect(try M.verdict(store, features: .wasm3) == "offset out of range")
        let fits = M.function(params: [Self.i32], code: [0x20, 0x00, 0x41, 0x00, 0x36, 0x02] + M.leb64(0xFFFF_FFFF) + [0x0B],
                              after: [memory])
        #expect(try M.verdict(fits, features: .wasm3) == nil)
    }

    @Test func operandOfWrongTypeIsTypeMismatch() throws {
        let bytes = M.function(results: [Self.i32], code: [0x42, 0x01, 0x41, 0x02, 0x6A, 0x0B])
        #expect(try M.verdict(bytes) == "type mismatch")
    }

    @Test func missingOrExtraResultsAreTypeMismatch() throws {
        #expect(try M.verdict(M.function(results: [Self.i32], code: [0x0B])) == "type mismatch")
        #expect(try M.verdict(M.function(code: [0x41, 0x00, 0x0B])) == "type mismatch")
    }

    @Test func stackIsPolymorphicAfterUnreachableAndBranches() throws {
        // unreachable; i32.add -> i32 result fine.
        #expect(try M.verdict(M.function(results: [Self.i32], code: [0x00, 0x6A, 0x0B])) == nil)
        // br 0 then anything.
        #expect(try M.verdict(M.function(results: [Self.i32], code: [0x41, 0x01, 0x0C, 0x00, 0x1A, 0x0B])) == nil)
        // return; then an i64 where i32 is expected still mismatches.
        #expect(try M.verdict(M.function(results: [Self.i32], code: [0x0F, 0x42, 0x00, 0x0B])) == "type mismatch")
        // Polymorphic pops stop at the block boundary.
        #expect(try M.verdict(M.function(code: [0x00, 0x02, 0x40, 0x1A, 0x0B, 0x0B])) == "type mismatch")
    }

    @Test func multiValueBlocksByTypeIndex() throws {
        // type 1 = [i32] -> [i32 i32]; (i32.const 1) (block (type 1) (i32.const 2)) drop drop
        let code: [UInt8] = [0x41, 0x01, 0x02, 0x01, 0x41, 0x02, 0x0B, 0x1A, 0x1A, 0x0B]
        let bytes = M.function(code: code, extraTypes: [M.type([Self.i32], [Self.i32, Self.i32])])
        #expect(try M.verdict(bytes) == nil)
        let unknownType = M.function(code: [0x02, 0x09, 0x0B, 0x0B])
        #expect(try M.verdict(unknownType) == "unknown type 9")
    }

    @Test func loopLabelCarriesParameters() throws {
        // type 1 = [i32] -> []; (i32.const 0) (loop (type 1) (br_if 0 (i32.const 1)) drop)
        let code: [UInt8] = [0x41, 0x00, 0x03, 0x01, 0x41, 0x01, 0x0D, 0x00, 0x1A, 0x0B, 0x0B]
        #expect(try M.verdict(M.function(code: code, extraTypes: [M.type([Self.i32], [])])) == nil)
    }

    @Test func ifWithoutElseMustNotProduceResults() throws {
        let code: [UInt8] = [0x41, 0x01, 0x04, Self.i32, 0x41, 0x02, 0x0B, 0x1A, 0x0B]
        #expect(try M.verdict(M.function(code: code)) == "type mismatch")
        let withElse: [UInt8] = [0x41, 0x01, 0x04, Self.i32, 0x41, 0x02, 0x05, 0x41, 0x03, 0x0B, 0x1A, 0x0B]
        #expect(try M.verdict(M.function(code: withElse)) == nil)
    }

    @Test func brTableTargetsMustAgreeInArity() throws {
        // (block (result i32) (block (i32.const 1) (i32.const 0) (br_table 0 1)))
        let code: [UInt8] = [0x02, Self.i32, 0x02, 0x40, 0x41, 0x01, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B,
                             0x41, 0x00, 0x0B, 0x1A, 0x0B]
        #expect(try M.verdict(M.function(code: code)) == "type mismatch")
        let unknownLabel: [UInt8] = [0x41, 0x00, 0x0E, 0x00, 0x05, 0x0B]
        #expect(try M.verdict(M.function(code: unknownLabel)) == "unknown label")
    }

    @Test func selectRules() throws {
        let numeric: [UInt8] = [0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1B, 0x1A, 0x0B]
        #expect(try M.verdict(M.function(code: numeric)) == nil)
        let references: [UInt8] = [0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1B, 0x1A, 0x0B]
        #expect(try M.verdict(M.function(code: references)) == "type mismatch")
        let typed: [UInt8] = [0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1C, 0x01, 0x70, 0x1A, 0x0B]
        #expect(try M.verdict(M.function(code: typed)) == nil)
        let arity: [UInt8] = [0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1C, 0x00, 0x0B]
        #expect(try M.verdict(M.function(code: arity)) == "invalid result arity")
    }

    @Test func localsAndGlobals() throws {
        let locals: [UInt8] = [0x01, 0x02, Self.i64]
        #expect(try M.verdict(M.function(locals: locals, code: [0x20, 0x01, 0x1A, 0x0B])) == nil)
        #expect(try M.verdict(M.function(locals: locals, code: [0x20, 0x02, 0x1A, 0x0B])) == "unknown local 2")
        let immutable = M.section(6, [0x01, Self.i32, 0x00, 0x41, 0x00, 0x0B])
        let set: [UInt8] = [0x41, 0x01, 0x24, 0x00, 0x0B]
        #expect(try M.verdict(M.function(code: set, after: [immutable])) == "global is immutable")
        #expect(try M.verdict(M.function(code: [0x23, 0x01, 0x1A, 0x0B], after: [immutable])) == "unknown global 1")
    }

    @Test func memoryInstructionsNeedAMemoryAndNaturalAlignment() throws {
        let memory = M.section(5, [0x01, 0x00, 0x01])
        let load: [UInt8] = [0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B]
        #expect(try M.verdict(M.function(code: load, after: [memory])) == nil)
        #expect(try M.verdict(M.function(code: load)) == "unknown memory 0")
        let overAligned: [UInt8] = [0x41, 0x00, 0x2C, 0x01, 0x00, 0x1A, 0x0B]
        #expect(try M.verdict(M.function(code: overAligned, after: [memory])) == "alignment must not be larger than natural")
    }

    @Test func bulkMemoryNeedsDataCount() throws {
        let memory = M.section(5, [0x01, 0x00, 0x01])
        let data = M.section(11, [0x01, 0x01, 0x00])
        let drop: [UInt8] = [0xFC, 0x09, 0x00, 0x0B]
        #expect(try M.verdict(M.function(code: drop, after: [memory], trailing: [data])) == "data count section required")
        let count = M.section(12, [0x01])
        #expect(try M.verdict(M.function(code: drop, after: [memory, count], trailing: [data])) == nil)
        let dropUnknown: [UInt8] = [0xFC, 0x09, 0x01, 0x0B]
        #expect(try M.verdict(M.function(code: dropUnknown, after: [memory, count], trailing: [data]))
                == "unknown data segment 1")
    }

    @Test func callIndirectNeedsAFuncrefTable() throws {
        let code: [UInt8] = [0x41, 0x00, 0x11, 0x00, 0x00, 0x0B]
        #expect(try M.verdict(M.function(code: code)) == "unknown table 0")
        let funcTable = M.section(4, [0x01, Self.funcref, 0x00, 0x01])
        #expect(try M.verdict(M.function(code: code, after: [funcTable])) == nil)
        let externTable = M.section(4, [0x01, Self.externref, 0x00, 0x01])
        #expect(try M.verdict(M.function(code: code, after: [externTable])) == "type mismatch")
    }

    @Test func tableInstructionsUseElementTypes() throws {
        let externTable = M.section(4, [0x01, Self.externref, 0x00, 0x01])
        let getSet: [UInt8] = [0x41, 0x00, 0x41, 0x00, 0x25, 0x00, 0x26, 0x00, 0x0B]
        #expect(try M.verdict(M.function(code: getSet, after: [externTable])) == nil)
        let wrongValue: [UInt8] = [0x41, 0x00, 0xD0, 0x70, 0x26, 0x00, 0x0B]
        #expect(try M.verdict(M.function(code: wrongValue, after: [externTable])) == "type mismatch")
        let passiveFuncs = M.section(9, [0x01, 0x01, 0x00, 0x00])
        let initCode: [UInt8] = [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0C, 0x00, 0x00, 0x0B]
        #expect(try M.verdict(M.function(code: initCode, after: [externTable, passiveFuncs])) == "type mismatch")
        #expect(try M.verdict(M.function(code: [0xFC, 0x0D, 0x01, 0x0B], after: [passiveFuncs])) == "unknown elem segment 1")
    }

    @Test func refFuncNeedsADeclaredFunction() throws {
        let code: [UInt8] = [0xD2, 0x00, 0x1A, 0x0B]
        #expect(try M.verdict(M.function(code: code)) == "undeclared function reference")
        let declarative = M.section(9, [0x01, 0x03, 0x00, 0x01, 0x00])
        #expect(try M.verdict(M.function(code: code, after: [declarative])) == nil)
        let export = M.section(7, [0x01] + M.name("f") + [0x00, 0x00])
        #expect(try M.verdict(M.function(code: code, after: [export])) == nil)
    }

    @Test func malformedInstructionsAreReportedWithTheirOffset() throws {
        let bytes = M.function(code: [0x01, 0x27, 0x0B])
        let module = try ModuleDecoder.decode(bytes)
        do {
            try ModuleValidator.validate(module)
            Issue.record("accepted")
        } catch {
            #expect(error.message == "illegal opcode 27")
            #expect(error.offset == module.codes[0].code.lowerBound + 1)
            #expect(error.functionIndex == 0)
        }
    }
}
