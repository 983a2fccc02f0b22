import HearthBinary
import HearthText
import HearthValidation
import Testing

/// The typing rules of exception handling: tag types, what a catch clause hands its label, and
/// the legacy try's catch, delegate and rethrow.
struct ExceptionRulesTests {
    /// The validator's verdict on a WAT module under the 3.0 rules (nil: valid).
    func verdict(_ wat: String) throws -> String? {
        try TestModules.verdict(try WAT.parseModule(wat), features: .wasm3)
    }

    @Test func aTagTypeHasNoResultsAndThrowPopsItsParameters() throws {
        #expect(try verdict("(module (type $t (func (result i32))) (tag (type $t)))") == "non-empty tag result type")
        #expect(try verdict("(module (func (throw 0)))") == "unknown tag 0")
        #expect(try verdict("(module (tag (param i32)) (func (throw 0)))") == "type mismatch")
        #expect(try verdict("(module (tag (param i32)) (func (result f64) (throw 0 (i32.const 1))))") == nil)
    }

    @Test func aCatchClauseMustHandItsLabelExactlyThePayloadAndReference() throws {
        let tag = "(tag $e (param i32))"
        #expect(try verdict("(module \(tag) (func (result i32) (block $l (result i32) (try_table (catch $e $l)) (i32.const 0))))") == nil)
        #expect(try verdict("(module \(tag) (func (block $l (try_table (catch $e $l)))))") == "type mismatch")
        // catch_ref adds a non-null exnref, which flows into a nullable one.
        #expect(try verdict("(module \(tag) (func (result i32 exnref) (block $l (result i32 exnref) (try_table (catch_ref $e $l)) (unreachable))))") == nil)
        #expect(try verdict("(module (func (block $l (try_table (catch_all_ref $l)))))") == "type mismatch")
        // Clause labels are outside the try_table: depth 1 from within one block is unknown.
        #expect(try verdict("(module (func (try_table (catch_all 1))))") == "unknown label")
    }

    @Test func legacyCatchStartsOnThePayloadAndRethrowNeedsACatchLabel() throws {
        let tag = "(tag $e (param i64))"
        #expect(try verdict("(module \(tag) (func (result i64) (try (result i64) (do (i64.const 1)) (catch $e))))") == nil)
        #expect(try verdict("(module \(tag) (func (try (do) (catch_all (i32.const 1)))))") == "type mismatch")
        #expect(try verdict("(module \(tag) (func (try (do) (catch $e (drop) (rethrow 0)))))") == nil)
        #expect(try verdict("(module (func (block (rethrow 0))))") == "invalid rethrow label")
        #expect(try verdict("(module (func (try (do) (delegate 1))))") == "unknown label")
        #expect(try verdict("(module (func (block (try (do) (delegate 1)))))") == nil)
    }
}
