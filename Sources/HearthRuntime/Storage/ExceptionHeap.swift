/// The store's exception objects: what `throw` creates and an `exnref` points at.
///
/// They are objects of the store's `GCHeap` (so collected like structs and arrays): an
/// array-shaped object of words `[tag cell address, payload slots...]` whose words are traced
/// conservatively (a payload may hold references). The `exnref` word is the object's address.
/// This is the one allocation API for exceptions; nothing else creates one.
final class ExceptionHeap {
    /// The exception that left the outermost Wasm frame of a host->Wasm call, while the
    /// machine unwinds to `Store.invoke` (0 when none). A root of the heap.
    var pending: UInt64 = 0
    /// The handler table of each translated function that has one, by function record.
    var handlerTables: [UnsafeMutablePointer<FunctionRecord>: HandlerTable] = [:]
    /// The type every exception object has: no Wasm type, so no cast ever matches it.
    let objectType: UnsafeMutablePointer<RuntimeType>

    init() {
        let fields = UnsafeMutablePointer<FieldLayout>.allocate(capacity: 1)
        fields.initialize(to: FieldLayout(offset: 0, kind: .reference))
        let ancestors = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        ancestors.initialize(to: -1)
        objectType = .allocate(capacity: 1)
        objectType.initialize(to: RuntimeType(id: -1, kind: .array, ancestorCount: 1, ancestors: ancestors,
                                              fields: fields, fieldCount: 1, payloadBytes: 0))
    }

    deinit {
        objectType.pointee.fields.deallocate()
        objectType.pointee.ancestors.deallocate()
        objectType.deallocate()
    }

    /// A new exception of `tag` whose payload is a copy of `slots` words at `payload`, made
    /// from guest code (`throw`): the heap may collect first, with the value stack live up to
    /// the payload's end. Nil after raising a trap.
    func allocate(tag: UnsafeMutablePointer<TagCell>, payload: UnsafePointer<UInt64>, slots: Int, _ st: ST) -> UInt64? {
        guard let object = allocateObject(st, objectType, payloadBytes: (1 + slots) * 8, length: UInt32(1 + slots),
                                          scanTop: UnsafeMutablePointer(mutating: payload + slots)) else { return nil }
        let words = (object + ObjectLayout.headerBytes).assumingMemoryBound(to: UInt64.self)
        words[0] = UInt64(UInt(bitPattern: tag))
        (words + 1).update(from: payload, count: slots)
        return UInt64(UInt(bitPattern: object))
    }

    /// The tag an exception was thrown with.
    static func tag(_ exception: UInt64) -> UnsafeMutablePointer<TagCell> {
        UnsafeMutablePointer<TagCell>(bitPattern: UInt(words(exception)[0])).unsafelyUnwrapped
    }

    /// The payload's slot words.
    static func payload(_ exception: UInt64) -> UnsafeBufferPointer<UInt64> {
        let object = UnsafeMutableRawPointer(bitPattern: UInt(exception)).unsafelyUnwrapped
        let length = Int(object.load(fromByteOffset: 8, as: UInt64.self) & 0xFFFF_FFFF)
        return UnsafeBufferPointer(start: words(exception) + 1, count: length - 1)
    }

    /// The object's words after its header: the tag, then the payload.
    private static func words(_ exception: UInt64) -> UnsafeMutablePointer<UInt64> {
        (UnsafeMutableRawPointer(bitPattern: UInt(exception)).unsafelyUnwrapped + ObjectLayout.headerBytes)
            .assumingMemoryBound(to: UInt64.self)
    }
}
