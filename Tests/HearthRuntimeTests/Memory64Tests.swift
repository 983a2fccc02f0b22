import HearthBinary
import HearthRuntime
import Testing

/// memory64: i64 addresses, offsets and table indices are checked whole, so no address or
/// offset, however large, reaches outside the memory (a 64-bit offset crashed the host when
/// addresses were read as 32 bits), and no index wraps into a table.
@Suite struct Memory64Tests {
    static let module = """
    (module
      (memory i64 1)
      (data (i64.const 65530) "\\01\\02\\03\\04\\05\\06")
      (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0)))
      (func (export "huge") (param i64) (result i32) (i32.load offset=0xFFFFFFFFFFFFFFF0 (local.get 0)))
      (func (export "store") (param i64 i32) (i32.store offset=0x8000000000000000 (local.get 0) (local.get 1)))
      (func (export "vector") (param i64) (result v128) (v128.load offset=2 (local.get 0)))
      (func (export "fill") (param i64 i64) (memory.fill (local.get 0) (i32.const 9) (local.get 1)))
      (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
      (func (export "size") (result i64) (memory.size)))
    """

    @Test func addressesAndOffsetsAreCheckedInSixtyFourBits() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        #expect(try h.call("load", i64(65535)) == [i32(6)])
        #expect(h.trapMessage("load", i64(65536)) == "out of bounds memory access")
        // 2^32 + 1 would be address 1 if it were truncated to 32 bits.
        #expect(h.trapMessage("load", i64(0x1_0000_0001)) == "out of bounds memory access")
        #expect(h.trapMessage("load", i64(-1)) == "out of bounds memory access")
        #expect(h.trapMessage("huge", i64(0x20)) == "out of bounds memory access")
        #expect(h.trapMessage("store", i64(0x10), i32(7)) == "out of bounds memory access")
        #expect(h.trapMessage("vector", i64(65519)) == "out of bounds memory access")
        // Bytes 65520...65535: ten zeros, then the data segment's 1...6.
        #expect(try h.call("vector", i64(65518)) == [.v128(V128(low: 0, high: 0x0605_0403_0201_0000))])
    }

    @Test func bulkOperationsAndGrowTakeSixtyFourBitOperands() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        #expect(h.trapMessage("fill", i64(0x1_0000_0000), i64(4)) == "out of bounds memory access")
        #expect(h.trapMessage("fill", i64(1), i64(-1)) == "out of bounds memory access")
        try _ = h.call("fill", i64(65532), i64(4))
        #expect(try h.call("load", i64(65535)) == [i32(9)])
        #expect(try h.call("grow", i64(0x1_0000_0000)) == [i64(-1)])
        #expect(try h.call("grow", i64(2)) == [i64(1)])
        #expect(try h.call("size") == [i64(3)])
    }

    @Test func sixtyFourBitTableIndicesAreCheckedWhole() throws {
        let h = try Harness("""
        (module
          (type $f (func (result i32)))
          (table $t i64 2 funcref)
          (elem (table $t) (i64.const 0) func $one)
          (func $one (type $f) (i32.const 1))
          (func (export "get") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
          (func (export "call") (param i64) (result i32) (call_indirect $t (type $f) (local.get 0)))
          (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
          (func (export "size") (result i64) (table.size $t)))
        """, configuration: .wasm3)
        #expect(try h.call("get", i64(0)) == [i32(0)])
        #expect(try h.call("get", i64(1)) == [i32(1)])
        // 2^32 would be index 0 if it were truncated to 32 bits.
        #expect(h.trapMessage("get", i64(0x1_0000_0000)) == "out of bounds table access")
        #expect(try h.call("call", i64(0)) == [i32(1)])
        #expect(h.trapMessage("call", i64(0x1_0000_0000)) == "undefined element")
        #expect(try h.call("grow", i64(0x1_0000_0000)) == [i64(-1)])
        #expect(try h.call("grow", i64(3)) == [i64(2)])
        #expect(try h.call("size") == [i64(5)])
    }
}
