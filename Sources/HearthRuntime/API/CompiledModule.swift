#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthBinary
import HearthValidation

/// A decoded and validated module. Function bodies are translated lazily, per instance, on
/// their first call.
public final class CompiledModule: Sendable {
    /// The engine whose stores can instantiate this module.
    public let engine: Engine
    let module: Module
    /// Engine-wide type id of each entry of the type section.
    let typeIDs: [Int]

    /// Decodes and validates `bytes` under the engine's features; throws a `HearthError` of kind
    /// `decode` or `validate` (a feature turned off is named in the message).
    public init(engine: Engine, bytes: [UInt8]) throws {
        self.engine = engine
        let features = engine.configuration.features
        let limits = engine.configuration.moduleLimits
        module = try ModuleDecoder.decode(bytes, features: features, limits: limits)
        try ModuleValidator.validate(module, features: features, limits: limits)
        typeIDs = engine.types.register(module)
    }

    /// Decodes `bytes` that a `CompiledModule(engine:bytes:)` has validated before, under an
    /// engine with the same `validationFingerprint`, without validating them again: for an
    /// embedder's cache of validated modules keyed by content (the object host's runtime
    /// catalog keeps one, so a process that wakes a 2.7 MB runtime does not re-validate it).
    /// The bytes are still fully decoded. Bytes that were never validated must not come here:
    /// the interpreter relies on validation's guarantees.
    public init(engine: Engine, previouslyValidated bytes: [UInt8]) throws {
        self.engine = engine
        module = try ModuleDecoder.decode(bytes, features: engine.configuration.features,
                                          limits: engine.configuration.moduleLimits)
        typeIDs = engine.types.register(module)
    }

    /// What a cache of validated modules records for `bytes` validated under `engine`: the
    /// engine's `validationFingerprint` and a fast checksum of the bytes (so bytes changed since
    /// are validated again). Compare it before using `init(engine:previouslyValidated:)`.
    public static func validationRecord(of bytes: [UInt8], engine: Engine) -> String {
        validationFingerprint(of: engine) + "; checksum " + String(PageChecksum.of(bytes), radix: 16)
    }

    /// What a validation depends on: the rules' edition and features, and the version of
    /// Hearth's validator (bumped when what it accepts changes). A cache of validated modules
    /// keys its entries with it, so a different engine or Hearth re-validates.
    public static func validationFingerprint(of engine: Engine) -> String {
        let f = engine.configuration.features
        return "validator 1; \(f.version == .wasm3 ? "3.0" : "2.0") simd=\(f.simd) multi-memory=\(f.multipleMemories) "
            + "multi-table=\(f.multipleTables) memory64=\(f.memory64) custom-page-sizes=\(f.customPageSizes)"
            + " subtype-depth=\(engine.configuration.moduleLimits.subtypeDepth)"
    }

    /// Reads the binary module at `path` and compiles it as `init(engine:bytes:)`.
    public convenience init(engine: Engine, path: String) throws {
        let bytes = try HostFile.contents(of: path)
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

    /// The module's imports, in order, with their types.
    public var imports: [(module: String, name: String, type: ExternalType)] {
        module.imports.map { ($0.module, $0.name, externalType(of: $0.descriptor)) }
    }

    /// The module's exports, in order, with their types.
    public var exports: [(name: String, type: ExternalType)] {
        module.exports.map { export in
            switch export.descriptor {
            case .function(let i): return (export.name, .function(module.functionType(module.functionTypeIndex(Int(i)))))
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
