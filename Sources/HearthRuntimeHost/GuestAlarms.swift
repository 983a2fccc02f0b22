import Foundation
import HearthObjects
import HearthSQLite

/// An alarm a guest set through the `hearth` imports: at `time`, `functionId`'s `entryPoint`
/// is invoked.
struct GuestAlarm: Equatable {
    var time: Date
    var functionId: String
    var entryPoint: String
}

/// A runtime object's one alarm serves two schedules: the host's maintenance sweep and the
/// guest's own alarm. Both are kept in `_hearth_schedule`; the object's alarm is set to the
/// earlier of the two, and the handler (`RuntimeObject.alarm`) runs whichever is due.
struct GuestAlarms {
    static let schema = """
        CREATE TABLE IF NOT EXISTS _hearth_schedule (name TEXT PRIMARY KEY, due_ms INTEGER NOT NULL,
            function_id TEXT, entry_point TEXT) WITHOUT ROWID
        """

    func guestAlarm(_ storage: ObjectStorage) throws -> GuestAlarm? {
        guard let row = try storage.internalQuery("SELECT due_ms, function_id, entry_point FROM _hearth_schedule WHERE name = 'guest'").first,
              let ms = row[0].int64Value, let function = row[1].stringValue, let entry = row[2].stringValue else { return nil }
        return GuestAlarm(time: Date(milliseconds: ms), functionId: function, entryPoint: entry)
    }

    func maintenanceDue(_ storage: ObjectStorage) throws -> Date? {
        try storage.internalQuery("SELECT due_ms FROM _hearth_schedule WHERE name = 'maintenance'").first?.first?.int64Value
            .map(Date.init(milliseconds:))
    }

    /// Sets (or with nil, removes) the guest's alarm and moves the object's alarm to match.
    func setGuestAlarm(_ alarm: GuestAlarm?, _ storage: ObjectStorage) throws {
        if let alarm {
            try storage.internalQuery("INSERT OR REPLACE INTO _hearth_schedule (name, due_ms, function_id, entry_point) VALUES ('guest', ?, ?, ?)",
                                      [.integer(alarm.time.milliseconds), .text(alarm.functionId), .text(alarm.entryPoint)])
        } else {
            try storage.internalQuery("DELETE FROM _hearth_schedule WHERE name = 'guest'")
        }
        try reschedule(storage)
    }

    /// Records when the next maintenance sweep is due and moves the object's alarm to match.
    func setMaintenance(at due: Date, _ storage: ObjectStorage) throws {
        try storage.internalQuery("INSERT OR REPLACE INTO _hearth_schedule (name, due_ms) VALUES ('maintenance', ?)", [.integer(due.milliseconds)])
        try reschedule(storage)
    }

    /// The object's alarm: the earlier of the two schedules.
    func reschedule(_ storage: ObjectStorage) throws {
        let due = try [maintenanceDue(storage), guestAlarm(storage)?.time].compactMap { $0 }.min()
        if let due { try storage.setAlarm(at: due) } else { try storage.deleteAlarm() }
    }
}
