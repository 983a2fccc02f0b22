import HearthBinary

/// A linear memory, usable from the host.
public final class Memory {
    let store: Store
    let entity: MemoryEntity

    init(store: Store, entity: MemoryEntity) {
        self.store = store
        self.entity = entity
    }

    /// A memory of `type` owned by `store`, for a host to define as an import.
    public convenience init(store: Store, type: MemoryType) throws {
        let entity = try MemoryEntity(type: type, cap: store.engine.configuration.maxMemoryPages)
        store.objects.append(entity)
        self.init(store: store, entity: entity)
    }

    /// The current type (minimum = current size in pages).
    public var type: MemoryType { entity.type }
    /// The memory's size in bytes.
    public var byteCount: Int { entity.cell.pointee.byteCount }
    /// The memory's size in pages (64 KiB unless its type says otherwise).
    public var pageCount: Int { entity.cell.pointee.pageCount }

    /// Grows by `pages`; returns the previous page count. Throws when the maximum is exceeded.
    @discardableResult
    public func grow(by pages: Int) throws -> Int {
        let old = entity.cell.pointee.grow(by: pages)
        if old < 0 { throw HearthError.trap(.hostError, "memory cannot grow by \(pages) pages") }
        return old
    }

    private func check(_ offset: Int, _ count: Int) throws {
        guard offset >= 0, count >= 0, offset <= byteCount - count else { throw HearthError.trap(.memoryOutOfBounds) }
    }

    /// Copies `count` bytes from `offset`; throws an out-of-bounds trap past the end.
    public func read(_ offset: Int, count: Int) throws -> [UInt8] {
        try check(offset, count)
        let start = entity.cell.pointee.base.assumingMemoryBound(to: UInt8.self) + offset
        return Array(UnsafeBufferPointer(start: start, count: count))
    }

    /// Copies `bytes` to `offset`; throws an out-of-bounds trap past the end.
    public func write(_ bytes: [UInt8], at offset: Int) throws {
        try check(offset, bytes.count)
        bytes.withUnsafeBytes { entity.cell.pointee.base.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// Little-endian load of an integer at `offset`.
    public func load<T: FixedWidthInteger>(_ offset: Int, as: T.Type = T.self) throws -> T {
        try check(offset, MemoryLayout<T>.size)
        return T(littleEndian: entity.cell.pointee.base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Little-endian store of an integer at `offset`.
    public func store<T: FixedWidthInteger>(_ value: T, at offset: Int) throws {
        try check(offset, MemoryLayout<T>.size)
        entity.cell.pointee.base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }

    /// Direct access to the current bytes. Do not keep the buffer: growing may change it.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: entity.cell.pointee.base, count: byteCount))
    }
}

/// A table of references, usable from the host.
public final class Table {
    let store: Store
    let entity: TableEntity

    init(store: Store, entity: TableEntity) {
        self.store = store
        self.entity = entity
    }

    /// A table of `type` owned by `store`, every element `initial`, for a host to define as an import.
    public convenience init(store: Store, type: TableType, initial: Reference) throws {
        let entity = try TableEntity(type: type, initial: store.checkedWord(of: initial, as: type.elementType))
        store.objects.append(entity)
        self.init(store: store, entity: entity)
    }

    /// The table's element type and limits.
    public var type: TableType { entity.type }
    /// The number of elements.
    public var size: Int { entity.cell.pointee.count }

    /// The element at `index`; throws an out-of-bounds trap past the end.
    public func get(_ index: Int) throws -> Reference {
        guard index >= 0, index < size else { throw HearthError.trap(.tableOutOfBounds) }
        return store.reference(of: entity.cell.pointee.elements[index], heapType: entity.cell.pointee.elementType.heapType)
    }

    /// Replaces the element at `index`; throws an out-of-bounds trap past the end, or a
    /// host-error trap when `value` does not match the element type.
    public func set(_ index: Int, _ value: Reference) throws {
        guard index >= 0, index < size else { throw HearthError.trap(.tableOutOfBounds) }
        entity.cell.pointee.elements[index] = try store.checkedWord(of: value, as: entity.cell.pointee.elementType)
    }

    /// Grows by `delta` elements set to `initial`; returns the previous size.
    @discardableResult
    public func grow(by delta: Int, initial: Reference) throws -> Int {
        let old = entity.cell.pointee.grow(by: delta, value: try store.checkedWord(of: initial, as: entity.cell.pointee.elementType))
        if old < 0 { throw HearthError.trap(.hostError, "table cannot grow by \(delta) elements") }
        return old
    }
}

/// A global variable, usable from the host.
public final class Global {
    let store: Store
    let entity: GlobalEntity

    init(store: Store, entity: GlobalEntity) {
        self.store = store
        self.entity = entity
    }

    /// A global of `type` owned by `store`, holding `value`, for a host to define as an import.
    public convenience init(store: Store, type: GlobalType, value: Value) throws {
        let entity = GlobalEntity(type: type, bits: 0)
        if case .ref = type.valueType { _ = try store.checkedWord(of: value, as: type.valueType) }
        store.write(value, to: entity.cell)
        store.objects.append(entity)
        self.init(store: store, entity: entity)
    }

    /// The global's value type and mutability.
    public var type: GlobalType { entity.type }

    /// The global's current value.
    public var value: Value { store.read(entity.type.valueType, from: entity.cell) }

    /// Sets the value; throws for an immutable global.
    public func set(_ value: Value) throws {
        guard entity.type.isMutable else { throw HearthError.trap(.hostError, "global is immutable") }
        if case .ref = entity.type.valueType { _ = try store.checkedWord(of: value, as: entity.type.valueType) }
        store.write(value, to: entity.cell)
    }
}
