import Foundation
import HearthRuntimeHost

/// Per-request limits of `hearth serve`.
public struct ServerLimits: Sendable {
    /// Largest HTTP request body (runtime uploads included).
    public var maxBodyBytes: Int
    /// Deadline and fuel of one invocation, handed down unchanged to the object host, the pools,
    /// the bridge and the engine, which enforces them. The deadline is also how long the server
    /// waits before answering 504 (nil: no deadline). Fuel (one unit per loop iteration or
    /// function entry) stops a guest at the same point whatever the machine's load.
    public var invocation: ExecutionLimits
    /// Invocations running at once, server-wide; beyond it requests get 503 + Retry-After.
    public var maxConcurrentInvocations: Int
    /// Largest WebSocket message (frames are reassembled up to this size).
    public var maxWebSocketMessageBytes: Int
    /// Largest per-socket attachment kept by the server.
    public var maxAttachmentBytes: Int
    /// Seconds a client is told to wait after a 503.
    public var retryAfterSeconds: Int
    /// Memory cap per runtime instance, in 64 KiB Wasm pages (nil: the module's own maximum).
    public var maxMemoryPages: Int?
    /// How long a shutdown (SIGTERM) lets guest calls in flight finish before it interrupts
    /// them; requests finished by then are answered normally.
    public var shutdownGrace: Duration = .seconds(10)

    /// Limits with the defaults: 32 MiB bodies and WebSocket messages, a 30 s deadline and no fuel
    /// cap per invocation, 256 concurrent invocations, 16 KiB attachments, Retry-After 1 s, and no
    /// memory cap.
    public init(maxBodyBytes: Int = 32 << 20, invocation: ExecutionLimits = ExecutionLimits(deadline: .seconds(30)),
                maxConcurrentInvocations: Int = 256, maxWebSocketMessageBytes: Int = 32 << 20,
                maxAttachmentBytes: Int = 16 << 10, retryAfterSeconds: Int = 1, maxMemoryPages: Int? = nil) {
        self.maxBodyBytes = maxBodyBytes
        self.invocation = invocation
        self.maxConcurrentInvocations = maxConcurrentInvocations
        self.maxWebSocketMessageBytes = maxWebSocketMessageBytes
        self.maxAttachmentBytes = maxAttachmentBytes
        self.retryAfterSeconds = retryAfterSeconds
        self.maxMemoryPages = maxMemoryPages
    }
}

/// Where `hearth serve` listens, keeps its data, and who may use it.
public struct ServerConfiguration: Sendable {
    /// Address to listen on; anything but loopback (127.x, ::1, localhost) needs `tokens`.
    public var host: String
    /// TCP port to listen on; 0 lets the system choose (see `makeApplication(onServerRunning:)`).
    public var port: Int
    /// Folder of the namespaces' databases, laid out as `hearth invoke` uses it, so both see the same objects.
    public var dataDirectory: String
    /// Bearer tokens per namespace; nil runs without authentication, which is only allowed on loopback.
    public var tokens: TokenStore?
    /// Per-request limits: body and message sizes, deadline, fuel, memory and concurrency.
    public var limits: ServerLimits
    /// Warm runtime instances per (namespace, runtime) in the shared pool for stateless functions
    /// (`embedded` hands it to the object host, which runs the pool).
    public var poolSize: Int
    /// The text message answered by the server itself, without waking the object, and its answer.
    public var autoResponse: (request: String, response: String)?

    /// Defaults: 127.0.0.1:8080 over `.hearth`, no tokens, a warm instance per core (`poolSize` is
    /// raised to at least 1), and "ping" answered "pong". `validated()` checks the result.
    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = ".hearth",
                tokens: TokenStore? = nil, limits: ServerLimits = ServerLimits(),
                poolSize: Int = ProcessInfo.processInfo.activeProcessorCount,
                autoResponse: (request: String, response: String)? = ("ping", "pong")) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.tokens = tokens
        self.limits = limits
        self.poolSize = max(1, poolSize)
        self.autoResponse = autoResponse
    }

    /// Refuses to listen beyond loopback without tokens: an open server must not be reachable
    /// from the network.
    public func validated() throws -> ServerConfiguration {
        if tokens == nil && !Self.isLoopback(host) {
            throw ServerError.badRequest("refusing to listen on \(host) without a tokens file: without tokens the server only listens on loopback (127.0.0.1, ::1, localhost)")
        }
        return self
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
