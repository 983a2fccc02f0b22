import Testing
@testable import HearthBinary

/// Sections, their order and sizes, and the errors (with offsets) of the module decoder.
struct ModuleDecoderTests {
    typealias B = ModuleBytes

    func failure(_ bytes: [UInt8]) -> HearthError? {
        do { _ = try ModuleDecoder.decode(bytes, features: .wasm2); return nil } catch { return error }
    }

    @Test func theDefaultRulesAreTheCurrentStandardAndOlderRulesNameWhatTheyTurnOff() throws {
        #expect(FeatureSet.default == .wasm3)
        // One struct type (a 3.0 garbage-collection type).
        let structType = B.module(B.section(1, [0x01, 0x5F, 0x01, 0x7F, 0x00]))
        #expect(try ModuleDecoder.decode(structType).types.count == 1)
        let refused = #expect(throws: HearthError.self) { try ModuleDecoder.decode(structType, features: .wasm2) }
        #expect(refused?.kind == .decode)
        #expect(refused?.message == "malformed function type: the module uses garbage collection, a WebAssembly 3.0 feature, turned off (features 2.0)")
    }

    @Test func aSubtypeNestedInASubtypeIsMalformedUnderCurrentRulesNotATurnedOffFeature() throws {
        // `sub (sub (func))`: the inner 0x50 sits where a composite type must be.
        let nested = B.module(B.section(1, [0x01, 0x50, 0x00, 0x50, 0x00, 0x60, 0x00, 0x00]))
        let refused = #expect(throws: HearthError.self) { try ModuleDecoder.decode(nested, features: .wasm3) }
        #expect(refused?.kind == .decode)
        #expect(refused?.message == "malformed composite type")
        // A final subtype under 2.0 rules still names the feature.
        let final = B.module(B.section(1, [0x01, 0x4F, 0x00, 0x60, 0x00, 0x00]))
        #expect(failure(final)?.message == "malformed function type: the module uses garbage collection, a WebAssembly 3.0 feature, turned off (features 2.0)")
    }

    @Test func declarationsPastTheImplementationLimitsAreRefusedBeforeAllocation() throws {
        func leb(_ n: Int) -> [UInt8] {
            var out: [UInt8] = [], v = n
            repeat { var b = UInt8(v & 0x7F); v >>= 7; if v != 0 { b |= 0x80 }; out.append(b) } while v != 0
            return out
        }
        // A function type claiming 1,001 parameters, a struct claiming 10,001 fields: refused at
        // the count, before any of them is read.
        let params = B.module(B.section(1, [0x01, 0x60] + leb(1_001)))
        #expect(failure(params)?.message == "implementation limit: 1001 parameters, more than 1000")
        let fields = B.module(B.section(1, [0x01, 0x5F] + leb(10_001)))
        let refused = #expect(throws: HearthError.self) { try ModuleDecoder.decode(fields, features: .wasm3) }
        #expect(refused?.kind == .decode)
        #expect(refused?.message == "implementation limit: 10001 struct fields, more than 10000")
        let thousand = B.module(B.section(1, [0x01, 0x60] + leb(1_000) + [UInt8](repeating: 0x7F, count: 1_000) + [0x00]))
        #expect(try ModuleDecoder.decode(thousand).types.count == 1)
    }

    @Test func emptyModuleDecodes() throws {
        let module = try ModuleDecoder.decode(B.header)
        #expect(module.types.isEmpty && module.functions.isEmpty && module.codes.isEmpty)
    }

    @Test func headerErrors() {
        #expect(failure([])?.message == "unexpected end")
        #expect(failure([0x00, 0x61, 0x73])?.message == "unexpected end")
        #expect(failure([0x00, 0x61, 0x73, 0x6E, 1, 0, 0, 0])?.message == "magic header not detected")
        #expect(failure([0x00, 0x61, 0x73, 0x6D, 2, 0, 0, 0])?.message == "unknown binary version")
        #expect(failure([0x00, 0x61, 0x73, 0x6D, 1, 0, 0])?.message == "unexpected end")
    }

    @Test func typesImportsAndExportsDecode() throws {
        let bytes = B.module(
            B.section(1, [0x01, 0x60, 0x02, 0x7F, 0x7E, 0x01, 0x70]),
            B.section(2, [0x04] + B.name("env") + B.name("f") + [0x00, 0x00]
                + B.name("env") + B.name("t") + [0x01, 0x6F, 0x01, 0x01, 0x05]
                + B.name("env") + B.name("m") + [0x02, 0x00, 0x02]
                + B.name("env") + B.name("g") + [0x03, 0x7D, 0x01]),
            B.section(7, [0x01] + B.name("run") + [0x00, 0x00]))
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.types == [SubType(FunctionType(parameters: [.i32, .i64], results: [.funcref]))])
        #expect(module.recursionGroups == [0..<1])
        #expect(module.imports.count == 4)
        #expect(module.imports[0].module == "env" && module.imports[0].name == "f")
        guard case .table(let table) = module.imports[1].descriptor,
              case .memory(let memory) = module.imports[2].descriptor,
              case .global(let global) = module.imports[3].descriptor else {
            Issue.record("wrong import kinds"); return
        }
        #expect(table == TableType(elementType: .externref, limits: Limits(min: 1, max: 5)))
        #expect(memory == MemoryType(limits: Limits(min: 2)))
        #expect(global == GlobalType(valueType: .f32, isMutable: true))
        #expect(module.exports.count == 1 && module.exports[0].name == "run")
        #expect(module.exports[0].descriptor == .function(0))
    }

    @Test func functionBodiesAreRangesWithDecodedLocals() throws {
        // Two groups of locals, then `i32.const 7; drop; end`.
        let body: [UInt8] = [0x02, 0x03, 0x7F, 0x01, 0x7C, 0x41, 0x07, 0x1A, 0x0B]
        let bytes = B.module(B.oneFunction(body: body)[0], B.oneFunction(body: body)[1],
                             B.oneFunction(body: body)[2])
        let module = try ModuleDecoder.decode(bytes)
        let code = module.codes[0]
        #expect(code.locals == [LocalGroup(count: 3, type: .i32), LocalGroup(count: 1, type: .f64)])
        #expect(code.localCount == 4)
        #expect(Array(module.bytes[code.code]) == [0x41, 0x07, 0x1A, 0x0B])
        #expect(code.code.upperBound == bytes.count)
    }

    @Test func sectionsOutOfOrderOrRepeatedAreRejected() {
        let type = B.section(1, [0x01, 0x60, 0x00, 0x00])
        let function = B.section(3, [0x01, 0x00])
        let error = failure(B.module(function, type))
        #expect(error?.message == "unexpected content after last section")
        #expect(error?.offset == 8 + function.count)
        #expect(failure(B.module(type, type))?.message == "unexpected content after last section")
    }

    @Test func dataCountSectionGoesBeforeCode() throws {
        let bytes = B.module(B.section(12, [0x01]), B.section(11, [0x01, 0x01, 0x00]))
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.dataCount == 1)
        #expect(module.data.count == 1)
    }

    @Test func unknownSectionIdIsMalformed() {
        let error = failure(B.header + [0x0D, 0x00])
        #expect(error?.message == "malformed section id")
        #expect(error?.offset == 8)
    }

    @Test func sectionSizeMustMatchContent() {
        // A type section claiming 5 bytes for a 4-byte payload (then one stray byte).
        let error = failure(B.header + [0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00])
        #expect(error?.message == "section size mismatch")
        #expect(error?.offset == 14)
        #expect(failure(B.header + [0x01, 0x09, 0x01, 0x60, 0x00, 0x00])?.message == "length out of bounds")
    }

    @Test func functionAndCodeCountsMustAgree() {
        let bytes = B.module(B.section(1, [0x01, 0x60, 0x00, 0x00]), B.section(3, [0x01, 0x00]))
        #expect(failure(bytes)?.message == "function and code section have inconsistent lengths")
    }

    @Test func dataCountMustMatchDataSection() {
        #expect(failure(B.module(B.section(12, [0x02]), B.section(11, [0x01, 0x01, 0x00])))?.message
                == "data count and data section have inconsistent lengths")
        #expect(failure(B.module(B.section(12, [0x01])))?.message
                == "data count and data section have inconsistent lengths")
    }

    @Test func tooManyLocals() {
        let body: [UInt8] = [0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B]
        let s = B.oneFunction(body: body)
        // Past the implementation limit of 50,000 already; the spec's message comes first.
        #expect(failure(B.module(s[0], s[1], s[2]))?.message == "too many locals: 4294967295, more than the implementation limit of 50000")
    }

    @Test func bodyWithoutFinalEndIsMalformed() {
        let s = B.oneFunction(body: [0x00, 0x41, 0x01, 0x1A])
        let error = failure(B.module(s[0], s[1], s[2]))
        #expect(error?.message == "unexpected end of section or function")
    }

    @Test func invalidUTF8NameIsMalformed() {
        let bytes = B.module(B.section(7, [0x01, 0x02, 0xC0, 0x80, 0x00, 0x00]))
        #expect(failure(bytes)?.message == "malformed UTF-8 encoding")
        let surrogate = B.module(B.section(0, [0x03, 0xED, 0xA0, 0x80]))
        #expect(failure(surrogate)?.message == "malformed UTF-8 encoding")
    }

    @Test func malformedKindsAndTypes() {
        let importKind = B.module(B.section(2, [0x01, 0x00, 0x00, 0x04, 0x00]))
        #expect(failure(importKind)?.message == "malformed import kind")
        let mutability = B.module(B.section(2, [0x01, 0x00, 0x00, 0x03, 0x7F, 0x02]))
        #expect(failure(mutability)?.message == "malformed mutability")
        let limitsFlag = B.module(B.section(5, [0x01, 0x02, 0x00]))
        #expect(failure(limitsFlag)?.message == "integer too large")
        let refType = B.module(B.section(4, [0x01, 0x7F, 0x00, 0x00]))
        #expect(failure(refType)?.message == "malformed reference type")
    }

    @Test func customSectionsAreKeptAsRanges() throws {
        let bytes = B.module(B.section(0, B.name("meta") + [0xAA, 0xBB]))
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.customSections.count == 1)
        #expect(module.customSections[0].name == "meta")
        #expect(Array(module.bytes[module.customSections[0].range]) == [0xAA, 0xBB])
    }

    @Test func customSectionNameMustFitInSection() {
        #expect(failure(B.header + [0x00, 0x00])?.message == "unexpected end of section or function")
    }
}
