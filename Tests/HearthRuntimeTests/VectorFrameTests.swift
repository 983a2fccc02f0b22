import HearthBinary
import HearthRuntime
import Testing

/// A `v128` takes two frame slots: parameters, locals, operand-stack entries, call arguments,
/// block results and branch values of mixed scalars and vectors must all land where the other
/// side looks for them.
@Suite struct VectorFrameTests {
    static let a = V128(low: 0x0706_0504_0302_0100, high: 0x0F0E_0D0C_0B0A_0908)
    static let b = V128(low: 0x1716_1514_1312_1110, high: 0x1F1E_1D1C_1B1A_1918)

    @Test func mixedParametersAndResultsCrossCallsInTheirSlots() throws {
        let h = try Harness("""
        (module
          (func $swap (param i32 v128 i64 v128) (result v128 i64 v128 i32)
            (local.get 3) (local.get 2) (local.get 1) (local.get 0))
          (func (export "twice") (param i32 v128 i64 v128) (result v128 i64 v128 i32)
            (local v128 i32)
            (call $swap (local.get 0) (local.get 1) (local.get 2) (local.get 3))
            (local.set 5) (local.set 3) (local.set 2) (local.set 1)
            ;; swap back: (param i32 v128 i64 v128) from the saved results
            (call $swap (local.get 5) (local.get 3) (local.get 2) (local.get 1))))
        """)
        #expect(try h.call("twice", i32(7), .v128(Self.a), i64(-9), .v128(Self.b))
                == [.v128(Self.b), i64(-9), .v128(Self.a), i32(7)])
    }

    @Test func blockResultsAndBranchValuesKeepBothHalves() throws {
        let h = try Harness("""
        (module
          (func (export "pick") (param i32 v128 v128) (result v128)
            (block $two (result v128)
              (block $one (result v128)
                (br_table $one $two (local.get 1) (local.get 0)))
              (drop)
              (return (local.get 2))))
          (func (export "loopy") (param v128 i32) (result i32 v128)
            (local.get 1)
            (local.get 0)
            (loop $l (param i32 v128) (result i32 v128)
              (local.set 0)
              (local.tee 1 (i32.sub (i32.const 1)))
              (local.get 0)
              (br_if $l (local.get 1))))
          (func (export "choose") (param v128 v128 i32) (result v128)
            (select (local.get 0) (local.get 1) (local.get 2))))
        """)
        #expect(try h.call("pick", i32(0), .v128(Self.a), .v128(Self.b)) == [.v128(Self.b)])
        #expect(try h.call("pick", i32(1), .v128(Self.a), .v128(Self.b)) == [.v128(Self.a)])
        #expect(try h.call("loopy", .v128(Self.a), i32(3)) == [i32(0), .v128(Self.a)])
        #expect(try h.call("choose", .v128(Self.a), .v128(Self.b), i32(1)) == [.v128(Self.a)])
        #expect(try h.call("choose", .v128(Self.a), .v128(Self.b), i32(0)) == [.v128(Self.b)])
    }

    @Test func vectorGlobalsHoldSixteenBytes() throws {
        let h = try Harness("""
        (module
          (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
          (func (export "roll") (result v128)
            (global.set $g (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3 (global.get $g) (global.get $g)))
            (global.get $g)))
        """)
        let rolled = V128(low: 0x0000_0003_0000_0002, high: 0x0000_0001_0000_0004)
        #expect(try h.call("roll") == [.v128(rolled)])
        #expect(h.instance.global("g")?.value == .v128(rolled))
        try h.instance.global("g")!.set(.v128(Self.a))
        #expect(try h.call("roll") == [.v128(V128(low: 0x0B0A_0908_0706_0504, high: 0x0302_0100_0F0E_0D0C))])
    }

    @Test func hostFunctionsTakeAndReturnVectors() throws {
        let h = try Harness("""
        (module
          (import "env" "mirror" (func $mirror (param i32 v128 f64) (result v128 i32)))
          (func (export "f") (param v128) (result v128 i32)
            (call $mirror (i32.const 5) (local.get 0) (f64.const 2.5))))
        """, define: { linker, _ in
            linker.defineFunction(module: "env", name: "mirror",
                                  type: FunctionType(parameters: [.i32, .v128, .f64], results: [.v128, .i32])) { _, args in
                guard case .i32(let n) = args[0], case .v128(let v) = args[1], args[2] == f64(2.5) else { return [] }
                return [.v128(V128(low: v.high, high: v.low)), .i32(n + 1)]
            }
        })
        #expect(try h.call("f", .v128(Self.a)) == [.v128(V128(low: Self.a.high, high: Self.a.low)), i32(6)])
    }

    @Test func vectorLoadsAndStoresTrapOutOfBounds() throws {
        let h = try Harness("""
        (module
          (memory 1)
          (func (export "copy") (param i32 i32)
            (v128.store (local.get 1) (v128.load (local.get 0))))
          (func (export "lane") (param i32) (result v128)
            (v128.load32_lane 2 (local.get 0) (v128.const i64x2 0 0)))
          (func (export "put") (param i32 v128) (v128.store offset=8 (local.get 0) (local.get 1))))
        """)
        try _ = h.call("put", i32(0), .v128(Self.a))
        try _ = h.call("copy", i32(8), i32(100))
        #expect(try h.call("lane", i32(104)) == [.v128(V128(low: 0, high: 0x0706_0504))])
        #expect(h.trapMessage("copy", i32(65_521), i32(0)) == "out of bounds memory access")
        #expect(h.trapMessage("put", i32(65_520), .v128(Self.a)) == "out of bounds memory access")
        #expect(try h.call("copy", i32(65_520), i32(0)) == [])
    }
}
