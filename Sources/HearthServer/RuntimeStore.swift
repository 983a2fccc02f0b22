import Foundation
import HearthBridge
import HearthRuntime

/// Runtime modules of one namespace, as files `<name>.wasm` in its `runtimes/` folder (names are
/// checked by `NameRules`, so they cannot leave it), compiled once and shared by its objects.
final class RuntimeStore: @unchecked Sendable {
    let directory: URL
    private let engine = Engine()
    private let lock = NSLock()
    private var compiled: [String: CompiledModule] = [:]

    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func file(_ name: String) -> URL { directory.appendingPathComponent("\(name).wasm") }

    /// Decodes, validates and checks the bridge ABI (without running `_initialize`) before the
    /// module replaces the stored one; a bad module is refused with the reason.
    func deploy(name: String, bytes: [UInt8]) throws -> CompiledModule {
        let module: CompiledModule
        do {
            module = try CompiledModule(engine: engine, bytes: bytes)
            _ = try RuntimeBridge(module: module, initialize: false)
        } catch {
            throw ServerError.badRequest("invalid runtime module: \(error)")
        }
        try Data(bytes).write(to: file(name), options: .atomic)
        lock.withLock { compiled[name] = module }
        return module
    }

    func bytes(_ name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: file(name).path).map { [UInt8]($0) }
    }

    /// The compiled module (compiled on first use after a restart).
    func module(_ name: String) throws -> CompiledModule {
        if let module = lock.withLock({ compiled[name] }) { return module }
        guard let bytes = bytes(name) else {
            throw ServerError.notFound("no runtime \"\(name)\" deployed in this namespace")
        }
        let module = try CompiledModule(engine: engine, bytes: bytes)
        lock.withLock { compiled[name] = module }
        return module
    }
}
