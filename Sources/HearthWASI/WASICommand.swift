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
    /// being thrown. Traps and host errors are thrown as `Trap`.
    public func invokeWASI(_ arguments: [Value] = []) throws -> WASIOutcome {
        do {
            return .returned(try invoke(arguments))
        } catch let exit as WASIExit {
            return .exited(code: exit.code)
        } catch let trap as Trap {
            if let exit = trap.underlying as? WASIExit { return .exited(code: exit.code) }
            throw trap
        }
    }
}

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
        let instance = try linker.instantiate(module, in: Store(engine: engine))
        guard let start = instance.function("_start") else {
            throw WASIConfigurationError("the module exports no _start function")
        }
        switch try start.invokeWASI() {
        case .returned: return 0
        case .exited(let code): return code
        }
    }
}
