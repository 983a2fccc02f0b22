import HearthBinary
import HearthRuntime
import HearthText
import Testing

/// Typed function references (Wasm 3.0): `call_ref`, the null branches and checks, and type
/// identity across modules and subtypes at run time.
@Suite struct TypedFunctionReferenceTests {
    @Test func callRefCallsThroughTheReferenceAndTrapsOnNull() throws {
        let h = try Harness("""
        (module
          (type $un (func (param i32) (result i32)))
          (func $double (type $un) (i32.add (local.get 0) (local.get 0)))
          (func $square (type $un) (i32.mul (local.get 0) (local.get 0)))
          (elem declare func $double $square)
          (func (export "apply") (param i32 i32) (result i32)
            (call_ref $un (local.get 1)
              (select (result (ref $un)) (ref.func $double) (ref.func $square) (local.get 0))))
          (func (export "null") (result i32) (call_ref $un (i32.const 1) (ref.null $un)))
          (func (export "tail") (param i32) (result i32) (return_call_ref $un (local.get 0) (ref.func $square))))
        """, configuration: .wasm3)
        #expect(try h.call("apply", i32(1), i32(21)) == [i32(42)])
        #expect(try h.call("apply", i32(0), i32(7)) == [i32(49)])
        #expect(try h.call("tail", i32(9)) == [i32(81)])
        #expect(h.trapMessage("null") == "null function reference")
    }

    @Test func nullBranchesAndChecksFollowTheReference() throws {
        let h = try Harness("""
        (module
          (type $f (func (result i32)))
          (func $seven (type $f) (i32.const 7))
          (elem declare func $seven)
          (func $pick (param i32) (result (ref null $f))
            (if (result (ref null $f)) (local.get 0) (then (ref.func $seven)) (else (ref.null $f))))
          (func (export "on_null") (param i32) (result i32)
            (block $isNull
              (return (call_ref $f (br_on_null $isNull (call $pick (local.get 0))))))
            (i32.const -1))
          (func (export "on_non_null") (param i32) (result i32)
            (block $some (result (ref $f))
              (br_on_non_null $some (call $pick (local.get 0)))
              (return (i32.const -2)))
            (call_ref $f))
          (func (export "as_non_null") (param i32) (result i32)
            (call_ref $f (ref.as_non_null (call $pick (local.get 0))))))
        """, configuration: .wasm3)
        #expect(try h.call("on_null", i32(1)) == [i32(7)])
        #expect(try h.call("on_null", i32(0)) == [i32(-1)])
        #expect(try h.call("on_non_null", i32(1)) == [i32(7)])
        #expect(try h.call("on_non_null", i32(0)) == [i32(-2)])
        #expect(try h.call("as_non_null", i32(1)) == [i32(7)])
        #expect(h.trapMessage("as_non_null", i32(0)) == "null reference")
    }

    @Test func callIndirectAcceptsADeclaredSubtypeOnly() throws {
        let h = try Harness("""
        (module
          (type $super (sub (func (result i32))))
          (type $sub (sub $super (func (result i32))))
          (type $lookalike (func (result i32)))
          (func $a (type $sub) (i32.const 1))
          (func $b (type $lookalike) (i32.const 2))
          (table funcref (elem $a $b))
          (func (export "as_super") (param i32) (result i32) (call_indirect (type $super) (local.get 0))))
        """, configuration: .wasm3)
        #expect(try h.call("as_super", i32(0)) == [i32(1)])
        // Same shape, but a final type with no declared supertype: not a subtype of $super.
        #expect(h.trapMessage("as_super", i32(1)) == "indirect call type mismatch")
    }

    @Test func aTableOfNonNullReferencesStartsWithItsInitializer() throws {
        let h = try Harness("""
        (module
          (type $f (func (result i32)))
          (func $nine (type $f) (i32.const 9))
          (table $t 3 (ref $f) (ref.func $nine))
          (func (export "call") (param i32) (result i32) (call_ref $f (table.get $t (local.get 0)))))
        """, configuration: .wasm3)
        #expect(try h.call("call", i32(2)) == [i32(9)])
    }

    @Test func importsMatchEquivalentRecursiveTypesOfAnotherModule() throws {
        let engine = Engine(configuration: .wasm3)
        let store = Store(engine: engine)
        let linker = Linker(engine: engine)
        let exporter = try CompiledModule(engine: engine, bytes: try WAT.parseModule("""
        (module
          (rec (type $node (func (param (ref null $node)) (result i32))))
          (func (export "f") (type $node) (i32.const 5)))
        """))
        linker.define(instance: try linker.instantiate(exporter, in: store), as: "m")
        // The same recursion group written again: the same type.
        let same = try CompiledModule(engine: engine, bytes: try WAT.parseModule("""
        (module
          (rec (type $n (func (param (ref null $n)) (result i32))))
          (import "m" "f" (func $f (type $n)))
          (func (export "g") (result i32) (call $f (ref.null $n))))
        """))
        let instance = try linker.instantiate(same, in: store)
        #expect(try instance.function("g")!.invoke([]) == [i32(5)])
        // Not recursive: a different type, though it prints alike.
        let other = try CompiledModule(engine: engine, bytes: try WAT.parseModule("""
        (module
          (type $g (func (param funcref) (result i32)))
          (type $n (func (param (ref null $g)) (result i32)))
          (import "m" "f" (func (type $n))))
        """))
        #expect { _ = try linker.instantiate(other, in: store) } throws: { ($0 as? HearthError)?.kind == .link }
    }
}
