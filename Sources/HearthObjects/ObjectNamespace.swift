import Foundation
import HearthSQLite
#if canImport(Glibc)
import Glibc
#endif

/// A set of durable objects sharing a behaviour (the handler factory) and a data folder, where
/// each object keeps one SQLite file named after its id and the namespace keeps its alarm index.
/// Opening a namespace delivers alarms that fell due while it was closed.
public final class ObjectNamespace: Sendable {
    /// The namespace name; it salts name-derived ids.
    public let name: String
    /// The data folder.
    public let directory: URL
    let host: ObjectHost
    private let directoryKey: String
    /// Holds an exclusive `flock` on the folder's lock file while the namespace is open, so
    /// another process (say `hearth invoke` beside `hearth serve`) cannot open it too.
    private let lockDescriptor: Int32
    private static let openDirectories = Locked<Set<String>>([])
    static let lockFileName = "_hearth.lock"

    /// Opens (creating if needed) the namespace stored in `directory`.
    public init(name: String, directory: URL, configuration: ObjectConfiguration = ObjectConfiguration(),
                factory: @escaping ObjectHandlerFactory) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = directory.standardizedFileURL.resolvingSymlinksInPath().path
        // Two namespaces over one folder would mean two live actors per id in one process.
        let claimed = Self.openDirectories.withLock { $0.insert(key).inserted }
        guard claimed else { throw ObjectError.directoryInUse(key) }
        let lock = open(directory.appendingPathComponent(Self.lockFileName).path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            if lock >= 0 { Glibc.close(lock) }
            _ = Self.openDirectories.withLock { $0.remove(key) }
            throw ObjectError.directoryInUse(key)
        }
        do {
            // Object files are 64 hex digits + ".sqlite", so this name can never collide with one.
            let scheduler = try AlarmScheduler(path: directory.appendingPathComponent("_hearth_alarms.sqlite").path,
                                               clock: configuration.clock, synchronous: configuration.synchronous)
            let host = ObjectHost(directory: directory, configuration: configuration, factory: factory, scheduler: scheduler)
            try await scheduler.start { [weak host] id in
                guard let object = try? host?.object(for: id) else { return }
                await object.deliverAlarm()
            }
            self.host = host
        } catch {
            Self.unlockAndClose(lock)
            _ = Self.openDirectories.withLock { $0.remove(key) }
            throw error
        }
        self.name = name
        self.directory = directory
        directoryKey = key
        lockDescriptor = lock
    }

    /// The id for a name: the same name in the same namespace always gives the same id.
    public func idFromName(_ name: String) -> ObjectID { ObjectID.derived(namespace: self.name, name: name) }

    /// A new random id.
    public func newUniqueId() -> ObjectID { ObjectID.random() }

    /// Parses an id given as text (e.g. from a URL); anything but 64 hex digits is refused.
    public func idFromString(_ text: String) throws -> ObjectID { try ObjectID(hex: text) }

    /// The object for `id` (the live one if there is one).
    public func get(_ id: ObjectID) throws -> DurableObject { try host.object(for: id) }

    /// Ids of objects holding in-memory state, least recently used first.
    public var residentObjectIDs: [ObjectID] { host.residency.ids }

    /// When the scheduler will next wake each object with an alarm.
    public var scheduledAlarms: [ObjectID: Date] {
        get async { await host.scheduler.scheduled }
    }

    /// Releases the folder's `flock` and closes its descriptor. The unlock comes first: a child
    /// process this process is starting holds a copy of every descriptor from its fork to its exec
    /// (`O_CLOEXEC` closes them only then), and closing ours alone would leave the lock held
    /// through that copy, so a folder closed and reopened at once would be "already open".
    private static func unlockAndClose(_ descriptor: Int32) {
        flock(descriptor, LOCK_UN)
        Glibc.close(descriptor)
    }

    /// Stops alarm delivery, hibernates every live object (after its in-flight event) and
    /// releases the data folder. Further events fail with `namespaceClosed`.
    public func close() async {
        let objects = host.shutDown()
        await host.scheduler.close()
        for object in objects { await object.hibernate() }
        Self.unlockAndClose(lockDescriptor)
        _ = Self.openDirectories.withLock { $0.remove(directoryKey) }
    }
}
