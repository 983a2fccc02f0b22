import Foundation
import HearthBridge
import HearthObjects
import Testing

/// Issue #17, items 2 and 3: a turn cut off in the middle leaves no trace, and a deploy that
/// does not load leaves the working version serving.

private let testRuntime: [UInt8] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Guests/test-runtime.wasm")
    return (try? [UInt8](Data(contentsOf: url))) ?? []
}()

private let writers = Array("""
(fn read (k) (kv-get k))
(fn writeThenTrap () (kv-put "trapped" 1) (trap))
(fn writeThenSpin () (kv-put "spun" 1) (let on true) (while on on))
(fn writeThenFail () (kv-put "failed" 1) (get 1 2))
(fn version () 1)
""".utf8)

private func call(_ host: HearthHost, _ entry: String, _ args: JSONValue = .array([]), id: String = "w",
                  assembly: [UInt8]? = nil) async -> InvokeResponse {
    await host.invoke(object: "o", InvokeRequest(functionId: id, entryPoint: entry, args: args, assembly: assembly))
}

@Suite(.serialized) struct TurnAtomicityTests {
    @Test func aGuestStoppedByATrapOrItsDeadlineLeavesNoneOfItsWritesButOneAnsweringAnErrorKeepsThem() async throws {
        var settings = RuntimeObjectSettings()
        settings.limits = ExecutionLimits(deadline: .milliseconds(300))
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600), settings: settings)
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "version", assembly: writers).result == .number(1))
        #expect(await call(host, "writeThenTrap").success == false)
        #expect(await call(host, "writeThenSpin").success == false)
        let failed = await call(host, "writeThenFail")
        #expect(failed.success == false)
        #expect(failed.failure == .guestError)
        #expect(await call(host, "read", .array([.string("trapped")])).result == .null)
        #expect(await call(host, "read", .array([.string("spun")])).result == .null)
        #expect(await call(host, "read", .array([.string("failed")])).result == .number(1))
        await host.close()
    }

    @Test func aDeployThatDoesNotLoadLeavesTheWorkingVersionServing() async throws {
        let host = HearthHost(directory: try makeTemporaryDirectory(), configuration: .init(idleTimeout: 3600))
        try await host.deployRuntime(name: "ember", bytes: testRuntime)
        #expect(await call(host, "version", assembly: writers).result == .number(1))
        let broken = Array("(fn version () (".utf8)
        // A deploy, then a hot swap with the invoke: both refused, the old version still answers.
        let deploy = await host.deployFunction(object: "o", functionId: "w", entryPoint: "version", assembly: broken)
        #expect(deploy.success == false)
        #expect(await call(host, "version").result == .number(1))
        let swap = await call(host, "version", assembly: broken)
        #expect(swap.success == false)
        #expect(await call(host, "version").result == .number(1))
        // After a hibernation too: nothing of the broken version was stored.
        try await host.hibernate(object: "o")
        #expect(await call(host, "version").result == .number(1))
        await host.close()
    }
}
