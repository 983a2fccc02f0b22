import Foundation

/// A function deployed to the bridge through `invoke`: its assembly bytes (kept so a replaced
/// instance can reload them) and what the current instance has made of them.
struct DeployedFunction {
    var assemblyData: [UInt8]
    var assembly: AssemblyHandle?
    var delegates: [String: DelegateHandle] = [:]
    var lastInvoked: Date?
    var invocationCount = 0
}

/// The outcome of `RuntimeBridge.invoke`, with what the owner should persist.
public struct Invocation {
    /// The delegate's JSON result, or why there is none.
    public var outcome: Result<JSONValue, BridgeError>
    /// New assembly bytes were loaded (the owner stores the new function version).
    public var loadedAssembly: Bool
    /// A delegate was compiled for this call (the owner may record it in `compiled_delegates`).
    public var compiledDelegate: DelegateHandle?
    /// The call trapped and the instance will be replaced: snapshots taken before stay valid,
    /// but the live instance's state is gone.
    public var poisonedInstance: Bool

    /// `{"success":true,"result":...}` or `{"success":false,"error":"..."}`.
    public var response: JSONValue {
        switch outcome {
        case .success(let value): return .object([("success", .bool(true)), ("result", value)])
        case .failure(let error): return .object([("success", .bool(false)), ("error", .string(error.description))])
        }
    }
}

extension RuntimeBridge {
    /// Invokes `entryPoint` of function `functionId` on `args`. With `assemblyData`, those bytes
    /// become the function's assembly (loaded now, invalidating its cached delegates); without,
    /// the assembly already deployed here (or from `assemblyProvider`) is used. Delegates are
    /// cached per (function, entry point). Never throws: failures are in the result.
    public func invoke(functionId: String, entryPoint: String, args: JSONValue,
                       assemblyData: [UInt8]? = nil, now: Date = Date()) -> Invocation {
        var invocation = Invocation(outcome: .failure(.unknownFunction(functionId)), loadedAssembly: false,
                                    compiledDelegate: nil, poisonedInstance: false)
        do {
            try ensureUsableInstance()
            // One deadline and fuel budget for the whole invocation, not one per export call.
            invocation.outcome = .success(try guest.withLimits {
                var function = try prepare(functionId: functionId, entryPoint: entryPoint, assemblyData: assemblyData,
                                           invocation: &invocation)
                let delegate = function.delegates[entryPoint]!
                function.lastInvoked = now
                function.invocationCount += 1
                functions[functionId] = function
                return try execute(delegate, args: args)
            })
        } catch let error as BridgeError {
            invocation.outcome = .failure(error)
        } catch {
            invocation.outcome = .failure(.hostFailure(export: "invoke", message: "\(error)"))
        }
        invocation.poisonedInstance = instanceIsPoisoned
        return invocation
    }

    /// Deploys `assemblyData` as function `functionId` and compiles `entryPoint` without
    /// running it, so a later `invoke` finds the delegate ready. Throws what loading or
    /// compiling reported.
    @discardableResult
    public func deploy(functionId: String, entryPoint: String, assemblyData: [UInt8]) throws -> Invocation {
        var invocation = Invocation(outcome: .success(.null), loadedAssembly: false, compiledDelegate: nil, poisonedInstance: false)
        let function = try prepare(functionId: functionId, entryPoint: entryPoint, assemblyData: assemblyData, invocation: &invocation)
        functions[functionId] = function
        return invocation
    }

    /// Makes sure the function's assembly is loaded and `entryPoint` compiled in the current
    /// instance, recording what was done in `invocation`; answers the updated record (the
    /// caller stores it back).
    private func prepare(functionId: String, entryPoint: String, assemblyData: [UInt8]?,
                         invocation: inout Invocation) throws -> DeployedFunction {
        try ensureUsableInstance()
        // A new version replaces the loaded one: the old assembly is unloaded once the new one
        // loaded and compiled (a version that does not load leaves the working one in place).
        var replaced: AssemblyHandle?
        if let assemblyData {
            replaced = functions[functionId]?.assembly
            functions[functionId] = DeployedFunction(assemblyData: assemblyData, assembly: nil)
        } else if functions[functionId] == nil {
            guard let provided = try assemblyProvider?(functionId) else { throw BridgeError.unknownFunction(functionId) }
            functions[functionId] = DeployedFunction(assemblyData: provided, assembly: nil)
        }
        var function = functions[functionId]!
        let assembly: AssemblyHandle
        if let loaded = function.assembly {
            assembly = loaded
        } else {
            assembly = try loadAssembly(function.assemblyData)
            function.assembly = assembly
            functions[functionId] = function
            invocation.loadedAssembly = assemblyData != nil
        }
        if function.delegates[entryPoint] == nil {
            let delegate = try compileDelegate(assembly, entryPoint: entryPoint)
            function.delegates[entryPoint] = delegate
            invocation.compiledDelegate = delegate
        }
        if let replaced { try unloadAssembly(replaced) }
        return function
    }

    /// How often `invoke` ran each function in this bridge's lifetime, and when last.
    public func statistics(of functionId: String) -> (invocations: Int, lastInvoked: Date?)? {
        functions[functionId].map { ($0.invocationCount, $0.lastInvoked) }
    }

    /// Forgets the cached delegates of functions not invoked since `cutoff` (the maintenance
    /// alarm's sweep); returns their ids. Their assemblies stay loaded: a later invoke only
    /// compiles again.
    @discardableResult
    public func dropDelegates(notInvokedSince cutoff: Date) -> [String] {
        var dropped: [String] = []
        for (id, function) in functions where !function.delegates.isEmpty && (function.lastInvoked ?? .distantPast) < cutoff {
            functions[id]?.delegates = [:]
            dropped.append(id)
        }
        return dropped.sorted()
    }

    /// Forgets the cached delegates of the given functions (the owner decided from its own,
    /// durable invocation records); their assemblies stay loaded.
    public func dropDelegates(of functionIds: [String]) {
        for id in functionIds { functions[id]?.delegates = [:] }
    }

    /// Number of delegates cached in the current instance.
    public var cachedDelegateCount: Int { functions.values.reduce(0) { $0 + $1.delegates.count } }

    /// Forgets a function entirely (deleted by its owner), unloading its assembly.
    public func removeFunction(_ functionId: String) throws {
        let assembly = functions[functionId]?.assembly
        functions[functionId] = nil
        if let assembly { try unloadAssembly(assembly) }
    }
}
