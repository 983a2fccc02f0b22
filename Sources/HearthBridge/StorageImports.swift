import HearthBinary
import HearthRuntime

/// One request a guest makes through the `hearth` import module for its object's storage.
public enum GuestStorageCall {
    /// The JSON value stored under `key` (null when absent).
    case get(key: String)
    /// Stores a JSON value under `key`.
    case put(key: String, value: JSONValue)
    /// Deletes `key`; answers whether it existed.
    case delete(key: String)
    /// Entries in key order; `options` may hold prefix, start, end, reverse, limit.
    case list(options: JSONValue)
    /// Runs SQL with bound parameters (a JSON array); answers columns, rows and counters.
    case sql(query: String, parameters: [JSONValue])
    /// The object's alarm as `{"time": ms, "entryPoint": name}`, or null.
    case getAlarm
    /// Sets the alarm: at `time` (ms since 1970) the calling function's `entryPoint` is invoked
    /// with `[{"scheduledTime": ms, "retryCount": n}]`.
    case setAlarm(time: Double, entryPoint: String)
    /// Cancels the alarm.
    case deleteAlarm
    /// Opens a transaction nested in the invocation's turn (and in any open one).
    case beginTransaction
    /// Keeps the innermost open transaction's writes.
    case commitTransaction
    /// Undoes the innermost open transaction's writes.
    case rollbackTransaction
    /// The bookmark of the object's database as it will be when this invocation commits.
    case currentBookmark
    /// The bookmark of the database as it was at `time` (ms since 1970).
    case bookmarkForTime(Double)
    /// Restores the database to `bookmark` once this invocation commits; answers the bookmark
    /// that undoes it.
    case restoreBookmark(String)
}

/// Serves a guest's storage calls: answers the JSON result, or throws to report an error to
/// the guest. Called synchronously from inside the guest's call, so on the owner's executor.
public typealias GuestStorage = (GuestStorageCall) throws -> JSONValue

/// The `hearth` module: the guest's access to its durable object's storage.
///
///   kv_get(keyPtr, keyLen) -> block           kv_put(keyPtr, keyLen, jsonPtr, jsonLen) -> block
///   kv_delete(keyPtr, keyLen) -> block        kv_list(optionsPtr, optionsLen) -> block
///   sql_exec(sqlPtr, sqlLen, paramsPtr, paramsLen) -> block
///   alarm_get() -> block                      alarm_set(timeMs: f64, entryPtr, entryLen) -> block
///   alarm_delete() -> block
///   txn_begin() -> block                      txn_commit() -> block      txn_rollback() -> block
///   bookmark_current() -> block               bookmark_for_time(timeMs: f64) -> block
///   bookmark_restore(bookmarkPtr, bookmarkLen) -> block
///
/// A block is allocated with the guest's `malloc` like `js_fetch`'s (u32 length, then JSON) and
/// holds `{"ok":result}` or `{"error":"..."}`; 0 if `malloc` failed. It is always defined, so a
/// runtime importing it also instantiates outside an object: then every call answers an error.
struct StorageImports {
    static let moduleName = "hearth"
    let storage: GuestStorage?

    func define(in linker: Linker) {
        let pair: [ValueType] = [.i32, .i32]
        define(linker, "kv_get", pair) { caller, a in .get(key: try Self.text(caller, a, 0, "kv_get")) }
        define(linker, "kv_put", pair + pair) { caller, a in
            .put(key: try Self.text(caller, a, 0, "kv_put"), value: try Self.json(caller, a, 2, "kv_put"))
        }
        define(linker, "kv_delete", pair) { caller, a in .delete(key: try Self.text(caller, a, 0, "kv_delete")) }
        define(linker, "kv_list", pair) { caller, a in
            let bytes = try HostBuffers.read(caller, a, at: 0, import: "kv_list")
            return .list(options: bytes.isEmpty ? .object([]) : try Self.parse(bytes, "kv_list"))
        }
        define(linker, "sql_exec", pair + pair) { caller, a in
            let query = try Self.text(caller, a, 0, "sql_exec")
            let bytes = try HostBuffers.read(caller, a, at: 2, import: "sql_exec")
            if bytes.isEmpty { return .sql(query: query, parameters: []) }
            guard case .array(let parameters) = try Self.parse(bytes, "sql_exec") else {
                throw GuestRequestError(message: "sql_exec parameters must be a JSON array")
            }
            return .sql(query: query, parameters: parameters)
        }
        define(linker, "alarm_get", []) { _, _ in .getAlarm }
        define(linker, "alarm_set", [.f64] + pair) { caller, a in
            .setAlarm(time: try Self.time(a, 0, "alarm_set"), entryPoint: try Self.text(caller, a, 1, "alarm_set"))
        }
        define(linker, "alarm_delete", []) { _, _ in .deleteAlarm }
        define(linker, "txn_begin", []) { _, _ in .beginTransaction }
        define(linker, "txn_commit", []) { _, _ in .commitTransaction }
        define(linker, "txn_rollback", []) { _, _ in .rollbackTransaction }
        define(linker, "bookmark_current", []) { _, _ in .currentBookmark }
        define(linker, "bookmark_for_time", [.f64]) { _, a in .bookmarkForTime(try Self.time(a, 0, "bookmark_for_time")) }
        define(linker, "bookmark_restore", pair) { caller, a in .restoreBookmark(try Self.text(caller, a, 0, "bookmark_restore")) }
    }

    private static func time(_ frame: HostCallFrame, _ index: Int, _ name: String) throws -> Double {
        let ms = frame.f64(index)
        guard ms.isFinite else {
            throw GuestRequestError(message: "\(name): the time must be a finite number of milliseconds")
        }
        return ms
    }

    /// Defines one import: decode the request, serve it, copy the envelope into the guest. Bad
    /// requests and storage errors are answered to the guest; only a broken caller (no memory,
    /// out-of-range buffers) stops it.
    private func define(_ linker: Linker, _ name: String, _ parameters: [ValueType],
                        _ decode: @escaping (borrowing Caller, HostCallFrame) throws -> GuestStorageCall) {
        let storage = self.storage
        // Numbers only (pointers, lengths, times), so the arguments are read in the frame.
        try! linker.defineFrameFunction(module: Self.moduleName, name: name,
                                        type: FunctionType(parameters: parameters, results: [.i32])) { caller, frame in
            let answer: JSONValue
            do {
                let call = try decode(caller, frame)
                guard let storage else {
                    throw GuestRequestError(message: "storage is not available: the runtime is not running in a durable object")
                }
                answer = .object([("ok", try storage(call))])
            } catch let error as BridgeError {
                throw error
            } catch {
                answer = .object([("error", .string("\(error)"))])
            }
            frame.setI32(try HostBuffers.copyIntoGuest(answer.bytes, caller))
        }
    }

    private static func text(_ caller: borrowing Caller, _ frame: HostCallFrame, _ index: Int, _ name: String) throws -> String {
        let bytes = try HostBuffers.read(caller, frame, at: index, import: name)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw GuestRequestError(message: "\(name): the text is not valid UTF-8")
        }
        return text
    }

    private static func json(_ caller: borrowing Caller, _ frame: HostCallFrame, _ index: Int, _ name: String) throws -> JSONValue {
        try parse(try HostBuffers.read(caller, frame, at: index, import: name), name)
    }

    private static func parse(_ bytes: [UInt8], _ name: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw GuestRequestError(message: "\(name): invalid JSON: \(error)")
        }
    }
}

/// A storage request the guest got wrong; answered to it as `{"error": message}`.
public struct GuestRequestError: Error, CustomStringConvertible {
    /// What the guest got wrong, sent back to it as the `error`.
    public var message: String
    /// A refusal saying `message`.
    public init(message: String) { self.message = message }
    public var description: String { message }
}
