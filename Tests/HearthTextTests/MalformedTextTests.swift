import Testing
@testable import HearthText

/// Malformed text is rejected with the testsuite's messages; invalid (ill-typed) text is not.
struct MalformedTextTests {
    @Test func unknownInstructionIsAnUnknownOperator() {
        #expect(textErrorMessage { try WAT.parseModule("(func (i32.frobnicate))") } == "unknown operator i32.frobnicate")
    }

    @Test func duplicateIdentifiersAreRejected() {
        #expect(textErrorMessage { try WAT.parseModule("(func $f) (func $f)") } == "duplicate func")
        #expect(textErrorMessage { try WAT.parseModule("(func (param $x i32) (local $x i32))") } == "duplicate local")
    }

    @Test func importsAfterDefinitionsAreRejected() {
        #expect(textErrorMessage { try WAT.parseModule("(memory 0) (import \"\" \"\" (func))") } == "import after memory")
        #expect(textErrorMessage { try WAT.parseModule("(func) (func (import \"\" \"\"))") } == "import after function")
    }

    @Test func unknownAndMismatchingLabelsAreRejected() {
        #expect(textErrorMessage { try WAT.parseModule("(func block $a br $b end)") } == "unknown label")
        #expect(textErrorMessage { try WAT.parseModule("(func block $a end $b)") } == "mismatching label")
    }

    @Test func unknownIdentifiersAreMalformed() {
        #expect(textErrorMessage { try WAT.parseModule("(func call $nowhere)") } == "unknown func $nowhere")
    }

    @Test func constantsOutOfRangeAreRejected() {
        #expect(textErrorMessage { try WAT.parseModule("(func i32.const 4294967296 drop)") } == "constant out of range")
        #expect(textErrorMessage { try WAT.parseModule("(func f32.const 0x1p128 drop)") } == "constant out of range")
        #expect(textErrorMessage { try WAT.parseModule("(func i32.const 1__0 drop)") } == "unknown operator")
    }

    @Test func alignmentMustBeAPowerOfTwo() {
        #expect(textErrorMessage { try WAT.parseModule("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))") } == "alignment must be a power of two")
    }

    @Test func inlineSignatureMustMatchTheReferencedType() {
        let text = "(type $t (func (param i32))) (func (type $t) (param i64))"
        #expect(textErrorMessage { try WAT.parseModule(text) } == "inline function type")
    }

    @Test func tokensMustBeSeparated() {
        #expect(textErrorMessage { try WAT.parseModule("(data $l\"a\")") } == "unknown operator")
    }

    @Test func ilTypedModulesStillEncode() throws {
        // A type error is validation's business: the text layer must produce the binary.
        let bytes = try WAT.parseModule("(func (result i32) (i64.const 0))")
        #expect(bytes.count > 8)
    }

    @Test func errorsCarryLineAndColumn() {
        do {
            _ = try WAT.parseModule("(module\n  (func (bogus)))")
            Issue.record("expected an error")
        } catch let error as HearthError {
            #expect(error.position?.line == 2)
            #expect(error.position?.column == 10)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
