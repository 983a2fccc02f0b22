import HearthBridge
import HearthObjects
import HearthRuntimeHost

/// What the HTTP/WebSocket layer needs from the object host. The server speaks only through this
/// protocol, so its routing, tenancy, limits and WebSocket logic can be tested against a fake, and
/// the real host (`EmbeddedBackend`) stays a thin adapter.
///
/// Every method takes the namespace the caller was authenticated for; an implementation must keep
/// namespaces apart (separate data folders), so one tenant can never name another's objects.
public protocol ServerBackend: Sendable {
    /// Validates and stores a runtime module; throws `ServerError.badRequest` for a bad module.
    func deployRuntime(namespace: String, name: String, bytes: [UInt8]) async throws -> RuntimeSummary
    /// A deployed runtime as the host compiled it (for the shared warm pool, which then neither
    /// decodes nor validates it again), nil if unknown.
    func runtimeModule(namespace: String, name: String) async throws -> CompiledModule?
    /// Stores a function's assembly in an object (loaded on its next invoke); the object runs
    /// on the named runtime from then on.
    func deployFunction(namespace: String, object: String, runtime: String, functionId: String, entryPoint: String,
                        assembly: [UInt8]) async throws
    /// Runs one invocation inside the object; failures are in the response, never thrown.
    func invoke(namespace: String, object: String, request: InvokeRequest, deadline: EventDeadline?) async -> InvokeResponse
    /// The object's health without side effects beyond what the host documents.
    func health(namespace: String, object: String) async throws -> HealthResponse
    /// Whether the object currently holds in-memory state (a WebSocket auto-response must not change this).
    func isResident(namespace: String, object: String) async -> Bool
    /// Hibernates the object now (its sockets, owned by the server, stay open).
    func hibernate(namespace: String, object: String) async throws
    /// Names (or ids) of the namespace's objects that have storage.
    func listObjects(namespace: String) async throws -> [String]
    /// Deletes an object and its storage; false if it had none.
    func deleteObject(namespace: String, object: String) async throws -> Bool
    /// Runs the object's alarm handler now.
    func triggerAlarm(namespace: String, object: String) async throws
    /// Deletes one function of an object (its code unloaded from the guest); false if none.
    func deleteFunction(namespace: String, object: String, functionId: String) async throws -> Bool
    /// The object's point-in-time bookmark for now, or for a time (ms since 1970).
    func bookmark(namespace: String, object: String, at milliseconds: Int64?) async throws -> String
    /// Restores the object to a bookmark; answers the bookmark that undoes it.
    func restore(namespace: String, object: String, to bookmark: String) async throws -> String
    /// Counters for `/metrics`.
    func statistics() async -> BackendStatistics
    /// Records a function deployed to a namespace's pool (the pool itself lives in memory).
    func savePoolDeployment(namespace: String, functionId: String, _ deployment: PoolDeployment) async throws
    /// The pool function recorded under `functionId`, for a server that has not deployed it since
    /// it started (nil: none).
    func poolDeployment(namespace: String, functionId: String) async -> PoolDeployment?
    /// Prepares for serving, before the first request: takes what must be exclusive to this
    /// server and starts what runs without requests (alarms). A throw refuses to start.
    func start() async throws
    /// Closes every namespace (databases flushed and closed). Called once, after the server drained.
    func shutdown() async
    /// Deploys a WASI program as command function `functionId` of an object; throws
    /// `ServerError.badRequest` for a module that does not compile.
    func deployCommand(namespace: String, object: String, functionId: String, _ deployment: CommandDeployment) async throws
    /// Runs command function `functionId` once with `input` on its standard input; failures are
    /// in the response, never thrown.
    func invokeCommand(namespace: String, object: String, functionId: String, input: [UInt8]) async -> CommandResponse
}

extension ServerBackend {
    /// Nothing to prepare.
    public func start() async throws {}

    /// Backends without storage keep pool deployments for the process's life only.
    public func savePoolDeployment(namespace: String, functionId: String, _ deployment: PoolDeployment) async throws {}

    /// Backends without storage remember no pool deployments across restarts: always nil.
    public func poolDeployment(namespace: String, functionId: String) async -> PoolDeployment? { nil }

    /// Backends without command functions refuse them.
    public func deployCommand(namespace: String, object: String, functionId: String, _ deployment: CommandDeployment) async throws {
        throw ServerError(.notImplemented, "unsupported: command functions are not available on this backend")
    }

    /// Backends without command functions answer every invocation with a failure response.
    public func invokeCommand(namespace: String, object: String, functionId: String, input: [UInt8]) async -> CommandResponse {
        .failure("unsupported: command functions are not available on this backend")
    }
}

/// A deployed runtime, as reported back to the uploader.
public struct RuntimeSummary: Sendable, Equatable {
    /// The runtime's name in its namespace, as uploaded to `PUT /runtimes/<namespace>/<name>`.
    public var name: String
    /// Size of the uploaded module, in bytes.
    public var bytes: Int

    /// A summary of runtime `name`, a module of `bytes` bytes.
    public init(name: String, bytes: Int) {
        self.name = name
        self.bytes = bytes
    }
}

/// Host-wide counters exported on `/metrics`.
public struct BackendStatistics: Sendable, Equatable {
    /// Objects holding in-memory state now (`hearth_objects_live`).
    public var liveObjects: Int
    /// Known objects not holding in-memory state now (`hearth_objects_hibernated`).
    public var hibernatedObjects: Int
    /// Runtime starts restored from a warm snapshot instead of `_initialize`, since the host
    /// started (`hearth_snapshot_restores`).
    public var snapshotRestores: Int

    /// Counters with the given values; all zero by default, for a backend with nothing to report.
    public init(liveObjects: Int = 0, hibernatedObjects: Int = 0, snapshotRestores: Int = 0) {
        self.liveObjects = liveObjects
        self.hibernatedObjects = hibernatedObjects
        self.snapshotRestores = snapshotRestores
    }
}
