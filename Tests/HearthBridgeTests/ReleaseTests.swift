import Foundation
import HearthBridge
import HearthRuntime
import Testing

/// A dropped bridge releases its instance: its memory reservation, stacks and mapped images.
@Test func aBridgeWithLimitsReleasesItsStoreWhenDropped() throws {
    weak var store: Store?
    weak var dropped: RuntimeBridge?
    do {
        var options = GuestOptions()
        options.limits = ExecutionLimits(deadline: .seconds(30))
        options.interrupter = { EngineInterrupter(store: $0) }
        let bridge = try RuntimeBridge(runtime: try Fixtures.testRuntime, options: options)
        let answer = bridge.invoke(functionId: "f", entryPoint: "add", args: .array([.number(1), .number(2)]),
                                   assemblyData: Array("(fn add (a b) (+ a b))".utf8))
        guard case .success(let value) = answer.outcome else { Issue.record("\(answer.outcome)"); return }
        #expect(value == .number(3))
        dropped = bridge
        store = bridge.guest.store
    }
    #expect(dropped == nil)
    // The interrupter's host functions live in the store: a strong store reference in the
    // interrupter would keep the store alive for ever.
    #expect(store == nil)
}
