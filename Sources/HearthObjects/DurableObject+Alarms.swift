import Foundation

/// Alarm delivery. The alarm row is removed (or rescheduled for a retry) in the same turn as the
/// handler's writes, so a crash before that commit leaves the alarm in place to fire again:
/// delivery is at least once.
extension DurableObject {
    /// Called by the namespace's scheduler when the index says this object's alarm may be due.
    package func deliverAlarm() async {
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
            failedAlarmDeliveries = 0
        } catch {
            // The host could not deliver (the object could not be built, the turn did not
            // commit): the alarm row is unchanged on disk and no retry was spent. Try again,
            // backing off, rather than spinning on an overdue alarm.
            let delay = host.configuration.alarmRetry.deliveryRetryDelay(attempt: failedAlarmDeliveries)
            failedAlarmDeliveries += 1
            await host.scheduler.remind(id, at: now.addingTimeInterval(delay))
        }
    }

    private func runAlarmIfDue(now: Date) async throws {
        // Whatever happens, the index is re-synchronised with the row after this turn.
        storage.connection.alarmTouched = true
        guard let record = try storage.alarmRecord(), record.due <= now else { return }
        storage.connection.alarmChangedThisTurn = false
        // A handler that cannot be built is the host's failure, not the alarm's: thrown out of
        // the delivery, it spends no retry.
        let handler = try await residentHandler()
        storage.connection.inAlarmHandler = true
        defer { storage.connection.inAlarmHandler = false }
        do {
            try await handler.alarm(AlarmInvocation(scheduledTime: record.scheduled, retryCount: record.retryCount), object: self)
            if !storage.connection.alarmChangedThisTurn { try storage.removeAlarmRecord() }
        } catch {
            // A broken write fails the whole turn (and so the delivery) instead of being retried here.
            if let failure = storage.connection.failure { throw failure }
            // The handler scheduled its own next alarm: that choice wins over the retry.
            if storage.connection.alarmChangedThisTurn { return }
            let policy = host.configuration.alarmRetry
            if record.retryCount < policy.maxRetries {
                let next = now.addingTimeInterval(policy.jitteredDelay(forRetry: record.retryCount))
                try storage.writeAlarmRecord(AlarmRecord(scheduled: record.scheduled, retryCount: record.retryCount + 1, retryAt: next))
            } else {
                try storage.removeAlarmRecord()
            }
        }
    }
}
