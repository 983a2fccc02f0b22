import Testing
@testable import HearthBinary

/// The `name` custom section: decoded when well formed, silently dropped otherwise.
struct NameSectionTests {
    typealias B = ModuleBytes

    @Test func moduleFunctionAndLocalNamesDecode() throws {
        let moduleName: [UInt8] = [0x00] + B.leb(4) + B.name("mod")
        let functionNames: [UInt8] = B.name("f")
        let functions: [UInt8] = [0x01, UInt8(3 + functionNames.count - 1)] + [0x01, 0x00] + functionNames
        let locals: [UInt8] = [0x02, 0x06, 0x01, 0x00, 0x01, 0x01] + B.name("x")
        let bytes = B.module(B.section(0, B.name("name") + moduleName + functions + locals))
        let names = try #require(try ModuleDecoder.decode(bytes).names)
        #expect(names.moduleName == "mod")
        #expect(names.functionNames == [0: "f"])
        #expect(names.localNames == [0: [1: "x"]])
    }

    @Test func malformedNameSectionIsDroppedNotFatal() throws {
        // The module name subsection claims 9 bytes but the section ends first.
        let bytes = B.module(B.section(0, B.name("name") + [0x00, 0x09, 0x03, 0x61]))
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.names == nil)
        #expect(module.customSections.isEmpty)
    }
}
