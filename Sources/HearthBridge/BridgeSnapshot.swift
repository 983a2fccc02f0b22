import HearthRuntime
import HearthWASI

/// Why the bridge declined to take a warm snapshot (the owner simply keeps cold-starting).
public struct SnapshotSkipped: Error, CustomStringConvertible {
    /// Why, e.g. the last call trapped or the guest holds a WASI descriptor that cannot be reopened.
    public var reason: String
    public var description: String { "snapshot skipped: \(reason)" }
}

/// A warm snapshot of the runtime: the instance's mutable state, the WASI state (descriptors
/// the guest opened, stdin position) and what the bridge knows about the functions loaded into
/// it, so a restored bridge reuses assemblies and delegates as they are.
public struct WarmSnapshot {
    /// The instance's mutable state: globals, tables and memories (by size only when the caller saves
    /// their pages as image files).
    public var instance: InstanceSnapshot
    /// The WASI state: the descriptors the guest opened itself, how far it read an in-memory stdin.
    public var wasi: WASIState
    /// The functions loaded in the instance with their guest-side ids, for `adopt` after a restore.
    public var functions: [CachedFunction]

    /// A snapshot of these parts, for an owner that stored them separately and reads them back.
    public init(instance: InstanceSnapshot, wasi: WASIState, functions: [CachedFunction]) {
        self.instance = instance
        self.wasi = wasi
        self.functions = functions
    }
}

extension RuntimeBridge {
    /// Captures the runtime. Throws `SnapshotSkipped` when the state cannot be carried over
    /// (the last call trapped, or the guest holds a descriptor that cannot be reopened, such as
    /// an accepted socket), and a `HearthError` (`snapshot`) when the engine cannot capture it.
    /// With `memoryContents: false` the memories are captured by size only, their pages being
    /// saved by the caller as image files.
    public func warmSnapshot(memoryContents: Bool = true) throws -> WarmSnapshot {
        guard !instanceIsPoisoned else { throw SnapshotSkipped(reason: "the last call trapped; the instance is being replaced") }
        let wasi: WASIState
        do {
            wasi = try guest.wasi.captureState()
        } catch let error as HearthError where error.kind == .snapshot {
            throw SnapshotSkipped(reason: "WASI state: \(error.message)")
        }
        return WarmSnapshot(instance: try guest.instance.snapshot(memoryContents: memoryContents), wasi: wasi,
                            functions: cachedFunctions)
    }

    /// A bridge over a fresh instance of `module` brought to a snapshot's state instead of
    /// running `_initialize`: memories, globals and tables, then the guest's WASI descriptors
    /// reopened under their numbers; `functions` (saved with the snapshot) are adopted as loaded.
    ///
    /// With `mapMemories`, the snapshot's memories are taken by size only and `mapMemories` gives
    /// them their contents (by mapping image files) before the WASI state is restored.
    public convenience init(module: CompiledModule, options: GuestOptions = .init(), restoring snapshot: WarmSnapshot,
                            mapMemories: ((Instance) throws -> Void)? = nil) throws {
        try self.init(module: module, options: options, initialize: false)
        try guest.instance.restore(snapshot.instance, memoryContents: mapMemories == nil)
        try mapMemories?(guest.instance)
        try guest.wasi.restoreState(snapshot.wasi)
        adopt(snapshot.functions)
    }
}
