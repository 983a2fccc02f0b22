import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime
import HearthSQLite
import Synchronization

/// An object a host knows by name.
public struct ObjectInfo: Codable, Sendable, Equatable {
    /// The name the object is looked up by (`objectNamed`), unique in its namespace.
    public var name: String
    /// The object's id in hex (`ObjectID.hex`), derived from the namespace and the name.
    public var id: String
}

/// The embedded default: namespaces of runtime objects under one data folder (by default
/// `.hearth/` in the current directory), each with its runtime catalog, so deploying and
/// invoking needs no server. The CLI and the HTTP server both sit on this API.
///
/// Layout: `<directory>/<namespace>/` holds the objects' databases, the alarm index,
/// `_hearth_runtimes.sqlite` (the runtime binaries and command programs) and
/// `_hearth_objects.sqlite` (object names); per object, `<id>.images/` (its warm snapshot's
/// memory images) and `<id>.commands/` (its command functions' start-ups); and
/// `_hearth_images/` (each runtime's first image, shared by its objects).
public actor HearthHost {
    /// The data folder: one subfolder per namespace, plus the `_hearth.lock` a started host holds.
    public nonisolated let directory: URL
    /// Settings every namespace's objects run under: idle timeout, residency caps, storage limits, clock.
    public nonisolated let configuration: ObjectConfiguration
    /// How the runtime objects run guests: execution limits, memory cap, warm snapshots, fetch policy.
    public nonisolated let settings: RuntimeObjectSettings
    /// Cold starts, snapshot restores and saves across the host's objects.
    public nonisolated let statistics = RuntimeStatistics()
    /// Functions deployed to a namespace with no object, run by warm instances shared per
    /// namespace and runtime (`poolSize` each).
    public nonisolated let pool: FunctionPool
    /// Opening namespaces are shared as tasks, so two callers never open one folder twice.
    private var namespaces: [String: Task<OpenNamespace, Error>] = [:]
    /// The data folder's lock, held from `start` to `close` (a long-running host: the server).
    private var folderLock: Int32 = -1
    /// The namespace holds objects weakly; the host keeps the ones it handed out, so a warm
    /// object stays warm between calls until its idle timeout hibernates it.
    private var live: [String: DurableObject] = [:]

    struct OpenNamespace {
        let objects: ObjectNamespace
        let catalog: RuntimeCatalog
        let names: ObjectNames
    }

    /// `.hearth` in the current directory.
    public static var defaultDirectory: URL {
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".hearth", isDirectory: true)
    }

    /// A host over `directory` (`.hearth` in the current directory by default). Nothing is opened
    /// or locked here: namespaces open on first use, or all at once in `start()`. `poolSize` warm
    /// instances (one per core by default) serve each namespace's pool functions of a runtime.
    public init(directory: URL = HearthHost.defaultDirectory, configuration: ObjectConfiguration = .init(),
                settings: RuntimeObjectSettings = .init(), poolSize: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.directory = directory
        self.configuration = configuration
        self.settings = settings
        let link = HostLink()
        pool = FunctionPool(host: link, size: max(1, poolSize), settings: settings)
        link.attach(self)
    }

    // MARK: Deploying

    /// Stores runtime binary `name` in the namespace's catalog (it must compile).
    /// Objects in memory at the time let their runtime instance go (they hibernate), so the next
    /// event of each object bound to `name` runs on the new binary, not the one it woke with.
    @discardableResult
    public func deployRuntime(namespace: String = "default", name: String, bytes: [UInt8]) async throws -> RuntimeInfo {
        let space = try await open(namespace)
        let previous = try space.catalog.list().first { $0.name == name }
        let info = try space.catalog.deploy(name: name, bytes: bytes)
        if let previous, previous.hash != info.hash {
            for id in space.objects.residentObjectIDs { await (try? space.objects.get(id))?.hibernate() }
        }
        if previous?.hash != info.hash { pool.runtimeChanged(namespace: namespace, runtime: name) }
        return info
    }

    /// Records a function deployed to a namespace's pool, so that a restarted host serves it.
    func savePoolDeployment(namespace: String = "default", functionId: String, _ deployment: PoolDeployment) async throws {
        try await open(namespace).catalog.savePoolDeployment(functionId, deployment)
    }

    /// The pool function recorded under `functionId` in a namespace, if any.
    func poolDeployment(namespace: String = "default", functionId: String) async throws -> PoolDeployment? {
        try await open(namespace).catalog.poolDeployment(functionId)
    }

    /// A deployed runtime as the namespace's catalog compiled it (decoded and validated once per
    /// process, shared by every object and pool of the runtime); nil when none has that name.
    public func runtimeModule(namespace: String = "default", name: String) async throws -> CompiledModule? {
        try await open(namespace).catalog.module(named: name)?.module
    }

    /// The binary of a deployed runtime; nil when none has that name.
    public func runtimeBytes(namespace: String = "default", name: String) async throws -> [UInt8]? {
        try await open(namespace).catalog.bytes(named: name)
    }

    /// The runtimes deployed in a namespace.
    public func runtimes(namespace: String = "default") async throws -> [RuntimeInfo] {
        try await open(namespace).catalog.list()
    }

    /// Stores a function in an object and compiles its entry point, without running it.
    public func deployFunction(namespace: String = "default", object: String, functionId: String, entryPoint: String,
                               assembly: [UInt8], runtime: String? = nil) async -> InvokeResponse {
        let request = InvokeRequest(functionId: functionId, entryPoint: entryPoint, assembly: assembly, runtime: runtime)
        return await send(namespace: namespace, object: object, .deploy, request)
    }

    /// Deletes a function from an object: its stored versions and delegates go with the turn,
    /// and its assembly is unloaded from the running guest (a runtime exporting
    /// `unload_assembly`), so neither its memory nor later snapshots keep it. True if it existed.
    public func deleteFunction(namespace: String = "default", object: String, functionId: String) async throws -> Bool {
        try await onGuestThread(namespace: namespace, object: object) { runtime, storage, _ in
            try runtime.deleteFunction(functionId, storage: storage)
        }
    }

    // MARK: Calling

    /// Invokes a function of an object; failures of any kind come back as `{success: false}`.
    /// With `deadline`, the invocation does not run or commit once its caller gave up.
    public func invoke(namespace: String = "default", object: String, _ request: InvokeRequest,
                       deadline: EventDeadline? = nil) async -> InvokeResponse {
        await send(namespace: namespace, object: object, .invoke, request, deadline: deadline)
    }

    /// Deploys a WASI program as command function `functionId` of an object; nothing happens
    /// when exactly that is deployed already. Throws for a module that does not compile. The
    /// program is started (and its start-up captured) on its next invocation.
    public func deployCommand(namespace: String = "default", object: String, functionId: String,
                              _ deployment: CommandDeployment) async throws {
        try await onGuestThread(namespace: namespace, object: object) { runtime, storage, _ in
            try runtime.commands.deploy(functionId, deployment, storage: storage)
        }
    }

    /// Runs command function `functionId` of an object with `input` on its standard input,
    /// deploying `deploying` first when given (see `deployCommand`). Failures of any kind come
    /// back in `error`, with their kind in `failure`.
    public func invokeCommand(namespace: String = "default", object: String, functionId: String,
                              deploying deployment: CommandDeployment? = nil, input: [UInt8]) async -> CommandResponse {
        do {
            if let deployment {
                try await deployCommand(namespace: namespace, object: object, functionId: functionId, deployment)
            }
            return try await onGuestThread(namespace: namespace, object: object) { runtime, storage, _ in
                try runtime.commands.invoke(functionId, input: input, storage: storage)
            }
        } catch let error as UnknownCommandFunction {
            return .failure("\(error)", .unknownFunction)
        } catch let error as GuestRequestError {
            return .failure("\(error)", .badRequest)
        } catch {
            return .failure("\(error)")
        }
    }

    /// The object's health (waking it if needed).
    public func health(namespace: String = "default", object: String) async throws -> HealthResponse {
        let target = try await objectNamed(object, in: namespace)
        return try await target.runEvent { object, handler in
            guard let runtime = handler as? RuntimeObject else {
                throw GuestRequestError(message: "object \(object.id) is not a runtime object")
            }
            return runtime.health
        }
    }

    // MARK: Objects

    /// Objects used through this host in the namespace, by name.
    public func objects(namespace: String = "default") async throws -> [ObjectInfo] {
        try await open(namespace).names.query("SELECT name, id FROM objects ORDER BY name").map {
            ObjectInfo(name: $0[0].stringValue ?? "", id: $0[1].stringValue ?? "")
        }
    }

    /// Deletes an object for good: after the events queued before it, its database, images and
    /// alarm are gone, late events that still reach it are refused (`ObjectError.deleted`), and
    /// its name denotes a new, empty object. True when it had storage.
    @discardableResult
    public func deleteObject(namespace: String = "default", object: String) async throws -> Bool {
        let space = try await open(namespace)
        let id = space.objects.idFromName(object)
        let folder = space.objects.directory
        let existed = try await space.objects.get(id).delete {
            SnapshotImages.deleteImages(namespaceFolder: folder, objectID: id)
            try? FileManager.default.removeItem(at: CommandFunctions.folder(namespaceFolder: folder, objectID: id))
        }
        try space.names.query("DELETE FROM objects WHERE name = ?", [.text(object)])
        live["\(namespace)/\(object)"] = nil
        return existed
    }

    /// Scrubs the object's warm snapshot now: reads every page of its images against their
    /// checksums. Returns the problem found (the snapshot is then forgotten and the object's
    /// instance replaced), or nil when the images are intact or there is no snapshot.
    public func verifySnapshot(namespace: String = "default", object: String) async throws -> String? {
        let target = try await objectNamed(object, in: namespace)
        return try await target.runEvent { object, handler in
            guard let runtime = handler as? RuntimeObject else { return nil }
            return try runtime.verifySnapshot(object.storage)
        }
    }

    /// Runs the object's alarm (the maintenance sweep) now instead of when it is due.
    public func triggerAlarm(namespace: String = "default", object: String) async throws {
        let target = try await objectNamed(object, in: namespace)
        let now = configuration.clock.now()
        try await target.blockConcurrencyWhile { object in try object.storage.setAlarm(at: now) }
        await target.deliverAlarm()
    }

    /// Invocation statistics of the functions deployed to an object, ordered by id. A resident
    /// object first writes the invocations it counted in memory (see `InvocationTally`), so the
    /// counts are exact; asking never wakes a hibernated object (it has nothing unwritten).
    public func functionStatistics(namespace: String = "default", object: String) async throws -> [FunctionStatistics] {
        let target = try await objectNamed(object, in: namespace)
        return try await target.blockConcurrencyWhile { object in
            if let runtime = object.handler as? RuntimeObject {
                try runtime.writeStatistics(object.storage, now: object.host.configuration.clock.now())
            }
            return try RuntimeObject.writtenStatistics(object.storage)
        }
    }

    /// Whether the object holds its in-memory state now (asking never wakes it).
    public func isResident(namespace: String = "default", object: String) async throws -> Bool {
        try await objectNamed(object, in: namespace).isResident
    }

    /// Objects of every open namespace holding their state, and known objects that do not.
    public func objectCounts() async -> (resident: Int, hibernated: Int) {
        var resident = 0, known = 0
        for task in namespaces.values {
            guard let space = try? await task.value else { continue }
            resident += space.objects.residentObjectIDs.count
            known += Int((try? space.names.scalar("SELECT count(*) FROM objects"))??.int64Value ?? 0)
        }
        return (resident, max(0, known - resident))
    }

    /// Hibernates an object now (its next event wakes it from storage).
    public func hibernate(namespace: String = "default", object: String) async throws {
        let target = try await objectNamed(object, in: namespace)
        await target.hibernate()
    }

    /// The object's bookmark (point-in-time recovery) for now, or for the state it was in at `date`.
    public func bookmark(namespace: String = "default", object: String, at date: Date? = nil) async throws -> String {
        let target = try await objectNamed(object, in: namespace)
        return try await target.blockConcurrencyWhile { object in
            try date.map { try object.storage.bookmark(for: $0) } ?? object.storage.currentBookmark()
        }
    }

    /// Restores the object's database to `bookmark` now: its state is dropped and the next event
    /// runs on the restored database (its runtime woken or started again). Answers the bookmark
    /// that undoes the restore.
    public func restore(namespace: String = "default", object: String, to bookmark: String) async throws -> String {
        let target = try await objectNamed(object, in: namespace)
        return try await target.blockConcurrencyWhile { object in try object.storage.onNextSessionRestoreBookmark(bookmark) }
    }

    /// The live object for a name (for callers that need the object API itself).
    public func objectNamed(_ name: String, in namespace: String = "default") async throws -> DurableObject {
        let space = try await open(namespace)
        let key = "\(namespace)/\(name)"
        if let object = live[key] { return object }
        let id = space.objects.idFromName(name)
        try space.names.query("INSERT OR IGNORE INTO objects (name, id, created_at) VALUES (?, ?, ?)",
                              [.text(name), .text(id.hex), .integer(Date().milliseconds)])
        let object = try space.objects.get(id)
        live[key] = object
        return object
    }

    /// Starts a long-running host (the server): takes the data folder's lock, so that a second
    /// server over the same folder refuses to start (`ObjectError.directoryInUse`) instead of
    /// answering errors, and opens every namespace in it, so each alarm index is loaded and
    /// overdue alarms fire now rather than when a request first touches their namespace.
    /// A host used for a few calls (the CLI) need not start: namespaces open as they are used.
    public func start() async throws {
        guard folderLock < 0 else { return }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard let lock = exclusiveLock(directory.appendingPathComponent("_hearth.lock").path) else {
            throw ObjectError.directoryInUse(directory.path)
        }
        folderLock = lock
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in entries.sorted()
        where FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name)/_hearth_objects.sqlite").path) {
            _ = try await open(name)
        }
    }

    /// Closes every open namespace (its objects hibernate, its databases close), forgets the objects
    /// it kept warm, and releases the data folder's lock `start()` took.
    public func close() async {
        await pool.close()
        for (_, task) in namespaces {
            guard let space = try? await task.value else { continue }
            await space.objects.close()
            space.catalog.close()
            space.names.close()
        }
        namespaces = [:]
        live = [:]
        if folderLock >= 0 {
            releaseLock(folderLock)
            folderLock = -1
        }
    }

    // MARK: Internals

    /// What a request asks of a runtime object: a typed call, not an in-process HTTP path.
    private enum RuntimeCall { case deploy, invoke }

    private func send(namespace: String, object: String, _ call: RuntimeCall, _ request: InvokeRequest,
                      deadline: EventDeadline? = nil) async -> InvokeResponse {
        do {
            if let runtime = request.runtime {
                // Named by the request, the runtime is the object's from now on; one already
                // running another runtime lets it go (its counts written first).
                let target = try await objectNamed(object, in: namespace)
                let now = configuration.clock.now()
                try await target.blockConcurrencyWhile { object in
                    guard try RuntimeObject.rebind(object.storage, to: runtime) else { return }
                    try (object.handler as? RuntimeObject)?.writeStatistics(object.storage, now: now)
                    object.dropStateWithoutSaving()
                }
            }
            return try await onGuestThread(namespace: namespace, object: object, deadline: deadline) { runtime, storage, now in
                call == .deploy ? try runtime.deploy(request, storage: storage, now: now)
                                  : try runtime.invoke(request, storage: storage, now: now)
            }
        } catch ObjectError.deadlineExceeded {
            return .failure("\(ObjectError.deadlineExceeded)", .limitExceeded)
        } catch let error as ObjectError {
            if case .overloaded = error { return .failure("\(error)", .overloaded) }
            return .failure("\(error)")
        } catch let error as GuestRequestError {
            // What the request asked cannot be done (no runtime deployed, not a runtime
            // object, a bad namespace name): the client's mistake, not the server's.
            return .failure("\(error)", .badRequest)
        } catch {
            return .failure("\(error)")
        }
    }

    /// Runs `body` on the runtime object `object` as an ordinary event (gates, turn, output
    /// gate), on a guest thread rather than the cooperative pool (`GuestThreads`): guests and
    /// validation of large programs take their time. In-process callers skip any HTTP-like
    /// encoding: requests reach the runtime object as values.
    private func onGuestThread<T: Sendable>(namespace: String, object: String, deadline: EventDeadline? = nil,
                                            _ body: @escaping @Sendable (RuntimeObject, ObjectStorage, Date) throws -> T) async throws -> T {
        let target = try await objectNamed(object, in: namespace)
        return try await target.runEvent(deadline: deadline) { object, handler in
            guard let runtime = handler as? RuntimeObject else {
                throw GuestRequestError(message: "object \(object.id) is not a runtime object")
            }
            let storage = object.storage
            let now = object.host.configuration.clock.now()
            return try await GuestThreads.shared.run { try body(runtime, storage, now) }
        }
    }

    private func open(_ name: String) async throws -> OpenNamespace {
        if let opening = namespaces[name] { return try await opening.value }
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0)
                                                    || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) }) else {
            throw GuestRequestError(message: "invalid namespace name \"\(name)\": use letters, digits, - and _")
        }
        let (directory, configuration, settings, statistics) = (self.directory, self.configuration, self.settings, self.statistics)
        let task = Task { try await Self.openNamespace(name, directory: directory, configuration: configuration,
                                                      settings: settings, statistics: statistics) }
        namespaces[name] = task
        do {
            return try await task.value
        } catch {
            namespaces[name] = nil
            throw error
        }
    }

    private static func openNamespace(_ name: String, directory: URL, configuration: ObjectConfiguration,
                                      settings: RuntimeObjectSettings, statistics: RuntimeStatistics) async throws -> OpenNamespace {
        let folder = directory.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var engineConfiguration = EngineConfiguration()
        engineConfiguration.maxMemoryPages = settings.maxMemoryBytes / 65536
        let catalog = try RuntimeCatalog(path: folder.appendingPathComponent("_hearth_runtimes.sqlite").path,
                                         engine: Engine(configuration: engineConfiguration))
        let names = try ObjectNames(path: folder.appendingPathComponent("_hearth_objects.sqlite").path)
        let objects = try await ObjectNamespace(name: name, directory: folder, configuration: configuration,
                                                factory: RuntimeObject.factory(catalog: catalog, settings: settings, statistics: statistics))
        let opened = OpenNamespace(objects: objects, catalog: catalog, names: names)
        return opened
    }
}

/// An exclusive `flock` on the file at `path` (created if needed), or nil if another holds it.
private func exclusiveLock(_ path: String) -> Int32? {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return nil }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
        close(fd)
        return nil
    }
    return fd
}

/// Closes a lock's descriptor, which releases it.
private func releaseLock(_ fd: Int32) { close(fd) }

/// A namespace's index of object names (`_hearth_objects.sqlite`: name, id, creation time), on
/// a connection of its own used under a lock, so the namespace that holds it is `Sendable`.
final class ObjectNames: Sendable {
    private let database: Mutex<Database>

    /// Opens (creating) the index at `path`.
    init(path: String) throws {
        let database = try Database(path: path)
        try database.exec("CREATE TABLE IF NOT EXISTS objects (name TEXT PRIMARY KEY, id TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID")
        self.database = Mutex(database)
    }

    /// Runs `sql` with `parameters`; the rows it answers.
    @discardableResult
    func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [[SQLValue]] {
        try database.withLock { try $0.query(sql, parameters) }
    }

    /// The first column of the first row `sql` answers, if any.
    func scalar(_ sql: String) throws -> SQLValue? {
        try database.withLock { try $0.scalar(sql) }
    }

    /// Closes the connection.
    func close() { database.withLock { $0.close() } }
}
