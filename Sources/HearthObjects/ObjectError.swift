import HearthSQLite

/// Errors of the durable-object host (storage engine errors arrive as `SQLiteError`).
public enum ObjectError: Error, Equatable, CustomStringConvertible {
    /// A string that is not 64 hex digits was offered as an object id.
    case invalidObjectID(String)
    /// A key-value key longer than the configured limit.
    case keyTooLarge(bytes: Int, limit: Int)
    /// The output gate dropped a response: a write of its turn failed, so the object's
    /// in-memory state was reset and none of the turn's writes were committed.
    case writeFailed(SQLiteError)
    /// The namespace was closed; no new events are accepted.
    case namespaceClosed
    /// The namespace's data folder is already open, in this process or another (one live
    /// object per id on the machine).
    case directoryInUse(String)
    /// `SQLCursor.one()` found a number of rows other than one.
    case expectedOneRow(found: Int)
    /// The handler does not implement an optional event (message starts with "unsupported: ").
    case unsupported(String)
    /// The event's caller stopped waiting (`EventDeadline`) before it could run or commit: it
    /// left no trace.
    case deadlineExceeded
    /// The object was deleted; an event that still reached this instance of it is refused
    /// (a new lookup by name or id gets a new, empty object).
    case deleted
    /// A `blockConcurrencyWhile` ran past `ObjectConfiguration.blockConcurrencyTimeout`: it was
    /// abandoned, its writes rolled back, the object reset; or a body resumed after that used
    /// storage of its abandoned turn.
    case turnAbandoned
    /// A batch key-value call named more keys than `StorageLimits.maxBatchKeys` (workerd: 128).
    case tooManyKeys(Int, limit: Int)
    /// A storage call was given arguments it cannot take together, or at the wrong moment.
    case invalidStorageCall(String)
    /// Too many events already wait for the object's input gate
    /// (`ObjectConfiguration.maxQueuedEvents`): refused without running.
    case overloaded(queued: Int)

    public var description: String {
        switch self {
        case .invalidObjectID(let text): return "invalid object id \"\(text)\": expected 64 hex digits"
        case .keyTooLarge(let bytes, let limit): return "key of \(bytes) bytes exceeds the \(limit)-byte limit"
        case .writeFailed(let error): return "write failed, response dropped and object reset: \(error)"
        case .namespaceClosed: return "the object namespace is closed"
        case .directoryInUse(let path): return "the object data folder \(path) is already open (by this process or another)"
        case .expectedOneRow(let found): return "expected exactly one row, found \(found)"
        case .unsupported(let what): return "unsupported: \(what)"
        case .deleted: return "the object was deleted"
        case .tooManyKeys(let count, let limit): return "\(count) keys in one call, more than the \(limit) allowed"
        case .invalidStorageCall(let what): return what
        case .turnAbandoned: return "blockConcurrencyWhile ran past its timeout: abandoned, its writes rolled back"
        case .deadlineExceeded: return "the event's deadline passed before it committed: it left no trace"
        case .overloaded(let queued): return "the object is overloaded: \(queued) events already wait for it"
        }
    }
}
