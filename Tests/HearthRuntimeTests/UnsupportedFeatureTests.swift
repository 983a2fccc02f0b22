import HearthBinary
import HearthRuntime
import Testing

/// Wasm 3.0 modules the interpreter cannot run yet are refused at load with an `unsupported:`
/// error: the table handlers read 32-bit indices, so a 64-bit table's would be truncated.
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

    @Test func sixtyFourBitTablesAreRefused() {
        let table = Self.loadError("(module (table i64 1 funcref))")
        #expect(table?.contains("unsupported: 64-bit tables") == true, "\(table ?? "loaded")")
    }

    @Test func aThirtyTwoBitMemoryStillLoadsUnderWasm3() {
        #expect(Self.loadError("(module (memory 1) (func (export \"f\") (result i32) (i32.load (i32.const 0))))") == nil)
    }
}
