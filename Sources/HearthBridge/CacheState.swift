/// What the bridge knows about one deployed function in the current instance, in a form the
/// owner can persist next to a warm snapshot and hand back with `adopt` after restoring it.
public struct CachedFunction: Equatable, Sendable {
    /// The id the function was deployed under.
    public var functionId: String
    /// The assembly's bytes, to load it again into an instance that does not hold it.
    public var assemblyData: [UInt8]
    /// The guest-side assembly id, if loaded in the snapshotted instance.
    public var assemblyId: Int32?
    /// Entry point -> guest-side delegate id.
    public var delegates: [String: Int32]

    /// A function's record as `cachedFunctions` makes it; `assemblyId` nil when it is not loaded.
    public init(functionId: String, assemblyData: [UInt8], assemblyId: Int32?, delegates: [String: Int32]) {
        self.functionId = functionId
        self.assemblyData = assemblyData
        self.assemblyId = assemblyId
        self.delegates = delegates
    }
}

extension RuntimeBridge {
    /// The deployed functions and their guest-side ids, sorted by function id.
    public var cachedFunctions: [CachedFunction] {
        functions.map { id, f in
            CachedFunction(functionId: id, assemblyData: f.assemblyData, assemblyId: f.assembly?.id,
                           delegates: f.delegates.mapValues(\.id))
        }.sorted { $0.functionId < $1.functionId }
    }

    /// Takes over functions whose assemblies and delegates already live in the guest's memory
    /// (restored from a snapshot of the instance that made them). The ids are trusted: they
    /// must come from `cachedFunctions` of a snapshot of this very runtime binary.
    public func adopt(_ cached: [CachedFunction]) {
        for entry in cached {
            var function = DeployedFunction(assemblyData: entry.assemblyData, assembly: nil)
            if let assemblyId = entry.assemblyId {
                let assembly = AssemblyHandle(id: assemblyId, generation: generation)
                function.assembly = assembly
                for (entryPoint, delegateId) in entry.delegates {
                    function.delegates[entryPoint] = DelegateHandle(id: delegateId, generation: generation,
                                                                    assembly: assembly, entryPoint: entryPoint)
                }
            }
            functions[entry.functionId] = function
        }
    }
}
