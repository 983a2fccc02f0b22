import Foundation
import HearthSQLite

/// The namespace's alarm index and timer. The index (its own small database) lists, per object,
/// a time no later than the object's alarm, so a restart finds every alarm without opening every
/// object database; the object's own row stays the authority and is re-checked at delivery.
actor AlarmScheduler {
    private let index: Database
    private let clock: any ObjectClock
    private var pending: [ObjectID: Date] = [:]
    private var timer: Task<Void, Never>?
    private var deliveries: [UInt64: Task<Void, Never>] = [:]
    private var deliverySerial: UInt64 = 0
    private var deliver: (@Sendable (ObjectID) async -> Void)?
    private var closed = false

    init(path: String, clock: any ObjectClock, synchronous: SynchronousMode) throws {
        index = try Database(path: path, configuration: DatabaseConfiguration(synchronous: synchronous))
        try index.exec("CREATE TABLE IF NOT EXISTS alarms (object_id TEXT PRIMARY KEY, scheduled_ms INTEGER NOT NULL) WITHOUT ROWID")
        self.clock = clock
    }

    /// Loads the index and starts the timer; overdue alarms fire right away (at boot).
    func start(deliver: @escaping @Sendable (ObjectID) async -> Void) throws {
        self.deliver = deliver
        for row in try index.query("SELECT object_id, scheduled_ms FROM alarms") {
            guard let text = row[0].stringValue, let id = try? ObjectID(hex: text), let ms = row[1].int64Value else { continue }
            pending[id] = Date(milliseconds: ms)
        }
        arm()
    }

    /// Ensures the index holds a time no later than `date` for `id` (before the object commits).
    func lowerBound(_ id: ObjectID, to date: Date) throws {
        try index.query("""
            INSERT INTO alarms (object_id, scheduled_ms) VALUES (?, ?)
            ON CONFLICT (object_id) DO UPDATE SET scheduled_ms = min(scheduled_ms, excluded.scheduled_ms)
            """, [.text(id.hex), .integer(date.milliseconds)])
        pending[id] = min(pending[id] ?? date, date)
        arm()
    }

    /// Sets the index to exactly the object's committed alarm (nil: none).
    func record(_ id: ObjectID, at date: Date?) throws {
        if let date {
            try index.query("INSERT OR REPLACE INTO alarms (object_id, scheduled_ms) VALUES (?, ?)",
                            [.text(id.hex), .integer(date.milliseconds)])
        } else {
            try index.query("DELETE FROM alarms WHERE object_id = ?", [.text(id.hex)])
        }
        pending[id] = date
        arm()
    }

    /// Wakes `id` again at `date` without touching the index (after a delivery that failed).
    func remind(_ id: ObjectID, at date: Date) {
        pending[id] = min(pending[id] ?? date, date)
        arm()
    }

    /// The in-memory schedule (for inspection).
    var scheduled: [ObjectID: Date] { pending }

    /// Stops the timer and waits for deliveries in progress.
    func close() async {
        closed = true
        timer?.cancel()
        timer = nil
        while let (serial, task) = deliveries.first {
            await task.value
            deliveries[serial] = nil
        }
        index.close()
    }

    private func arm() {
        timer?.cancel()
        timer = nil
        guard !closed, let next = pending.values.min() else { return }
        let clock = clock
        timer = Task { [weak self] in
            do { try await clock.sleep(until: next) } catch { return }
            await self?.fireDue()
        }
    }

    private func fireDue() {
        guard !closed, let deliver else { return }
        let now = clock.now()
        for id in pending.filter({ $0.value <= now }).keys.sorted() {
            pending[id] = nil
            deliverySerial += 1
            let serial = deliverySerial
            deliveries[serial] = Task { [weak self] in
                await deliver(id)
                await self?.finished(serial)
            }
        }
        arm()
    }

    private func finished(_ serial: UInt64) { deliveries[serial] = nil }
}
