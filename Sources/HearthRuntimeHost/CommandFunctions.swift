import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime
import HearthWASI

/// What an invocation of a command function answered.
public struct CommandResponse: Sendable, Equatable {
    /// The program's standard output, exactly.
    public var stdout: [UInt8]
    /// Its standard error (also written to the object's log).
    public var stderr: [UInt8]
    /// The program's exit status: its `proc_exit` code, or 0 when `_start` returned; also 0 when it
    /// did not finish (see `error`).
    public var exitCode: UInt32
    /// Whether it resumed from the captured start-up (false: a cold run).
    public var resumed: Bool
    /// Why there is no output, when the program did not finish (a trap, a limit, no such
    /// function); nil when it exited.
    public var error: String?
    /// What kind of failure `error` is.
    public var failure: InvokeFailure?
    /// The media type of the output, as deployed (`application/json` unless said otherwise).
    public var contentType: String = CommandResponse.defaultContentType

    /// An invocation that produced no output: `message` in `error`, of kind `kind` (an internal
    /// failure unless said), with empty output and exit status 0.
    public static func failure(_ message: String, _ kind: InvokeFailure = .internalFailure) -> CommandResponse {
        CommandResponse(stdout: [], stderr: [], exitCode: 0, resumed: false, error: message, failure: kind)
    }

    /// What `invocation` did, answered as `contentType` (or the default).
    public init(_ invocation: CommandInvocation, contentType: String?) {
        resumed = invocation.resumed
        self.contentType = contentType ?? CommandResponse.defaultContentType
        switch invocation.result {
        case .success(let result):
            (stdout, stderr, exitCode) = (result.stdout, result.stderr, result.exitCode)
        case .failure(let error):
            (stdout, stderr, exitCode) = ([], [], 0)
            self.error = "\(error)"
            failure = InvokeFailure(error)
        }
    }

    init(stdout: [UInt8], stderr: [UInt8], exitCode: UInt32, resumed: Bool, error: String?, failure: InvokeFailure?) {
        (self.stdout, self.stderr, self.exitCode, self.resumed, self.error, self.failure) = (stdout, stderr, exitCode, resumed, error, failure)
    }

    /// The output's media type when the deploy names none.
    public static let defaultContentType = "application/json"
}

/// What is deployed as a command function: a WASI program and how it is run.
public struct CommandDeployment: Sendable, Equatable {
    /// The program (a WASI command module, or a reactor with `entry`).
    public var module: [UInt8]
    /// Its argv after argv[0], which is the function's id.
    public var arguments: [String]
    /// A reactor's export to enter it by, called as `export(argc, argv)` after `_initialize`
    /// (QuickJS's `qjs_init_argv`, say); nil for a command's `_start`.
    public var entry: String?
    /// One run per invocation, or a program that loops on stdin (`lines`, `frames`).
    public var mode: CommandMode
    /// The media type of its output (`application/json` when nil).
    public var contentType: String?

    /// A deployment of `module`, by default a command run once per invocation through `_start`,
    /// with no extra arguments and JSON output.
    public init(module: [UInt8], arguments: [String] = [], entry: String? = nil, mode: CommandMode = .perInvocation,
                contentType: String? = nil) {
        self.module = module
        self.arguments = arguments
        self.entry = entry
        self.mode = mode
        self.contentType = contentType
    }
}

/// Invoking a command function that was never deployed.
struct UnknownCommandFunction: Error, CustomStringConvertible {
    var id: String
    var description: String { "no command function \(id) is deployed" }
}

/// An object's command functions (`CommandFunction`): WASI programs deployed by id, each with
/// its captured start-up stored beside the object, so that a wake (or another process) resumes
/// the program where it waited for its first request instead of starting it. The program lives
/// in the namespace's catalog by content hash; the start-up's small state in the object's
/// database (internal tables, invisible to guest SQL) and its memory pages in an image file
/// (`<namespace>/<object id>.commands/`), mapped copy-on-write into each invocation's instance.
///
/// A streaming function's program lives on between invocations; when the object hibernates, the
/// state it waits in is saved the same way (`_hearth_command_streams`) and the first invocation
/// after the wake resumes it there. The saved state is used once (its row deleted in that turn),
/// so a crash afterwards starts the program over from its start-up, as a crash loses an object's
/// memory.
final class CommandFunctions {
    private let catalog: RuntimeCatalog
    private let options: GuestOptions
    private let statistics: RuntimeStatistics
    private let folder: URL
    /// Functions prepared in this process, with the version they were prepared for.
    private var prepared: [String: (version: Int, function: CommandFunction)] = [:]

    init(catalog: RuntimeCatalog, options: GuestOptions, statistics: RuntimeStatistics, namespaceFolder: URL, objectID: ObjectID) {
        self.catalog = catalog
        self.options = options
        self.statistics = statistics
        folder = Self.folder(namespaceFolder: namespaceFolder, objectID: objectID)
    }

    static func folder(namespaceFolder: URL, objectID: ObjectID) -> URL {
        namespaceFolder.appendingPathComponent("\(objectID.hex).commands", isDirectory: true)
    }

    static func createTables(_ storage: ObjectStorage) throws {
        try storage.connection.run { db in
            try db.exec("""
                CREATE TABLE IF NOT EXISTS _hearth_commands (
                    function_id TEXT PRIMARY KEY, version INTEGER NOT NULL, module_hash TEXT NOT NULL,
                    module_fingerprint TEXT NOT NULL, arguments TEXT NOT NULL, content_type TEXT NOT NULL,
                    updated_at INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS _hearth_command_starts (
                    function_id TEXT PRIMARY KEY, version INTEGER NOT NULL, call TEXT NOT NULL, execution BLOB NOT NULL,
                    instance_state BLOB NOT NULL, wasi_state BLOB NOT NULL, image TEXT NOT NULL, image_identity TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS _hearth_command_streams (
                    function_id TEXT PRIMARY KEY, version INTEGER NOT NULL, call TEXT NOT NULL, execution BLOB NOT NULL,
                    instance_state BLOB NOT NULL, wasi_state BLOB NOT NULL, image TEXT NOT NULL, image_identity TEXT NOT NULL);
                """)
            // Objects whose functions were deployed before entries and modes existed.
            let columns = try db.query("PRAGMA table_info(_hearth_commands)").compactMap { $0[1].stringValue }
            if !columns.contains("entry") {
                try db.exec("""
                    ALTER TABLE _hearth_commands ADD COLUMN entry TEXT NOT NULL DEFAULT '';
                    ALTER TABLE _hearth_commands ADD COLUMN mode TEXT NOT NULL DEFAULT 'per-invocation';
                    """)
            }
        }
    }

    /// Deploys command function `id` (argv: `id` and the deployment's arguments), unless exactly
    /// that is deployed already; a new version is validated (a module that does not compile is
    /// refused) and started on its next invocation.
    func deploy(_ id: String, _ deployment: CommandDeployment, storage: ObjectStorage) throws {
        let module = deployment.module
        let argv = String(decoding: try JSONEncoder().encode([id] + deployment.arguments), as: UTF8.self)
        let type = deployment.contentType ?? CommandResponse.defaultContentType
        let entry = deployment.entry ?? "", mode = deployment.mode.rawValue
        // What the function has deployed is recognized by a fast checksum of its bytes, so that
        // resending an unchanged 2.7 MB program (a CLI invoke with --command) costs no SHA-256.
        // A collision could only make the deployer's own new bytes be ignored.
        let fingerprint = "\(module.count):" + String(PageChecksum.of(module), radix: 16)
        let current = try storage.connection.run {
            try $0.query("""
                SELECT module_fingerprint = ?, arguments = ?, content_type = ?, entry = ?, mode = ?
                FROM _hearth_commands WHERE function_id = ?
                """, [.text(fingerprint), .text(argv), .text(type), .text(entry), .text(mode), .text(id)]).first
        }
        if let current, current.allSatisfy({ $0.int64Value == 1 }) { return }
        let hash = try catalog.storeModule(module)
        try storage.connection.run { db in
            try db.query("""
                INSERT INTO _hearth_commands (function_id, version, module_hash, module_fingerprint, arguments, content_type,
                                              updated_at, entry, mode)
                VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                ON CONFLICT (function_id) DO UPDATE SET version = version + 1, module_hash = excluded.module_hash,
                    module_fingerprint = excluded.module_fingerprint, arguments = excluded.arguments,
                    content_type = excluded.content_type, updated_at = excluded.updated_at, entry = excluded.entry,
                    mode = excluded.mode
                """, [.text(id), .text(hash), .text(fingerprint), .text(argv), .text(type), .integer(Date().milliseconds),
                      .text(entry), .text(mode)])
        }
        prepared[id] = nil
    }

    /// Saves the state every streaming program waits in (hibernation), its pages as a new
    /// image; a stream that ended has its saved state removed.
    func saveStreams(_ storage: ObjectStorage) throws {
        for (id, cached) in prepared where cached.function.mode != .perInvocation {
            if let waiting = try cached.function.waitingState() {
                try store(waiting, of: id, version: cached.version, in: "_hearth_command_streams", storage: storage)
            } else {
                try remove(id, from: "_hearth_command_streams", storage: storage)
            }
        }
    }

    /// Runs command function `id` once with `input` on its standard input.
    func invoke(_ id: String, input: [UInt8], storage: ObjectStorage) throws -> CommandResponse {
        let (function, contentType) = try self.function(id, storage: storage)
        let invocation = function.invoke(input: input)
        statistics.count(invocation.resumed ? "command resumed" : "command cold")
        if case .success(let result) = invocation.result, !result.stderr.isEmpty { options.log(result.stderrText) }
        return CommandResponse(invocation, contentType: contentType)
    }

    /// The prepared function: from this process's cache, from the start-up stored with it, or
    /// started now (and its start-up stored, in this turn).
    private func function(_ id: String, storage: ObjectStorage) throws -> (CommandFunction, contentType: String) {
        guard let row = try storage.connection.run({
            try $0.query("SELECT version, module_hash, arguments, content_type, entry, mode FROM _hearth_commands WHERE function_id = ?",
                         [.text(id)]).first
        }), let version = row[0].int64Value.map(Int.init), let hash = row[1].stringValue else {
            throw UnknownCommandFunction(id: id)
        }
        let mode = CommandMode(rawValue: row[5].stringValue ?? "") ?? .perInvocation
        let contentType = row[3].stringValue ?? CommandResponse.defaultContentType
        if let cached = prepared[id], cached.version == version { return (cached.function, contentType) }
        guard let module = try catalog.storedModule(hash: hash) else {
            throw GuestRequestError(message: "the program of command function \(id) is missing from the catalog")
        }
        var options = self.options
        let argv = (try? JSONDecoder().decode([String].self, from: Data((row[2].stringValue ?? "[]").utf8))) ?? [id]
        let export = row[4].stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let entry = CommandEntry.entering(export, argv: argv, options: &options)
        let function: CommandFunction
        if let stored = storedStart(id, version: version, from: "_hearth_command_starts", storage: storage) {
            if mode != .perInvocation, let waiting = storedStart(id, version: version, from: "_hearth_command_streams", storage: storage) {
                // Mapped into the program's instance first: the mapping outlives the file's name.
                function = try CommandFunction(module: module, options: options, entry: entry, mode: mode, prepared: stored,
                                               waiting: waiting)
                try remove(id, from: "_hearth_command_streams", storage: storage)
            } else {
                function = CommandFunction(module: module, options: options, entry: entry, mode: mode, prepared: stored)
            }
        } else {
            let started = CommandFunction(module: module, options: options, entry: entry, mode: mode)
            statistics.count("command prepared")
            if let start = started.prepared {
                let imaged = try store(start, of: id, version: version, in: "_hearth_command_starts", storage: storage)
                function = CommandFunction(module: module, options: options, entry: entry, mode: mode, prepared: imaged)
            } else {
                options.log("command function \(id) runs cold: \(started.coldReason ?? "its start-up was not captured")")
                function = started
            }
        }
        prepared[id] = (version, function)
        return (function, contentType)
    }

    /// Writes a start-up (or a stream's waiting state) into `table`: its pages as a new image,
    /// the rest in the database (this turn); the image of the state it replaces is deleted.
    @discardableResult
    private func store(_ start: CommandFunction.Prepared, of id: String, version: Int, in table: String,
                       storage: ObjectStorage) throws -> CommandFunction.Prepared {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = "\(String(UInt64.random(in: 1...UInt64.max), radix: 16)).img"
        let imaged = try start.withImage(at: folder.appendingPathComponent(name).path)
        let replaced = try storage.connection.run { db -> String? in
            let old = try db.scalar("SELECT image FROM \(table) WHERE function_id = ?", [.text(id)])?.stringValue
            try db.query("""
                INSERT OR REPLACE INTO \(table) (function_id, version, call, execution, instance_state, wasi_state,
                                                image, image_identity)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(id), .integer(Int64(version)), .text(imaged.call), .blob(imaged.execution.serialized()),
                      .blob(imaged.instance.serialized()), .blob(imaged.wasi.encoded), .text(name),
                      .text(String(imaged.image!.identity, radix: 16))])
            return old
        }
        if let replaced { try? FileManager.default.removeItem(at: folder.appendingPathComponent(replaced)) }
        return imaged
    }

    /// Forgets the state of `id` saved in `table` (this turn) and deletes its image.
    private func remove(_ id: String, from table: String, storage: ObjectStorage) throws {
        let image = try storage.connection.run { db -> String? in
            let image = try db.scalar("SELECT image FROM \(table) WHERE function_id = ?", [.text(id)])?.stringValue
            try db.query("DELETE FROM \(table) WHERE function_id = ?", [.text(id)])
            return image
        }
        if let image { try? FileManager.default.removeItem(at: folder.appendingPathComponent(image)) }
    }

    /// The start-up stored for `version` of `id`, if one is and it can be used; a start-up this
    /// Hearth cannot resume (another translator, a missing or damaged image) is logged and nil.
    private func storedStart(_ id: String, version: Int, from table: String, storage: ObjectStorage) -> CommandFunction.Prepared? {
        do {
            guard let row = try storage.connection.run({
                try $0.query("""
                    SELECT version, call, execution, instance_state, wasi_state, image, image_identity
                    FROM \(table) WHERE function_id = ?
                    """, [.text(id)]).first
            }), row[0].int64Value == Int64(version), let call = row[1].stringValue, let execution = row[2].bytesValue,
               let state = row[3].bytesValue, let wasi = row[4].bytesValue, let name = row[5].stringValue else { return nil }
            let suspended = try SuspendedExecution(serialized: execution)
            guard suspended.translator == SuspendedExecution.currentTranslator else {
                throw HearthError.snapshot("it was captured by another translator (\(suspended.translator))")
            }
            let image = try MemoryImageFile.open(folder.appendingPathComponent(name).path)
            guard String(image.identity, radix: 16) == row[6].stringValue else {
                throw HearthError.snapshot("its image \(name) is not the one it was stored with")
            }
            return CommandFunction.Prepared(execution: suspended, instance: try InstanceSnapshot(serialized: state),
                                            wasi: try WASIState(encoded: wasi), call: call, image: image)
        } catch {
            options.log("command function \(id): stored start-up not used, starting it again: \(error)")
            return nil
        }
    }
}
