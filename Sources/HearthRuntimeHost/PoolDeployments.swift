import Foundation
import HearthBridge
import HearthObjects
import HearthSQLite

/// A function deployed to a namespace's shared pool (no object): what a restarted server needs
/// to serve it again.
public enum PoolDeployment: Sendable, Equatable {
    /// A function of a runtime through the bridge ABI: its runtime's name, entry point and assembly.
    case bridge(runtime: String, entryPoint: String, assembly: [UInt8])
    /// A command function (a WASI program; streaming ones are not pooled).
    case command(CommandDeployment)
}

/// The pool deployments of one namespace, in its catalog database (`pool_functions`): written
/// when a deploy succeeds, read when a server meets a pool function it has not deployed since
/// it started.
struct PoolDeployments {
    let database: Database

    /// The description beside the payload (the assembly, or the program).
    private struct Described: Codable {
        var runtime: String?
        var entryPoint: String?
        var arguments: [String]?
        var entry: String?
        var mode: CommandMode?
        var contentType: String?
    }

    init(database: Database) throws {
        self.database = database
        try database.exec("""
            CREATE TABLE IF NOT EXISTS pool_functions (
                function_id TEXT PRIMARY KEY, kind TEXT NOT NULL, description TEXT NOT NULL, payload BLOB NOT NULL,
                updated_at INTEGER NOT NULL) WITHOUT ROWID
            """)
    }

    func save(_ functionId: String, _ deployment: PoolDeployment) throws {
        let (kind, described, payload): (String, Described, [UInt8])
        switch deployment {
        case .bridge(let runtime, let entryPoint, let assembly):
            (kind, described, payload) = ("bridge", Described(runtime: runtime, entryPoint: entryPoint), assembly)
        case .command(let command):
            (kind, described, payload) = ("command", Described(arguments: command.arguments, entry: command.entry, mode: command.mode,
                                                               contentType: command.contentType), command.module)
        }
        let text = String(decoding: try JSONEncoder().encode(described), as: UTF8.self)
        try database.query("""
            INSERT OR REPLACE INTO pool_functions (function_id, kind, description, payload, updated_at) VALUES (?, ?, ?, ?, ?)
            """, [.text(functionId), .text(kind), .text(text), .blob(payload), .integer(Date().milliseconds)])
    }

    func load(_ functionId: String) throws -> PoolDeployment? {
        guard let row = try database.query("SELECT kind, description, payload FROM pool_functions WHERE function_id = ?",
                                           [.text(functionId)]).first,
              let described = try? JSONDecoder().decode(Described.self, from: Data((row[1].stringValue ?? "").utf8)) else { return nil }
        let payload = row[2].bytesValue ?? []
        switch row[0].stringValue {
        case "bridge":
            return .bridge(runtime: described.runtime ?? "default", entryPoint: described.entryPoint ?? "", assembly: payload)
        case "command":
            return .command(CommandDeployment(module: payload, arguments: described.arguments ?? [], entry: described.entry,
                                              mode: described.mode ?? .perInvocation, contentType: described.contentType))
        default:
            return nil
        }
    }
}
