import Foundation
import HearthBridge
import HearthObjects

/// The server's backend over the object layer in this process: one `ObjectNamespace` per tenant
/// under `<data>/namespaces/<namespace>/objects`, its runtimes under `.../runtimes`, and objects
/// whose state is a warm `RuntimeBridge` (`BridgeObjectHandler`). Namespaces are separate folders
/// and the namespace salts object ids, so tenants cannot reach each other's objects or storage.
public actor EmbeddedBackend: ServerBackend {
    private let root: URL
    private let configuration: ObjectConfiguration
    private let deadline: Duration
    private var tenants: [String: Task<Tenant, any Error>] = [:]
    private let hibernations = Counter()

    /// One namespace's open state.
    final class Tenant: @unchecked Sendable {
        let namespace: ObjectNamespace
        let runtimes: RuntimeStore
        let namesFile: URL
        private let lock = NSLock()
        private var names: Set<String>
        private var counters: [ObjectID: ObjectCounters] = [:]
        /// The namespace holds objects weakly (an unreferenced object disappears, state and all);
        /// the server keeps the ones it has used, so an idle object hibernates on its own timer
        /// instead of vanishing after each request.
        private var held: [ObjectID: DurableObject] = [:]

        func object(named name: String) throws -> DurableObject {
            let id = namespace.idFromName(name)
            if let object = lock.withLock({ held[id] }) { return object }
            let object = try namespace.get(id)
            lock.withLock { held[id] = object }
            return object
        }

        func release(_ id: ObjectID) { _ = lock.withLock { held.removeValue(forKey: id) } }

        init(namespace: ObjectNamespace, runtimes: RuntimeStore, namesFile: URL) {
            self.namespace = namespace
            self.runtimes = runtimes
            self.namesFile = namesFile
            let text = (try? String(contentsOf: namesFile, encoding: .utf8)) ?? ""
            names = Set(text.split(separator: "\n").map(String.init))
        }

        func counters(_ id: ObjectID, onHibernate: @escaping @Sendable () -> Void) -> ObjectCounters {
            lock.withLock {
                if let existing = counters[id] { return existing }
                let made = ObjectCounters(onHibernate: onHibernate)
                counters[id] = made
                return made
            }
        }

        func existingCounters(_ id: ObjectID) -> ObjectCounters? { lock.withLock { counters[id] } }

        /// Remembers object names (ids are hashes, so names cannot be recovered from files).
        func remember(_ name: String) {
            lock.withLock {
                guard names.insert(name).inserted else { return }
                try? Data(names.sorted().joined(separator: "\n").utf8).write(to: namesFile, options: .atomic)
            }
        }

        func forget(_ name: String) -> Bool {
            lock.withLock {
                guard names.remove(name) != nil else { return false }
                try? Data(names.sorted().joined(separator: "\n").utf8).write(to: namesFile, options: .atomic)
                return true
            }
        }

        var allNames: [String] { lock.withLock { names.sorted() } }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.withLock { value += 1 } }
        var current: Int { lock.withLock { value } }
    }

    /// - Parameters:
    ///   - dataDirectory: the data folder (created if needed).
    ///   - deadline: wall-clock limit per guest call, enforced by the bridge's interrupter.
    public init(dataDirectory: String, configuration: ObjectConfiguration = ObjectConfiguration(), deadline: Duration = .seconds(30)) {
        root = URL(fileURLWithPath: dataDirectory).appendingPathComponent("namespaces")
        self.configuration = configuration
        self.deadline = deadline
    }

    private func tenant(_ name: String) async throws -> Tenant {
        if let existing = tenants[name] { return try await existing.value }
        let folder = root.appendingPathComponent(name)
        let configuration = configuration, deadline = deadline, hibernations = hibernations
        let task = Task<Tenant, any Error> {
            let runtimes = try RuntimeStore(directory: folder.appendingPathComponent("runtimes"))
            let holder = TenantHolder()
            let namespace = try await ObjectNamespace(name: name, directory: folder.appendingPathComponent("objects"),
                                                      configuration: configuration) { object in
                guard let tenant = holder.tenant else { throw ServerError(.serviceUnavailable, "namespace is opening") }
                let counters = tenant.counters(object.id) { hibernations.increment() }
                return try BridgeObjectHandler(object: object, runtimes: runtimes, deadline: deadline, counters: counters)
            }
            let tenant = Tenant(namespace: namespace, runtimes: runtimes, namesFile: folder.appendingPathComponent("objects.txt"))
            holder.tenant = tenant
            return tenant
        }
        tenants[name] = task
        return try await task.value
    }

    private final class TenantHolder: @unchecked Sendable {
        var tenant: Tenant?
    }

    private func object(_ namespace: String, _ name: String) async throws -> (Tenant, DurableObject) {
        let tenant = try await tenant(namespace)
        return (tenant, try tenant.object(named: name))
    }

    public func deployRuntime(namespace: String, name: String, bytes: [UInt8]) async throws -> RuntimeSummary {
        let tenant = try await tenant(namespace)
        _ = try tenant.runtimes.deploy(name: name, bytes: bytes)
        return RuntimeSummary(name: name, bytes: bytes.count)
    }

    public func runtimeBytes(namespace: String, name: String) async throws -> [UInt8]? {
        try await tenant(namespace).runtimes.bytes(name)
    }

    public func deployFunction(namespace: String, object name: String, runtime: String, functionId: String,
                               entryPoint: String, assembly: [UInt8]) async throws {
        let (tenant, object) = try await object(namespace, name)
        guard tenant.runtimes.bytes(runtime) != nil else {
            throw ServerError.notFound("no runtime \"\(runtime)\" in namespace \"\(namespace)\": upload it first (PUT /runtimes/\(namespace)/\(runtime))")
        }
        try await object.blockConcurrencyWhile { object in
            try object.storage.put(BridgeObjectHandler.runtimeKey, Array(runtime.utf8))
            try object.storage.put(BridgeObjectHandler.functionKey(functionId), assembly)
        }
        tenant.remember(name)
        // A resident bridge still holds the previous version: drop it, the next event reloads.
        if await object.isResident { await object.hibernate() }
    }

    public func invoke(namespace: String, object name: String, request: InvokeRequest) async -> InvokeResponse {
        do {
            let (tenant, object) = try await object(namespace, name)
            tenant.remember(name)
            var members: [(String, JSONValue)] = [("functionId", .string(request.functionId)), ("entryPoint", .string(request.entryPoint)),
                                                  ("args", request.args)]
            if let data = request.assemblyData { members.append(("assemblyData", .string(Base64Field.encode(data)))) }
            let response = try await object.fetch(ObjectRequest(method: "POST", url: "/invoke", body: JSONValue.object(members).bytes))
            let json = try JSONValue.parse(response.body)
            if case .bool(true)? = json["success"] { return .success(json["result"] ?? .null) }
            let message: String
            if case .string(let text)? = json["error"] { message = text } else { message = "invocation failed" }
            return .failure(message, kind: Self.kind(status: response.status))
        } catch let error as ServerError {
            return .failure(error.message, kind: error.status.code == 404 ? .unknownFunction : .badRequest)
        } catch let error as BridgeError {
            return .from(error)
        } catch {
            return .failure("\(error)", kind: .internalFailure)
        }
    }

    private static func kind(status: Int) -> InvokeFailureKind {
        switch status {
        case 422: return .guestError
        case 404: return .unknownFunction
        case 504: return .limitExceeded
        case 400: return .badRequest
        default: return .internalFailure
        }
    }

    public func health(namespace: String, object name: String) async throws -> ObjectHealth {
        let (tenant, object) = try await object(namespace, name)
        let delegates = tenant.existingCounters(object.id)?.snapshot.delegates ?? 0
        let resident = await object.isResident
        return ObjectHealth(status: "ok", initialized: resident, cachedDelegates: resident ? delegates : 0)
    }

    /// Asks the object itself (reading a flag; it never wakes the object).
    public func isResident(namespace: String, object name: String) async -> Bool {
        guard let (_, object) = try? await object(namespace, name) else { return false }
        return await object.isResident
    }

    public func hibernate(namespace: String, object name: String) async throws {
        let (_, object) = try await object(namespace, name)
        await object.hibernate()
    }

    public func listObjects(namespace: String) async throws -> [String] {
        try await tenant(namespace).allNames
    }

    public func deleteObject(namespace: String, object name: String) async throws -> Bool {
        let (tenant, object) = try await object(namespace, name)
        let known = tenant.forget(name)
        // Empty the storage inside a turn (so a concurrent event sees all or nothing), then drop
        // the state and remove the file itself.
        try await object.blockConcurrencyWhile { object in
            try object.storage.deleteAll()
            try object.storage.deleteAlarm()
        }
        await object.hibernate()
        tenant.release(object.id)
        let base = tenant.namespace.directory.appendingPathComponent("\(object.id.hex).sqlite").path
        var removed = false
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: base + suffix) {
            try? FileManager.default.removeItem(atPath: base + suffix)
            removed = true
        }
        return known || removed
    }

    public func triggerAlarm(namespace: String, object name: String) async throws {
        let (_, object) = try await object(namespace, name)
        try await object.blockConcurrencyWhile { object in try object.storage.setAlarm(at: Date()) }
    }

    public func statistics() async -> BackendStatistics {
        var live = 0
        for task in tenants.values {
            if let tenant = try? await task.value { live += tenant.namespace.residentObjectIDs.count }
        }
        return BackendStatistics(liveObjects: live, hibernatedObjects: hibernations.current, snapshotRestores: 0)
    }

    public func shutdown() async {
        for task in tenants.values {
            if let tenant = try? await task.value { await tenant.namespace.close() }
        }
        tenants.removeAll()
    }
}
