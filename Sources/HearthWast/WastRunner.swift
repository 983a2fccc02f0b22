import HearthBinary
import HearthRuntime
import HearthText
import HearthValidation

/// Runs a `.wast` script against Hearth the way the spec interpreter does: modules are defined
/// and instantiated in one store, `register` makes their exports importable, and each assertion
/// is checked against the engine's behaviour.
public final class WastRunner {
    /// The WebAssembly features script modules are encoded and validated with.
    public let features: FeatureSet
    private let engine: Engine
    private let store: Store
    private let linker: Linker
    private var current: Instance?
    private var named: [String: Instance] = [:]
    /// Compiled `module definition`s by name, and the last one.
    private var definitions: [String: CompiledModule] = [:]
    private var lastDefinition: CompiledModule?

    /// A fresh engine, store and linker with `spectest` defined; throws if its table, memories
    /// or globals cannot be created.
    public init(features: FeatureSet = .default) throws {
        self.features = features
        var configuration = EngineConfiguration()
        configuration.features = features
        engine = Engine(configuration: configuration)
        store = Store(engine: engine)
        linker = Linker(engine: engine)
        try Spectest.define(in: linker, store: store)
    }

    /// Runs every command of a script file's text; a script that cannot be parsed is one failure.
    public static func run(text: String, file: String, features: FeatureSet = .default) -> WastFileResult {
        var result = WastFileResult(file: file)
        let script: WastScript
        do {
            script = try WastScript.parse(text)
        } catch {
            result.outcomes.append((0, .failed("script does not parse: \(error)")))
            return result
        }
        do {
            let runner = try WastRunner(features: features)
            for command in script.commands {
                result.outcomes.append((command.line, runner.execute(command.kind)))
            }
        } catch {
            result.outcomes.append((0, .failed("spectest host module: \(error)")))
        }
        return result
    }

    /// Runs one script command in this runner's store, with the modules and registrations of the
    /// ones before it. Never throws: what goes wrong is a `.failed` outcome with a message.
    public func execute(_ command: WastCommandKind) -> WastOutcome {
        switch command {
        case .module(let module):
            do {
                try define(module)
                return .passed
            } catch {
                return .failed("module failed to load: \(error)")
            }
        case .moduleDefinition(let module):
            do {
                let compiled = try compile(module)
                lastDefinition = compiled
                if let name = module.name { definitions[name] = compiled }
                return .passed
            } catch {
                return .failed("module definition failed to load: \(error)")
            }
        case .moduleInstance(let instanceName, let definitionName):
            guard let compiled = definitionName.map({ definitions[$0] }) ?? lastDefinition else {
                return .failed("module instance: unknown definition \(definitionName ?? "(last)")")
            }
            do {
                let instance = try linker.instantiate(compiled, in: store)
                current = instance
                if let instanceName { named[instanceName] = instance }
                return .passed
            } catch {
                return .failed("module instance failed: \(error)")
            }
        case .register(let name, let moduleName):
            guard let instance = moduleName.map({ named[$0] }) ?? current else {
                return .failed("register: unknown module \(moduleName ?? "(current)")")
            }
            linker.define(instance: instance, as: name)
            return .passed
        case .action(let action):
            do {
                _ = try perform(action)
                return .passed
            } catch {
                return .failed("action failed: \(error)")
            }
        case .assertReturn(let action, let expected):
            return assertReturn(action, expected)
        case .assertTrap(let action, let message):
            return expectTrap(message) { _ = try perform(action) }
        case .assertTrapModule(let module, let message):
            return expectTrap(message) { try define(module) }
        case .assertExhaustion(let action, let message):
            return expectTrap(message) { _ = try perform(action) }
        case .assertInvalid(let module, let message):
            return expectLoadFailure(module, message, kind: "invalid")
        case .assertMalformed(let module, let message):
            return expectLoadFailure(module, message, kind: "malformed")
        case .assertUnlinkable(let module, let message):
            do {
                let compiled = try compile(module)
                _ = try linker.instantiate(compiled, in: store)
                return .failed("expected unlinkable (\(message)), but the module instantiated")
            } catch let error as HearthError where error.kind == .link {
                return error.message.hasPrefix(message)
                    ? .passed : .failed("expected unlinkable (\(message)), got: \(error.message)")
            } catch {
                return .failed("expected unlinkable (\(message)), got: \(error)")
            }
        case .assertUninstantiable(let module, let message):
            return expectTrap(message) { try define(module) }
        case .assertException(let action):
            return expectException { _ = try perform(action) }
        }
    }

    // MARK: Modules

    private func compile(_ module: WastModule) throws -> CompiledModule {
        try CompiledModule(engine: engine, bytes: try module.encode(features: features))
    }

    private func define(_ module: WastModule) throws {
        let compiled = try compile(module)
        let instance = try linker.instantiate(compiled, in: store)
        current = instance
        if let name = module.name { named[name] = instance }
    }

    private func expectLoadFailure(_ module: WastModule, _ message: String, kind: String) -> WastOutcome {
        do {
            _ = try compile(module)
            return .failed("expected \(kind) module (\(message)), but it loaded")
        } catch {
            let actual = Self.message(of: error)
            return Self.messageMatches(actual, message)
                ? .passed : .failed("expected \(kind) module (\(message)), rejected with: \(actual)")
        }
    }

    /// Whether a load error's message is the script's: a prefix match, or the script's message
    /// is ours followed by the legacy reference interpreter's details ("type mismatch:
    /// instruction requires [i32] but stack has []", in the exception-handling scripts).
    static func messageMatches(_ actual: String, _ expected: String) -> Bool {
        actual.hasPrefix(expected) || (!actual.isEmpty && expected.hasPrefix(actual + ": "))
    }

    /// The bare message of a load error, without offsets, for comparing with the script's text.
    static func message(of error: Error) -> String {
        switch error {
        case let e as HearthError: return e.message
        default: return "\(error)"
        }
    }

    // MARK: Actions

    private func instance(_ name: String?) throws -> Instance {
        if let name {
            guard let instance = named[name] else { throw WastError("unknown module \(name)") }
            return instance
        }
        guard let current else { throw WastError("no module defined") }
        return current
    }

    private func perform(_ action: WastAction) throws -> [Value] {
        switch action {
        case .invoke(let module, let name, let arguments):
            guard let function = try instance(module).function(name) else {
                throw WastError("no exported function \"\(name)\"")
            }
            return try function.invoke(try arguments.map(Self.value(of:)))
        case .get(let module, let name):
            guard let global = try instance(module).global(name) else {
                throw WastError("no exported global \"\(name)\"")
            }
            return [global.value]
        }
    }

    private func assertReturn(_ action: WastAction, _ expected: [WastExpected]) -> WastOutcome {
        let actual: [Value]
        do {
            actual = try perform(action)
        } catch {
            return .failed("expected a return, got: \(error)")
        }
        guard actual.count == expected.count else {
            return .failed("expected \(expected.count) results, got \(actual)")
        }
        for (value, expectation) in zip(actual, expected) where !Self.matches(value, expectation) {
            return .failed("expected \(expected), got \(actual)")
        }
        return .passed
    }

    private func expectTrap(_ message: String, _ body: () throws -> Void) -> WastOutcome {
        do {
            try body()
            return .failed("expected trap \"\(message)\", but it succeeded")
        } catch let trap as HearthError where trap.kind == .trap {
            return trap.message.hasPrefix(message) || message.hasPrefix(trap.message)
                ? .passed : .failed("expected trap \"\(message)\", got trap \"\(trap.message)\"")
        } catch {
            return .failed("expected trap \"\(message)\", got error: \(error)")
        }
    }

    /// `assert_exception`: a trap that carries an uncaught exception.
    private func expectException(_ body: () throws -> Void) -> WastOutcome {
        do {
            try body()
            return .failed("expected an exception, but it succeeded")
        } catch let trap as HearthError where trap.trap == .uncaughtException && trap.exception != nil {
            return .passed
        } catch {
            return .failed("expected an exception, got: \(error)")
        }
    }

    // MARK: Values

    static func value(of value: WastValue) throws -> Value {
        switch value {
        case .i32(let v): return .i32(v)
        case .i64(let v): return .i64(v)
        case .f32(let v): return .f32(v)
        case .f64(let v): return .f64(v)
        case .v128(let bytes): return .v128(vectorValue(bytes))
        case .refNull(let heapType): return .ref(.null(heapType))
        case .refExtern(let handle): return .ref(.extern(UInt64(handle)))
        case .refFunc: throw WastError("unsupported: ref.func arguments in scripts")
        }
    }

    static func matches(_ value: Value, _ expected: WastExpected) -> Bool {
        switch expected {
        case .value(let wanted):
            switch (value, wanted) {
            case (.i32(let a), .i32(let b)): return a == b
            case (.i64(let a), .i64(let b)): return a == b
            case (.f32(let a), .f32(let b)): return a == b
            case (.f64(let a), .f64(let b)): return a == b
            case (.ref(.null), .refNull): return true
            case (.ref(.extern(let a)), .refExtern(let b)): return a == UInt64(b)
            case (.ref(.function), .refFunc): return true
            case (.v128(let a), .v128(let b)): return a == vectorValue(b)
            default: return false
            }
        case .f32NaN(let kind):
            guard case .f32(let bits) = value, bits & 0x7F80_0000 == 0x7F80_0000, bits & 0x007F_FFFF != 0 else { return false }
            return kind == .canonical ? bits & 0x7FFF_FFFF == 0x7FC0_0000 : bits & 0x0040_0000 != 0
        case .f64NaN(let kind):
            guard case .f64(let bits) = value, bits & 0x7FF0_0000_0000_0000 == 0x7FF0_0000_0000_0000,
                  bits & 0x000F_FFFF_FFFF_FFFF != 0 else { return false }
            return kind == .canonical
                ? bits & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000
                : bits & 0x0008_0000_0000_0000 != 0
        case .refNull:
            if case .ref(.null) = value { return true }
            return false
        case .refExtern(let handle):
            // Any non-null reference read as `externref` (an externalized `i31` or object too).
            guard let handle else { if case .ref(let r) = value { return !r.isNull }; return false }
            guard case .ref(.extern(let actual)) = value else { return false }
            return UInt64(handle) == actual
        case .refFunc:
            if case .ref(.function) = value { return true }
            return false
        case .refOf(let heap):
            guard case .ref(let r) = value else { return false }
            switch (heap, r) {
            case (.structure, .object(let o)): return !o.isArray
            case (.array, .object(let o)): return o.isArray
            case (.i31, .i31), (.eq, .i31), (.eq, .object), (.any, .i31), (.any, .object), (.any, .extern): return true
            default: return false
            }
        case .either(let options):
            return options.contains { matches(value, $0) }
        case .v128Lanes(let shape, let lanes):
            guard case .v128(let vector) = value else { return false }
            return vectorMatches(vector, shape, lanes)
        default:
            return false
        }
    }
}

/// A script that asks for something the runner cannot do.
struct WastError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
