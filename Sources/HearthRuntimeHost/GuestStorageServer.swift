import Foundation
import HearthBridge
import HearthObjects
import HearthSQLite

/// Serves a guest's `hearth` storage imports from its object's storage. Runs synchronously in
/// the guest's call, inside the current event (on a guest thread while the object's turn waits
/// for it, see `GuestThreads`), so the guest's writes join the turn and commit (or roll back)
/// with it, behind the output gate. Key-value values are JSON texts.
///
/// The guest's alarm and transactions belong to one invocation: `begin(function:)` names the
/// function an alarm set now will call, `end()` undoes transactions the guest left open.
final class GuestStorageServer {
    let storage: ObjectStorage
    /// Where the guest's alarm is kept and how it becomes the object's alarm.
    let alarms: GuestAlarms
    private var function: String?
    private var openTransactions: [String] = []

    init(storage: ObjectStorage, alarms: GuestAlarms) {
        self.storage = storage
        self.alarms = alarms
    }

    /// An invocation of `function` starts.
    func begin(function: String) {
        self.function = function
        openTransactions = []
    }

    /// The invocation ended: a transaction it did not commit is rolled back, innermost first.
    func end() {
        for name in openTransactions.reversed() { try? storage.connection.endSavepoint(name, commit: false) }
        openTransactions = []
        function = nil
    }

    func serve(_ call: GuestStorageCall) throws -> JSONValue {
        switch call {
        case .getAlarm:
            guard let alarm = try alarms.guestAlarm(storage) else { return .null }
            return .object([("time", .number(Double(alarm.time.milliseconds))), ("functionId", .string(alarm.functionId)),
                            ("entryPoint", .string(alarm.entryPoint))])
        case .setAlarm(let time, let entryPoint):
            guard let function else { throw GuestRequestError(message: "alarm_set: no invocation is running") }
            try alarms.setGuestAlarm(GuestAlarm(time: Date(milliseconds: Int64(time)), functionId: function, entryPoint: entryPoint), storage)
            return .bool(true)
        case .deleteAlarm:
            try alarms.setGuestAlarm(nil, storage)
            return .bool(true)
        case .beginTransaction:
            openTransactions.append(try storage.connection.beginSavepoint())
            return .bool(true)
        case .commitTransaction, .rollbackTransaction:
            guard let name = openTransactions.popLast() else { throw GuestRequestError(message: "no transaction is open") }
            if case .commitTransaction = call {
                try storage.connection.endSavepoint(name, commit: true)
            } else {
                try storage.connection.endSavepoint(name, commit: false)
            }
            return .bool(true)
        case .currentBookmark:
            return .string(try storage.currentBookmark())
        case .bookmarkForTime(let time):
            return .string(try storage.bookmark(for: Date(milliseconds: Int64(time))))
        case .restoreBookmark(let bookmark):
            return .string(try storage.onNextSessionRestoreBookmark(bookmark))
        case .get(let key):
            guard let bytes = try storage.get(key) else { return .null }
            return Self.json(bytes)
        case .put(let key, let value):
            try storage.put(key, value.bytes)
            return .bool(true)
        case .delete(let key):
            return .bool(try storage.delete(key))
        case .list(let options):
            let entries = try storage.list(start: options["start"]?.stringValue, end: options["end"]?.stringValue,
                                           prefix: options["prefix"]?.stringValue,
                                           reverse: options["reverse"] == .bool(true),
                                           limit: options["limit"]?.numberValue.map { Int($0) })
            return .array(entries.map { .object([("key", .string($0.key)), ("value", Self.json($0.value))]) })
        case .sql(let query, let parameters):
            let cursor = try storage.sql.exec(query, parameters: try parameters.map(Self.sqlValue))
            let rows: [JSONValue] = cursor.raw().map { row in
                .object(zip(cursor.columnNames, row).map { ($0, Self.json($1)) })
            }
            return .object([("columns", .array(cursor.columnNames.map { .string($0) })), ("rows", .array(rows)),
                            ("rowsRead", .number(Double(cursor.rowsRead))), ("rowsWritten", .number(Double(cursor.rowsWritten)))])
        }
    }

    /// Stored bytes as JSON: they are JSON when the guest wrote them; anything else (written
    /// by host code) comes back as a string.
    static func json(_ bytes: [UInt8]) -> JSONValue {
        (try? JSONValue.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
    }

    static func json(_ value: SQLValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .integer(let i): return .number(Double(i))
        case .real(let d): return .number(d)
        case .text(let s): return .string(s)
        case .blob(let b): return .string(Data(b).base64EncodedString())
        }
    }

    static func sqlValue(_ value: JSONValue) throws -> SQLValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .integer(b ? 1 : 0)
        case .number(let n): return n == n.rounded() && abs(n) < 9e15 ? .integer(Int64(n)) : .real(n)
        case .string(let s): return .text(s)
        case .array, .object: return .text(value.text)
        }
    }
}

extension JSONValue {
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var numberValue: Double? { if case .number(let n) = self { return n } else { return nil } }
}
