import Foundation
import HTTPTypes
import HearthBridge
@testable import HearthServer
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

let tokenA = "token-for-namespace-a-0123456789"
let tokenB = "token-for-namespace-b-0123456789"

func makeServer(_ backend: any ServerBackend, limits: ServerLimits = ServerLimits(), tokens: Bool = true) throws -> HearthServer {
    var logger = Logger(label: "hearth.server.test")
    logger.logLevel = .warning
    let store = tokens ? TokenStore(["a": [tokenA], "b": [tokenB]]) : nil
    return try HearthServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0, tokens: store, limits: limits, poolSize: 1),
                            backend: backend, logger: logger)
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

extension ByteBuffer {
    var text: String { String(buffer: self) }
}

func json(_ buffer: ByteBuffer) throws -> JSONValue { try JSONValue.parse(buffer.text) }

/// A second keep-alive connection: the test client runs one request at a time on its own.
func secondConnection(_ port: Int?) -> TestClient {
    let client = TestClient(host: "127.0.0.1", port: port ?? 0)
    client.connect()
    return client
}

extension TestClient {
    func post(_ uri: String, _ body: String, token: String = tokenA) async throws -> TestClient.Response {
        try await execute(TestClient.Request(uri, method: .post, headers: bearer(token), body: ByteBuffer(string: body)))
    }
}

extension TestClient.Response {
    var text: String { body.map { String(buffer: $0) } ?? "" }
}

/// Collects what tasks observed, in order.
actor Recorder {
    private(set) var entries: [String] = []
    func record(_ entry: String) { entries.append(entry) }
}

extension ApplicationProtocol {
    /// `test(.live)` with its client connected before `body` runs.
    ///
    /// HummingbirdTesting starts connecting its client in the background. A body that never
    /// uses the client (raw sockets, WebSocket clients) can finish first; the connection then
    /// opens after the client was shut down, stays open with no request, and the server's
    /// graceful shutdown waits for it forever (seen as a test run that never ends, about one
    /// run in ten of `headersPastTheLimitAreAnswered431`).
    func liveTest<Value: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await test(.live) { client in
            _ = try await client.execute(uri: "/health", method: .get)
            return try await body(client)
        }
    }
}
