import HearthRuntime

/// How a call into a WASI program ended when it did not trap: it returned, or it called
/// `proc_exit` (an outcome of the program, not an error of the host or the guest).
public enum WASIOutcome: Equatable {
    /// The function returned these results.
    case returned([Value])
    /// The program called `proc_exit(code)`.
    case exited(code: UInt32)
}

extension Function {
    /// Calls the function of a WASI program; `proc_exit` ends the call as `.exited` instead of
    /// being thrown. Traps are thrown as `HearthError`s of kind `trap`.
    public func invokeWASI(_ arguments: [Value] = []) throws -> WASIOutcome {
        do {
            return .returned(try invoke(arguments))
        } catch let error as HearthError {
            guard let status = error.exitStatus else { throw error }
            return .exited(code: status)
        }
    }
}

/// A WASI program instantiated and set up, the one way every command line and test runs one:
/// a command is entered by `_start`; a reactor (no `_start`, an `_initialize`) is initialized
/// once, here, before any export is called, as wasmtime's `run` does.
public struct WASICommand {
    /// The program's instance (for its exports, or to link it under a name for another module).
    public let instance: Instance
    /// How `_initialize` ended, for a reactor; nil for a command or a module with neither.
    public let initialization: WASIOutcome?

    /// Instantiates `module` through `linker`, which defines the WASI imports (and whatever else
    /// the module imports), in `store`, and initializes it if it is a reactor. A `proc_exit` in
    /// the module's start function is thrown (a `HearthError` of kind `exit`); in `_initialize` it is
    /// `initialization`. Traps and link errors are thrown.
    public init(module: CompiledModule, linker: Linker, store: Store) throws {
        instance = try linker.instantiate(module, in: store)
        if instance.function("_start") == nil, let initialize = instance.function("_initialize") {
            initialization = try initialize.invokeWASI()
        } else {
            initialization = nil
        }
    }

    /// Runs the program as a command: its `_start`. A reactor has nothing more to run (its
    /// `_initialize` ran already): its outcome is the initialization's. A module with neither
    /// is refused, naming the way out (`call` an export).
    public func run() throws -> WASIOutcome {
        if let start = instance.function("_start") { return try start.invokeWASI() }
        if let initialization { return initialization }
        throw HearthError.link("the module exports neither _start nor _initialize; name an export to call")
    }

    /// Calls export `name` with `arguments`. A reactor whose `_initialize` exited is not called
    /// again: its exit is the outcome.
    public func call(_ name: String, _ arguments: [Value] = []) throws -> WASIOutcome {
        if case .exited? = initialization { return initialization! }
        guard let function = instance.function(name) else {
            throw HearthError.link("the module exports no function \"\(name)\"")
        }
        return try function.invokeWASI(arguments)
    }

    /// Runs the WASI program at `path` (binary) with a WASI host for `configuration` and answers
    /// its exit status: the `proc_exit` code, or 0 when it returns. Traps and load errors are thrown.
    public static func run(path: String, configuration: WASIConfiguration, engine: Engine = Engine()) throws -> UInt32 {
        let module = try CompiledModule(engine: engine, path: path)
        let host = try WASIHost(configuration: configuration)
        let linker = Linker(engine: engine)
        host.define(in: linker)
        do {
            switch try WASICommand(module: module, linker: linker, store: Store(engine: engine)).run() {
            case .returned: return 0
            case .exited(let code): return code
            }
        } catch let error as HearthError {
            // An exit in the module's start function, before there is a program to run.
            guard let status = error.exitStatus else { throw error }
            return status
        }
    }
}
