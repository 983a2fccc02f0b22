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

    // Accumulator forms: a result consumed by the very next instruction travels in a register.
    // Each function first writes a decoy value into the home slot the chain will use, so a
    // consumer that read the slot instead of the register would see the decoy.

    @Test func integerChainsThroughTheAccumulatorComputeExactResults() throws {
        let h = try Harness("""
        (module
          (func (export "i32") (param i32 i32 i32) (result i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (i32.xor (i32.mul (i32.add (local.get 0) (local.get 1)) (local.get 2))
                     (i32.shr_u (i32.sub (local.get 2) (local.get 0)) (i32.const 3))))
          (func (export "lhs") (param i32 i32) (result i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (i32.sub (i32.shl (local.get 0) (i32.const 4)) (local.get 1)))
          (func (export "i64") (param i64 i64) (result i64)
            (drop (i64.add (local.get 0) (i64.const 1000)))
            (i64.rotl (i64.mul (i64.xor (local.get 0) (local.get 1)) (i64.const 0x9E3779B97F4A7C15)) (i64.const 31)))
          (func (export "unary") (param i32) (result i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (i32.add (i32.clz (i32.and (local.get 0) (i32.const 0xFF00))) (i32.const 1)))
          (func (export "flag") (param i32 i32) (result i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (select (local.get 0) (local.get 1) (i32.eq (i32.and (local.get 0) (i32.const 7)) (i32.const 3))))
          (func (export "div") (param i32 i32) (result i32)
            (i32.div_s (i32.const 100) (i32.add (local.get 0) (local.get 1)))))
        """)
        #expect(try h.call("i32", i32(5), i32(7), i32(3)) == [i32((12 * 3) ^ Int32(bitPattern: UInt32(bitPattern: -2) >> 3))])
        #expect(try h.call("lhs", i32(3), i32(50)) == [i32(-2)])
        let x: UInt64 = 0x0123_4567_89AB_CDEF ^ 42
        let product = x &* 0x9E37_79B9_7F4A_7C15
        #expect(try h.call("i64", .i64(0x0123_4567_89AB_CDEF), i64(42)) == [.i64((product << 31) | (product >> 33))])
        #expect(try h.call("unary", i32(0x0300)) == [i32(23)])
        #expect(try h.call("flag", i32(11), i32(20)) == [i32(11)])
        #expect(try h.call("flag", i32(12), i32(20)) == [i32(20)])
        #expect(try h.call("div", i32(20), i32(5)) == [i32(4)])
        #expect(h.trapMessage("div", i32(-5), i32(5)) == "integer divide by zero")
    }

    @Test func floatChainsThroughTheAccumulatorKeepTheirBits() throws {
        let h = try Harness("""
        (module
          (func (export "f64") (param f64 f64) (result f64)
            (drop (f64.add (local.get 0) (f64.const 1000)))
            (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1)))))
          (func (export "f32") (param f32) (result f32)
            (drop (f32.add (local.get 0) (f32.const 1000)))
            (f32.neg (f32.mul (f32.sub (local.get 0) (f32.const 0.5)) (f32.const 2))))
          (func (export "convert") (param i32) (result f64)
            (f64.convert_i32_s (i32.add (local.get 0) (i32.const -10)))))
        """)
        #expect(try h.call("f64", f64(3), f64(4)) == [f64(5)])
        #expect(try h.call("f32", f32(1.75)) == [f32(-2.5)])
        #expect(try h.call("convert", i32(3)) == [f64(-7)])
    }

    @Test func memoryAccessesTakeAddressAndValueFromTheAccumulator() throws {
        let h = try Harness("""
        (module (memory 1)
          (global $g (mut i32) (i32.const 0))
          (func (export "store") (param i32 i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (i32.store offset=8 (i32.add (local.get 0) (local.get 0)) (local.get 1))
            (i32.store offset=100 (local.get 0) (i32.mul (local.get 1) (i32.const 3))))
          (func (export "load") (param i32) (result i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (i32.add (i32.load offset=8 (i32.add (local.get 0) (local.get 0))) (i32.load offset=100 (local.get 0))))
          (func (export "global") (param i32) (result i32)
            (global.set $g (i32.mul (local.get 0) (local.get 0)))
            (global.get $g)))
        """)
        _ = try h.call("store", i32(4), i32(11))
        #expect(try h.call("load", i32(4)) == [i32(11 + 33)])
        #expect(try h.call("global", i32(9)) == [i32(81)])
        #expect(h.trapMessage("load", i32(65534)) == "out of bounds memory access")
    }

    @Test func branchesAndAccessesThatAbsorbTheConsumerStillSeeTheProducersValue() throws {
        // The compare reads the add's result from the accumulator until `br_if`/`if` fuses the
        // compare away; the fused branch then reads the accumulator itself. A load absorbing
        // `p + 8` reads the inner load's slot, which the inner load must write again.
        let h = try Harness("""
        (module (memory 1)
          (func (export "branch") (param i32 i32 i32) (result i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (block (br_if 0 (i32.lt_s (i32.add (local.get 0) (local.get 1)) (local.get 2))) (return (i32.const 0)))
            (i32.const 1))
          (func (export "if") (param i32) (result i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (if (result i32) (i32.eqz (i32.and (local.get 0) (i32.const 4))) (then (i32.const 10)) (else (i32.const 20))))
          (func (export "field") (param i32) (result i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (i32.load (i32.add (i32.load (local.get 0)) (i32.const 8))))
          (func (export "init")
            (i32.store (i32.const 0) (i32.const 40))
            (i32.store (i32.const 48) (i32.const 1234)))
          (func (export "root") (param i32) (result i32) (local i32)
            (loop $next
              (local.set 1 (i32.add (local.get 1) (i32.const 1)))
              (br_if $next (i32.lt_u (i32.mul (local.get 1) (local.get 1)) (local.get 0))))
            (local.get 1))
          (func (export "bit") (param i32) (result i32)
            (drop (i32.add (local.get 0) (i32.const 1000)))
            (block (br_if 0 (i32.and (local.get 0) (i32.const 8))) (return (i32.const 0)))
            (i32.const 1)))
        """)
        #expect(try h.call("branch", i32(1), i32(2), i32(4)) == [i32(1)])
        #expect(try h.call("branch", i32(1), i32(3), i32(4)) == [i32(0)])
        #expect(try h.call("if", i32(3)) == [i32(10)])
        #expect(try h.call("if", i32(4)) == [i32(20)])
        _ = try h.call("init")
        #expect(try h.call("field", i32(0)) == [i32(1234)])
        // A loop closed by a compare of a product (the backward branch reads the accumulator)
        // and a `br_if` on a plain value handed over in the accumulator.
        #expect(try h.call("root", i32(50)) == [i32(8)])
        #expect(try h.call("root", i32(49)) == [i32(7)])
        #expect(try h.call("bit", i32(8)) == [i32(1)])
        #expect(try h.call("bit", i32(-9)) == [i32(0)])
    }

    @Test func constantOperandsOnEitherSideKeepTheOperandOrder() throws {
        let h = try Harness("""
        (module
          (func (export "neg") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
          (func (export "rsub64") (param i64) (result i64) (i64.sub (i64.const 10) (local.get 0)))
          (func (export "recip") (param f64) (result f64) (f64.div (f64.const 1) (local.get 0)))
          (func (export "half") (param f64) (result f64) (f64.div (local.get 0) (f64.const 2)))
          (func (export "rsub32") (param f32) (result f32) (f32.sub (f32.const 10) (local.get 0)))
          (func (export "scale") (param f32) (result f32) (f32.mul (f32.const 3) (f32.add (local.get 0) (f32.const 0.5)))))
        """)
        #expect(try h.call("neg", i32(5)) == [i32(-5)])
        #expect(try h.call("rsub64", i64(3)) == [i64(7)])
        #expect(try h.call("recip", f64(4)) == [f64(0.25)])
        #expect(try h.call("recip", f64(0)) == [f64(.infinity)])
        #expect(try h.call("half", f64(5)) == [f64(2.5)])
        #expect(try h.call("rsub32", f32(3)) == [f32(7)])
        #expect(try h.call("scale", f32(1.5)) == [f32(6)])
    }

    @Test func storesOfConstantsWriteTheConstantsBytesInEveryAddressMode() throws {
        let h = try Harness("""
        (module (memory 1)
          (func (export "plain") (param i32)
            (i64.store (local.get 0) (i64.const 0x0807060504030201))
            (i32.store offset=8 (local.get 0) (i32.const -1))
            (i32.store16 offset=12 (local.get 0) (i32.const 0x12345))
            (i32.store8 offset=14 (local.get 0) (i32.const 0x1FF))
            (f32.store offset=16 (local.get 0) (f32.const -2.5))
            (f64.store offset=20 (local.get 0) (f64.const 0.5))
            (i64.store32 offset=28 (local.get 0) (i64.const 0x1122334455667788)))
          (func (export "field") (param i32)
            (i64.store8 (i32.add (local.get 0) (i32.const -3)) (i64.const 0xAB)))
          (func (export "element") (param i32 i32)
            (i32.store16 (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 1))) (i32.const 0xBEEF)))
          (func (export "load64") (param i32) (result i64) (i64.load (local.get 0))))
        """)
        _ = try h.call("plain", i32(100))
        #expect(try h.call("load64", i32(100)) == [i64(0x0807060504030201)])
        #expect(try h.call("load64", i32(108)) == [i64(0x00FF_2345_FFFF_FFFF)])
        #expect(try h.call("load64", i32(116)) == [i64(0xC020_0000)])  // -2.5, then the low half of 0.5
        #expect(try h.call("load64", i32(124)) == [i64(0x5566_7788_3FE0_0000)])
        _ = try h.call("field", i32(203))
        _ = try h.call("element", i32(300), i32(2))
        #expect(try h.call("load64", i32(200)) == [i64(0xAB)])
        #expect(try h.call("load64", i32(304)) == [i64(0xBEEF)])
        #expect(h.trapMessage("plain", i32(65530)) == "out of bounds memory access")
        #expect(h.trapMessage("element", i32(65535), i32(0)) == "out of bounds memory access")
        // The constant is the store's own word: no constant materialised in a slot first.
        let code = try h.instance.disassemble(export: "plain") + h.instance.disassemble(export: "field")
            + h.instance.disassemble(export: "element")
        #expect(!code.contains(" const "))
        #expect(code.contains("i64StoreConstant") && code.contains("i32Store8BiasedConstant")
                && code.contains("i32Store16IndexedConstant"))
    }

    @Test func constantDivisorsAndRotationsKeepTheirTrapsAndWrapping() throws {
        let h = try Harness("""
        (module
          (func (export "div") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const -1)))
          (func (export "rem") (param i32) (result i32) (i32.rem_s (local.get 0) (i32.const -1)))
          (func (export "divz") (param i64) (result i64) (i64.div_u (local.get 0) (i64.const 0)))
          (func (export "remu") (param i32) (result i32) (i32.rem_u (local.get 0) (i32.const 1021)))
          (func (export "rotl") (param i32) (result i32) (i32.rotl (local.get 0) (i32.const 36)))
          (func (export "rotr") (param i64) (result i64) (i64.rotr (local.get 0) (i64.const 8))))
        """)
        #expect(try h.call("div", i32(7)) == [i32(-7)])
        #expect(h.trapMessage("div", i32(Int32.min)) == "integer overflow")
        #expect(try h.call("rem", i32(Int32.min)) == [i32(0)])
        #expect(h.trapMessage("divz", i64(5)) == "integer divide by zero")
        #expect(try h.call("remu", i32(-1)) == [i32(Int32(bitPattern: UInt32.max % 1021))])
        #expect(try h.call("rotl", i32(Int32(bitPattern: 0x8000_0001))) == [i32(0x18)])  // by 36 mod 32 = 4
        #expect(try h.call("rotr", i64(0x0102)) == [i64(Int64(bitPattern: 0x0200_0000_0000_0001))])
        let code = try ["div", "rem", "divz", "remu", "rotl", "rotr"].map { try h.instance.disassemble(export: $0) }.joined()
        #expect(!code.contains(" const "))
        #expect(code.contains("i32DivSImm") && code.contains("i64DivUImm") && code.contains("i32RotlImm")
                && code.contains("i64RotrImm"))
    }
}
