import Foundation
import HearthSQLite

/// The persisted alarm row: the time it was set for, how many failed deliveries preceded it,
/// and when the next attempt is due if that is not the set time (a retry).
struct AlarmRecord: Equatable {
    var scheduled: Date
    var retryCount: Int
    var retryAt: Date? = nil

    /// When it is to be delivered next.
    var due: Date { retryAt ?? scheduled }
}

/// The object's single alarm, stored in its own database so setting it commits with the turn.
/// The object mirrors it into the namespace's alarm index after the turn (see `DurableObject`).
extension ObjectStorage {
    /// Schedules the alarm (replacing any previous one); a time in the past fires promptly.
    public func setAlarm(at date: Date) throws {
        try writeAlarmRecord(AlarmRecord(scheduled: date, retryCount: 0))
        connection.alarmChangedThisTurn = true
    }

    /// The time the alarm is set for, or nil. Inside `alarm()` the alarm being delivered reads
    /// as nil unless the handler sets a new one (as in workerd); during retries it stays the
    /// time it was set for.
    public func getAlarm() throws -> Date? {
        if connection.inAlarmHandler && !connection.alarmChangedThisTurn { return nil }
        return try alarmRecord()?.scheduled
    }

    /// Cancels the alarm.
    public func deleteAlarm() throws {
        try removeAlarmRecord()
        connection.alarmChangedThisTurn = true
    }

    func alarmRecord() throws -> AlarmRecord? {
        let rows = try connection.run { try $0.query("SELECT scheduled_ms, retry_count, retry_at_ms FROM _hearth_alarm") }
        guard let row = rows.first, let ms = row[0].int64Value else { return nil }
        return AlarmRecord(scheduled: Date(milliseconds: ms), retryCount: Int(row[1].int64Value ?? 0),
                           retryAt: row[2].int64Value.map(Date.init(milliseconds:)))
    }

    func writeAlarmRecord(_ record: AlarmRecord) throws {
        connection.alarmTouched = true
        try connection.run {
            try $0.query("INSERT OR REPLACE INTO _hearth_alarm (singleton, scheduled_ms, retry_count, retry_at_ms) VALUES (0, ?, ?, ?)",
                         [.integer(record.scheduled.milliseconds), .integer(Int64(record.retryCount)),
                          record.retryAt.map { .integer($0.milliseconds) } ?? .null])
        }
    }

    func removeAlarmRecord() throws {
        connection.alarmTouched = true
        try connection.run { try $0.exec("DELETE FROM _hearth_alarm") }
    }
}

extension Date {
    /// Whole milliseconds since 1970, rounded down so a stored time is never later than asked.
    package var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
    package init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
