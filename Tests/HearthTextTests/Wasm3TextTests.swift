import HearthBinary
import Testing
@testable import HearthText

/// The 3.0 text format: annotations, GC type definitions, u64 limits and offsets, and the
/// scripts' module definitions.
struct Wasm3TextTests {
    func message(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch let error as HearthError { return error.message } catch { return "\(error)" }
    }

    @Test func annotationsAreDroppedWhereverTheyAppear() throws {
        let annotated = try WAT.parseModule("""
        ((@a) module (@a x (y "z") , ; [ ]) (func (@x) (export "f") (@"quoted name" 1 2) (result i32) (i32.const 7)) (@b))
        """)
        #expect(annotated == (try WAT.parseModule("(module (func (export \"f\") (result i32) (i32.const 7)))")))
    }

    @Test func annotationsNeedANameAndAnEnd() {
        #expect(message { try WAT.parseModule("(module (@) (func))") } == "empty annotation id")
        #expect(message { try WAT.parseModule("(module (@ x) (func))") } == "empty annotation id")
        #expect(message { try WAT.parseModule("(module (@a (func)") } == "unclosed annotation")
        #expect(message { try WAT.parseModule("(module (@a \u{01}))") } == "illegal character")
        // Outside an annotation, reserved characters are still errors.
        #expect(message { try WAT.parseModule("(module , (func))") } == "unexpected character")
    }

    @Test func recursionGroupsAndSubtypesEncode() throws {
        let bytes = try WAT.parseModule("""
        (module (rec (type $a (sub (struct (field (mut i8)) (field (ref null $b)))))
                     (type $b (sub final $a (struct (field (mut i8)) (field (ref null $b)))))))
        """)
        let module = try ModuleDecoder.decode(bytes, features: .wasm3)
        #expect(module.recursionGroups == [0..<2])
        #expect(module.types[1].isFinal && module.types[1].supertypes == [0])
        #expect(module.types[0].composite == .structure([
            FieldType(storage: .i8, isMutable: true),
            FieldType(storage: .value(.ref(ReferenceType(isNullable: true, heapType: .concrete(1)))), isMutable: false),
        ]))
    }

    @Test func limitsAndOffsetsAreU64OnlyUnder3() throws {
        #expect(message { try WAT.parseModule("(module (memory 0x1_0000_0000))", features: .wasm2) } == "i32 constant out of range")
        #expect(message { try WAT.parseModule("(module (memory 0x1_0000_0000))", features: .wasm3) } == nil)
        let load = "(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))"
        #expect(message { try WAT.parseModule(load, features: .wasm2) } == "i32 constant")
        #expect(message { try WAT.parseModule(load, features: .wasm3) } == nil)
    }

    @Test func moduleDefinitionsAndInstancesAreCommands() throws {
        let script = try WastScript.parse("""
        (module definition $M (func (export "f")))
        (module instance $I $M)
        (module instance)
        """)
        guard case .moduleDefinition(let definition) = script.commands[0].kind else { Issue.record("not a definition"); return }
        #expect(definition.name == "M")
        #expect(try definition.encode() == (try WAT.parseModule("(module $M (func (export \"f\")))")))
        guard case .moduleInstance("I", "M") = script.commands[1].kind,
              case .moduleInstance(nil, nil) = script.commands[2].kind else { Issue.record("not instances"); return }
    }

    @Test func customAnnotationsBecomePlacedCustomSections() throws {
        let bytes = try WAT.parseModule("""
        (module (@custom "late" "z") (@custom "early" (before first) "a" "b") (func) (@custom "mid" (after func) "m"))
        """)
        let module = try ModuleDecoder.decode(bytes)
        #expect(module.customSections.map(\.name) == ["early", "mid", "late"])
        #expect(module.customSections.map { Array(bytes[$0.range]) } == [Array("ab".utf8), Array("m".utf8), Array("z".utf8)])
        #expect(message { try WAT.parseModule("(module (func (@custom \"x\")))") } == "misplaced @custom annotation")
        #expect(message { try WAT.parseModule("(module (@custom \"x\" (after types)))") } == "@custom annotation: malformed section kind")
    }

    @Test func nameAnnotationsNameTheModuleAndFunctions() throws {
        let module = try ModuleDecoder.decode(try WAT.parseModule("(module $id (@name \"Modül\") (func (@name \"λ\")))"))
        #expect(module.names?.moduleName == "Modül")
        #expect(module.names?.functionNames[0] == "λ")
        #expect(message { try WAT.parseModule("(module (func) (@name \"M\"))") } == "misplaced @name annotation")
    }
}
