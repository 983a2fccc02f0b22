import Foundation
import HearthBridge
import HearthObjects
import HearthRuntimeHost

/// The server's backend over the embedded object host (`HearthHost`) in this process: one
/// namespace per tenant under `<data>/<namespace>/` (the layout `hearth invoke` uses, so both
/// see the same objects), each with its runtime catalog,
/// and runtime objects (`RuntimeObject`) with warm snapshots, guest storage and engine-enforced
/// deadlines, exactly as `hearth invoke` runs them. Namespaces are separate folders and the
/// namespace salts object ids, so tenants cannot reach each other's objects or storage.
public actor EmbeddedBackend: ServerBackend {
    private let host: HearthHost

    /// - Parameters:
    ///   - dataDirectory: the data folder (created if needed).
    ///   - limits: deadline and fuel per invocation, enforced by the engine (30 s, no fuel cap).
    ///   - maxMemoryPages: cap on each runtime instance's linear memory (nil: the host's default).
    ///   - poolSize: warm instances per namespace and runtime in the shared pool (one per core).
    public init(dataDirectory: String, configuration: ObjectConfiguration = ObjectConfiguration(),
                limits: ExecutionLimits = ExecutionLimits(deadline: .seconds(30)), maxMemoryPages: Int? = nil,
                poolSize: Int = ProcessInfo.processInfo.activeProcessorCount) {
        var settings = RuntimeObjectSettings()
        settings.limits = limits
        if let maxMemoryPages { settings.maxMemoryBytes = maxMemoryPages * 65536 }
        let folder = URL(fileURLWithPath: dataDirectory, isDirectory: true)
        Self.adoptLegacyLayout(folder)
        host = HearthHost(directory: folder, configuration: configuration, settings: settings, poolSize: poolSize)
    }

    /// Servers before the layouts were one kept namespaces in `<data>/namespaces/`: they move
    /// up beside the CLI's (a namespace that exists in both stays where it is, and is logged).
    private static func adoptLegacyLayout(_ folder: URL) {
        let legacy = folder.appendingPathComponent("namespaces", isDirectory: true)
        let files = FileManager.default
        // A namespace named "namespaces" has its own objects index: then it is no container.
        guard !files.fileExists(atPath: legacy.appendingPathComponent("_hearth_objects.sqlite").path),
              let names = try? files.contentsOfDirectory(atPath: legacy.path) else { return }
        for name in names where !files.fileExists(atPath: folder.appendingPathComponent(name).path) {
            try? files.moveItem(at: legacy.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        if (try? files.contentsOfDirectory(atPath: legacy.path))?.isEmpty == true { try? files.removeItem(at: legacy) }
    }

    /// Deploys a function of runtime `runtime` to the namespace's shared pool, recorded in its
    /// catalog so a restarted server serves it again; a `HostRefusal` (`unknownFunction`, a 404)
    /// when the runtime is not deployed.
    public func deployToPool(namespace: String, functionId: String, runtime: String, entryPoint: String,
                             assembly: [UInt8]) async throws {
        try await host.pool.deploy(namespace: namespace, functionId: functionId, runtime: runtime, entryPoint: entryPoint,
                                   assembly: assembly)
    }

    /// Runs a pool function on a warm instance of its runtime (the host's pool enforces the deadline).
    public nonisolated func invokeInPool(namespace: String, functionId: String, entryPoint: String?, args: JSONValue,
                                         completion: @escaping @Sendable (InvokeResponse) -> Void) {
        host.pool.invoke(namespace: namespace, functionId: functionId, entryPoint: entryPoint, args: args, completion: completion)
    }

    /// Deploys a WASI program to the namespace's pool, its start-up captured now and the
    /// deployment recorded; a `HostRefusal` (`badRequest`, a 400) for a module that does not
    /// compile or a streaming mode.
    public func deployCommandToPool(namespace: String, functionId: String, _ deployment: CommandDeployment) async throws {
        try await host.pool.deployCommand(namespace: namespace, functionId: functionId, deployment)
    }

    /// Runs a pool command function once with `input` on its standard input.
    public func invokeCommandInPool(namespace: String, functionId: String, input: [UInt8]) async -> CommandResponse {
        await host.pool.invokeCommand(namespace: namespace, functionId: functionId, input: input)
    }

    /// Takes the data folder's lock and opens every namespace (their overdue alarms fire).
    public func start() async throws {
        try await host.start()
    }

    /// Stores runtime binary `name` in the namespace's catalog (objects running an older binary of it
    /// hibernate); throws `ServerError.badRequest` when the module does not instantiate.
    public func deployRuntime(namespace: String, name: String, bytes: [UInt8]) async throws -> RuntimeSummary {
        do {
            try await host.deployRuntime(namespace: namespace, name: name, bytes: bytes)
        } catch let BridgeError.instantiation(message) {
            throw ServerError.badRequest("invalid runtime module: \(message)")
        }
        return RuntimeSummary(name: name, bytes: bytes.count)
    }

    /// Stores a function's assembly in `object`, which runs on `runtime` from then on. Throws
    /// `ServerError.notFound` when that runtime is not deployed, `badRequest` when the deploy is
    /// refused, and a 500 `ServerError` for an internal failure.
    public func deployFunction(namespace: String, object: String, runtime: String, functionId: String,
                               entryPoint: String, assembly: [UInt8]) async throws {
        guard try await host.runtimeBytes(namespace: namespace, name: runtime) != nil else {
            throw ServerError.notFound("no runtime \"\(runtime)\" in namespace \"\(namespace)\": upload it first (PUT /runtimes/\(namespace)/\(runtime))")
        }
        let response = await host.deployFunction(namespace: namespace, object: object, functionId: functionId,
                                                 entryPoint: entryPoint, assembly: assembly, runtime: runtime)
        guard response.success else {
            let message = response.error ?? "deploy failed"
            throw response.failure == .internalFailure ? ServerError(.internalServerError, message) : ServerError.badRequest(message)
        }
    }

    /// Deploys a WASI program as command function `functionId` of `object`; throws
    /// `ServerError.badRequest` when the object refuses it (e.g. a module that does not compile).
    public func deployCommand(namespace: String, object: String, functionId: String, _ deployment: CommandDeployment) async throws {
        do {
            try await host.deployCommand(namespace: namespace, object: object, functionId: functionId, deployment)
        } catch let error as GuestRequestError {
            throw ServerError.badRequest("\(error)")
        }
    }

    /// Runs command function `functionId` of `object` once with `input` on its standard input;
    /// failures (unknown function, trap, limit) come back in the response, never thrown.
    public func invokeCommand(namespace: String, object: String, functionId: String, input: [UInt8]) async -> CommandResponse {
        await host.invokeCommand(namespace: namespace, object: object, functionId: functionId, input: input)
    }

    /// Runs one invocation in `object` on a guest thread; failures, a passed `deadline` included
    /// (`limitExceeded`), come back in the response, never thrown.
    public func invoke(namespace: String, object: String, request: InvokeRequest, deadline: EventDeadline?) async -> InvokeResponse {
        await host.invoke(namespace: namespace, object: object, request, deadline: deadline)
    }

    /// A resident object answers from its state; a hibernated one is reported as such, not woken.
    public func health(namespace: String, object: String) async throws -> HealthResponse {
        guard try await host.isResident(namespace: namespace, object: object) else {
            return HealthResponse(status: "ok", initialized: false, cachedDelegates: 0)
        }
        var health = try await host.health(namespace: namespace, object: object)
        // "ok" over HTTP whatever the runtime's own word ("healthy", "recovering").
        health.status = "ok"
        return health
    }

    /// Whether `object` holds its in-memory state now, asked without waking it; false also when the
    /// namespace cannot be opened.
    public func isResident(namespace: String, object: String) async -> Bool {
        (try? await host.isResident(namespace: namespace, object: object)) ?? false
    }

    /// Hibernates `object` now: it lets its runtime instance go and its next event wakes it from storage.
    public func hibernate(namespace: String, object: String) async throws {
        try await host.hibernate(namespace: namespace, object: object)
    }

    /// Names of the objects used through this host in the namespace, sorted.
    public func listObjects(namespace: String) async throws -> [String] {
        try await host.objects(namespace: namespace).map(\.name)
    }

    /// Deletes `object` for good (database, snapshot images, command start-ups, alarm); its name then
    /// denotes a new, empty object. True when it had storage.
    public func deleteObject(namespace: String, object: String) async throws -> Bool {
        try await host.deleteObject(namespace: namespace, object: object)
    }

    /// Runs the object's alarm (its maintenance sweep) now instead of when it is due.
    public func triggerAlarm(namespace: String, object: String) async throws {
        try await host.triggerAlarm(namespace: namespace, object: object)
    }

    /// Deletes function `functionId` from `object` and unloads its assembly from the running guest;
    /// false when the object had no such function.
    public func deleteFunction(namespace: String, object: String, functionId: String) async throws -> Bool {
        try await host.deleteFunction(namespace: namespace, object: object, functionId: functionId)
    }

    /// The object's point-in-time recovery bookmark for now, or for its state at `milliseconds`
    /// since 1970.
    public func bookmark(namespace: String, object: String, at milliseconds: Int64?) async throws -> String {
        try await host.bookmark(namespace: namespace, object: object, at: milliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) })
    }

    /// Restores the object's database to `bookmark`; its next event runs on the restored state.
    /// Answers the bookmark that undoes the restore.
    public func restore(namespace: String, object: String, to bookmark: String) async throws -> String {
        try await host.restore(namespace: namespace, object: object, to: bookmark)
    }

    /// Resident and hibernated objects across the open namespaces, and warm-snapshot restores since
    /// the host started.
    public func statistics() async -> BackendStatistics {
        let counts = await host.objectCounts()
        return BackendStatistics(liveObjects: counts.resident, hibernatedObjects: counts.hibernated,
                                 snapshotRestores: host.statistics.snapshotRestores)
    }

    /// Closes every namespace (objects hibernated, databases closed) and releases the data folder's lock.
    public func shutdown() async {
        await host.close()
    }
}
