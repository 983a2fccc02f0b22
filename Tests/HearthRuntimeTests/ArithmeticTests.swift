import HearthRuntime
import Testing

@Suite struct ArithmeticTests {
    static let wat = """
    (module
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
      (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
      (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
      (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
      (func (export "rotr64") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))
      (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
      (func (export "clz64") (param i64) (result i64) (i64.clz (local.get 0)))
      (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
      (func (export "ext32") (param i64) (result i64) (i64.extend32_s (local.get 0)))
      (func (export "fmin") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
      (func (export "fmax") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
      (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
      (func (export "copysign") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
      (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
      (func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
      (func (export "promote") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
      (func (export "trunc_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
      (func (export "trunc_u64") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
      (func (export "sat_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
      (func (export "sat_u64") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
      (func (export "convert_u64") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
      (func (export "lt_s") (param i64 i64) (result i32) (i64.lt_s (local.get 0) (local.get 1)))
      (func (export "select") (param i32 i32 i32) (result i32) (select (local.get 0) (local.get 1) (local.get 2)))
    )
    """

    @Test func integerArithmeticWrapsAndShiftsMask() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("add", i32(.max), i32(1)) == [i32(.min)])
        #expect(try h.call("rotl", .i32(0x8000_0001), i32(33)) == [.i32(0x0000_0003)])
        #expect(try h.call("rotr64", .i64(1), i64(1)) == [.i64(0x8000_0000_0000_0000)])
        #expect(try h.call("shr_s", i32(-16), i32(34)) == [i32(-4)])
        #expect(try h.call("clz64", .i64(1)) == [.i64(63)])
        #expect(try h.call("ext8", .i32(0x80)) == [i32(-128)])
        #expect(try h.call("ext32", .i64(0x8000_0000)) == [i64(-2147483648)])
        #expect(try h.call("lt_s", i64(-1), i64(0)) == [.i32(1)])
        #expect(try h.call("select", i32(7), i32(9), i32(0)) == [i32(9)])
        #expect(try h.call("select", i32(7), i32(9), i32(5)) == [i32(7)])
    }

    @Test func divisionEdgeCases() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("div_s", i32(-7), i32(2)) == [i32(-3)])
        #expect(try h.call("rem_s", i32(-7), i32(2)) == [i32(-1)])
        #expect(try h.call("rem_s", i32(.min), i32(-1)) == [i32(0)])
        #expect(try h.call("rem_s64", i64(.min), i64(-1)) == [i64(0)])
        #expect(try h.call("div_u64", i64(-1), i64(2)) == [.i64(0x7FFF_FFFF_FFFF_FFFF)])
        #expect(h.trapMessage("div_s", i32(.min), i32(-1)) == "integer overflow")
        #expect(h.trapMessage("div_s", i32(1), i32(0)) == "integer divide by zero")
        #expect(h.trapMessage("rem_s", i32(1), i32(0)) == "integer divide by zero")
    }

    @Test func floatMinMaxFollowIEEEAndSignedZero() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("fmin", f32(0.0), f32(-0.0)) == [f32(-0.0)])
        #expect(try h.call("fmin", f32(-0.0), f32(0.0)) == [f32(-0.0)])
        #expect(try h.call("fmax", f64(-0.0), f64(0.0)) == [f64(0.0)])
        #expect(try h.call("fmin", f32(1), f32(2)) == [f32(1)])
        guard case .f32(let bits) = try h.call("fmin", f32(.nan), f32(1))[0] else { Issue.record(); return }
        #expect(Float(bitPattern: bits).isNaN)
        #expect(bits & 0x0040_0000 != 0) // quiet
    }

    @Test func nearestRoundsTiesToEven() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("nearest", f64(2.5)) == [f64(2.0)])
        #expect(try h.call("nearest", f64(3.5)) == [f64(4.0)])
        #expect(try h.call("nearest", f64(-0.5)) == [f64(-0.0)])
    }

    @Test func signOperationsKeepNaNPayloads() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("copysign", .f32(0x7FA0_0001), f32(-1)) == [.f32(0xFFA0_0001)])
        #expect(try h.call("neg", .f32(0x7FA0_0001)) == [.f32(0xFFA0_0001)])
    }

    @Test func demoteAndPromoteQuietNaNs() throws {
        let h = try Harness(Self.wat)
        guard case .f32(let d) = try h.call("demote", .f64(0x7FF0_0000_0000_0001))[0],
              case .f64(let p) = try h.call("promote", .f32(0x7F80_0001))[0] else { Issue.record(); return }
        #expect(Float(bitPattern: d).isNaN && d & 0x0040_0000 != 0)
        #expect(Double(bitPattern: p).isNaN && p & 0x0008_0000_0000_0000 != 0)
        #expect(try h.call("demote", f64(1.5)) == [f32(1.5)])
    }

    @Test func trappingConversionsUseSpecMessages() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("trunc_s", f32(-2147483648.0)) == [i32(.min)])
        #expect(try h.call("trunc_s", f32(-1.9)) == [i32(-1)])
        #expect(h.trapMessage("trunc_s", f32(2147483648.0)) == "integer overflow")
        #expect(h.trapMessage("trunc_s", f32(.nan)) == "invalid conversion to integer")
        #expect(try h.call("trunc_u64", f64(18446744073709549568.0)) == [.i64(18446744073709549568)])
        #expect(try h.call("trunc_u64", f64(-0.9)) == [.i64(0)])
        #expect(h.trapMessage("trunc_u64", f64(18446744073709551616.0)) == "integer overflow")
        #expect(h.trapMessage("trunc_u64", f64(-1.0)) == "integer overflow")
    }

    @Test func saturatingConversionsClamp() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("sat_s", f32(3e9)) == [i32(.max)])
        #expect(try h.call("sat_s", f32(-3e9)) == [i32(.min)])
        #expect(try h.call("sat_s", f32(.nan)) == [i32(0)])
        #expect(try h.call("sat_u64", f64(-5)) == [.i64(0)])
        #expect(try h.call("sat_u64", f64(1e20)) == [.i64(.max)])
        #expect(try h.call("convert_u64", .i64(.max)) == [f32(18446744073709551616.0)])
    }
}
