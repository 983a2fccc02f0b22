import HearthBinary
import HearthRuntime
import Testing

/// Wasm 3.0 modules the interpreter cannot run yet are refused at load with an `unsupported:`
/// error. Running them would be unsafe, not just wrong: loads and stores read 32-bit addresses,
/// so a 64-bit offset would reach below the guest's memory (it crashed the host before).
@Suite struct UnsupportedFeatureTests {
    static func loadError(_ wat: String) -> String? {
        var configuration = EngineConfiguration()
        configuration.features = .wasm3
        do {
            _ = try Harness(wat, configuration: configuration)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func sixtyFourBitMemoriesAndTablesAreRefused() {
        let memory = Self.loadError("""
        (module (memory i64 1)
          (func (export "s") (param i64) (i32.store offset=0x8000000000000000 (local.get 0) (i32.const 7))))
        """)
        #expect(memory?.contains("unsupported: 64-bit memories") == true, "\(memory ?? "loaded")")
        let table = Self.loadError("(module (table i64 1 funcref))")
        #expect(table?.contains("unsupported: 64-bit tables") == true, "\(table ?? "loaded")")
    }

    @Test func oneThirtyTwoBitMemoryStillLoadsUnderWasm3() {
        #expect(Self.loadError("(module (memory 1) (func (export \"f\") (result i32) (i32.load (i32.const 0))))") == nil)
    }
}
