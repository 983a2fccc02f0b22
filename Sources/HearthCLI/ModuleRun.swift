import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HearthBinary
import HearthRuntime
import HearthWASI

/// One `hearth run`, its options resolved: what `RunCommand` parsed, or, for the plain
/// `hearth run FILE [ARGS...]`, built without the parser (`plain(_:)`).
struct ModuleRun {
    /// The module file (.wasm or .wat).
    var file: String
    /// Arguments for the guest, or for `invoke`.
    var arguments: [String] = []
    /// The rules modules are loaded with.
    var features: FeatureSet
    /// An export to call instead of `_start`.
    var invoke: String? = nil
    /// `NAME=FILE` modules instantiated first and linked as imports.
    var preload: [String] = []
    /// argv entries before `arguments` (with `invoke`, the only ones).
    var guestArguments: [String] = []
    /// `NAME=VALUE` or `NAME` environment entries.
    var env: [String] = []
    /// Whether the guest gets the whole host environment.
    var inheritEnv = false
    /// `HOST[::GUEST][:ro]` preopens.
    var dir: [String] = []
    /// The call depth limit, when not the engine's default.
    var maxCallDepth: Int? = nil
    /// Fuel for the whole run.
    var fuel: UInt64? = nil
    /// Wall-clock seconds for the whole run.
    var timeout: Double? = nil

    /// The run `hearth run FILE [ARGS...]` means when FILE does not start with a dash: every
    /// option at its default, and everything after FILE the guest's, as `RunCommand` parses it
    /// (its trailing arguments are captured for passthrough, options included). Built directly
    /// because it is the most common command and the one whose start-up is measured: parsing
    /// through ArgumentParser costs about 1.5 ms of reflection (its casts scan the conformance
    /// records of the whole binary). Nil for any other command line.
    static func plain(_ commandLine: [String]) throws -> ModuleRun? {
        guard commandLine.count >= 2, commandLine[0] == "run", !commandLine[1].hasPrefix("-") else { return nil }
        return ModuleRun(file: commandLine[1], arguments: Array(commandLine.dropFirst(2)),
                         features: try FeatureOption.featureSet(FeatureOption.defaultRules))
    }

    /// Instantiates the module with WASI and runs `_start` (or `invoke`); the guest's exit status
    /// or a trap is thrown as the process's `ExitCode`, as `RunCommand` reports it.
    func execute() throws {
        var configuration = EngineConfiguration()
        configuration.features = features
        if let maxCallDepth {
            guard (1...EngineConfiguration.callDepthLimit).contains(maxCallDepth) else {
                throw CLIError("--max-call-depth must be between 1 and \(EngineConfiguration.callDepthLimit)")
            }
            configuration.maxCallDepth = maxCallDepth
        }
        let engine = Engine(configuration: configuration)
        let store = Store(engine: engine)
        let module = try loadModule(file, engine: engine)

        let programName = HostFile.name(of: file)
        let wasi = try WASIHost(configuration: WASIConfiguration(
            arguments: [programName] + guestArguments + (invoke == nil ? arguments : []), environment: try environment(),
            preopens: try dir.map(Self.preopen)))
        let linker = Linker(engine: engine)
        wasi.define(in: linker)
        // The process ends with the run: what it allocated is left to the exit, not freed
        // object by object (guest memories unmapped, the store's stack, every table; 3% of an
        // empty module's whole run).
        defer { Self.leaveForExit(engine, store, module, wasi, linker) }
        // Parsed before anything runs, so a bad --preload fails without running a guest.
        let preloads = try preload.map { spec -> (String, CompiledModule) in
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
                throw ValidationError("--preload wants NAME=FILE, got \(spec)")
            }
            return (String(spec[..<eq]), try loadModule(String(spec[spec.index(after: eq)...]), engine: engine))
        }

        // Both limits cover the whole run, the module's start function included, and are
        // enforced by the engine (`Store.withLimits`), as every other layer's are.
        let limits = ExecutionLimits(deadline: try timeout.map { try Self.deadline($0) }, fuel: fuel)
        let outcome: WASIOutcome
        do {
            outcome = try store.withLimits(limits) { () throws -> WASIOutcome in
                for (name, preloaded) in preloads {
                    // A preloaded reactor is set up before the main module can call into it.
                    let program = try WASICommand(module: preloaded, linker: linker, store: store)
                    if case .exited? = program.initialization { return program.initialization! }
                    linker.define(instance: program.instance, as: name)
                }
                let program = try WASICommand(module: module, linker: linker, store: store)
                guard let invoke else {
                    if program.instance.function("_start") == nil && program.initialization == nil {
                        throw CLIError("the module exports neither _start nor _initialize; name an export with --invoke")
                    }
                    return try program.run()
                }
                if case .exited? = program.initialization { return program.initialization! }
                guard let function = program.instance.function(invoke) else {
                    throw CLIError("the module exports no function \"\(invoke)\"")
                }
                let outcome = try program.call(invoke, try parseArguments(arguments, for: function.type, in: program.instance))
                if case .returned(let results) = outcome { for result in results { print(describe(result)) } }
                return outcome
            }
        } catch let exit as HearthError where exit.kind == .exit {
            throw Self.exitCode(exit.exitStatus ?? 0)
        } catch let trap as HearthError where trap.kind == .trap {
            HostFile.write("error: \(limitNote(trap))\(trap)\n", toDescriptor: 2)
            throw ExitCode(134)
        }
        if case .exited(let code) = outcome { throw Self.exitCode(code) }
    }

    /// Keeps `objects` allocated until the process exits.
    private static func leaveForExit(_ objects: AnyObject...) {
        for object in objects { _ = Unmanaged.passRetained(object) }
    }

    /// A guest's exit status as the process's: a status holds 8 bits, so statuses past 255
    /// become 255 rather than wrap (`proc_exit(256)` must not look like success).
    static func exitCode(_ status: UInt32) -> ExitCode { ExitCode(Int32(min(status, 255))) }

    /// Says which command-line limit stopped the guest, before the trap's own message.
    private func limitNote(_ trap: HearthError) -> String {
        switch trap.trap {
        case .interrupted: return "the guest exceeded --timeout \(timeout.map { "\($0)" } ?? "?") s: "
        case .outOfFuel: return "the guest exceeded --fuel \(fuel.map { "\($0)" } ?? "?"): "
        default: return ""
        }
    }

    /// `--timeout`'s seconds as a deadline; refuses what is not a positive number.
    private static func deadline(_ seconds: Double) throws -> Duration {
        guard seconds.isFinite, seconds > 0 else { throw CLIError("--timeout must be a positive number of seconds") }
        return .seconds(seconds)
    }

    /// The guest environment: the host's with --inherit-env, then each --env in order.
    private func environment() throws -> [(String, String)] {
        var result: [(String, String)] = []
        if inheritEnv { result = ProcessInfo.processInfo.environment.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
        for entry in env {
            let pair: (String, String)
            if let eq = entry.firstIndex(of: "=") {
                pair = (String(entry[..<eq]), String(entry[entry.index(after: eq)...]))
            } else if let value = ProcessInfo.processInfo.environment[entry] {
                pair = (entry, value)
            } else {
                continue // wasmtime's convention: NAME alone passes the host value, if there is one
            }
            guard !pair.0.isEmpty else { throw ValidationError("--env wants NAME=VALUE, got \(entry)") }
            result.removeAll { $0.0 == pair.0 }
            result.append(pair)
        }
        return result
    }

    /// Parses `HOST[::GUEST][:ro]`.
    static func preopen(_ spec: String) throws -> WASIPreopen {
        var text = spec
        var readOnly = false
        if text.hasSuffix(":ro") && !text.hasSuffix("::ro") {
            readOnly = true
            text.removeLast(3)
        }
        let parts = text.components(separatedBy: "::")
        guard parts.count <= 2, !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else {
            throw ValidationError("--dir wants HOST[::GUEST][:ro], got \(spec)")
        }
        return WASIPreopen(hostPath: parts[0], guestPath: parts.count == 2 ? parts[1] : parts[0], readOnly: readOnly)
    }

    /// The export's parameter values. A `str:`, `hex:` or `file:` argument is bytes: copied into
    /// memory the guest allocates, it fills two i32 parameters (pointer, length).
    private func parseArguments(_ text: [String], for type: FunctionType, in instance: Instance) throws -> [Value] {
        var values: [Value] = []
        var remaining = type.parameters[...]
        for string in text {
            guard let parameter = remaining.popFirst() else {
                throw CLIError("\(invoke ?? "") takes \(type.parameters.count) parameters; too many arguments")
            }
            if let bytes = try Self.bytesArgument(string) {
                guard parameter == .i32, remaining.first == .i32 else {
                    throw CLIError("\(string.prefix(while: { $0 != ":" })): arguments fill two i32 parameters (pointer, length)")
                }
                remaining.removeFirst()
                values += [.i32(try Self.copyIntoGuest(bytes, instance)), .i32(UInt32(bytes.count))]
            } else {
                values.append(try Self.scalar(string, parameter))
            }
        }
        guard remaining.isEmpty else {
            throw CLIError("\(invoke ?? "") takes \(type.parameters.count) parameters, got \(values.count)")
        }
        return values
    }

    /// The bytes of a `str:TEXT`, `hex:BYTES` or `file:PATH` argument; nil for a number.
    static func bytesArgument(_ string: String) throws -> [UInt8]? {
        if string.hasPrefix("str:") { return Array(string.dropFirst(4).utf8) }
        if string.hasPrefix("file:") { return try HostFile.contents(of: String(string.dropFirst(5))) }
        guard string.hasPrefix("hex:") else { return nil }
        let digits = Array(string.dropFirst(4).utf8)
        guard digits.count % 2 == 0 else { throw CLIError("hex: wants an even number of hex digits") }
        return try stride(from: 0, to: digits.count, by: 2).map { i in
            guard let byte = UInt8(String(decoding: digits[i...i + 1], as: UTF8.self), radix: 16) else {
                throw CLIError("hex: \(String(decoding: digits[i...i + 1], as: UTF8.self)) is not a hex byte")
            }
            return byte
        }
    }

    /// Copies `bytes` into memory from the guest's allocator: `malloc(size)` or the component
    /// model's `cabi_realloc(0, 0, align, size)`.
    static func copyIntoGuest(_ bytes: [UInt8], _ instance: Instance) throws -> UInt32 {
        guard let memory = instance.memory("memory") else {
            throw CLIError("unsupported: byte arguments for a module that exports no memory")
        }
        let size = UInt32(max(bytes.count, 1))
        let results: [Value]
        if let malloc = instance.function("malloc"), malloc.type == FunctionType(parameters: [.i32], results: [.i32]) {
            results = try malloc.invoke([.i32(size)])
        } else if let realloc = instance.function("cabi_realloc"),
                  realloc.type == FunctionType(parameters: [.i32, .i32, .i32, .i32], results: [.i32]) {
            results = try realloc.invoke([.i32(0), .i32(0), .i32(1), .i32(size)])
        } else {
            throw CLIError("unsupported: byte arguments need a malloc(i32) -> i32 or cabi_realloc export to allocate them")
        }
        guard case .i32(let pointer)? = results.first, pointer != 0 else { throw CLIError("the guest could not allocate \(size) bytes") }
        try memory.write(bytes, at: Int(pointer))
        return pointer
    }

    static func scalar(_ string: String, _ type: ValueType) throws -> Value {
        switch type {
        case .i32:
            if let v = Int32(string) { return .i32(UInt32(bitPattern: v)) }
            if let v = UInt32(string) { return .i32(v) }
        case .i64:
            if let v = Int64(string) { return .i64(UInt64(bitPattern: v)) }
            if let v = UInt64(string) { return .i64(v) }
        case .f32:
            if let v = Float(string) { return .f32(v.bitPattern) }
        case .f64:
            if let v = Double(string) { return .f64(v.bitPattern) }
        default:
            throw CLIError("unsupported: passing \(type) arguments from the command line")
        }
        throw CLIError("\"\(string)\" is not a valid \(type)")
    }

    private func describe(_ value: Value) -> String {
        switch value {
        case .i32(let v): return "\(Int32(bitPattern: v))"
        case .i64(let v): return "\(Int64(bitPattern: v))"
        case .f32(let v): return "\(Float(bitPattern: v))"
        case .f64(let v): return "\(Double(bitPattern: v))"
        default: return "\(value)"
        }
    }
}
