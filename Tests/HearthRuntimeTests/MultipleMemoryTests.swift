import HearthBinary
import HearthRuntime
import Testing

/// Multiple memories (Wasm 3.0): an access to memory k points the memory registers at k and
/// back at memory 0 around it, and bulk operations use their own memory's base. Before, a
/// `memory.fill` of a second memory wrote through memory 0's base and crashed the host.
@Suite struct MultipleMemoryTests {
    @Test func eachAccessReachesItsOwnMemory() throws {
        let h = try Harness("""
        (module
          (memory $a 1) (memory $b 2)
          (func (export "fillB") (param i32 i32) (memory.fill $b (local.get 0) (i32.const 7) (local.get 1)))
          (func (export "growB") (result i32) (memory.grow $b (i32.const 1)))
          (func (export "both") (param i32) (result i32)
            (i32.store $a (local.get 0) (i32.const 0x11))
            (i32.store8 $b (local.get 0) (i32.const 0x22))
            (i32.add (i32.load $a (local.get 0)) (i32.load8_u $b (local.get 0))))
          (func (export "sizes") (result i32 i32) (memory.size $a) (memory.size $b)))
        """, configuration: .wasm3)
        #expect(try h.call("both", i32(100)) == [i32(0x33)])
        // The last bytes of the larger memory; memory 0 is half its size.
        try _ = h.call("fillB", i32(131_000), i32(72))
        #expect(h.trapMessage("fillB", i32(131_000), i32(73)) == "out of bounds memory access")
        #expect(try h.call("growB") == [i32(2)])
        // After growing memory $b, memory $a's accesses still use memory $a.
        #expect(try h.call("both", i32(65_532)) == [i32(0x33)])
        #expect(h.trapMessage("both", i32(65_533)) == "out of bounds memory access")
        #expect(try h.call("sizes") == [i32(1), i32(3)])
    }
}
