import HearthBridge
import HearthObjects
import HearthRuntimeHost
import Logging

/// The one path every invocation takes, from HTTP or WebSocket, to an object or the pool: the
/// concurrency cap, the deadline, metrics and a structured log line.
struct Invoker: Sendable {
    let backend: any ServerBackend
    let gate: InvocationGate
    let metrics: ServerMetrics
    let limits: ServerLimits
    let logger: Logger

    /// Invokes inside an object. Throws only `ServerError` 503 (overload).
    func invokeObject(namespace: String, object: String, request: InvokeRequest, route: String = "object") async throws -> InvokeResponse {
        try await withCheckedThrowingContinuation { continuation in
            invokeObject(namespace: namespace, object: object, request: request, route: route) { continuation.resume(with: $0) }
        }
    }

    /// The object invoke with a completion, called exactly once: the object's answer, or the
    /// deadline's limit error if that comes first. The object does not wait for then: through
    /// the `EventDeadline` it shares with the timer, an invocation still queued never runs and
    /// one that reaches its commit later rolls back, so a client told "deadline exceeded" may
    /// retry; one already committing gets its real answer instead. `.failure` is only the 503 of
    /// overload. One task runs the turn; the deadline is a timer, not a second task.
    func invokeObject(namespace: String, object: String, request: InvokeRequest, route: String = "object",
                      completion: @escaping @Sendable (Result<InvokeResponse, ServerError>) -> Void) {
        // Only the server delivers WebSocket events: a client invoking one would forge it.
        if route != "websocket_event", WebSocketSession.eventEntryPoints.contains(request.entryPoint) {
            completion(.failure(ServerError.badRequest("\(request.entryPoint) is a WebSocket event: only the server delivers it")))
            return
        }
        let started: ContinuousClock.Instant
        do {
            started = try admit(route: route, namespace: namespace)
        } catch {
            completion(.failure(error))
            return
        }
        let once = OnceFlag()
        let deliver: @Sendable (InvokeResponse) -> Void = { [self] response in
            guard once.claim() else { return }
            gate.leave()
            finish(route: route, namespace: namespace, target: object, functionId: request.functionId, started: started, response: response)
            completion(.success(response))
        }
        let expiry = EventDeadline()
        let timer = limits.invocation.deadline.map { deadline in
            CancellableTimer(after: deadline) {
                if expiry.expire() { deliver(.failure("invocation deadline of \(deadline) exceeded", .limitExceeded)) }
            }
        }
        let backend = backend
        Task {
            let response = await backend.invoke(namespace: namespace, object: object, request: request, deadline: expiry)
            timer?.cancel()
            deliver(response)
        }
    }

    /// Invokes a function in the backend's shared pool (the pool enforces the deadline),
    /// with a completion called exactly once: `.failure` is only the 503 of overload. With the
    /// pool warm no task is created, which is what lets the event-loop fast path
    /// (`InvokeChannelHandler`) answer without a hop through Swift's cooperative pool.
    func invokePool(namespace: String, functionId: String, entryPoint: String?, args: JSONValue,
                    completion: @escaping @Sendable (Result<InvokeResponse, ServerError>) -> Void) {
        let started: ContinuousClock.Instant
        do {
            started = try admit(route: "pool", namespace: namespace)
        } catch {
            completion(.failure(error))
            return
        }
        backend.invokeInPool(namespace: namespace, functionId: functionId, entryPoint: entryPoint, args: args) { [self] response in
            gate.leave()
            finish(route: "pool", namespace: namespace, target: "pool", functionId: functionId, started: started, response: response)
            completion(.success(response))
        }
    }

    /// Takes a slot of the gate (or counts and logs the overload) and starts the clock.
    private func admit(route: String, namespace: String) throws(ServerError) -> ContinuousClock.Instant {
        do {
            try gate.enter()
        } catch {
            metrics.overloads.increment()
            logger.warning("invocation refused: overloaded", metadata: ["namespace": "\(namespace)", "route": "\(route)"])
            throw error
        }
        return ContinuousClock.now
    }

    private func finish(route: String, namespace: String, target: String, functionId: String,
                        started: ContinuousClock.Instant, response: InvokeResponse) {
        let elapsed = ContinuousClock.now - started
        metrics.record(route: route, duration: elapsed, success: response.success)
        if !response.success || logger.logLevel <= .debug {
            logger.log(level: response.success ? .debug : .notice, "invocation", metadata: [
                "namespace": "\(namespace)", "object": "\(target)", "function": "\(functionId)", "route": "\(route)",
                "success": "\(response.success)", "durationMicros": "\(elapsed.microseconds)",
                "error": "\(response.error ?? "")",
            ])
        }
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
