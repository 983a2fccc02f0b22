import HearthRuntime

/// Runs a WASI command module (its `_start`) to completion.
public enum WASICommand {
    /// Instantiates the module at `path` with a WASI host for `configuration`, runs `_start` and
    /// returns the exit code: the guest's `proc_exit` code, or 0 when `_start` returns. Traps
    /// and load errors are thrown.
    public static func run(path: String, configuration: WASIConfiguration,
                           engine: Engine = Engine()) throws -> UInt32 {
        let module = try CompiledModule(engine: engine, path: path)
        let host = try WASIHost(configuration: configuration)
        let linker = Linker(engine: engine)
        host.define(in: linker)
        do {
            let instance = try linker.instantiate(module, in: Store(engine: engine))
            guard let start = instance.function("_start") else {
                throw WASIConfigurationError("the module exports no _start function")
            }
            _ = try start.invoke([])
            return 0
        } catch let exit as WASIExit {
            return exit.code
        } catch let trap as Trap {
            if let exit = trap.underlying as? WASIExit { return exit.code }
            throw trap
        }
    }
}
