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
        let bridge = try RuntimeBridge(runtime: try Fixtures.testRuntime, options: options)
        let answer = bridge.invoke(functionId: "f", entryPoint: "add", args: .array([.number(1), .number(2)]),
                                   assemblyData: Array("(fn add (a b) (+ a b))".utf8))
        guard case .success(let value) = answer.outcome else { Issue.record("\(answer.outcome)"); return }
        #expect(value == .number(3))
        dropped = bridge
        store = bridge.guest.store
    }
    #expect(dropped == nil)
    // The deadline timer holds the store's interrupt handle, never the store: a dropped bridge
    // frees its store at once, not when a 30 s timer would have fired.
    #expect(store == nil)
}
