/// A Wasm GC struct or array held by the host. While a handle exists, the object is a root of
/// its store's heap and is not collected.
public final class GCObject: Hashable {
    let store: Store
    let address: UInt

    init(store: Store, address: UInt) {
        self.store = store
        self.address = address
        store.heap.retainFromHost(address)
    }

    deinit { store.heap.releaseFromHost(address) }

    private var runtimeType: RuntimeType {
        UnsafeMutableRawPointer(bitPattern: address)!.load(as: UnsafeMutablePointer<RuntimeType>.self).pointee
    }

    var runtimeTypeID: Int { runtimeType.id }

    /// Whether this is an array (otherwise a struct).
    public var isArray: Bool { runtimeType.kind == .array }

    /// An array's length (0 for a struct).
    public var arrayLength: Int {
        isArray ? Int(UnsafeMutableRawPointer(bitPattern: address)!.load(fromByteOffset: 8, as: UInt64.self) & 0xFFFF_FFFF) : 0
    }

    public static func == (a: GCObject, b: GCObject) -> Bool { a.address == b.address }
    public func hash(into hasher: inout Hasher) { hasher.combine(address) }
}
