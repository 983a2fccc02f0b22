import HearthRuntime
import Testing

/// The translator's operand forms (locals/constants as operands, retargeted `local.set`,
/// fused compare-and-branch, indexed memory access) must keep the plain instructions' meaning.
@Suite struct OperandFormTests {
    @Test func pendingLocalReadsSeeTheValueBeforeALaterSet() throws {
        let h = try Harness("""
        (module
          (func (export "old") (param i32) (result i32)
            (local.get 0)
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (local.get 0)
            (i32.sub))
          (func (export "tee") (param i32) (result i32)
            (local.get 0)
            (local.tee 0 (i32.const 7))
            (i32.mul)))
        """)
        #expect(try h.call("old", i32(10)) == [i32(-1)])
        #expect(try h.call("tee", i32(6)) == [i32(42)])
    }

    @Test func valuesLeftOnTheStackSurviveBlocksThatSetTheirLocal() throws {
        let h = try Harness("""
        (module
          (func (export "f") (param i32 i32) (result i32)
            (local.get 0)
            (if (local.get 1) (then (local.set 0 (i32.const 100))))
            (local.get 0)
            (i32.add)))
        """)
        #expect(try h.call("f", i32(1), i32(0)) == [i32(2)])
        #expect(try h.call("f", i32(1), i32(1)) == [i32(101)])
    }

    @Test func fusedComparesBranchLikeTheirUnfusedForms() throws {
        let h = try Harness("""
        (module
          (func (export "lt") (param i32) (result i32)
            (block (br_if 0 (i32.lt_s (i32.const 5) (local.get 0))) (return (i32.const 0)))
            (i32.const 1))
          (func (export "geu") (param i64) (result i32)
            (if (result i32) (i64.ge_u (local.get 0) (i64.const -2)) (then (i32.const 1)) (else (i32.const 0))))
          (func (export "eqz64") (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1)) (else (i32.const 0))))
          (func (export "flag") (param i32) (result i32)
            (select (i32.const 10) (i32.const 20) (i32.eq (i32.and (local.get 0) (i32.const 7)) (i32.const 3)))))
        """)
        #expect(try h.call("lt", i32(6)) == [i32(1)])
        #expect(try h.call("lt", i32(5)) == [i32(0)])
        #expect(try h.call("lt", i32(-9)) == [i32(0)])
        #expect(try h.call("geu", i64(-1)) == [i32(1)])
        #expect(try h.call("geu", i64(7)) == [i32(0)])
        #expect(try h.call("eqz64", i64(0)) == [i32(1)])
        #expect(try h.call("eqz64", .i64(1 << 40)) == [i32(0)])
        #expect(try h.call("flag", i32(11)) == [i32(10)])
        #expect(try h.call("flag", i32(12)) == [i32(20)])
    }

    @Test func indexedAccessesWrapTheAddressIn32BitsAndCheckBounds() throws {
        let h = try Harness("""
        (module (memory 1)
          (func (export "store") (param i32 i32 i32)
            (i32.store (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))) (local.get 2)))
          (func (export "load") (param i32 i32) (result i32)
            (i32.load offset=4 (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2)))))
          (func (export "byte") (param i32 i32) (result i32)
            (i32.load8_u (i32.add (local.get 0) (local.get 1)))))
        """)
        _ = try h.call("store", i32(16), i32(3), i32(0x1234_5678))
        #expect(try h.call("load", i32(12), i32(3)) == [i32(0x1234_5678)])
        // -4 + (1 << 2) wraps to 0: the access reads offset 4, as the unfused code would.
        _ = try h.call("store", i32(0), i32(1), i32(99))
        #expect(try h.call("load", i32(-4), i32(1)) == [i32(99)])
        #expect(try h.call("byte", i32(-1), i32(5)) == [i32(99)])
        #expect(h.trapMessage("load", i32(65536), i32(0)) == "out of bounds memory access")
    }

    @Test func fieldAccessesBelowAPointerWrapIn32BitsAndCheckBounds() throws {
        let h = try Harness("""
        (module (memory 1)
          (func (export "store") (param i32 i32)
            (i32.store offset=4 (i32.add (local.get 0) (i32.const -8)) (local.get 1)))
          (func (export "load") (param i32) (result i32)
            (i32.load offset=4 (i32.add (local.get 0) (i32.const -8))))
          (func (export "wide") (param i32) (result i64)
            (i64.load (i32.add (i32.const 16) (local.get 0))))
          (func (export "byte") (param i32) (result i32)
            (i32.load8_s (i32.add (local.get 0) (i32.const 1)))))
        """)
        _ = try h.call("store", i32(108), i32(-2))
        #expect(try h.call("load", i32(108)) == [i32(-2)])  // byte 104
        #expect(try h.call("wide", i32(88)) == [i64(0xFFFF_FFFE)])
        #expect(try h.call("byte", i32(103)) == [i32(-2)])
        // 4 - 8 wraps to 0xFFFFFFFC as the unfused i32.add would: + offset 4 is past the end...
        #expect(h.trapMessage("load", i32(4)) == "out of bounds memory access")
        // ...and 0xFFFFFFF8 + 16 wraps to 8: in bounds, byte 8 (plus 0 offset).
        _ = try h.call("store", i32(12), i32(77))               // 12 - 8 + 4 = 8
        #expect(try h.call("wide", i32(-8)) == [i64(77)])
        #expect(h.trapMessage("byte", i32(65535)) == "out of bounds memory access")
    }
}
