import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime
import Synchronization

/// Routing for stateless functions: deployed per namespace with `routing: "pool"`, they run in
/// a shared pool of warm instances of their runtime (one pool per namespace and runtime) instead
/// of inside a per-tenant object. The pool is a cache in front of the runtime catalog:
/// deployments are recorded there, and a restarted host deploys one again on its first call.
final class PoolBridgeFunctions: Sendable {
    private let host: HostLink
    private let poolSize: Int
    private let limits: ExecutionLimits

    private struct State {
        var functions: [Key: PoolFunction] = [:]
        var pools: [Key: Task<WarmPool, any Error>] = [:]
        /// The pools that finished starting, so an invoke finds its pool without awaiting a task.
        var readyPools: [Key: WarmPool] = [:]
        var versions = 0
    }

    private let state = Mutex(State())

    init(host: HostLink, poolSize: Int, limits: ExecutionLimits) {
        self.host = host
        self.poolSize = poolSize
        self.limits = limits
    }

    /// A name within a namespace (no concatenated string to build per lookup).
    private struct Key: Hashable {
        let namespace: String
        let name: String
    }

    private static func key(_ namespace: String, _ name: String) -> Key { Key(namespace: namespace, name: name) }

    /// Registers (or replaces) a stateless function; its runtime must exist. Warms the pool.
    func deploy(namespace: String, functionId: String, runtime: String, entryPoint: String, assembly: [UInt8]) async throws {
        _ = try await pool(namespace: namespace, runtime: runtime)
        state.withLock { state in
            state.versions += 1
            state.functions[Self.key(namespace, functionId)] = PoolFunction(runtime: runtime, entryPoint: entryPoint,
                                                                            assembly: assembly, version: state.versions)
        }
    }

    /// Runs a stateless function on any warm instance of its runtime; `completion` gets the
    /// response exactly once. A started pool takes the job without a task being created.
    func invoke(namespace: String, functionId: String, entryPoint: String?, args: JSONValue,
                completion: @escaping @Sendable (InvokeResponse) -> Void) {
        invoke(namespace: namespace, functionId: functionId, entryPoint: entryPoint, args: args, restoring: true, completion: completion)
    }

    /// With `restoring`, a function this process has not deployed is looked up among the
    /// namespace's recorded pool deployments (a restarted server) and deployed first.
    private func invoke(namespace: String, functionId: String, entryPoint: String?, args: JSONValue, restoring: Bool,
                       completion: @escaping @Sendable (InvokeResponse) -> Void) {
        let (function, ready) = state.withLock { state -> (PoolFunction?, WarmPool?) in
            let function = state.functions[Self.key(namespace, functionId)]
            return (function, function.flatMap { state.readyPools[Self.key(namespace, $0.runtime)] })
        }
        guard let function else {
            let unknown = InvokeResponse.failure("unknown stateless function \(functionId) in namespace \(namespace)", .unknownFunction)
            guard restoring else { return completion(unknown) }
            let host = host
            Task {
                guard case .bridge(let runtime, let entryPoint, let assembly)? = await host.recordedDeployment(
                    namespace: namespace, functionId: functionId) else { return completion(unknown) }
                do {
                    try await self.deploy(namespace: namespace, functionId: functionId, runtime: runtime, entryPoint: entryPoint,
                                          assembly: assembly)
                } catch {
                    return completion(.failure("cannot start stateless function \(functionId): \(error)", .internalFailure))
                }
                self.invoke(namespace: namespace, functionId: functionId, entryPoint: entryPoint, args: args, restoring: false,
                            completion: completion)
            }
            return
        }
        let submit: @Sendable (WarmPool) -> Void = { pool in
            pool.submit(functionId: functionId, function: function, entryPoint: entryPoint ?? function.entryPoint,
                        args: args, completion: completion)
        }
        if let ready { return submit(ready) }
        Task {
            do {
                submit(try await self.pool(namespace: namespace, runtime: function.runtime))
            } catch {
                completion(.failure("cannot start runtime \(function.runtime): \(error)", .internalFailure))
            }
        }
    }

    /// A runtime was redeployed: its pools are rebuilt on next use with the new bytes.
    func runtimeChanged(namespace: String, runtime: String) {
        let old = state.withLock { state -> Task<WarmPool, any Error>? in
            state.readyPools[Self.key(namespace, runtime)] = nil
            return state.pools.removeValue(forKey: Self.key(namespace, runtime))
        }
        if let old { Task { (try? await old.value)?.close() } }
    }

    func close() async {
        let all = state.withLock { state -> [Task<WarmPool, any Error>] in
            defer { state.pools.removeAll(); state.readyPools.removeAll() }
            return Array(state.pools.values)
        }
        for task in all { (try? await task.value)?.close() }
    }

    /// The started pool of `runtime` in `namespace`, started now if it is not.
    func pool(namespace: String, runtime: String) async throws -> WarmPool {
        let key = Self.key(namespace, runtime)
        if let ready = state.withLock({ $0.readyPools[key] }) { return ready }
        let task = state.withLock { state -> Task<WarmPool, any Error> in
            if let existing = state.pools[key] { return existing }
            let host = host, size = poolSize, limits = limits
            let created = Task<WarmPool, any Error> {
                guard let module = try await host.runtimeModule(namespace: namespace, name: runtime) else {
                    throw HostRefusal(.unknownFunction, "no runtime \"\(runtime)\" in namespace \"\(namespace)\"")
                }
                // Instantiating the pool (each `_initialize`) happens once per namespace and runtime.
                return try await Task.detached { try WarmPool(module: module, size: size, limits: limits) }.value
            }
            state.pools[key] = created
            return created
        }
        do {
            let pool = try await task.value
            // Only the task still registered for the key may publish (a redeploy replaces it).
            state.withLock { state in if state.pools[key] == task { state.readyPools[key] = pool } }
            return pool
        } catch {
            // A failed start is not cached: the next request (e.g. after a fixed upload) retries.
            state.withLock { state in if state.pools[key] == task { state.pools[key] = nil } }
            throw error
        }
    }
}
