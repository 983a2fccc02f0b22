import Foundation

/// Idle hibernation and eviction: the in-memory state (the handler, and with it e.g. a Wasm
/// instance) is dropped and the database closed; the next event rebuilds the state.
extension DurableObject {
    /// Hibernates now, after any in-flight event. The handler's `willHibernate` runs first as a
    /// turn of its own, so whatever it persists is committed.
    public func hibernate() async {
        await gate.enter()
        defer { gate.leave() }
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

    /// Arms the idle timer; any later event or timer supersedes it (generation check).
    func scheduleIdleTimer() {
        idleGeneration &+= 1
        let generation = idleGeneration
        let clock = host.configuration.clock
        let deadline = clock.now().addingTimeInterval(host.configuration.idleTimeout)
        Task { [weak self] in
            do { try await clock.sleep(until: deadline) } catch { return }
            await self?.hibernateIfIdle(generation: generation)
        }
    }

    private func hibernateIfIdle(generation: UInt64) async {
        guard generation == idleGeneration, !gate.isBusy, handler != nil || storage.connection.isOpen else { return }
        await hibernate()
    }
}
