import Foundation
import HearthSQLite

/// A durable object: an actor that runs its events one at a time behind an input gate, wraps
/// each event in a storage transaction (its turn) and releases the event's result only after
/// that transaction is durable (the output gate). Its in-memory state is an `ObjectHandler`
/// built on demand by the namespace's factory and dropped on hibernation; storage persists.
///
/// The input gate is held for the whole event, including the handler's own awaits. Storage
/// calls never suspend (they are synchronous on this actor), so every await inside an event is
/// covered and no other event can observe or interleave with a half-done turn.
public actor DurableObject {
    /// The object's identity (derived from its namespace and name, or random); it also names the
    /// object's database file. Readable without entering the actor.
    public nonisolated let id: ObjectID
    /// The object's storage. Use it from inside events (handler methods, `blockConcurrencyWhile`).
    public let storage: ObjectStorage
    package nonisolated let host: ObjectHost
    let gate = InputGate()
    package var handler: (any ObjectHandler)?
    private var activeTurn: TurnToken?
    private var turnSerial: UInt64 = 0
    /// When the object hibernates unless something happens first, and whether a task waits for it.
    var idleDeadline: Date?
    var idleTimerArmed = false
    /// How many times the in-memory state was built (first wake, and after each hibernation or reset).
    public private(set) var stateConstructions = 0
    /// How many times the object hibernated with state loaded.
    public internal(set) var hibernations = 0
    /// Set by `delete`: every later event of this instance is refused.
    var isDeleted = false
    /// `blockConcurrencyWhile` turns given up at their timeout whose body has not returned yet.
    private var abandonedTurns: Set<TurnToken> = []
    /// Alarm deliveries in a row the host itself could not complete (not counted as retries).
    var failedAlarmDeliveries = 0

    init(id: ObjectID, host: ObjectHost) {
        self.id = id
        self.host = host
        let path = host.directory.appendingPathComponent(id.fileName).path
        let configuration = host.configuration
        let history = configuration.historyRetention.map { retention in
            StorageHistory(databasePath: path, retention: retention, now: { configuration.clock.now() })
        }
        storage = ObjectStorage(path: path, limits: configuration.limits, synchronous: configuration.synchronous, history: history)
    }

    deinit { host.residency.remove(id) }

    /// True while the in-memory state is loaded.
    public var isResident: Bool { handler != nil }

    /// Whether an event holds the input gate or waits for it.
    var gateIsBusy: Bool { gate.isBusy }

    /// Events waiting for the input gate.
    var gateWaiting: Int { gate.waiting }

    /// Delivers a fetch-like event; the response is returned once the event's writes are durable.
    /// Throws `ObjectError.writeFailed` (and resets the object) when they could not be committed.
    public func fetch(_ request: ObjectRequest) async throws -> ObjectResponse {
        try await runEvent { object, handler in try await handler.handle(request, object: object) }
    }

    /// Runs `body` with no other event interleaving: inside an event it simply runs; outside one
    /// it waits for the input gate and runs as its own turn. If `body` throws, the in-memory
    /// state is reset (as if the object restarted), since it may be half-initialized.
    ///
    /// Workerd's rules: a body that throws leaves no writes and resets the object, even one
    /// nested in an event (the whole event's turn is then rolled back); one that runs past
    /// `blockConcurrencyTimeout` is abandoned the same way and other events run again (if it
    /// ever resumes, its storage calls fail with `ObjectError.turnAbandoned`).
    public func blockConcurrencyWhile<T: Sendable>(_ body: @Sendable (isolated DurableObject) async throws -> T) async throws -> T {
        if let current = TurnContext.current, current == activeTurn {
            do {
                return try await body(self)
            } catch {
                storage.discardTurn()
                throw error
            }
        }
        guard !host.isClosed else { throw ObjectError.namespaceClosed }
        await gate.enter()
        guard !isDeleted else {
            gate.leave()
            throw ObjectError.deleted
        }
        let token: TurnToken
        do {
            token = try beginTurn()
        } catch {
            gate.leave()
            throw error
        }
        let timeout = host.configuration.blockConcurrencyTimeout
        let watchdog = Task { [weak self] in
            try await Task.sleep(for: .seconds(timeout))
            await self?.abandon(token)
        }
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await TurnContext.$current.withValue(token) { try await body(self) })
        } catch {
            outcome = .failure(error)
        }
        watchdog.cancel()
        // Abandoned at its timeout: the turn was rolled back and the gate handed on already.
        if abandonedTurns.remove(token) != nil { throw ObjectError.turnAbandoned }
        defer {
            gate.leave()
            scheduleIdleTimer()
        }
        if case .failure = outcome { storage.discardTurn() }
        do {
            return try await completeTurn(outcome)
        } catch {
            dropStateWithoutSaving()
            throw error
        }
    }

    /// Runs `body` atomically inside the current event, awaiting as it likes (no other event
    /// interleaves: the input gate is held): its writes land together, or, if it throws, none
    /// of them (the rest of the event's writes stand). Nested calls nest. The async form of
    /// `ObjectStorage.transactionSync`, as workerd's `transaction()`.
    public func transaction<T>(_ body: (isolated DurableObject) async throws -> T) async throws -> T {
        guard let current = TurnContext.current, current == activeTurn else {
            throw ObjectError.invalidStorageCall("transaction runs inside an event (or blockConcurrencyWhile)")
        }
        let name = try storage.connection.beginSavepoint()
        let result: T
        do {
            result = try await body(self)
        } catch {
            try storage.connection.endSavepoint(name, commit: false)
            throw error
        }
        try storage.connection.endSavepoint(name, commit: true)
        return result
    }

    /// Makes every write of the current event so far durable now, before the event ends (as
    /// workerd's `sync()`): the turn commits what it has and goes on in a new transaction, so a
    /// failure after this point no longer undoes those writes. Refused inside a transaction.
    /// A commit that fails fails the event as an ordinary failed write does.
    public func sync() async throws {
        guard let current = TurnContext.current, current == activeTurn else { return }
        guard storage.connection.savepointDepth == 0 else {
            throw ObjectError.invalidStorageCall("sync cannot run inside a transaction")
        }
        guard !storage.connection.discarded else { return }
        try await finishTurn()
        try storage.connection.beginTurn()
        storage.connection.turn = current
    }

    /// Gives up a `blockConcurrencyWhile` turn past its timeout, if it still runs: rolls it back,
    /// resets the object and lets the next event in.
    private func abandon(_ token: TurnToken) async {
        guard activeTurn == token else { return }
        abandonedTurns.insert(token)
        activeTurn = nil
        await resetAfterFailedWrite()
        gate.leave()
        scheduleIdleTimer()
    }

    /// Runs one event: input gate, state loaded (reconstructed if needed), turn, output gate.
    /// With a `deadline`, an event whose caller gave up before it began does not run, and one
    /// that reaches its commit after that is rolled back (`EventDeadline`). Past
    /// `maxQueuedEvents` waiting, it is refused.
    package func runEvent<T: Sendable>(deadline: EventDeadline? = nil,
                                       _ body: @Sendable (isolated DurableObject, any ObjectHandler) async throws -> T) async throws -> T {
        guard !host.isClosed else { throw ObjectError.namespaceClosed }
        guard gate.waiting < host.configuration.maxQueuedEvents else { throw ObjectError.overloaded(queued: gate.waiting) }
        await gate.enter()
        defer {
            gate.leave()
            scheduleIdleTimer()
        }
        guard !isDeleted else { throw ObjectError.deleted }
        if deadline?.hasExpired == true { throw ObjectError.deadlineExceeded }
        let token = try beginTurn()
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await TurnContext.$current.withValue(token) {
                let handler = try await residentHandler()
                return try await body(self, handler)
            })
        } catch {
            outcome = .failure(error)
        }
        // The event may have grown the state (a guest's memory.grow): memory pressure is
        // judged on what it holds now.
        if let handler { host.evict(host.residency.record(id, bytes: handler.residentBytes)) }
        if let deadline, !storage.connection.discarded, !deadline.claimCommit() {
            storage.discardTurn()
            _ = try? await completeTurn(outcome)
            throw ObjectError.deadlineExceeded
        }
        return try await completeTurn(outcome)
    }

    /// The loaded state, built by the factory if the object is waking up.
    func residentHandler() async throws -> any ObjectHandler {
        let evicted = host.residency.admit(id)
        host.evict(evicted)
        if let handler { return handler }
        let made: any ObjectHandler
        do {
            made = try await host.factory(self)
        } catch {
            host.residency.remove(id)
            throw error
        }
        handler = made
        stateConstructions += 1
        return made
    }

    /// Starts a turn: the transaction that every write of the event joins. The caller runs the
    /// event's work with the returned token as `TurnContext.current`, then calls `completeTurn`.
    func beginTurn() throws -> TurnToken {
        turnSerial += 1
        let token = TurnToken(object: ObjectIdentifier(self), serial: turnSerial)
        do {
            try storage.connection.beginTurn()
        } catch let error as SQLiteError {
            throw ObjectError.writeFailed(error)
        }
        storage.connection.turn = token
        activeTurn = token
        return token
    }

    /// Ends a turn and releases its outcome only once its writes are durable. A failed commit (or
    /// a write that failed during the turn, even if the handler swallowed the error) rolls
    /// everything back, resets the state and replaces the outcome with `writeFailed`.
    func completeTurn<T>(_ outcome: Result<T, any Error>) async throws -> T {
        defer { activeTurn = nil }
        if storage.connection.discarded {
            await resetAfterFailedWrite()
            return try outcome.get()
        }
        do {
            try await finishTurn()
        } catch {
            let cause = storage.connection.failure ?? (error as? SQLiteError)
                ?? SQLiteError(extendedCode: 1, message: "\(error)")
            await resetAfterFailedWrite()
            throw ObjectError.writeFailed(cause)
        }
        if storage.connection.restartRequested { await startNewSession() }
        return try outcome.get()
    }

    /// The output gate. If the turn touched the alarm, the namespace index first learns a time no
    /// later than the new one (so a crash right after the commit cannot lose the alarm), then the
    /// commit, then the index is set to exactly what was committed.
    private func finishTurn() async throws {
        let connection = storage.connection
        if connection.alarmTouched, connection.failure == nil, let pending = try storage.alarmRecord() {
            try await host.scheduler.lowerBound(id, to: pending.due)
        }
        try connection.commitTurn()
        if connection.alarmTouched {
            connection.alarmTouched = false
            // Post-commit: the index already holds a bound no later than the truth, so failing
            // to tighten it only risks an early wake-up, which re-checks the database.
            do {
                let record = try storage.alarmRecord()
                try await host.scheduler.record(id, at: record?.due)
            } catch {}
        }
    }

    /// A committed turn asked for a restore (`onNextSessionRestoreBookmark`): the state goes, the
    /// database is reopened (which replaces it by the bookmarked one) and the namespace's alarm
    /// index learns the restored alarm. If the restore fails now, the next open retries it.
    private func startNewSession() async {
        storage.connection.restartRequested = false
        dropStateWithoutSaving()
        storage.connection.close()
        do {
            _ = try storage.connection.open()
            let record = try storage.alarmRecord()
            try await host.scheduler.record(id, at: record?.due)
        } catch {}
    }

    /// After a failed write or a discarded turn: undo the turn, forget the in-memory state (it
    /// may reflect writes that never committed) and re-mirror the committed alarm into the index.
    private func resetAfterFailedWrite() async {
        let touchedAlarm = storage.connection.alarmTouched
        storage.connection.rollbackTurn()
        storage.connection.alarmTouched = false
        dropStateWithoutSaving()
        if touchedAlarm {
            do {
                let record = try storage.alarmRecord()
                try await host.scheduler.record(id, at: record?.due)
            } catch {}
        }
    }

    /// Deletes the object for good, behind the input gate (events queued before it ran first;
    /// any after it, on this instance, are refused): its state dropped unsaved, its database
    /// deleted (`StorageConnection.deleteDatabase`), `removeFiles` run for what else it owns,
    /// its alarm taken out of the namespace index and this instance forgotten, so the name
    /// denotes a new, empty object from now on. True if it had a database.
    package func delete(removingFiles removeFiles: () -> Void) async throws -> Bool {
        await gate.enter()
        defer { gate.leave() }
        guard !isDeleted else { return false }
        dropStateWithoutSaving()
        let existed = try storage.connection.deleteDatabase()
        removeFiles()
        isDeleted = true
        host.forget(id)
        try await host.scheduler.record(id, at: nil)
        return existed
    }

    package func dropStateWithoutSaving() {
        handler = nil
        host.residency.remove(id)
    }
}
