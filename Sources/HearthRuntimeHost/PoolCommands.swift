import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime

/// Command functions deployed with `routing: "pool"`: no object and no storage, so any guest
/// thread may run any invocation, several at once. Each is captured at deploy (its start-up
/// written as an image in a folder of this process, removed at close) and keeps as many reset
/// instances as the pool has workers. Deployments are recorded in the namespace's catalog, and a
/// restarted host deploys one again on its first invocation.
///
/// A streaming program (`lines`, `frames`) keeps state from one request to the next, which is an
/// object's business: the pool refuses it.
final class PoolCommands: @unchecked Sendable {
    private struct Key: Hashable {
        let namespace: String
        let functionId: String
    }

    private struct Deployed {
        let function: CommandFunction
        let contentType: String?
        /// What was deployed, to recognize a redeploy of the same thing.
        let deployment: CommandDeployment
    }

    private let lock = NSLock()
    private var functions: [Key: Deployed] = [:]
    /// Where deployments are recorded, to serve them again after a restart.
    private let host: HostLink
    private let options: GuestOptions
    private let engine: Engine
    private let spares: Int
    private let folder: URL

    init(host: HostLink, poolSize: Int, limits: ExecutionLimits, maxMemoryPages: Int) {
        self.host = host
        var configuration = EngineConfiguration()
        configuration.maxMemoryPages = maxMemoryPages
        engine = Engine(configuration: configuration)
        var options = GuestOptions()
        options.limits = limits
        self.options = options
        spares = max(1, poolSize)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-pool-commands-\(UUID().uuidString)")
    }

    /// Compiles the program and captures its start-up (on a guest thread); replaces what was
    /// deployed under that id. Throws a `HostRefusal` (`badRequest`) for a program that does not
    /// compile or a streaming one.
    func deploy(namespace: String, functionId: String, _ deployment: CommandDeployment) async throws {
        guard deployment.mode == .perInvocation else {
            throw HostRefusal(.badRequest, "unsupported: a streaming command function (mode \"\(deployment.mode.rawValue)\") "
                                         + "keeps state between requests; deploy it to an object")
        }
        let key = Key(namespace: namespace, functionId: functionId)
        if lock.withLock({ functions[key]?.deployment == deployment }) { return }
        let module: CompiledModule
        do {
            module = try CompiledModule(engine: engine, bytes: deployment.module)
        } catch {
            throw HostRefusal(.badRequest, "the command function's module does not compile: \(error)")
        }
        var options = self.options
        let entry = CommandEntry.entering(deployment.entry, argv: [functionId] + deployment.arguments, options: &options)
        let folder = folder
        let function = try await GuestThreads.shared.run { () throws -> CommandFunction in
            let captured = CommandFunction(module: module, options: options, entry: entry)
            guard let start = captured.prepared else { return captured }
            // Mapped from an image, an invocation's reset is page-table work, not a copy.
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let image = folder.appendingPathComponent("\(UUID().uuidString).img").path
            return CommandFunction(module: module, options: options, entry: entry, prepared: try start.withImage(at: image))
        }
        function.maxSpares = spares
        let replaced = lock.withLock { () -> Deployed? in
            defer { functions[key] = Deployed(function: function, contentType: deployment.contentType, deployment: deployment) }
            return functions[key]
        }
        // Instances still running the replaced version keep its image mapped; the name can go.
        if let path = replaced?.function.prepared?.image?.path { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Runs command function `functionId` with `input` on its standard input, on a guest thread.
    /// A function deployed before this process started is deployed again from its record first.
    func invoke(namespace: String, functionId: String, input: [UInt8]) async -> CommandResponse {
        let key = Key(namespace: namespace, functionId: functionId)
        if lock.withLock({ functions[key] }) == nil,
           case .command(let recorded)? = await host.recordedDeployment(namespace: namespace, functionId: functionId) {
            do {
                try await deploy(namespace: namespace, functionId: functionId, recorded)
            } catch {
                return .failure("cannot start command function \(functionId): \(error)")
            }
        }
        guard let deployed = lock.withLock({ functions[key] }) else {
            return .failure("no command function \(functionId) is deployed to the pool of namespace \(namespace)", .unknownFunction)
        }
        do {
            let invocation = try await GuestThreads.shared.run { deployed.function.invoke(input: input) }
            return CommandResponse(invocation, contentType: deployed.contentType)
        } catch {
            return .failure("\(error)")
        }
    }

    /// Forgets every deployment and removes the images.
    func close() {
        lock.withLock { functions.removeAll() }
        try? FileManager.default.removeItem(at: folder)
    }
}
