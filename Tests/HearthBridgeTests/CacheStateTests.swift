import HearthBridge
import Testing

/// Handing deployed functions over to a restored instance (the warm-snapshot path).
@Suite struct CacheStateTests {
    @Test func aRestoredInstanceServesTheCachedDelegatesWithoutRecompiling() throws {
        let warm = try TestBridge()
        let deployed = warm.bridge.invoke(functionId: "math", entryPoint: "greet", args: .array([.string("warm")]),
                                          assemblyData: Array(Fixtures.assembly.utf8))
        #expect(deployed.response.text == #"{"success":true,"result":"Hello, warm!"}"#)
        let cached = warm.bridge.cachedFunctions
        #expect(cached.map(\.functionId) == ["math"])
        #expect(cached[0].delegates == ["greet": deployed.compiledDelegate!.id])

        // This runtime keeps all its state in linear memory (its stack pointer is back at its
        // initial value between calls), so a copy of the memory is a complete snapshot.
        let image = try warm.bridge.guest.memory.read(0, count: warm.bridge.guest.memory.byteCount)
        let cold = try RuntimeBridge(runtime: try Fixtures.testRuntime, initialize: false)
        let memory = cold.guest.memory
        try memory.grow(by: image.count / 65536 - memory.pageCount)
        try memory.write(image, at: 0)
        cold.adopt(cached)

        let again = cold.invoke(functionId: "math", entryPoint: "greet", args: .array([.string("restored")]))
        #expect(again.response.text == #"{"success":true,"result":"Hello, restored!"}"#)
        #expect(again.compiledDelegate == nil)
        #expect(!again.loadedAssembly)
    }
}
