import HearthBinary

/// Resolves imports by (module, name) and instantiates modules.
public final class Linker {
    /// The engine whose modules this linker instantiates.
    public let engine: Engine

    enum Definition {
        case external(External)
        case host(HostDefinition)
    }

    /// Module name -> import name -> definition (`FlatTable`s, not dictionaries: see there).
    private var definitions = FlatTable<ExactName, FlatTable<ExactName, Definition>>()
    /// Modules registered as whole instances (`register` in scripts); looked up after `definitions`.
    private var instances = FlatTable<ExactName, Instance>()
    /// Modules whose imports are defined as they are first asked for (`defineOnDemand`).
    private var suppliers = FlatTable<ExactName, (Linker, String) -> Void>()

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
        definitions.modifyValue(forKey: ExactName(module), default: FlatTable()) { $0[ExactName(name)] = definition }
    }

    /// Lets `supply` define the imports of `module` as they are first needed: resolving an
    /// import of `module` that is not defined yet calls `supply` with this linker and the
    /// import's name, and `supply` may define it (`defineFunction`, `defineFrameFunction`,
    /// `define(module:name:_:)`); a name it leaves undefined is a missing import, as ever. What
    /// it defines stays defined, and a definition made directly comes first. For hosts that
    /// offer many functions of which a module imports few: defining WASI's 46 up front was a
    /// third of `hearth run`'s instructions for a module that imports none.
    public func defineOnDemand(module: String, _ supply: @escaping (_ linker: Linker, _ name: String) -> Void) {
        suppliers[ExactName(module)] = supply
    }

    /// Makes every export of `instance` importable under `moduleName` (the script `register`).
    public func define(instance: Instance, as moduleName: String) {
        instances[ExactName(moduleName)] = instance
        // Explicit definitions under that module name are superseded by the instance.
        definitions[ExactName(moduleName)] = nil
        suppliers[ExactName(moduleName)] = nil
    }

    /// The definition of `module`.`name` (`name` being `importName`'s text), asking the
    /// module's supplier when there is none yet.
    private func definition(module: ExactName, name importName: ExactName, _ name: String) -> Definition? {
        if let definition = definitions[module]?[importName] { return definition }
        guard let supply = suppliers[module] else { return nil }
        supply(self, name)
        return definitions[module]?[importName]
    }

    func resolve(module: String, name: String, in store: Store) throws -> ExternalEntity? {
        let moduleName = ExactName(module), importName = ExactName(name)
        if let definition = definition(module: moduleName, name: importName, name) {
            switch definition {
            case .external(let e): return try e.entity(in: store)
            case .host(let h): return .function(store.hostEntity(h))
            }
        }
        if let instance = instances[moduleName] {
            guard instance.store === store else { throw HearthError.link("incompatible import type: instance of another store") }
            return instance.storage.exports[importName]
        }
        return nil
    }

    /// Resolves `module`'s imports from the definitions, instantiates it in `store` and runs its
    /// start function; throws a `HearthError` (`link`) for a missing or mistyped import, one of kind `trap` for a trap.
    public func instantiate(_ module: CompiledModule, in store: Store) throws -> Instance {
        try Instantiator(module: module, store: store, linker: self).run()
    }
}
