import HearthRuntime

/// Why the bridge declined to take a warm snapshot (the owner simply keeps cold-starting).
public struct SnapshotSkipped: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "snapshot skipped: \(reason)" }
}

/// Warm snapshots of the runtime instance: its mutable state plus what the bridge knows about
/// the functions loaded into it, so a restored bridge reuses assemblies and delegates as-is.
extension RuntimeBridge {
    /// Captures the instance. Throws `SnapshotSkipped` when the state cannot be carried over
    /// (the last call trapped, or the guest holds WASI descriptors of its own, which a fresh WASI
    /// host would not have), and `SnapshotError` when the engine cannot capture it.
    public func warmSnapshot() throws -> (instance: InstanceSnapshot, functions: [CachedFunction]) {
        guard !instanceIsPoisoned else { throw SnapshotSkipped(reason: "the last call trapped; the instance is being replaced") }
        let opened = try guest.guestOpenedDescriptors()
        guard opened.isEmpty else {
            throw SnapshotSkipped(reason: "the guest has WASI descriptors open beyond stdio and preopens: \(opened)")
        }
        return (try guest.instance.snapshot(), cachedFunctions)
    }

    /// A bridge over a fresh instance of `module` brought to a snapshot's state instead of
    /// running `_initialize`; `functions` (saved with the snapshot) are adopted as loaded.
    public convenience init(module: CompiledModule, options: GuestOptions = .init(),
                            restoring snapshot: InstanceSnapshot, functions: [CachedFunction]) throws {
        try self.init(module: module, options: options, initialize: false)
        try guest.instance.restore(snapshot)
        adopt(functions)
    }
}
