import HearthObjects
import HearthRuntimeHost
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// `hearth serve`: the HTTP + WebSocket front of an object host. Build it with a backend (the
/// embedded object host, or a fake in tests), then `run()` it, or hand `makeApplication()` to
/// Hummingbird's test client.
public final class HearthServer: Sendable {
    /// The configuration as validated by `init`: never a non-loopback host without tokens.
    public let configuration: ServerConfiguration
    /// The object host behind every route and WebSocket session.
    public let backend: any ServerBackend
    let logger: Logger
    let metrics = ServerMetrics()
    let sockets = SocketHub()
    let invoker: Invoker

    /// A server over `backend`, its invocation gate sized by `configuration`; throws `ServerError.badRequest` when the configuration would listen beyond
    /// loopback without tokens.
    public init(configuration: ServerConfiguration, backend: any ServerBackend, logger: Logger = Logger(label: "hearth.server")) throws {
        var configuration = try configuration.validated()
        // Every guest call the server starts joins one group, so a shutdown can stop them all
        // (`interruptGuests()`); a backend built for this server shares it (see `embedded`).
        if configuration.limits.invocation.group == nil { configuration.limits.invocation.group = InterruptGroup() }
        self.configuration = configuration
        self.backend = backend
        self.logger = logger
        invoker = Invoker(backend: backend,
                          gate: InvocationGate(capacity: configuration.limits.maxConcurrentInvocations,
                                               retryAfter: configuration.limits.retryAfterSeconds),
                          metrics: metrics, limits: configuration.limits, logger: logger)
    }

    /// The Hummingbird application serving the API and the WebSocket upgrade. `onServerRunning`
    /// gets the listening channel (its local address tells the port when 0 was asked for).
    public func makeApplication(onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        -> some ApplicationProtocol {
        let authenticator = Authenticator(tokens: configuration.tokens)
        let router = Router(context: ServerRequestContext.self)
        router.middlewares.add(JSONErrorMiddleware())
        router.middlewares.add(LogRequestsMiddleware(.debug))
        let endpoint = InvokeEndpoint(invoker: invoker, authenticator: authenticator, limits: configuration.limits)
        HTTPRoutes(backend: backend, endpoint: endpoint, sockets: sockets,
                   authenticator: authenticator, limits: configuration.limits, metrics: metrics).register(on: router)

        let session = WebSocketSession(invoker: invoker, hub: sockets, limits: configuration.limits,
                                       autoResponse: configuration.autoResponse, metrics: metrics)
        let webSocketRouter = Router(context: ServerRequestContext.self)
        let refusals = UpgradeRefusals()
        webSocketRouter.middlewares.add(UpgradeRefusalMiddleware(refusals: refusals))
        webSocketRouter.ws("objects/:namespace/:name/ws") { request, context in
            let namespace = try context.parameters.require("namespace")
            try authenticator.authorize(request, namespace: namespace)
            try NameRules.check(try context.parameters.require("name"), what: "object name")
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let request = context.request
            let parameters = context.requestContext.parameters
            let query = request.uri.queryParameters
            let tags = query.get("tags").map { $0.split(separator: ",").map(String.init) } ?? []
            try await session.run(namespace: try parameters.require("namespace"), object: try parameters.require("name"),
                                  functionId: query.get("functionId"), entryPoint: query.get("entryPoint"),
                                  tags: tags, inbound: inbound, outbound: outbound,
                                  channel: context.requestContext.channel, logger: context.logger)
        }

        let limits = configuration.limits
        return Application(
            router: router,
            server: HTTPServerBuilder { [webSocketResponder = webSocketRouter.buildResponder()] responder in
                GuardedHTTPChannel(refusals: refusals, base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: .init(
                        http1: .init(additionalChannelHandlers: [InvokeChannelHandlerInstaller(endpoint: endpoint)],
                                     idleTimeout: .seconds(120)),
                        // A text frame that is not UTF-8 fails the socket with 1007, as RFC 6455 asks,
                        // instead of reaching the object with replacement characters.
                        ws: .init(maxFrameSize: limits.maxWebSocketMessageBytes, autoPing: .disabled, validateUTF8: true))))
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "hearth"),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// Serves until SIGTERM/SIGINT, then drains: Hummingbird stops accepting, finishes in-flight
    /// requests, and only then are the pool and the object host's databases closed.
    public func run() async throws {
        ServerHeapPolicy.apply()
        if configuration.tokens == nil {
            logger.warning("no tokens file: authentication is off and the server listens on loopback only",
                           metadata: ["host": "\(configuration.host)"])
        }
        logger.info("hearth serve starting", metadata: ["host": "\(configuration.host)", "port": "\(configuration.port)",
                                                         "data": "\(configuration.dataDirectory)"])
        do {
            try await backend.start()
        } catch {
            logger.critical("hearth serve cannot start", metadata: ["error": "\(error)"])
            throw error
        }
        let app = makeApplication()
        // Listed last, so the service group tells it first: on SIGTERM it gives in-flight guest
        // calls `shutdownGrace` to finish while Hummingbird drains, then interrupts the rest, so
        // a guest that loops cannot hold the drain (and the process) for ever.
        let guests = GuestShutdown(server: self, grace: configuration.limits.shutdownGrace)
        let services = ServiceGroup(configuration: .init(services: [app, guests], gracefulShutdownSignals: [.sigterm, .sigint],
                                                         logger: logger))
        do {
            try await services.run()
        } catch {
            await shutDown()
            throw error
        }
        await shutDown()
    }

    /// Interrupts every guest call running for this server, and every later one, at its next
    /// loop iteration or function entry (they answer a limit error): the end of a shutdown's
    /// grace period.
    public func interruptGuests() {
        configuration.limits.invocation.group?.stop()
    }

    /// Closes the backend (its pools and databases). Idempotent enough for tests to call.
    public func shutDown() async {
        await backend.shutdown()
        logger.info("hearth serve stopped: databases closed")
    }
}

extension HearthServer {
    /// The server over the embedded object host in `configuration.dataDirectory` (what
    /// `hearth serve` runs), logging at `logLevel` ("info", "debug", ...).
    public static func embedded(configuration: ServerConfiguration, idleTimeout: Double = 10,
                                logLevel: String = "info") throws -> HearthServer {
        var logger = Logger(label: "hearth.server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        // One interrupt group for the objects' guests and the pools', so a shutdown stops both.
        var configuration = configuration
        if configuration.limits.invocation.group == nil { configuration.limits.invocation.group = InterruptGroup() }
        let backend = EmbeddedBackend(dataDirectory: configuration.dataDirectory,
                                      configuration: ObjectConfiguration(idleTimeout: idleTimeout),
                                      limits: configuration.limits.invocation,
                                      maxMemoryPages: configuration.limits.maxMemoryPages, poolSize: configuration.poolSize)
        return try HearthServer(configuration: configuration, backend: backend, logger: logger)
    }
}


/// Waits for the graceful shutdown, then, `grace` later, interrupts the server's guest calls.
/// It returns at once (the timer runs on), so the service group goes on to drain the HTTP
/// server while the grace period runs.
struct GuestShutdown: Service {
    let server: HearthServer
    let grace: Duration

    func run() async throws {
        try? await gracefulShutdown()
        let (server, grace) = (server, grace)
        server.logger.info("hearth serve draining", metadata: ["guestGrace": "\(grace)"])
        // Unstructured: it outlives this service, which must return for the drain to go on.
        Task {
            try? await Task.sleep(for: grace)
            server.interruptGuests()
        }
    }
}
