import Foundation
import HearthSQLite

/// The persisted alarm row: when it is due and how many failed deliveries preceded it.
struct AlarmRecord: Equatable {
    var scheduled: Date
    var retryCount: Int
}

/// The object's single alarm, stored in its own database so setting it commits with the turn.
/// The object mirrors it into the namespace's alarm index after the turn (see `DurableObject`).
extension ObjectStorage {
    /// Schedules the alarm (replacing any previous one); a time in the past fires promptly.
    public func setAlarm(at date: Date) throws {
        try writeAlarmRecord(AlarmRecord(scheduled: date, retryCount: 0))
        connection.alarmChangedThisTurn = true
    }

    /// When the alarm is due, or nil.
    public func getAlarm() throws -> Date? { try alarmRecord()?.scheduled }

    /// Cancels the alarm.
    public func deleteAlarm() throws {
        try removeAlarmRecord()
        connection.alarmChangedThisTurn = true
    }

    func alarmRecord() throws -> AlarmRecord? {
        let rows = try connection.run { try $0.query("SELECT scheduled_ms, retry_count FROM _hearth_alarm") }
        guard let row = rows.first, let ms = row[0].int64Value else { return nil }
        return AlarmRecord(scheduled: Date(milliseconds: ms), retryCount: Int(row[1].int64Value ?? 0))
    }

    func writeAlarmRecord(_ record: AlarmRecord) throws {
        connection.alarmTouched = true
        try connection.run {
            try $0.query("INSERT OR REPLACE INTO _hearth_alarm (singleton, scheduled_ms, retry_count) VALUES (0, ?, ?)",
                         [.integer(record.scheduled.milliseconds), .integer(Int64(record.retryCount))])
        }
    }

    func removeAlarmRecord() throws {
        connection.alarmTouched = true
        try connection.run { try $0.exec("DELETE FROM _hearth_alarm") }
    }
}

extension Date {
    /// Whole milliseconds since 1970, rounded down so a stored time is never later than asked.
    var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
    init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
