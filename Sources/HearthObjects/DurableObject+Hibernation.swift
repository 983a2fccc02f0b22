import Foundation

/// Idle hibernation and eviction: the in-memory state (the handler, and with it e.g. a Wasm
/// instance) is dropped and the database closed; the next event rebuilds the state.
extension DurableObject {
    /// Hibernates now, after any in-flight event. The handler's `willHibernate` runs first as a
    /// turn of its own, so whatever it persists is committed.
    public func hibernate() async {
        await gate.enter()
        defer { gate.leave() }
        guard !isDeleted else { return }
        if let current = handler, let token = try? beginTurn() {
            let outcome: Result<Void, any Error>
            do {
                outcome = .success(try await TurnContext.$current.withValue(token) { try await current.willHibernate(object: self) })
            } catch {
                outcome = .failure(error)
            }
            _ = try? await completeTurn(outcome)
            hibernations += 1
        }
        dropStateWithoutSaving()
        storage.connection.close()
    }

    /// Moves the idle deadline to `idleTimeout` from now. One waiting task per object serves
    /// every activity: when it wakes before the (moved) deadline it waits for the rest. (A task
    /// per event, each sleeping the whole timeout, kept ~90,000 sleeping tasks and 250 MB alive
    /// under 9,000 invokes a second.)
    func scheduleIdleTimer() {
        let deadline = host.configuration.clock.now().addingTimeInterval(host.configuration.idleTimeout)
        idleDeadline = deadline
        guard !idleTimerArmed else { return }
        idleTimerArmed = true
        waitForIdle(until: deadline)
    }

    private func waitForIdle(until deadline: Date) {
        let clock = host.configuration.clock
        Task { [weak self] in
            do {
                try await clock.sleep(until: deadline)
            } catch {
                await self?.idleWaitEnded(hibernate: false)
                return
            }
            await self?.idleWaitEnded(hibernate: true)
        }
    }

    private func idleWaitEnded(hibernate due: Bool) async {
        if due, let deadline = idleDeadline, host.configuration.clock.now() < deadline {
            waitForIdle(until: deadline)  // activity since this wait began
            return
        }
        idleTimerArmed = false
        guard due, !gate.isBusy, handler != nil || storage.connection.isOpen else { return }
        await hibernate()
    }
}
