import Foundation
import HearthRuntime
import HearthText
import HearthWASI

/// Shared helpers: guest paths, running a guest with captured output, throwaway folders.
enum Guests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Guests")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Runs a guest .wasm with captured stdout/stderr; returns (stdout, exit code).
    static func run(_ name: String, arguments: [String], preopens: [WASIPreopen] = [],
                    stdin: [UInt8] = []) throws -> (stdout: String, code: UInt32) {
        let stdout = WASIOutputBuffer()
        var configuration = WASIConfiguration(arguments: [name] + arguments, preopens: preopens)
        configuration.stdin = .bytes(stdin)
        configuration.stdout = .capture(stdout)
        configuration.stderr = .capture(WASIOutputBuffer())
        let code = try WASICommand.run(path: path(name), configuration: configuration)
        return (stdout.text, code)
    }
}

/// A fresh temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-wasi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func write(_ text: String, to relative: String) throws {
        try text.write(toFile: path + "/" + relative, atomically: false, encoding: .utf8)
    }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    func symlink(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relative, withDestinationPath: target)
    }

    /// Every entry under `relative` with its kind, contents or link target, and modification
    /// time: equal snapshots mean nothing there was created, removed, written or touched.
    func snapshot(_ relative: String) throws -> [String: String] {
        let fm = FileManager.default
        let root = path + "/" + relative
        var result: [String: String] = [:]
        for item in try fm.subpathsOfDirectory(atPath: root) + [""] {
            let full = root + "/" + item
            let attributes = try fm.attributesOfItem(atPath: full)
            let type = attributes[.type] as? FileAttributeType
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            var description = "\(type?.rawValue ?? "?") \(modified)"
            if type == .typeRegular { description += " " + (try String(contentsOfFile: full, encoding: .utf8)) }
            if type == .typeSymbolicLink { description += " -> " + (try fm.destinationOfSymbolicLink(atPath: full)) }
            result[item] = description
        }
        return result
    }
}

/// Instantiates a WAT module importing WASI functions and calls its exports.
struct WATGuest {
    let instance: Instance
    let wasi: WASIHost

    init(_ text: String, configuration: WASIConfiguration = WASIConfiguration()) throws {
        let engine = Engine()
        let module = try CompiledModule(engine: engine, bytes: try WAT.parseModule(text))
        let linker = Linker(engine: engine)
        wasi = try WASIHost(configuration: configuration)
        wasi.define(in: linker)
        instance = try linker.instantiate(module, in: Store(engine: engine))
    }

    /// Calls an export taking and returning i32s.
    func call(_ name: String, _ arguments: UInt32...) throws -> UInt32 {
        let results = try instance.function(name)!.invoke(arguments.map { .i32($0) })
        guard case .i32(let value)? = results.first else { return 0 }
        return value
    }

    func bytes(at address: Int, count: Int) throws -> [UInt8] {
        try instance.memory("memory")!.read(address, count: count)
    }

    func write(_ bytes: [UInt8], at address: Int) throws {
        try instance.memory("memory")!.write(bytes, at: address)
    }

    func load32(_ address: Int) throws -> UInt32 { try instance.memory("memory")!.load(address) }
    func load64(_ address: Int) throws -> UInt64 { try instance.memory("memory")!.load(address) }
}
