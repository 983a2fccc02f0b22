/// The store's exception objects: what `throw` creates and an `exnref` points at.
///
/// This is the one allocation API for exceptions, so that the garbage collector being built
/// for Wasm GC can take these objects over later (and collect them): today an exception lives
/// until its store is freed, since an `exnref` may be kept anywhere (locals, globals, tables)
/// and nothing traces them yet. Nothing else in the runtime allocates or frees one.
///
/// An object is raw words: `[tag cell address, payload slot count, payload slots...]`; the
/// `exnref` word is the object's address (never 0, so 0 stays null).
final class ExceptionHeap {
    private var objects: [UnsafeMutablePointer<UInt64>] = []
    /// The exception that left the outermost Wasm frame of a host->Wasm call, while the
    /// machine unwinds to `Store.invoke` (0 when none).
    var pending: UInt64 = 0
    /// The handler table of each translated function that has one, by function record.
    var handlerTables: [UnsafeMutablePointer<FunctionRecord>: HandlerTable] = [:]

    /// A new exception of `tag` whose payload is a copy of `slots` words at `payload`.
    func allocate(tag: UnsafeMutablePointer<TagCell>, payload: UnsafePointer<UInt64>, slots: Int) -> UInt64 {
        let object = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 + slots)
        object[0] = UInt64(UInt(bitPattern: tag))
        object[1] = UInt64(slots)
        (object + 2).initialize(from: payload, count: slots)
        objects.append(object)
        return UInt64(UInt(bitPattern: object))
    }

    /// The tag an exception was thrown with.
    static func tag(_ exception: UInt64) -> UnsafeMutablePointer<TagCell> {
        UnsafeMutablePointer<TagCell>(bitPattern: UInt(object(exception)[0])).unsafelyUnwrapped
    }

    /// The payload's slot words.
    static func payload(_ exception: UInt64) -> UnsafeBufferPointer<UInt64> {
        let o = object(exception)
        return UnsafeBufferPointer(start: o + 2, count: Int(o[1]))
    }

    private static func object(_ exception: UInt64) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutablePointer<UInt64>(bitPattern: UInt(exception)).unsafelyUnwrapped
    }

    deinit { for object in objects { object.deallocate() } }
}
