import Foundation
import HearthBridge
import HearthRuntime
import HearthWASI

/// What an invocation of a command function answered.
public struct CommandResponse: Sendable, Equatable {
    /// The program's standard output, exactly.
    public var stdout: [UInt8]
    /// Its standard error (also written to the object's log).
    public var stderr: [UInt8]
    public var exitCode: UInt32
    /// Whether it resumed from the captured start-up (false: a cold run).
    public var resumed: Bool
    /// Why there is no output, when the program did not finish (a trap, a limit, no such
    /// function); nil when it exited.
    public var error: String?
    /// What kind of failure `error` is.
    public var failure: InvokeFailure?
    /// The media type of the output, as deployed (`application/json` unless said otherwise).
    public var contentType: String = CommandFunctions.defaultContentType

    public static func failure(_ message: String, _ kind: InvokeFailure = .internalFailure) -> CommandResponse {
        CommandResponse(stdout: [], stderr: [], exitCode: 0, resumed: false, error: message, failure: kind)
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
final class CommandFunctions {
    /// The output's media type when the deploy names none.
    static let defaultContentType = "application/json"
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
                """)
        }
    }

    /// Deploys `module` as command function `id` with `arguments` as its argv, unless exactly
    /// that is deployed already; a new version is validated (a module that does not compile is
    /// refused) and started on its next invocation.
    func deploy(_ id: String, module: [UInt8], arguments: [String], contentType: String? = nil, storage: ObjectStorage) throws {
        let argv = String(decoding: try JSONEncoder().encode(arguments), as: UTF8.self)
        let type = contentType ?? Self.defaultContentType
        // What the function has deployed is recognized by a fast checksum of its bytes, so that
        // resending an unchanged 2.7 MB program (a CLI invoke with --command) costs no SHA-256.
        // A collision could only make the deployer's own new bytes be ignored.
        let fingerprint = "\(module.count):" + String(PageChecksum.of(module), radix: 16)
        let current = try storage.connection.run {
            try $0.query("SELECT module_fingerprint = ?, arguments = ?, content_type = ? FROM _hearth_commands WHERE function_id = ?",
                         [.text(fingerprint), .text(argv), .text(type), .text(id)]).first
        }
        if let current, current.allSatisfy({ $0.int64Value == 1 }) { return }
        let hash = try catalog.storeModule(module)
        try storage.connection.run { db in
            try db.query("""
                INSERT INTO _hearth_commands (function_id, version, module_hash, module_fingerprint, arguments, content_type, updated_at)
                VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (function_id) DO UPDATE SET version = version + 1, module_hash = excluded.module_hash,
                    module_fingerprint = excluded.module_fingerprint, arguments = excluded.arguments,
                    content_type = excluded.content_type, updated_at = excluded.updated_at
                """, [.text(id), .text(hash), .text(fingerprint), .text(argv), .text(type), .integer(Date().milliseconds)])
        }
        prepared[id] = nil
    }

    /// Runs command function `id` once with `input` on its standard input.
    func invoke(_ id: String, input: [UInt8], storage: ObjectStorage) throws -> CommandResponse {
        let (function, contentType) = try self.function(id, storage: storage)
        let invocation = function.invoke(input: input)
        statistics.count(invocation.resumed ? "command resumed" : "command cold")
        switch invocation.result {
        case .success(let result):
            if !result.stderr.isEmpty { options.log(result.stderrText) }
            return CommandResponse(stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode,
                                   resumed: invocation.resumed, error: nil, failure: nil, contentType: contentType)
        case .failure(let error):
            return CommandResponse(stdout: [], stderr: [], exitCode: 0, resumed: invocation.resumed, error: "\(error)",
                                   failure: InvokeFailure(error), contentType: contentType)
        }
    }

    /// The prepared function: from this process's cache, from the start-up stored with it, or
    /// started now (and its start-up stored, in this turn).
    private func function(_ id: String, storage: ObjectStorage) throws -> (CommandFunction, contentType: String) {
        guard let row = try storage.connection.run({
            try $0.query("SELECT version, module_hash, arguments, content_type FROM _hearth_commands WHERE function_id = ?",
                         [.text(id)]).first
        }), let version = row[0].int64Value.map(Int.init), let hash = row[1].stringValue else {
            throw UnknownCommandFunction(id: id)
        }
        let contentType = row[3].stringValue ?? Self.defaultContentType
        if let cached = prepared[id], cached.version == version { return (cached.function, contentType) }
        guard let module = try catalog.storedModule(hash: hash) else {
            throw GuestRequestError(message: "the program of command function \(id) is missing from the catalog")
        }
        var options = self.options
        options.arguments = (try? JSONDecoder().decode([String].self, from: Data((row[2].stringValue ?? "[]").utf8))) ?? []
        let function: CommandFunction
        if let stored = storedStart(id, version: version, storage: storage) {
            function = CommandFunction(module: module, options: options, prepared: stored)
        } else {
            let started = CommandFunction(module: module, options: options)
            statistics.count("command prepared")
            if let start = started.prepared {
                let imaged = try store(start, of: id, version: version, storage: storage)
                function = CommandFunction(module: module, options: options, prepared: imaged)
            } else {
                options.log("command function \(id) runs cold: \(started.coldReason ?? "its start-up was not captured")")
                function = started
            }
        }
        prepared[id] = (version, function)
        return (function, contentType)
    }

    /// Writes a start-up: its pages as a new image, the rest in the database (this turn); the
    /// image of the start-up it replaces is deleted.
    private func store(_ start: CommandFunction.Prepared, of id: String, version: Int,
                       storage: ObjectStorage) throws -> CommandFunction.Prepared {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = "\(String(UInt64.random(in: 1...UInt64.max), radix: 16)).img"
        let imaged = try start.withImage(at: folder.appendingPathComponent(name).path)
        let replaced = try storage.connection.run { db -> String? in
            let old = try db.scalar("SELECT image FROM _hearth_command_starts WHERE function_id = ?", [.text(id)])?.stringValue
            try db.query("""
                INSERT OR REPLACE INTO _hearth_command_starts (function_id, version, call, execution, instance_state, wasi_state,
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

    /// The start-up stored for `version` of `id`, if one is and it can be used; a start-up this
    /// Hearth cannot resume (another translator, a missing or damaged image) is logged and nil.
    private func storedStart(_ id: String, version: Int, storage: ObjectStorage) -> CommandFunction.Prepared? {
        do {
            guard let row = try storage.connection.run({
                try $0.query("""
                    SELECT version, call, execution, instance_state, wasi_state, image, image_identity
                    FROM _hearth_command_starts WHERE function_id = ?
                    """, [.text(id)]).first
            }), row[0].int64Value == Int64(version), let call = row[1].stringValue, let execution = row[2].bytesValue,
               let state = row[3].bytesValue, let wasi = row[4].bytesValue, let name = row[5].stringValue else { return nil }
            let suspended = try SuspendedExecution(serialized: execution)
            guard suspended.translator == SuspendedExecution.currentTranslator else {
                throw SnapshotError("it was captured by another translator (\(suspended.translator))")
            }
            let image = try MemoryImageFile.open(folder.appendingPathComponent(name).path)
            guard String(image.identity, radix: 16) == row[6].stringValue else {
                throw SnapshotError("its image \(name) is not the one it was stored with")
            }
            return CommandFunction.Prepared(execution: suspended, instance: try InstanceSnapshot(serialized: state),
                                            wasi: try WASIState(encoded: wasi), call: call, image: image)
        } catch {
            options.log("command function \(id): stored start-up not used, starting it again: \(error)")
            return nil
        }
    }
}
