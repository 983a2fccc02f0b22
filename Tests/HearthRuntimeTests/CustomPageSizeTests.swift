import HearthBinary
import HearthRuntime
import Testing

/// The custom-page-sizes proposal (`--features 3.0,custom-page-sizes`): a memory of 1-byte
/// pages grows and bounds-checks byte by byte, across system pages.
@Suite struct CustomPageSizeTests {
    static var configuration: EngineConfiguration {
        var configuration = EngineConfiguration.wasm3
        configuration.features.customPageSizes = true
        return configuration
    }

    @Test func aOneBytePageMemoryGrowsByBytes() throws {
        let h = try Harness("""
        (module
          (memory 3 (pagesize 1))
          (func (export "size") (result i32) (memory.size))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))
        """, configuration: Self.configuration)
        #expect(try h.call("size") == [i32(3)])
        #expect(try h.call("load", i32(2)) == [i32(0)])
        #expect(h.trapMessage("load", i32(3)) == "out of bounds memory access")
        #expect(try h.call("grow", i32(5000)) == [i32(3)])
        try h.call("store", i32(5002), i32(9))
        #expect(try h.call("load", i32(5002)) == [i32(9)])
        #expect(h.trapMessage("load", i32(5003)) == "out of bounds memory access")
        #expect(try h.call("size") == [i32(5003)])
    }

    @Test func pageSizesAreRejectedUnlessTurnedOn() throws {
        #expect(throws: (any Error).self) { _ = try Harness("(module (memory 1 (pagesize 1)))", configuration: .wasm3) }
    }
}
