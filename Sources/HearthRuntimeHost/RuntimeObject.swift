import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime
import HearthSQLite
import HearthWASI

/// Counters shared by the runtime objects of a host, for health pages, tests and benchmarks.
public final class RuntimeStatistics: Sendable {
    private let counters = Locked<[String: Int]>([:])
    /// Times a runtime ran `_initialize` (cold starts, including after traps are not counted here).
    public var coldStarts: Int { counters.withLock { $0["cold", default: 0] } }
    /// Times a runtime was restored from a warm snapshot instead.
    public var snapshotRestores: Int { counters.withLock { $0["restore", default: 0] } }
    /// Warm snapshots written.
    public var snapshotsSaved: Int { counters.withLock { $0["saved", default: 0] } }
    /// Why the last snapshot was not taken or not used, if it was not.
    public var lastSnapshotProblem: String? { problem.withLock { $0 } }
    private let problem = Locked<String?>(nil)

    /// Counters at zero; a host shares one set across its namespaces.
    public init() {}
    /// Command-function runs resumed from a captured start-up, run cold, and start-ups captured.
    public var commandsResumed: Int { counters.withLock { $0["command resumed", default: 0] } }
    /// Command-function invocations that started their program from scratch (no start-up captured).
    public var commandsRunCold: Int { counters.withLock { $0["command cold", default: 0] } }
    /// Times a command function's program was run to its first read or write to capture its start-up.
    public var commandsPrepared: Int { counters.withLock { $0["command prepared", default: 0] } }
    /// Times a new object woke from its runtime's shared first image instead of `_initialize`.
    public var runtimeSnapshotStarts: Int { counters.withLock { $0["pristine", default: 0] } }
    /// Bytes of image files written by snapshot saves, and how many saves wrote every page.
    public var snapshotBytesWritten: Int { counters.withLock { $0["bytes", default: 0] } }
    /// Snapshot saves that wrote every memory page rather than only the pages changed since the last.
    public var fullSnapshotSaves: Int { counters.withLock { $0["full", default: 0] } }

    func count(_ key: String) { counters.withLock { $0[key, default: 0] += 1 } }
    func recordSave(bytes: Int, full: Bool) {
        counters.withLock {
            $0["bytes", default: 0] += bytes
            if full { $0["full", default: 0] += 1 }
        }
    }
    func note(_ text: String) { problem.withLock { $0 = text } }
}

/// How runtime objects behave.
public struct RuntimeObjectSettings: Sendable {
    /// Receives `env.js_console_log` messages of every object.
    public var log: @Sendable (ObjectID, String) -> Void = { _, _ in }
    /// Hosts guests may fetch.
    public var fetchPolicy = FetchPolicy()
    /// Sends the fetches the policy admits (nil: the system's URL loading).
    public var fetcher: HTTPFetcher?
    /// Per-invocation limits, enforced by the engine (`Store.withLimits`). By default an
    /// invocation may run 30 s, so a guest that loops forever cannot hold its object (and the
    /// caller) for ever.
    public var limits = ExecutionLimits(deadline: .seconds(30))
    /// The most linear memory a runtime instance may have: its `memory.grow` fails beyond this.
    public var maxMemoryBytes = 1 << 30
    /// Warm snapshots after start and after loading code, restored on wake.
    public var snapshots = true
    /// The most a command function's invocation may write to stdout, and to stderr, each: they
    /// are held in memory until it exits. Past it the invocation fails as a limit exceeded.
    public var maxCommandOutputBytes = 16 << 20
    /// The maintenance alarm's period, and how long a delegate may go unused before it is dropped.
    public var maintenanceInterval: TimeInterval = 6 * 3600
    /// Seconds a function may go uninvoked before the maintenance sweep drops its compiled delegates.
    public var delegateIdleLimit: TimeInterval = 24 * 3600
    /// How long a function's invocation count and `last_invoked` may stay in memory before an
    /// invoke writes them (they are also written by any turn that commits anyway, before the
    /// maintenance alarm and on hibernation). A crash loses at most this interval's counts; 0
    /// writes them on every invoke, costing each call a durable commit. See `InvocationTally`.
    public var statisticsInterval: TimeInterval = 1

    /// The defaults: 30 s per call, 1 GiB of guest memory, warm snapshots, 16 MiB of command output,
    /// a sweep every 6 hours dropping delegates idle for a day.
    public init() {}
}

/// The seed's `DotNetRuntimeDO`: an object that keeps a language runtime warm and runs the
/// functions deployed to it. On wake it restores the warm snapshot saved in its storage (same
/// runtime binary) or instantiates the runtime and runs `_initialize`; functions live in its
/// `_hearth_functions` table and are reloaded on demand, delegates are recorded in `_hearth_compiled_delegates`.
/// Invocation statistics in `_hearth_functions` are written coalesced (`InvocationTally`), so a warm
/// invoke that writes nothing else commits nothing and costs no fsync.
///
/// Requests: `POST /invoke` with an `InvokeRequest` body answers an `InvokeResponse`;
/// `GET /health` a `HealthResponse`. The alarm is the maintenance sweep.
public final class RuntimeObject: ObjectHandler {
    /// The runtime, once started (`bridge(_:)`).
    private var startedBridge: RuntimeBridge?
    /// The hash of the runtime binary it runs (empty until started).
    private(set) var runtimeHash = ""
    let catalog: RuntimeCatalog
    let options: GuestOptions
    /// The object's command functions (WASI programs invoked with stdin, answering stdout).
    let commands: CommandFunctions
    let settings: RuntimeObjectSettings
    let statistics: RuntimeStatistics
    /// "snapshot", "runtime snapshot" or "cold"; nil until the runtime started.
    public private(set) var startedFrom: String?
    /// Invocation counts not yet written to `_hearth_functions`.
    private var tally: InvocationTally
    /// The snapshot image files and the live instance's mapping of them.
    let images: SnapshotImages
    let objectID: ObjectID
    /// Serves the guest's `hearth` imports; knows which invocation is running.
    private let guestStorage: GuestStorageServer
    private let schedule = GuestAlarms()
    /// The bridge's instance generation the live mapping belongs to (a replaced instance is
    /// mapped from nothing).
    private var imagesGeneration = 0

    /// The guest's linear memory: what this object's residency costs.
    public var residentBytes: Int { startedBridge?.guest.instance.memory("memory")?.byteCount ?? 0 }

    /// The factory for a namespace of runtime objects over `catalog`.
    public static func factory(catalog: RuntimeCatalog, settings: RuntimeObjectSettings = .init(),
                               statistics: RuntimeStatistics = .init()) -> ObjectHandlerFactory {
        { object in try RuntimeObject(object: object, catalog: catalog, settings: settings, statistics: statistics) }
    }

    init(object: isolated DurableObject, catalog: RuntimeCatalog, settings: RuntimeObjectSettings,
         statistics: RuntimeStatistics) throws {
        self.settings = settings
        self.statistics = statistics
        self.catalog = catalog
        objectID = object.id
        tally = InvocationTally(now: object.host.configuration.clock.now())
        let storage = object.storage
        try Self.createTables(storage)
        var options = GuestOptions()
        let id = object.id, log = settings.log
        options.log = { log(id, $0) }
        options.fetchPolicy = settings.fetchPolicy
        if let fetcher = settings.fetcher { options.fetcher = fetcher }
        options.limits = settings.limits
        let server = GuestStorageServer(storage: storage, alarms: schedule)
        guestStorage = server
        options.storage = { try server.serve($0) }
        // A guest's query is bounded by the guest's own deadline.
        storage.connection.userSQLTimeout = settings.limits.deadline
        self.options = options
        try CommandFunctions.createTables(storage)
        var commandOptions = options
        commandOptions.maxOutputBytes = settings.maxCommandOutputBytes
        commands = CommandFunctions(catalog: catalog, options: commandOptions, statistics: statistics,
                                    namespaceFolder: object.host.directory, objectID: object.id)
        images = SnapshotImages(namespaceFolder: object.host.directory, objectID: object.id)
        // The runtime wakes with the object when it is deployed; an object that only hosts
        // command functions (or whose runtime comes later) starts it on first use.
        if try catalog.module(named: try Self.runtimeName(storage, catalog: catalog)) != nil {
            _ = try bridge(storage)
        }
        if try schedule.maintenanceDue(storage) == nil {
            // Objects from before `_hearth_schedule`: their alarm was the maintenance sweep.
            let due = try storage.getAlarm() ?? object.host.configuration.clock.now().addingTimeInterval(settings.maintenanceInterval)
            try schedule.setMaintenance(at: due, storage)
        }
    }

    /// The runtime, started (woken from a snapshot, or cold) on first use.
    func bridge(_ storage: ObjectStorage) throws -> RuntimeBridge {
        if let startedBridge { return startedBridge }
        let name = try Self.runtimeName(storage, catalog: catalog)
        guard let (hash, module) = try catalog.module(named: name) else {
            throw GuestRequestError(message: "no runtime named \(name) is deployed")
        }
        runtimeHash = hash
        let bridge: RuntimeBridge
        let woken = settings.snapshots ? Self.wake(module: module, runtimeHash: hash, options: options, storage: storage,
                                                   images: images, catalog: catalog, statistics: statistics) : nil
        if let woken {
            bridge = woken.bridge
            startedFrom = woken.from
            statistics.count("restore")
            if woken.from == "runtime snapshot" { statistics.count("pristine") }
        } else {
            bridge = try RuntimeBridge(module: module, options: options)
            startedFrom = "cold"
            statistics.count("cold")
        }
        bridge.assemblyProvider = { functionId in
            try storage.internalQuery("SELECT assembly_data FROM _hearth_functions WHERE function_id = ?", [.text(functionId)])
                .first?.first?.bytesValue
        }
        startedBridge = bridge
        imagesGeneration = bridge.generation
        if woken == nil { try saveSnapshot(storage, pristine: true) }
        return bridge
    }

    // MARK: Events

    /// A runtime object has no HTTP-shaped interface of its own: it is called with values,
    /// through `HearthHost`'s typed API (`invoke`, `deploy`, `health`, the command functions),
    /// each an ordinary event. A `fetch` names that API in its 404.
    public func handle(_ request: ObjectRequest, object: isolated DurableObject) async throws -> ObjectResponse {
        .text("unsupported: a runtime object is called through HearthHost's typed API (invoke, deploy, health), not fetch \(request.method) \(request.url)",
              status: 404)
    }

    /// The seed's maintenance alarm: drop delegates of functions not invoked for a day (by the
    /// durable `last_invoked`, brought up to date first), then schedule the next sweep. It also
    /// scrubs the snapshot's images (reads their pages against their checksums).
    public func alarm(_ invocation: AlarmInvocation, object: isolated DurableObject) async throws {
        let storage = object.storage
        let now = object.host.configuration.clock.now()
        var ran = false
        if let guest = try schedule.guestAlarm(storage), guest.time <= now {
            try runGuestAlarm(guest, invocation, storage: storage, now: now)
            ran = true
        }
        // Due, or nothing was: an alarm delivered on request (`triggerAlarm`) is a sweep.
        if let due = try schedule.maintenanceDue(storage), due <= now || !ran {
            try maintain(storage, now: now)
        }
        try schedule.reschedule(storage)
    }

    /// Delivers the guest's alarm: its function is invoked with the time it was set for and the
    /// retry count. An answered error throws, so the alarm is retried (workerd's six, backing
    /// off); a guest cut off in the middle discards the turn, which the host retries with backoff
    /// until it succeeds or the guest replaces the alarm. It is removed only once it succeeded,
    /// unless the function set a new one.
    private func runGuestAlarm(_ guest: GuestAlarm, _ invocation: AlarmInvocation, storage: ObjectStorage, now: Date) throws {
        let request = InvokeRequest(functionId: guest.functionId, entryPoint: guest.entryPoint,
                                    args: .array([.object([("scheduledTime", .number(Double(guest.time.milliseconds))),
                                                           ("retryCount", .number(Double(invocation.retryCount)))])]))
        let response = try invoke(request, storage: storage, now: now)
        guard response.success else { throw GuestAlarmFailed(message: response.error ?? "failed") }
        if try schedule.guestAlarm(storage) == guest { try schedule.setGuestAlarm(nil, storage) }
    }

    /// The maintenance sweep, then the next one scheduled.
    private func maintain(_ storage: ObjectStorage, now: Date) throws {
        try verifySnapshot(storage)
        try writeStatistics(storage, now: now)
        let cutoff = Int64((now.timeIntervalSince1970 - settings.delegateIdleLimit) * 1000)
        // A function deployed but not invoked yet is idle since its deploy, not since 1970.
        let stale = try storage.internalQuery("""
            SELECT DISTINCT d.function_id FROM _hearth_compiled_delegates d JOIN _hearth_functions f USING (function_id)
            WHERE coalesce(f.last_invoked, f.updated_at) < ?
            """, [.integer(cutoff)]).compactMap { $0[0].stringValue }
        if !stale.isEmpty {
            startedBridge?.dropDelegates(of: stale)
            for id in stale { try storage.internalQuery("DELETE FROM _hearth_compiled_delegates WHERE function_id = ?", [.text(id)]) }
            try saveSnapshot(storage)
        }
        try schedule.setMaintenance(at: now.addingTimeInterval(settings.maintenanceInterval), storage)
    }

    /// Hibernation, eviction or shutdown: the counted invocations, and the state streaming
    /// command functions wait in, are written with this turn.
    public func willHibernate(object: isolated DurableObject) async throws {
        try writeStatistics(object.storage, now: object.host.configuration.clock.now())
        try commands.saveStreams(object.storage)
    }

    /// What `GET /health` answers: "recovering" after a trap, else "healthy", whether the runtime has
    /// started, and how many delegates it holds. Reading it never starts the runtime.
    public var health: HealthResponse {
        HealthResponse(status: startedBridge?.instanceIsPoisoned == true ? "recovering" : "healthy",
                       initialized: startedBridge != nil, cachedDelegates: startedBridge?.cachedDelegateCount ?? 0,
                       startedFrom: startedFrom)
    }

    // MARK: Invoke

    /// Stores a function and compiles its entry point without running it.
    func deploy(_ request: InvokeRequest, storage: ObjectStorage, now: Date) throws -> InvokeResponse {
        guard let assembly = try? request.assemblyBytes() else { return .failure("deploy needs assemblyData (base64)", .badRequest) }
        let ms = Int64(now.timeIntervalSince1970 * 1000)
        try storeFunction(request, assembly: assembly, storage: storage, ms: ms)
        let invocation: Invocation
        do {
            invocation = try bridge(storage).deploy(functionId: request.functionId, entryPoint: request.entryPoint, assemblyData: assembly)
        } catch let error as BridgeError {
            // Atomic: the stored version and the guest's loaded code go back to the working one.
            storage.discardTurn()
            return .failure("\(error)", InvokeFailure(error))
        } catch {
            storage.discardTurn()
            return .failure("\(error)")
        }
        if case .failure(let error) = invocation.outcome {
            storage.discardTurn()
            return .failure("\(error)", InvokeFailure(error))
        }
        try record(invocation, request, storage: storage, ms: ms)
        try writeStatisticsIfDue(storage, now: now)
        return InvokeResponse(success: true, result: .object([("functionId", .string(request.functionId)),
                                                              ("entryPoint", .string(request.entryPoint))]))
    }

    /// Deletes function `id` (see `HearthHost.deleteFunction`); true if it existed.
    func deleteFunction(_ id: String, storage: ObjectStorage) throws -> Bool {
        let existed = try storage.internalQuery("SELECT 1 FROM _hearth_functions WHERE function_id = ?", [.text(id)]).isEmpty == false
        guard existed else { return false }
        try storage.internalQuery("DELETE FROM _hearth_compiled_delegates WHERE function_id = ?", [.text(id)])
        try storage.internalQuery("DELETE FROM _hearth_functions WHERE function_id = ?", [.text(id)])
        try startedBridge?.removeFunction(id)
        try saveSnapshot(storage)
        return true
    }

    /// Whether `bytes` are function `id`'s stored assembly.
    private func isDeployed(_ id: String, _ bytes: [UInt8], storage: ObjectStorage) throws -> Bool {
        try storage.internalQuery("SELECT assembly_data = ? FROM _hearth_functions WHERE function_id = ?", [.blob(bytes), .text(id)])
            .first?.first?.int64Value == 1
    }

    private func storeFunction(_ request: InvokeRequest, assembly: [UInt8], storage: ObjectStorage, ms: Int64) throws {
        try storage.internalQuery("""
            INSERT INTO _hearth_functions (function_id, version, assembly_data, entry_point, invocation_count, created_at, updated_at)
            VALUES (?1, 1, ?2, ?3, 0, ?4, ?4)
            ON CONFLICT (function_id) DO UPDATE SET version = version + 1, assembly_data = excluded.assembly_data,
                entry_point = excluded.entry_point, updated_at = excluded.updated_at
            """, [.text(request.functionId), .blob(assembly), .text(request.entryPoint), .integer(ms)])
        try storage.internalQuery("DELETE FROM _hearth_compiled_delegates WHERE function_id = ?", [.text(request.functionId)])
    }

    /// Records a compiled delegate and saves a snapshot when the guest gained code.
    private func record(_ invocation: Invocation, _ request: InvokeRequest, storage: ObjectStorage, ms: Int64) throws {
        if let delegate = invocation.compiledDelegate {
            try storage.internalQuery("""
                INSERT OR REPLACE INTO _hearth_compiled_delegates (function_id, entry_point, delegate_id, compiled_at) VALUES (?, ?, ?, ?)
                """, [.text(request.functionId), .text(delegate.entryPoint), .integer(Int64(delegate.id)), .integer(ms)])
        }
        // New code or delegates in the guest: the snapshot is what lets the next wake skip them.
        if !invocation.poisonedInstance, invocation.loadedAssembly || invocation.compiledDelegate != nil {
            try saveSnapshot(storage)
        }
    }

    /// Runs one invocation inside the current turn; its writes (new function version, delegate,
    /// snapshot, the guest's storage) commit with it. Its statistics are counted in memory and
    /// written with it only when the turn writes anyway or they are due.
    func invoke(_ request: InvokeRequest, storage: ObjectStorage, now: Date) throws -> InvokeResponse {
        let assembly: [UInt8]?
        do {
            assembly = try request.assemblyBytes()
        } catch {
            return .failure("\(error)", .badRequest)
        }
        let ms = Int64(now.timeIntervalSince1970 * 1000)
        // Sending the assembly already deployed (a CLI invoke that always passes it) is no hot
        // swap: no new version, no reload, and so no snapshot to save.
        let changed = try assembly.flatMap { bytes in try isDeployed(request.functionId, bytes, storage: storage) ? nil : bytes }
        if let changed { try storeFunction(request, assembly: changed, storage: storage, ms: ms) }
        let bridge = try bridge(storage)
        guestStorage.begin(function: request.functionId)
        defer { guestStorage.end() }
        let invocation = try bridge.invoke(functionId: request.functionId, entryPoint: request.entryPoint, args: request.args,
                                           assemblyData: changed, now: now)
        if case .failure(let error) = invocation.outcome, error.poisonsInstance || (changed != nil && !invocation.loadedAssembly) {
            // Cut off in the middle (trap, deadline, fuel), or a hot swap that did not load:
            // the turn leaves no trace, the working version and its state go on.
            storage.discardTurn()
            return .from(error)
        }
        try record(invocation, request, storage: storage, ms: ms)
        tally.count(request.functionId, at: ms)
        try writeStatisticsIfDue(storage, now: now)
        switch invocation.outcome {
        case .success(let value): return .success(value)
        case .failure(let error): return .from(error)
        }
    }

    /// Writes the counted invocations into `_hearth_functions` inside the current turn.
    func writeStatistics(_ storage: ObjectStorage, now: Date) throws {
        try tally.write(to: storage, at: now)
    }

    /// Writes the counted invocations if this turn commits writes anyway (one more UPDATE
    /// costs no extra fsync) or the interval is up; otherwise leaves the turn read-only.
    private func writeStatisticsIfDue(_ storage: ObjectStorage, now: Date) throws {
        guard !tally.isEmpty, storage.connection.hasChangedRowsThisTurn
                || tally.isDue(at: now, interval: settings.statisticsInterval) else { return }
        try tally.write(to: storage, at: now)
    }

    /// Wakes the runtime from the object's own snapshot, or else from the runtime's shared
    /// first image; nil (with the reason noted and logged) when neither can be used, so the
    /// caller starts cold. A missing, truncated or replaced image is found here without reading
    /// its pages; the pages' checksums are the scrub's (`verifySnapshot`).
    private static func wake(module: CompiledModule, runtimeHash: String, options: GuestOptions, storage: ObjectStorage,
                             images: SnapshotImages, catalog: RuntimeCatalog,
                             statistics: RuntimeStatistics) -> (bridge: RuntimeBridge, from: String)? {
        let store = WarmSnapshotStore(storage: storage)
        do {
            if let saved = try store.load(runtimeHash: runtimeHash) {
                let files = try images.open(saved.manifest)
                let versions = try functionVersions(storage)
                // Functions redeployed since the snapshot are not adopted: they reload on demand.
                let adopted = saved.functions.compactMap { f -> CachedFunction? in
                    guard versions[f.functionId]?.version == f.version, let data = versions[f.functionId]?.data else { return nil }
                    return CachedFunction(functionId: f.functionId, assemblyData: data, assemblyId: f.assemblyId, delegates: f.delegates)
                }
                let bridge = try RuntimeBridge(module: module, options: options,
                                               restoring: WarmSnapshot(instance: saved.instance, wasi: saved.wasi, functions: adopted)) {
                    try images.map(saved.manifest, files: files, into: $0)
                }
                images.collectGarbage(keeping: [saved.manifest])
                return (bridge, "snapshot")
            }
        } catch {
            let reason = "warm snapshot not used, starting cold: \(error)"
            statistics.note(reason)
            options.log(reason)
            return nil
        }
        // No snapshot of its own: a new object (or one whose runtime changed) starts from the
        // state every object of this runtime has right after `_initialize`.
        do {
            guard let pristine = try images.pristine(runtimeHash: runtimeHash) else { return nil }
            let bridge = try RuntimeBridge(module: module, options: options,
                                           restoring: WarmSnapshot(instance: pristine.state.instance,
                                                                   wasi: try WASIState(encoded: pristine.state.wasi), functions: [])) {
                try images.map(pristine.manifest, files: [pristine.file], into: $0)
            }
            return (bridge, "runtime snapshot")
        } catch {
            let reason = "runtime snapshot not used, starting cold: \(error)"
            statistics.note(reason)
            options.log(reason)
            return nil
        }
    }

    /// Saves a warm snapshot if enabled and possible; a skipped one is noted, not an error.
    /// Only the pages written since the last save (or wake) are written. With `pristine` (right
    /// after a cold `_initialize`, no function loaded) the image also becomes the runtime's
    /// shared first image.
    func saveSnapshot(_ storage: ObjectStorage, pristine: Bool = false) throws {
        guard settings.snapshots, let bridge = startedBridge else { return }
        if bridge.generation != imagesGeneration {
            images.forgetLive()
            imagesGeneration = bridge.generation
        }
        let captured: WarmSnapshot
        do {
            captured = try bridge.warmSnapshot(memoryContents: false)
        } catch {
            statistics.note("\(error)")
            return
        }
        let store = WarmSnapshotStore(storage: storage)
        let previous = try? store.manifest()
        let saved: SnapshotImages.Saved
        do {
            saved = try images.save(bridge.guest.instance, pristine: pristine && captured.functions.isEmpty
                                    ? (runtimeHash, PristineState(instance: captured.instance, wasi: captured.wasi.encoded)) : nil)
        } catch {
            // A full disk, say: the previous snapshot stays the one a wake uses. A failed remap
            // may have damaged the live memory: the instance is replaced before the next call.
            images.forgetLive()
            if error is RemapFailed { bridge.discardInstance() }
            statistics.note("snapshot not saved: \(error)")
            settings.log(objectID, "snapshot not saved: \(error)")
            return
        }
        let versions = try Self.functionVersions(storage).mapValues(\.version)
        try store.save(runtimeHash: runtimeHash, manifest: saved.manifest, instance: captured.instance, wasi: captured.wasi,
                       functions: captured.functions, versions: versions)
        images.collectGarbage(keeping: [previous, saved.manifest].compactMap { $0 })
        statistics.count("saved")
        statistics.recordSave(bytes: saved.bytesWritten, full: saved.full)
    }

    /// Reads every page of the snapshot's images against their checksums (the scrub). A bad
    /// image is logged, the snapshot forgotten (the next wake starts cold) and the live
    /// instance, which may have read the bad pages, replaced before the next call. Returns the
    /// problem found, if any.
    @discardableResult
    func verifySnapshot(_ storage: ObjectStorage) throws -> String? {
        let store = WarmSnapshotStore(storage: storage)
        guard let manifest = try store.manifest() else { return nil }
        do {
            try images.verify(manifest)
            return nil
        } catch {
            let reason = "snapshot failed its scrub, forgotten: \(error)"
            statistics.note(reason)
            settings.log(objectID, reason)
            try store.clear()
            images.deleteDamagedImages(of: manifest, runtimeHash: runtimeHash)
            images.forgetLive()
            startedBridge?.discardInstance()
            return reason
        }
    }

    // MARK: Tables

    /// The runtime object's own tables: internal (`_hearth_`), so out of reach of guest SQL, which
    /// could otherwise rewrite a function's code without a version bump. Objects made before
    /// they were internal have the seed's `functions` and `compiled_delegates`, renamed here.
    static func createTables(_ storage: ObjectStorage) throws {
        try storage.connection.run { db in
            let tables = Set(try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0[0].stringValue })
            if !tables.contains("_hearth_functions"), tables.contains("functions"),
               try db.query("PRAGMA table_info(functions)").compactMap({ $0[1].stringValue }).contains("assembly_data") {
                try db.exec("ALTER TABLE functions RENAME TO _hearth_functions")
                if tables.contains("compiled_delegates") { try db.exec("ALTER TABLE compiled_delegates RENAME TO _hearth_compiled_delegates") }
            }
            try db.exec("""
                CREATE TABLE IF NOT EXISTS _hearth_functions (
                    function_id TEXT PRIMARY KEY, version INTEGER NOT NULL, assembly_data BLOB NOT NULL,
                    entry_point TEXT NOT NULL, last_invoked INTEGER, invocation_count INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS _hearth_functions_last_invoked ON _hearth_functions (last_invoked);
                CREATE TABLE IF NOT EXISTS _hearth_compiled_delegates (
                    function_id TEXT NOT NULL, entry_point TEXT NOT NULL, delegate_id INTEGER NOT NULL,
                    compiled_at INTEGER NOT NULL, PRIMARY KEY (function_id, entry_point));
                CREATE TABLE IF NOT EXISTS _hearth_runtime (singleton INTEGER PRIMARY KEY CHECK (singleton = 0), name TEXT NOT NULL);
                """)
            try db.exec(GuestAlarms.schema)
        }
    }

    /// The runtime this object is bound to; a new object binds to `default`, or to the only
    /// runtime deployed.
    static func runtimeName(_ storage: ObjectStorage, catalog: RuntimeCatalog) throws -> String {
        if let bound = try storage.connection.run({ try $0.scalar("SELECT name FROM _hearth_runtime") })?.stringValue {
            return bound
        }
        let deployed = try catalog.list().map(\.name)
        let name = deployed.contains("default") || deployed.count != 1 ? "default" : deployed[0]
        try bind(storage, to: name)
        return name
    }

    /// Binds an object to runtime `name`, whatever it was bound to: true when that changed its
    /// binding (its delegates, compiled by the other runtime, are forgotten; its functions
    /// reload into the new one on demand, and a snapshot of the other runtime is never woken).
    static func rebind(_ storage: ObjectStorage, to name: String) throws -> Bool {
        try createTables(storage)
        let bound = try storage.connection.run { try $0.scalar("SELECT name FROM _hearth_runtime") }?.stringValue
        guard bound != name else { return false }
        try bind(storage, to: name)
        try storage.internalQuery("DELETE FROM _hearth_compiled_delegates")
        return bound != nil
    }

    static func bind(_ storage: ObjectStorage, to name: String) throws {
        try storage.connection.run { try $0.query("INSERT OR REPLACE INTO _hearth_runtime (singleton, name) VALUES (0, ?)", [.text(name)]) }
    }

    /// The statistics rows of `_hearth_functions` as written (none before the object first woke).
    static func writtenStatistics(_ storage: ObjectStorage) throws -> [FunctionStatistics] {
        guard try storage.connection.run({ try $0.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_hearth_functions'") }) != nil
        else { return [] }
        return try storage.internalQuery("SELECT function_id, invocation_count, last_invoked FROM _hearth_functions ORDER BY function_id").map {
            FunctionStatistics(functionId: $0[0].stringValue ?? "", invocations: Int($0[1].int64Value ?? 0),
                               lastInvoked: $0[2].int64Value.map { Date(timeIntervalSince1970: Double($0) / 1000) })
        }
    }

    static func functionVersions(_ storage: ObjectStorage) throws -> [String: (version: Int, data: [UInt8])] {
        var result: [String: (version: Int, data: [UInt8])] = [:]
        for row in try storage.internalQuery("SELECT function_id, version, assembly_data FROM _hearth_functions") {
            guard let id = row[0].stringValue else { continue }
            result[id] = (Int(row[1].int64Value ?? 0), row[2].bytesValue ?? [])
        }
        return result
    }
}

/// A guest's alarm function answered an error: the alarm is retried.
struct GuestAlarmFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { "the guest's alarm failed: \(message)" }
}
