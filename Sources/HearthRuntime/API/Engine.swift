import HearthBinary

/// Settings shared by every store of an engine.
public struct EngineConfiguration: Sendable {
    /// The WebAssembly features modules may use (WebAssembly 3.0 by default).
    public var features: FeatureSet = .default
    /// Deepest Wasm call nesting before "call stack exhausted" (at most `callDepthLimit`).
    public var maxCallDepth: Int = 10_000
    /// Size of each store's value stack in 8-byte slots (frames of all active calls; at most
    /// `valueStackSlotLimit`).
    public var valueStackSlots: Int = 1 << 21

    /// The most `maxCallDepth` can be: each level reserves a control entry in every store.
    public static let callDepthLimit = 1_000_000
    /// The most `valueStackSlots` can be (512 MiB of stack per store, reserved lazily).
    public static let valueStackSlotLimit = 1 << 26
    /// A cap on every linear memory created in this engine's stores, in 64 KiB pages (nil: the
    /// module's own maximum, at most 4 GiB). `memory.grow` past it returns -1, as the spec lets a
    /// host do; a module whose minimum exceeds it does not instantiate. The same number of
    /// bytes caps each store's GC heap (struct and array objects, 4 GiB when nil): an allocation
    /// past it, after a collection, traps with "GC heap out of memory".
    public var maxMemoryPages: Int?
    /// Caps on what a module may declare (types, parameters, struct fields, locals, subtype
    /// depth), checked before anything is allocated for them; wasmparser's by default.
    public var moduleLimits = ModuleLimits.default

    /// The defaults: WebAssembly 3.0, 10,000 calls deep, 16 MiB of value stack, no memory cap.
    public init() {}
}

/// The shared, store-independent part of the runtime: configuration and the type registry
/// that makes `call_indirect` type checks a single integer compare.
public final class Engine: Sendable {
    /// The settings every store of this engine runs under.
    public let configuration: EngineConfiguration
    /// Every defined type of every module compiled in this engine, canonicalized.
    let types = TypeRegistry()

    /// An engine with `configuration`; modules compiled for it can be instantiated in any of
    /// its stores.
    public init(configuration: EngineConfiguration = .init()) {
        self.configuration = configuration
    }

    /// The id of a function type on its own (a host function's), equal for equal types.
    func typeID(_ type: FunctionType) -> Int { types.register(type) }
}
