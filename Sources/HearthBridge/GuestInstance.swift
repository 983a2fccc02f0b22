import HearthBinary
import HearthRuntime
import HearthWASI

/// One instantiated guest module with WASI (standard output and error captured), the `env`
/// imports, and a generic call API: any export with values, or with byte buffers passed
/// through the guest's own `malloc`/`free`.
///
/// Every failure comes out as a `BridgeError`. Not thread-safe: its owner (an object) serializes
/// calls.
public final class GuestInstance {
    /// The store the instance lives in: its stacks, and the interrupt and fuel the limits act on.
    public let store: Store
    /// The instantiated module, for exports the generic call API does not cover.
    public let instance: Instance
    /// The guest's exported `memory`.
    public let memory: Memory
    /// What the guest wrote to standard output, captured (capped by `GuestOptions.maxOutputBytes`).
    public let stdout = WASIOutputBuffer()
    /// What the guest wrote to standard error, captured (capped by `GuestOptions.maxOutputBytes`).
    public let stderr = WASIOutputBuffer()
    /// The host behind the guest's `wasi_snapshot_preview1` imports; its state goes into snapshots.
    public let wasi: WASIHost
    let options: GuestOptions
    /// The linker the instance was made with (WASI, `env`, extras), for probes of its WASI state.
    let linker: Linker
    /// Exports looked up so far. Every bridge invocation calls `malloc`, `free` and friends by
    /// name; a name lookup and a handle per call showed in the server's profile.
    private var exportCache: [String: Function] = [:]
    /// Exports whose i32 signature `callI32` has checked, with their handles. A few entries
    /// (`malloc`, `free`, result accessors), so a scan of names, which are usually the same
    /// string literals, beats hashing them on every call.
    private var checkedI32Exports: [(name: String, parameterCount: Int, hasResult: Bool, function: Function)] = []

    /// Instantiates `module` with WASI, `env`, `hearth` storage and `options.defineImports`, running
    /// its start function under `options.limits`. Throws `BridgeError.instantiation` (a missing
    /// import, a trap), `limitExceeded`, or `missingExport` without an exported `memory`.
    public init(module: CompiledModule, options: GuestOptions = .init()) throws {
        self.options = options
        let engine = module.engine
        store = Store(engine: engine)
        var configuration = WASIConfiguration(arguments: options.arguments, environment: options.environment,
                                              preopens: options.preopens)
        configuration.stdin = .bytes(options.stdin)
        stdout.limit = options.maxOutputBytes
        stderr.limit = options.maxOutputBytes
        configuration.stdout = .capture(stdout)
        configuration.stderr = .capture(stderr)
        do {
            wasi = try WASIHost(configuration: configuration)
        } catch {
            throw BridgeError.instantiation("\(error)")
        }
        linker = Linker(engine: engine)
        wasi.define(in: linker)
        EnvironmentImports(options: options).define(in: linker)
        StorageImports(storage: options.storage).define(in: linker)
        options.defineImports?(linker)
        // The module's start function is guest code like any other: under the deadline and fuel.
        do {
            let (linker, store) = (linker, store)
            instance = try store.withLimits(options.limits) { try linker.instantiate(module, in: store) }
        } catch let error as BridgeError {
            throw error
        } catch let trap as HearthError where trap.kind == .trap {
            if let limit = trap.exceededLimit {
                throw BridgeError.limitExceeded(export: "start function", limit: limit.rawValue)
            }
            throw BridgeError.instantiation("\(trap)")
        } catch {
            throw BridgeError.instantiation("\(error)")
        }
        guard let memory = instance.memory("memory") else {
            throw BridgeError.missingExport(name: "memory", expected: "a memory")
        }
        self.memory = memory
    }

    /// Compiles `bytes` in `engine`, then instantiates it as `init(module:options:)`; a module that
    /// does not compile throws `BridgeError.instantiation`.
    public convenience init(bytes: [UInt8], options: GuestOptions = .init(), engine: Engine = Engine()) throws {
        let module: CompiledModule
        do {
            module = try CompiledModule(engine: engine, bytes: bytes)
        } catch {
            throw BridgeError.instantiation("\(error)")
        }
        try self.init(module: module, options: options)
    }

    /// The exported function `name`, checked against the expected signature.
    public func function(_ name: String, parameters: [ValueType], results: [ValueType]) throws -> Function {
        let expected = FunctionType(parameters: parameters, results: results)
        guard let function = exportedFunction(name), function.type == expected else {
            throw BridgeError.missingExport(name: name, expected: "a function \(Self.signature(expected))")
        }
        return function
    }

    /// The exported function `name`, looked up once.
    private func exportedFunction(_ name: String) -> Function? {
        if let cached = exportCache[name] { return cached }
        guard let function = instance.function(name) else { return nil }
        exportCache[name] = function
        return function
    }

    private static func signature(_ type: FunctionType) -> String {
        "(" + type.parameters.map { "\($0)" }.joined(separator: ", ") + ") -> (" + type.results.map { "\($0)" }.joined(separator: ", ") + ")"
    }

    /// Calls export `name` with the configured limits, turning traps into `BridgeError`s.
    public func call(_ name: String, _ arguments: [Value] = []) throws -> [Value] {
        guard let function = exportedFunction(name) else {
            throw BridgeError.missingExport(name: name, expected: "a function")
        }
        return try call(function, name: name, arguments)
    }

    /// Runs `body`, whose export calls share one deadline and one fuel budget: the limits are
    /// per invocation, however many exports (`malloc`, `execute_delegate`, `free`...) it calls,
    /// and one deadline timer is armed instead of one per call (`Store.withLimits`).
    public func withLimits<T>(_ body: () throws -> T) rethrows -> T {
        try store.withLimits(options.limits, body)
    }

    func call(_ function: Function, name: String, _ arguments: [Value]) throws -> [Value] {
        try limited(name) { try function.invoke(arguments) }
    }

    /// Resumes an execution suspended in another instance of this module (see
    /// `SuspendedExecution`), this instance having been brought to the state captured with it;
    /// under the configured limits, with errors as `call` reports them.
    public func resume(_ execution: SuspendedExecution) throws -> [Value] {
        try limited("_start") { try instance.resume(execution) }
    }

    /// Runs `body` (guest code entered as export `name`) under the configured limits.
    private func limited<R>(_ name: String, _ body: () throws -> R) throws -> R {
        do {
            return try store.withLimits(options.limits, body)
        } catch let trap as HearthError where trap.kind == .trap {
            throw classify(trap, export: name)
        } catch let exit as HearthError where exit.kind == .exit {
            throw exit
        } catch let error as HearthError where error.kind == .snapshot {
            throw BridgeError.instantiation("\(error)")
        } catch {
            throw BridgeError.hostFailure(export: name, message: "\(error)")
        }
    }

    private func classify(_ trap: HearthError, export: String) -> Error {
        if let limit = trap.exceededLimit { return BridgeError.limitExceeded(export: export, limit: limit.rawValue) }
        if let output = trap.underlying as? WASIOutputLimitExceeded { return BridgeError.limitExceeded(export: export, limit: "\(output)") }
        // A program stopped at its suspension point, or refusing it: the runner's business.
        if let suspended = trap.underlying as? WASISuspended { return suspended }
        if let refused = trap.underlying as? WASISuspensionRefused { return refused }
        if let bridgeError = trap.underlying as? BridgeError { return bridgeError }
        if let underlying = trap.underlying { return BridgeError.hostFailure(export: export, message: "\(underlying)") }
        return BridgeError.guestTrapped(export: export, message: trap.message)
    }

    /// Calls an export taking and answering one i32 each.
    func callI32(_ name: String, _ arguments: [UInt32], parameterCount: Int, hasResult: Bool = true) throws -> UInt32 {
        let function: Function
        if let checked = checkedI32Exports.first(where: {
            $0.name == name && $0.parameterCount == parameterCount && $0.hasResult == hasResult
        }) {
            function = checked.function
        } else {
            function = try self.function(name, parameters: Array(repeating: .i32, count: parameterCount),
                                         results: hasResult ? [.i32] : [])
            checkedI32Exports.append((name, parameterCount, hasResult, function))
        }
        let results = try call(function, name: name, arguments.map { .i32($0) })
        guard hasResult, case .i32(let value)? = results.first else { return 0 }
        return value
    }

    // MARK: Buffers through the guest's allocator

    /// Copies `bytes` into memory the guest's `malloc` allocated; the caller frees it.
    public func allocate(_ bytes: [UInt8]) throws -> UInt32 {
        // malloc(0) may legally return null; one byte keeps "null = failure" unambiguous.
        let pointer = try callI32("malloc", [UInt32(max(bytes.count, 1))], parameterCount: 1)
        guard pointer != 0 else { throw BridgeError.guestOutOfMemory(bytes: bytes.count) }
        try write(bytes, at: pointer, export: "malloc")
        return pointer
    }

    /// Returns memory to the guest's `free`.
    public func release(_ pointer: UInt32) throws {
        _ = try callI32("free", [pointer], parameterCount: 1, hasResult: false)
    }

    /// Reads guest memory after checking that the range lies inside it.
    public func read(pointer: UInt32, length: Int64, export: String) throws -> [UInt8] {
        guard length >= 0, Int64(pointer) + length <= Int64(memory.byteCount) else {
            throw BridgeError.badGuestBuffer(export: export, pointer: pointer, length: length, memorySize: memory.byteCount)
        }
        return try memory.read(Int(pointer), count: Int(length))
    }

    func write(_ bytes: [UInt8], at pointer: UInt32, export: String) throws {
        guard Int(pointer) + bytes.count <= memory.byteCount else {
            throw BridgeError.badGuestBuffer(export: export, pointer: pointer, length: Int64(bytes.count), memorySize: memory.byteCount)
        }
        try memory.write(bytes, at: Int(pointer))
    }

    /// Calls `export` with `leading` arguments, then each input copied into guest memory and
    /// passed as a (pointer, length) pair of i32s, then `extra` arguments, and collects the
    /// answer per `output`. The inputs are freed afterwards (also when the call fails, unless it
    /// trapped: then the guest's heap is not to be touched again).
    public func call(_ export: String, buffers inputs: [[UInt8]], leading: [Value] = [], extra: [Value] = [],
                     output: GuestOutput) throws -> [UInt8] {
        try call(export, buffers: inputs, leading: leading, extra: extra) { results in
            try output.collect(results, from: self, export: export)
        }
    }

    func call<R>(_ export: String, buffers inputs: [[UInt8]], leading: [Value] = [], extra: [Value] = [],
                 _ collect: ([Value]) throws -> R) throws -> R {
        var pointers: [UInt32] = []
        var trapped = false
        defer {
            if !trapped { for pointer in pointers { try? release(pointer) } }
        }
        do {
            for input in inputs { pointers.append(try allocate(input)) }
            var arguments = leading
            for (pointer, input) in zip(pointers, inputs) {
                arguments += [.i32(pointer), .i32(UInt32(input.count))]
            }
            return try collect(try call(export, arguments + extra))
        } catch let error as BridgeError where error.poisonsInstance {
            trapped = true
            throw error
        }
    }

    // MARK: Commands

    /// Runs a WASI command's `_start` and returns its exit status (0 when `_start` returns);
    /// its output is in `stdout`/`stderr`.
    public func runCommand() throws -> UInt32 {
        do {
            _ = try call("_start")
            return 0
        } catch let exit as HearthError where exit.kind == .exit {
            return exit.exitStatus ?? 0
        }
    }
}
