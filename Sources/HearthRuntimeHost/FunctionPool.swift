import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime
import Synchronization

/// Functions deployed to a namespace with no object (`routing: "pool"`): no storage, so any warm
/// instance may run any invocation, several at once, on the host's guest threads. Bridge
/// functions share warm instances of their runtime, instantiated from the module the namespace's
/// catalog compiled (nothing decodes or validates it again); command functions keep reset
/// instances of their captured start-up. Deployments are recorded in the namespace's catalog,
/// and a restarted host deploys one again on its first invocation.
public final class FunctionPool: Sendable {
    let functions: PoolBridgeFunctions
    let commands: PoolCommands
    private let host: HostLink

    init(host: HostLink, size: Int, settings: RuntimeObjectSettings) {
        self.host = host
        functions = PoolBridgeFunctions(host: host, poolSize: size, limits: settings.limits)
        commands = PoolCommands(host: host, poolSize: size, limits: settings.limits,
                                maxMemoryPages: settings.maxMemoryBytes / 65536)
    }

    /// Deploys (or replaces) function `functionId` of runtime `runtime` to the namespace's pool,
    /// warming the pool, and records it. Throws a `HostRefusal` (`unknownFunction`) when the
    /// runtime is not deployed, or the error of an instance that did not start.
    public func deploy(namespace: String, functionId: String, runtime: String, entryPoint: String, assembly: [UInt8]) async throws {
        try await functions.deploy(namespace: namespace, functionId: functionId, runtime: runtime, entryPoint: entryPoint,
                                   assembly: assembly)
        try await host.record(namespace: namespace, functionId: functionId,
                              .bridge(runtime: runtime, entryPoint: entryPoint, assembly: assembly))
    }

    /// Runs pool function `functionId` on any warm instance of its runtime; `completion` gets the
    /// response exactly once (a passed deadline is a `limitExceeded` failure). With the pool warm
    /// no task is created, so an event loop can call this and answer from the completion.
    public func invoke(namespace: String, functionId: String, entryPoint: String?, args: JSONValue,
                       completion: @escaping @Sendable (InvokeResponse) -> Void) {
        functions.invoke(namespace: namespace, functionId: functionId, entryPoint: entryPoint, args: args, completion: completion)
    }

    /// Deploys a WASI program as pool command function `functionId` (its start-up captured now)
    /// and records it. Throws a `HostRefusal` (`badRequest`) for a module that does not compile
    /// or a streaming mode, which keeps state between requests and belongs to an object.
    public func deployCommand(namespace: String, functionId: String, _ deployment: CommandDeployment) async throws {
        try await commands.deploy(namespace: namespace, functionId: functionId, deployment)
        try await host.record(namespace: namespace, functionId: functionId, .command(deployment))
    }

    /// Runs pool command function `functionId` once with `input` on its standard input; failures
    /// come back in the response, never thrown.
    public func invokeCommand(namespace: String, functionId: String, input: [UInt8]) async -> CommandResponse {
        await commands.invoke(namespace: namespace, functionId: functionId, input: input)
    }

    /// Runtime `runtime` of the namespace got new bytes: its warm instances are rebuilt on next use.
    func runtimeChanged(namespace: String, runtime: String) {
        functions.runtimeChanged(namespace: namespace, runtime: runtime)
    }

    /// Stops every pool (queued invocations answer "shutting down") and removes the captured images.
    func close() async {
        await functions.close()
        commands.close()
    }
}

/// The pools' way back to the host that owns them (weak: the host holds the pool), for the
/// runtimes its catalogs compiled and the deployments they record.
final class HostLink: Sendable {
    private struct Owner { weak var host: HearthHost? }
    private let owner = Mutex(Owner())

    /// Set once, when the host has finished initializing.
    func attach(_ host: HearthHost) { owner.withLock { $0.host = host } }

    private var host: HearthHost {
        get throws {
            guard let host = owner.withLock({ $0.host }) else { throw HostRefusal(.internalFailure, "the host was closed") }
            return host
        }
    }

    func runtimeModule(namespace: String, name: String) async throws -> CompiledModule? {
        try await host.runtimeModule(namespace: namespace, name: name)
    }

    func record(namespace: String, functionId: String, _ deployment: PoolDeployment) async throws {
        try await host.savePoolDeployment(namespace: namespace, functionId: functionId, deployment)
    }

    /// The deployment recorded under `functionId`; nil also when the namespace cannot be opened.
    func recordedDeployment(namespace: String, functionId: String) async -> PoolDeployment? {
        try? await host.poolDeployment(namespace: namespace, functionId: functionId)
    }
}
