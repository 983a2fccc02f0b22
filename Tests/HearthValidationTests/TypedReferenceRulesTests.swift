import HearthBinary
import HearthText
import HearthValidation
import Testing

/// The 3.0 typing rules of references: subtyping between defined and abstract types,
/// iso-recursive type equivalence, declared supertypes, and non-nullable locals.
struct TypedReferenceRulesTests {
    /// The validator's verdict on a WAT module under the 3.0 rules (nil: valid).
    func verdict(_ wat: String) throws -> String? {
        try TestModules.verdict(try WAT.parseModule(wat), features: .wasm3)
    }

    @Test func aNonNullableLocalMustBeSetBeforeItIsRead() throws {
        let prefix = "(module (type $f (func)) (func $g) (elem declare func $g) (func (local (ref $f))"
        #expect(try verdict(prefix + " (drop (local.get 0))))") == "uninitialized local 0")
        #expect(try verdict(prefix + " (local.set 0 (ref.func $g)) (drop (local.get 0))))") == nil)
        // A set inside a block counts only until the block ends.
        #expect(try verdict(prefix + " (block (local.set 0 (ref.func $g))) (drop (local.get 0))))") == "uninitialized local 0")
        // Nullable locals default to null and may be read at once.
        #expect(try verdict("(module (type $f (func)) (func (local (ref null $f)) (drop (local.get 0))))") == nil)
    }

    @Test func aSubtypeFlowsWhereItsSupertypeIsExpectedButNotTheReverse() throws {
        let types = "(type $super (sub (func))) (type $sub (sub $super (func)))"
        #expect(try verdict("(module \(types) (func (param (ref $sub)) (result (ref null $super)) (local.get 0)))") == nil)
        #expect(try verdict("(module \(types) (func (param (ref $sub)) (result funcref) (local.get 0)))") == nil)
        #expect(try verdict("(module \(types) (func (param (ref null $super)) (result (ref $sub)) (local.get 0)))") == "type mismatch")
        // Nullable never flows into non-nullable.
        #expect(try verdict("(module \(types) (func (param (ref null $sub)) (result (ref $super)) (local.get 0)))") == "type mismatch")
    }

    @Test func identicalRecursionGroupsDefineTheSameTypes() throws {
        let types = """
          (rec (type $a (func (param (ref null $a)))))
          (rec (type $b (func (param (ref null $b)))))
          (rec (type $c (func (param (ref null $a)))))
        """
        // $a and $b are the same recursive type; $c refers to $a from outside its group.
        #expect(try verdict("(module \(types) (func (param (ref $a)) (result (ref $b)) (local.get 0)))") == nil)
        #expect(try verdict("(module \(types) (func (param (ref $a)) (result (ref $c)) (local.get 0)))") == "type mismatch")
    }

    @Test func aDeclaredSupertypeMustBeOpenAndMatch() throws {
        #expect(try verdict("(module (type $s (func)) (type (sub $s (func))))")?.hasPrefix("sub type") == true)
        #expect(try verdict("(module (type $s (sub (func (param i32)))) (type (sub $s (func))))")?.hasPrefix("sub type") == true)
        #expect(try verdict("(module (type $s (sub (func (param i32)))) (type (sub $s (func (param i32)))))") == nil)
        // A supertype must be defined before its subtype.
        #expect(try verdict("(module (rec (type (sub 1 (func))) (type (sub (func)))))") == "unknown type 1")
    }

    @Test func typesMayOnlyNameDefinedTypes() throws {
        #expect(try verdict("(module (func (drop (block (result (ref 1)) (unreachable)))))") == "unknown type 1")
        #expect(try verdict("(module (func (drop (if (result (ref 1)) (then) (else)))))") == "unknown type 1")
        #expect(try verdict("(module (func (local (ref null 3))))") == "unknown type 3")
    }
}
