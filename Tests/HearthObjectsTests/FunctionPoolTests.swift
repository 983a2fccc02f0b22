import Foundation
import HearthBridge
@testable import HearthRuntimeHost
import Testing

/// The host's shared pool: functions deployed to a namespace with no object.
@Suite struct FunctionPoolTests {
    private static let assembly = Array("(fn add (a b) (+ a b))".utf8)

    /// A host over a fresh folder with the test runtime deployed as "default" in namespace "a"
    /// and `add` deployed to its pool as "math".
    private func withDeployedHost(_ body: (HearthHost, URL) async throws -> Void) async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let host = HearthHost(directory: folder, poolSize: 1)
        try await host.deployRuntime(namespace: "a", name: "default", bytes: testRuntime)
        try await host.pool.deploy(namespace: "a", functionId: "math", runtime: "default", entryPoint: "add", assembly: Self.assembly)
        try await body(host, folder)
        await host.close()
    }

    private func invoke(_ pool: FunctionPool, _ functionId: String, _ args: JSONValue) async -> InvokeResponse {
        await withCheckedContinuation { continuation in
            pool.invoke(namespace: "a", functionId: functionId, entryPoint: nil, args: args) { continuation.resume(returning: $0) }
        }
    }

    /// The warm pool runs the runtime its namespace's catalog compiled: one decode and
    /// validation per process, not one more per pool.
    @Test func theWarmPoolInstantiatesTheRuntimeTheHostCompiledInsteadOfCompilingItAgain() async throws {
        try await withDeployedHost { host, _ in
            #expect(await invoke(host.pool, "math", .array([.number(20), .number(22)])).json == #"{"success":true,"result":42}"#)
            let warm = try await host.pool.functions.pool(namespace: "a", runtime: "default")
            let compiled = try await host.runtimeModule(namespace: "a", name: "default")
            #expect(compiled != nil && warm.module === compiled)
        }
    }

    /// New bytes under a runtime's name reach the pool: its warm instances are rebuilt from the
    /// new module on the next call; the same bytes again keep them.
    @Test func redeployingARuntimeWithNewBytesRebuildsItsPool() async throws {
        try await withDeployedHost { host, _ in
            let first = try await host.pool.functions.pool(namespace: "a", runtime: "default")
            try await host.deployRuntime(namespace: "a", name: "default", bytes: testRuntime)
            #expect(try await host.pool.functions.pool(namespace: "a", runtime: "default") === first)
            // A custom section (id 0, 2 bytes: a name of length 1, "x"): other bytes, same code.
            try await host.deployRuntime(namespace: "a", name: "default", bytes: testRuntime + [0, 2, 1, 0x78])
            #expect(await invoke(host.pool, "math", .array([.number(1), .number(2)])).json == #"{"success":true,"result":3}"#)
            let rebuilt = try await host.pool.functions.pool(namespace: "a", runtime: "default")
            #expect(rebuilt !== first)
            #expect(try await rebuilt.module === host.runtimeModule(namespace: "a", name: "default"))
        }
    }

    /// A pool deployment is recorded in the namespace's catalog: a host started later over the
    /// same folder serves it on its first call, without a new deploy.
    @Test func aRestartedHostServesAPoolFunctionFromItsRecord() async throws {
        try await withDeployedHost { first, folder in
            await first.close()
            let second = HearthHost(directory: folder, poolSize: 1)
            #expect(await invoke(second.pool, "math", .array([.number(40), .number(2)])).json == #"{"success":true,"result":42}"#)
            #expect(await invoke(second.pool, "other", .array([])).json
                    == #"{"success":false,"error":"unknown stateless function other in namespace a"}"#)
            await second.close()
        }
    }

    /// A pool function of a runtime nobody deployed is refused as unknown, before anything runs.
    @Test func deployingAPoolFunctionOfAnUnknownRuntimeIsRefused() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let host = HearthHost(directory: folder, poolSize: 1)
        await #expect(throws: HostRefusal(.unknownFunction, #"no runtime "nope" in namespace "a""#)) {
            try await host.pool.deploy(namespace: "a", functionId: "math", runtime: "nope", entryPoint: "add", assembly: Self.assembly)
        }
        await host.close()
    }
}
