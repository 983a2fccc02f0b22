import Foundation
import HearthBridge
import HearthObjects

/// The in-memory state of a runtime object in the embedded backend: a warm `RuntimeBridge`.
/// Functions live in the object's key-value storage (`hearth:fn:<id>`), so after hibernation or
/// a restart the bridge reloads them on demand through its `assemblyProvider`.
final class BridgeObjectHandler: ObjectHandler {
    static let runtimeKey = "hearth:runtime"
    static func functionKey(_ id: String) -> String { "hearth:fn:\(id)" }

    let bridge: RuntimeBridge
    let counters: ObjectCounters

    init(object: isolated DurableObject, runtimes: RuntimeStore, deadline: Duration, counters: ObjectCounters) throws {
        let runtime = try object.storage.get(Self.runtimeKey).map { String(decoding: $0, as: UTF8.self) } ?? "default"
        var options = GuestOptions()
        options.limits = ExecutionLimits(deadline: deadline)
        options.interrupter = { EngineInterrupter(store: $0) }
        bridge = try RuntimeBridge(module: try runtimes.module(runtime), options: options)
        let storage = object.storage
        bridge.assemblyProvider = { id in try storage.get(Self.functionKey(id)) }
        self.counters = counters
        counters.resident(true)
    }

    deinit { counters.resident(false) }

    /// An `InvokeRequest` as JSON body (the embedded backend's internal encoding).
    func handle(_ request: ObjectRequest, object: isolated DurableObject) async throws -> ObjectResponse {
        let json = try JSONValue.parse(request.body)
        let invoke = try InvokeRequest(json: json)
        let invocation = bridge.invoke(functionId: invoke.functionId, entryPoint: invoke.entryPoint, args: invoke.args,
                                       assemblyData: invoke.assemblyData)
        if invocation.loadedAssembly, let data = invoke.assemblyData {
            // Written in this turn: the response is released only once the assembly is durable.
            try object.storage.put(Self.functionKey(invoke.functionId), data)
        }
        counters.delegates(bridge.cachedFunctions.reduce(0) { $0 + $1.delegates.count })
        let response: InvokeResponse
        switch invocation.outcome {
        case .success(let value): response = .success(value)
        case .failure(let error): response = .from(error)
        }
        return ObjectResponse(status: response.status, body: response.json.bytes)
    }

    /// The seed's maintenance sweep: forget delegates of functions idle for 24 h.
    func alarm(_ invocation: AlarmInvocation, object: isolated DurableObject) async throws {
        bridge.dropDelegates(notInvokedSince: Date().addingTimeInterval(-24 * 3600))
        counters.delegates(bridge.cachedFunctions.reduce(0) { $0 + $1.delegates.count })
    }

    func willHibernate(object: isolated DurableObject) async throws {
        counters.hibernated()
        counters.delegates(0)
    }
}

/// What the server reads about an object without entering it (health, metrics).
final class ObjectCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var isResident = false
    private var delegateCount = 0
    private let onHibernate: @Sendable () -> Void

    init(onHibernate: @escaping @Sendable () -> Void) { self.onHibernate = onHibernate }

    func resident(_ value: Bool) { lock.withLock { isResident = value } }
    func delegates(_ count: Int) { lock.withLock { delegateCount = count } }
    func hibernated() { onHibernate() }
    var snapshot: (resident: Bool, delegates: Int) { lock.withLock { (isResident, delegateCount) } }
}
