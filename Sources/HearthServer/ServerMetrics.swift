import Prometheus

/// The server's Prometheus metrics, on a registry of its own (no global bootstrap, so several
/// servers can live in one process, as tests do).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let invocations: [String: Counter]
    private let errors: [String: Counter]
    private let latency: [String: DurationHistogram]
    let overloads: Counter
    let autoResponses: Counter
    let webSocketConnections: Gauge
    let objectsLive: Gauge
    let objectsHibernated: Gauge
    let snapshotRestores: Gauge
    /// Command-function invocations, by start: resumed from the captured start-up, or cold.
    private let commandRuns: [Bool: Counter]
    private let commandErrors: Counter

    /// "websocket" counts `{type: "invoke"}` messages; "websocket_event" the message, close and
    /// error events delivered to the object (one without a handler for them counts an error there).
    static let routes = ["object", "pool", "websocket", "websocket_event"]

    init() {
        let buckets: [Duration] = [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                                   .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                   .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                   .seconds(1), .seconds(5), .seconds(30)]
        var invocations: [String: Counter] = [:], errors: [String: Counter] = [:], latency: [String: DurationHistogram] = [:]
        for route in Self.routes {
            invocations[route] = registry.makeCounter(name: "hearth_invocations_total", labels: [("route", route)],
                                                      help: "Invocations handled, by route")
            errors[route] = registry.makeCounter(name: "hearth_invocation_errors_total", labels: [("route", route)],
                                                 help: "Invocations that answered success=false, by route")
            latency[route] = registry.makeDurationHistogram(name: "hearth_invocation_duration_seconds", labels: [("route", route)],
                                                            buckets: buckets, help: "Invocation latency, by route")
        }
        self.invocations = invocations
        self.errors = errors
        self.latency = latency
        overloads = registry.makeCounter(name: "hearth_overload_rejections_total", help: "Requests refused with 503 (too many invocations)")
        autoResponses = registry.makeCounter(name: "hearth_websocket_auto_responses_total", help: "WebSocket auto-responses answered without waking the object")
        webSocketConnections = registry.makeGauge(name: "hearth_websocket_connections", help: "Open WebSocket connections")
        objectsLive = registry.makeGauge(name: "hearth_objects_live", help: "Objects holding in-memory state")
        objectsHibernated = registry.makeGauge(name: "hearth_objects_hibernated", help: "Known objects not resident in memory now (hibernated or never woken)")
        snapshotRestores = registry.makeGauge(name: "hearth_snapshot_restores", help: "Warm snapshot restores since start")
        commandRuns = [true: registry.makeCounter(name: "hearth_command_runs_total", labels: [("start", "resumed")],
                                                  help: "Command-function invocations, by how the program started"),
                       false: registry.makeCounter(name: "hearth_command_runs_total", labels: [("start", "cold")],
                                                   help: "Command-function invocations, by how the program started")]
        commandErrors = registry.makeCounter(name: "hearth_command_errors_total",
                                             help: "Command-function invocations that did not finish (trap, limit, unknown)")
    }

    /// Counts a command-function invocation.
    func countCommand(resumed: Bool, failed: Bool) {
        commandRuns[resumed]?.increment()
        if failed { commandErrors.increment() }
    }

    func record(route: String, duration: Duration, success: Bool) {
        invocations[route]?.increment()
        if !success { errors[route]?.increment() }
        latency[route]?.record(duration)
    }

    func update(from statistics: BackendStatistics) {
        objectsLive.set(Double(statistics.liveObjects))
        objectsHibernated.set(Double(statistics.hibernatedObjects))
        snapshotRestores.set(Double(statistics.snapshotRestores))
    }

    func text() -> String { registry.emitToString() }
}
