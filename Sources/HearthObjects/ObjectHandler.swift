/// The behaviour of an object. A handler instance *is* the object's in-memory state: it is made
/// by the namespace's factory when the object wakes, lives while the object is resident, and is
/// dropped on hibernation, eviction or after a failed write; the next event builds a new one,
/// which reconstructs whatever it needs from storage. Every method runs isolated to the object,
/// so the handler reaches `object.storage` synchronously and needs no locking of its own.
public protocol ObjectHandler: AnyObject {
    /// A fetch-like event.
    func handle(_ request: ObjectRequest, object: isolated DurableObject) async throws -> ObjectResponse
    /// The object's alarm went off; throwing schedules a retry with exponential backoff.
    func alarm(_ invocation: AlarmInvocation, object: isolated DurableObject) async throws
    /// Called (inside a turn, so writes are committed) just before the state is dropped for
    /// hibernation or eviction; a bridge can persist a snapshot here.
    func willHibernate(object: isolated DurableObject) async throws
    /// Bytes of memory this state holds (e.g. a Wasm instance's linear memory), read after each
    /// event; the namespace evicts the least recently used objects when the total of all
    /// resident objects exceeds `ObjectConfiguration.maxResidentBytes`.
    var residentBytes: Int { get }
}

extension ObjectHandler {
    /// Handlers without an alarm throw `ObjectError.unsupported`, so an alarm set on their object
    /// fails like a throwing handler.
    public func alarm(_ invocation: AlarmInvocation, object: isolated DurableObject) async throws {
        throw ObjectError.unsupported("this object has no alarm handler")
    }

    /// Nothing to save: a handler that keeps everything in storage loses nothing when dropped.
    public func willHibernate(object: isolated DurableObject) async throws {}

    /// Reports no memory, so the object never counts toward `ObjectConfiguration.maxResidentBytes`.
    public var residentBytes: Int { 0 }
}

/// Builds an object's in-memory state when it wakes. Runs inside the waking event's turn, so
/// reads see committed storage and writes (e.g. schema setup) commit with that turn.
public typealias ObjectHandlerFactory = @Sendable (_ object: isolated DurableObject) async throws -> any ObjectHandler
