#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthBinary
import HearthValidation

/// A decoded and validated module. Function bodies are translated lazily, per instance, on
/// their first call.
public final class CompiledModule {
    public let engine: Engine
    let module: Module
    /// Engine-wide type id of each entry of the type section.
    let typeIDs: [Int]

    public init(engine: Engine, bytes: [UInt8]) throws {
        self.engine = engine
        let features = engine.configuration.features
        module = try ModuleDecoder.decode(bytes, features: features)
        try ModuleValidator.validate(module, features: features)
        typeIDs = engine.types.register(module)
    }

    public convenience init(engine: Engine, path: String) throws {
        guard let file = fopen(path, "rb") else { throw LinkError("cannot open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        try self.init(engine: engine, bytes: bytes)
    }

    func externalType(of descriptor: ImportDescriptor) -> ExternalType {
        switch descriptor {
        case .function(let t): return .function(module.functionType(t))
        case .table(let t): return .table(t)
        case .memory(let m): return .memory(m)
        case .global(let g): return .global(g)
        case .tag(let t): return .tag(module.functionType(t.typeIndex))
        }
    }

    public var imports: [(module: String, name: String, type: ExternalType)] {
        module.imports.map { ($0.module, $0.name, externalType(of: $0.descriptor)) }
    }

    public var exports: [(name: String, type: ExternalType)] {
        module.exports.map { export in
            switch export.descriptor {
            case .function(let i): return (export.name, .function(module.functionType(module.functionTypeIndices[Int(i)])))
            case .table(let i): return (export.name, .table(module.allTables[Int(i)]))
            case .memory(let i): return (export.name, .memory(module.allMemories[Int(i)]))
            case .global(let i): return (export.name, .global(module.allGlobals[Int(i)]))
            case .tag(let i): return (export.name, .tag(module.functionType(module.allTags[Int(i)].typeIndex)))
            }
        }
    }

    /// The module's name from the name section, if any.
    public var name: String? { module.names?.moduleName }
}
