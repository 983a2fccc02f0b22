import HearthBinary
import HearthRuntime
import HearthWASI

/// A language runtime compiled to WebAssembly (a WASI reactor implementing the bridge ABI),
/// kept warm: instantiated once with `_initialize` run, then given assemblies, compiling
/// delegates and executing them on JSON.
///
/// The bridge ABI (all i32): `malloc(size) -> ptr`, `free(ptr)`, `load_assembly(ptr, len) -> id`,
/// `compile_delegate(assemblyId, namePtr, nameLen) -> id`, `execute_delegate(id, argsPtr, argsLen)
/// -> resultPtr`, `get_result_length(resultPtr) -> len`, `free_result(resultPtr)`; negative ids
/// are refusals (the guest's stderr line says why); a result is JSON `{"ok":v}` or `{"error":m}`.
///
/// A plain class owned by one object: not thread-safe, and dropping it (hibernation) drops the
/// instance. After a guest traps, the instance is replaced before the next call (`TrapPolicy`);
/// handles from before then are stale.
public final class RuntimeBridge {
    /// The runtime's compiled module, instantiated again whenever the instance is replaced.
    public let module: CompiledModule
    /// The options every instance of the runtime is made with.
    public let options: GuestOptions
    /// The current runtime instance. A trap can replace it (see `generation`): do not keep it.
    public private(set) var guest: GuestInstance
    /// Increases each time the instance is replaced.
    public private(set) var generation = 0
    private var needsFreshInstance = false
    /// The `invoke` layer's state (deployed functions, their delegates).
    var functions: [String: DeployedFunction] = [:]
    /// Supplies an assembly for a function id `invoke` has not seen (e.g. read from the
    /// object's `functions` table after hibernation); nil means unknown.
    public var assemblyProvider: ((String) throws -> [UInt8]?)?

    static let requiredExports: [(String, [ValueType], [ValueType])] = [
        ("malloc", [.i32], [.i32]), ("free", [.i32], []), ("load_assembly", [.i32, .i32], [.i32]),
        ("compile_delegate", [.i32, .i32, .i32], [.i32]), ("execute_delegate", [.i32, .i32, .i32], [.i32]),
        ("get_result_length", [.i32], [.i32]), ("free_result", [.i32], []),
    ]

    /// Instantiates the runtime and runs its `_initialize`; throws `BridgeError.missingExport`
    /// if the module lacks part of the ABI. With `initialize: false` the instance is left
    /// fresh, for the caller to restore a warm snapshot into `guest` (then `adopt`).
    public init(module: CompiledModule, options: GuestOptions = .init(), initialize: Bool = true) throws {
        self.module = module
        self.options = options
        guest = try Self.start(module, options, initialize: initialize)
    }

    /// Compiles runtime binary `bytes` in `engine`, then starts it as `init(module:options:initialize:)`;
    /// a module that does not compile throws `BridgeError.instantiation`.
    public convenience init(runtime bytes: [UInt8], options: GuestOptions = .init(), engine: Engine = Engine(),
                            initialize: Bool = true) throws {
        let module: CompiledModule
        do {
            module = try CompiledModule(engine: engine, bytes: bytes)
        } catch {
            throw BridgeError.instantiation("\(error)")
        }
        try self.init(module: module, options: options, initialize: initialize)
    }

    private static func start(_ module: CompiledModule, _ options: GuestOptions, initialize: Bool = true) throws -> GuestInstance {
        let guest = try GuestInstance(module: module, options: options)
        for (name, parameters, results) in requiredExports {
            _ = try guest.function(name, parameters: parameters, results: results)
        }
        // Reactors export `_initialize` (libc constructors); a runtime without one needs no setup.
        if initialize, guest.instance.function("_initialize") != nil {
            _ = try guest.call("_initialize")
        }
        return guest
    }

    /// Replaces the instance if a trap left it untrustworthy.
    func ensureUsableInstance() throws {
        guard needsFreshInstance else { return }
        guest = try Self.start(module, options)
        generation += 1
        needsFreshInstance = false
        for id in functions.keys {
            functions[id]?.assembly = nil
            functions[id]?.delegates = [:]
        }
    }

    /// Runs `body`, marking the instance for replacement when the error means it may be corrupt.
    func guarded<R>(_ body: () throws -> R) throws -> R {
        try ensureUsableInstance()
        do {
            return try body()
        } catch let error as BridgeError {
            if error.poisonsInstance, case .reinstantiate = options.trapPolicy { needsFreshInstance = true }
            throw error
        } catch let exit as HearthError where exit.kind == .exit {
            // A reactor that calls `exit` has run its destructors: it cannot serve another call.
            needsFreshInstance = true
            throw BridgeError.guestTrapped(export: "runtime", message: "\(exit)")
        }
    }

    /// Whether the next call will first replace the instance (the last call trapped).
    public var instanceIsPoisoned: Bool { needsFreshInstance }

    /// Marks the instance for replacement: the next call starts a fresh one with `_initialize`.
    /// For an owner that learns the instance's state cannot be trusted (its snapshot image
    /// failed a scrub).
    public func discardInstance() { needsFreshInstance = true }

    // MARK: The bridge ABI

    /// Copies an assembly into the guest and loads it.
    public func loadAssembly(_ bytes: [UInt8]) throws -> AssemblyHandle {
        try guarded {
            let id = try refusable("load_assembly", buffers: [bytes], leading: [])
            return AssemblyHandle(id: id, generation: generation)
        }
    }

    /// Whether the runtime can unload an assembly (the optional `unload_assembly(id) -> i32`
    /// export, like .NET's collectible `AssemblyLoadContext`).
    public var canUnloadAssemblies: Bool {
        guest.instance.function("unload_assembly")?.type == FunctionType(parameters: [.i32], results: [.i32])
    }

    /// Unloads an assembly from the current instance so its memory is reused (and no later
    /// snapshot carries it). Nothing happens for a runtime without `unload_assembly`, or for a
    /// handle of an instance already replaced.
    public func unloadAssembly(_ assembly: AssemblyHandle) throws {
        guard assembly.generation == generation, !needsFreshInstance, canUnloadAssemblies else { return }
        try guarded {
            let before = guest.stderr.bytes.count
            let answer = Int32(bitPattern: try guest.callI32("unload_assembly", [UInt32(bitPattern: assembly.id)], parameterCount: 1))
            guard answer == 0 else {
                let reason = String(decoding: guest.stderr.bytes[before...], as: UTF8.self)
                throw BridgeError.guestRefused(export: "unload_assembly", status: answer, reason: reason.trimmingWhitespace())
            }
        }
    }

    /// Compiles `entryPoint` of a loaded assembly.
    public func compileDelegate(_ assembly: AssemblyHandle, entryPoint: String) throws -> DelegateHandle {
        try check(assembly.generation, "assembly \(assembly.id)")
        return try guarded {
            let id = try refusable("compile_delegate", buffers: [Array(entryPoint.utf8)],
                                   leading: [.i32(UInt32(bitPattern: assembly.id))])
            return DelegateHandle(id: id, generation: generation, assembly: assembly, entryPoint: entryPoint)
        }
    }

    /// Runs a delegate on JSON arguments (an array, positional, or an object, by parameter name)
    /// and returns its JSON result; a guest-reported error is thrown as `BridgeError.guestError`.
    public func execute(_ delegate: DelegateHandle, argsJSON: [UInt8]) throws -> JSONValue {
        try check(delegate.generation, "delegate \(delegate.id) (\(delegate.entryPoint))")
        return try guarded {
            let bytes = try guest.call("execute_delegate", buffers: [argsJSON], leading: [.i32(UInt32(bitPattern: delegate.id))],
                                       output: .pointerWithLengthExport(lengthExport: "get_result_length", freeExport: "free_result"))
            let envelope: JSONValue
            do {
                envelope = try JSONValue.parse(bytes)
            } catch {
                throw BridgeError.invalidJSON(export: "execute_delegate", detail: "\(error)")
            }
            if let value = envelope["ok"] { return value }
            if case .string(let message)? = envelope["error"] { throw BridgeError.guestError(message: message) }
            throw BridgeError.invalidJSON(export: "execute_delegate", detail: "expected {\"ok\":...} or {\"error\":\"...\"}, got \(envelope.text)")
        }
    }

    /// Runs a delegate on `args` (an array, positional, or an object, by parameter name) as
    /// `execute(_:argsJSON:)` does, with its errors.
    public func execute(_ delegate: DelegateHandle, args: JSONValue) throws -> JSONValue {
        try execute(delegate, argsJSON: args.bytes)
    }

    private func check(_ handleGeneration: Int, _ what: String) throws {
        guard handleGeneration == generation, !needsFreshInstance else {
            throw BridgeError.staleHandle("\(what) belongs to a runtime instance that was replaced")
        }
    }

    /// Calls an id-returning export; a negative id becomes `guestRefused` with the guest's
    /// stderr output from the call as the reason.
    private func refusable(_ export: String, buffers: [[UInt8]], leading: [Value]) throws -> Int32 {
        let before = guest.stderr.bytes.count
        let id = try guest.call(export, buffers: buffers, leading: leading) { results -> Int32 in
            guard case .i32(let raw)? = results.first else { return -1 }
            return Int32(bitPattern: raw)
        }
        guard id > 0 else {
            let reason = String(decoding: guest.stderr.bytes[before...], as: UTF8.self)
            throw BridgeError.guestRefused(export: export, status: id, reason: reason.trimmingWhitespace())
        }
        return id
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        return String(scalars)
    }
}
