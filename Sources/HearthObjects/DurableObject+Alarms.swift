import Foundation

/// Alarm delivery. The alarm row is removed (or rescheduled for a retry) in the same turn as the
/// handler's writes, so a crash before that commit leaves the alarm in place to fire again:
/// delivery is at least once.
extension DurableObject {
    /// Called by the namespace's scheduler when the index says this object's alarm may be due.
    func deliverAlarm() async {
        guard !host.isClosed else { return }
        await gate.enter()
        defer {
            gate.leave()
            scheduleIdleTimer()
        }
        let now = host.configuration.clock.now()
        // A deleted object, or one whose database is gone: nothing to deliver, and opening it
        // would create the database anew.
        guard !isDeleted, storage.connection.databaseExists else {
            if !isDeleted { try? await host.scheduler.record(id, at: nil) }
            return
        }
        do {
            let token = try beginTurn()
            let outcome: Result<Void, any Error>
            do {
                outcome = .success(try await TurnContext.$current.withValue(token) { try await runAlarmIfDue(now: now) })
            } catch {
                outcome = .failure(error)
            }
            try await completeTurn(outcome)
        } catch {
            // The turn could not commit: the alarm row is unchanged on disk. Try again after the
            // base delay rather than spinning on an overdue alarm.
            await host.scheduler.remind(id, at: now.addingTimeInterval(host.configuration.alarmRetry.baseDelay))
        }
    }

    private func runAlarmIfDue(now: Date) async throws {
        // Whatever happens, the index is re-synchronised with the row after this turn.
        storage.connection.alarmTouched = true
        guard let record = try storage.alarmRecord(), record.scheduled <= now else { return }
        storage.connection.alarmChangedThisTurn = false
        do {
            let handler = try await residentHandler()
            try await handler.alarm(AlarmInvocation(scheduledTime: record.scheduled, retryCount: record.retryCount), object: self)
            if !storage.connection.alarmChangedThisTurn { try storage.removeAlarmRecord() }
        } catch {
            // A broken write fails the whole turn (and so the delivery) instead of being retried here.
            if let failure = storage.connection.failure { throw failure }
            // The handler scheduled its own next alarm: that choice wins over the retry.
            if storage.connection.alarmChangedThisTurn { return }
            let policy = host.configuration.alarmRetry
            if record.retryCount < policy.maxRetries {
                let next = now.addingTimeInterval(policy.delay(forRetry: record.retryCount))
                try storage.writeAlarmRecord(AlarmRecord(scheduled: next, retryCount: record.retryCount + 1))
            } else {
                try storage.removeAlarmRecord()
            }
        }
    }
}
