import HearthBinary

/// Resolves imports by (module, name) and instantiates modules.
public final class Linker {
    /// The engine whose modules this linker instantiates.
    public let engine: Engine

    enum Definition {
        case external(External)
        case host(HostDefinition)
    }

    /// Module name -> import name -> definition. Keyed by the `ExactName` instances key their
    /// exports by too, rather than by a pair type: a key type's first dictionary costs a scan of
    /// every conformance record in the process (about 8% of `hearth run`'s instructions for an
    /// empty module).
    private var definitions: [ExactName: [ExactName: Definition]] = [:]
    /// Modules registered as whole instances (`register` in scripts); looked up after `definitions`.
    private var instances: [ExactName: Instance] = [:]

    /// An empty linker for `engine`'s modules.
    public init(engine: Engine) { self.engine = engine }

    /// Makes `external` the import `module`.`name` of modules instantiated later.
    public func define(module: String, name: String, _ external: External) {
        define(.external(external), module: module, name: name)
    }

    /// Defines the import `module`.`name` as a host function of `type`: `body` gets the calling
    /// instance (`Caller`, with its store's `data`) and the arguments, and answers the results.
    /// What it throws traps the guest with the error as the trap's `underlying`.
    public func defineFunction(module: String, name: String, type: FunctionType,
                               _ body: @escaping (borrowing Caller, [Value]) throws -> [Value]) {
        define(.host(HostDefinition(type: type, body: body)), module: module, name: name)
    }

    /// Defines the import `module`.`name` as a host function of `type` whose `body` reads its
    /// arguments from and writes its results to the calling code's frame (`HostCallFrame`), so
    /// a call allocates nothing. For types of numbers only (`i32`, `i64`, `f32`, `f64`); any
    /// other type is refused with a `HearthError` (`link`) saying it is unsupported. What `body`
    /// throws traps the guest as for `defineFunction(module:name:type:_:)`.
    public func defineFrameFunction(module: String, name: String, type: FunctionType,
                                    _ body: @escaping (borrowing Caller, HostCallFrame) throws -> Void) throws {
        guard HostCallFrame.carries(type) else {
            throw HearthError.link("unsupported: a host function taking its arguments in the frame must have "
                                   + "only i32, i64, f32 and f64 parameters and results (\(module).\(name) has \(type))")
        }
        define(.host(HostDefinition(type: type, slots: body)), module: module, name: name)
    }

    private func define(_ definition: Definition, module: String, name: String) {
        definitions[ExactName(module), default: [:]][ExactName(name)] = definition
    }

    /// Makes every export of `instance` importable under `moduleName` (the script `register`).
    public func define(instance: Instance, as moduleName: String) {
        instances[ExactName(moduleName)] = instance
        // Explicit definitions under that module name are superseded by the instance.
        definitions[ExactName(moduleName)] = nil
    }

    func resolve(module: String, name: String, in store: Store) throws -> ExternalEntity? {
        if let definition = definitions[ExactName(module)]?[ExactName(name)] {
            switch definition {
            case .external(let e): return try e.entity(in: store)
            case .host(let h): return .function(store.hostEntity(h))
            }
        }
        if let instance = instances[ExactName(module)] {
            guard instance.store === store else { throw HearthError.link("incompatible import type: instance of another store") }
            return instance.storage.exports[ExactName(name)]
        }
        return nil
    }

    /// Resolves `module`'s imports from the definitions, instantiates it in `store` and runs its
    /// start function; throws a `HearthError` (`link`) for a missing or mistyped import, one of kind `trap` for a trap.
    public func instantiate(_ module: CompiledModule, in store: Store) throws -> Instance {
        try Instantiator(module: module, store: store, linker: self).run()
    }
}
