import HearthRuntime
import Testing

/// The wide-arithmetic proposal (under 3.0): carries and borrows cross the 64-bit halves, and
/// the wide products are exact.
@Suite struct WideArithmeticTests {
    @Test func carriesBorrowsAndFullProducts() throws {
        let h = try Harness("""
        (module
          (func (export "add") (param i64 i64 i64 i64) (result i64 i64) (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
          (func (export "sub") (param i64 i64 i64 i64) (result i64 i64) (i64.sub128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
          (func (export "mul_s") (param i64 i64) (result i64 i64) (i64.mul_wide_s (local.get 0) (local.get 1)))
          (func (export "mul_u") (param i64 i64) (result i64 i64) (i64.mul_wide_u (local.get 0) (local.get 1))))
        """, configuration: .wasm3)
        #expect(try h.call("add", i64(-1), i64(0), i64(1), i64(0)) == [i64(0), i64(1)])
        #expect(try h.call("sub", i64(0), i64(1), i64(1), i64(0)) == [i64(-1), i64(0)])
        #expect(try h.call("mul_s", i64(-2), i64(3)) == [i64(-6), i64(-1)])
        #expect(try h.call("mul_u", i64(-1), i64(-1)) == [i64(1), i64(-2)])
    }
}
