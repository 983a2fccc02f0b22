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
    /// Deploys a function of runtime `runtime` to the namespace's shared pool (no object, no
    /// storage); throws `ServerError.notFound` or a `HostRefusal` of kind `unknownFunction` (a
    /// 404 either way) when the runtime is not deployed.
    func deployToPool(namespace: String, functionId: String, runtime: String, entryPoint: String, assembly: [UInt8]) async throws
    /// Runs a pool function; `completion` gets the response exactly once, failures included. It
    /// must not need a task when the pool is warm: the server's event-loop fast path calls it.
    func invokeInPool(namespace: String, functionId: String, entryPoint: String?, args: JSONValue,
                      completion: @escaping @Sendable (InvokeResponse) -> Void)
    /// Deploys a WASI program as a command function of the namespace's pool; throws
    /// `ServerError.badRequest` or a `HostRefusal` of kind `badRequest` (a 400 either way) for a
    /// module that does not compile or a streaming mode.
    func deployCommandToPool(namespace: String, functionId: String, _ deployment: CommandDeployment) async throws
    /// Runs a pool command function once with `input` on its standard input; failures are in the
    /// response, never thrown.
    func invokeCommandInPool(namespace: String, functionId: String, input: [UInt8]) async -> CommandResponse
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

    /// Backends without a pool refuse pool functions.
    public func deployToPool(namespace: String, functionId: String, runtime: String, entryPoint: String,
                             assembly: [UInt8]) async throws {
        throw ServerError(.notImplemented, "unsupported: the shared pool is not available on this backend")
    }

    /// Backends without a pool answer every pool invocation with a failure response.
    public func invokeInPool(namespace: String, functionId: String, entryPoint: String?, args: JSONValue,
                             completion: @escaping @Sendable (InvokeResponse) -> Void) {
        completion(.failure("unsupported: the shared pool is not available on this backend", .unknownFunction))
    }

    /// Backends without a pool refuse pool command functions.
    public func deployCommandToPool(namespace: String, functionId: String, _ deployment: CommandDeployment) async throws {
        throw ServerError(.notImplemented, "unsupported: the shared pool is not available on this backend")
    }

    /// Backends without a pool answer every pool command invocation with a failure response.
    public func invokeCommandInPool(namespace: String, functionId: String, input: [UInt8]) async -> CommandResponse {
        .failure("unsupported: the shared pool is not available on this backend", .unknownFunction)
    }

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
