import Foundation
import HTTPTypes
import HearthBridge
@testable import HearthServer
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Testing

/// The invoke routes answered in the channel pipeline (`InvokeChannelHandler`): the same answers
/// as the router, order kept on a pipelining connection, and drained by a graceful shutdown.
@Suite struct InvokeFastPathTests {
    @Test func onlyPostsToTheTwoInvokePathsAreTargets() {
        typealias Target = InvokeEndpoint.Target
        #expect(Target(method: .post, path: "/functions/ns/fn/invoke") == .pool(namespace: "ns", functionId: "fn"))
        #expect(Target(method: .post, path: "/objects/ns/obj/invoke?trace=1") == .object(namespace: "ns", name: "obj"))
        #expect(Target(method: .post, path: "/objects/a.b/c-d_e/invoke") == .object(namespace: "a.b", name: "c-d_e"))
        #expect(Target(method: .get, path: "/objects/ns/obj/invoke") == nil)
        #expect(Target(method: .post, path: "/objects/ns/obj/invoke/more") == nil)
        #expect(Target(method: .post, path: "/objects/ns/obj") == nil)
        #expect(Target(method: .post, path: "/objects//obj/invoke") == nil)
        #expect(Target(method: .post, path: "/other/ns/obj/invoke") == nil)
        #expect(Target(method: .post, path: "/objects/n%73/obj/invoke") == nil)
        #expect(Target(method: .post, path: "objects/ns/obj/invoke") == nil)
        #expect(Target(method: .post, path: "/objects/ns/obj/invoked") == nil)
    }

    /// Both ways in read one table: every path the router registers for an invoke route is a
    /// target of the event loop's matcher, naming the same route.
    @Test func everyInvokeRouteTheRouterRegistersIsMatchedOnTheEventLoop() {
        for route in InvokeEndpoint.Route.allCases {
            let path = "/" + route.routerPath.replacingOccurrences(of: ":namespace", with: "ns")
                .replacingOccurrences(of: ":" + route.nameParameter, with: "x")
            #expect(InvokeEndpoint.Target(method: .post, path: path) == route.target(namespace: "ns", name: "x"))
        }
        #expect(InvokeEndpoint.Route.allCases.map(\.routerPath)
                == ["functions/:namespace/:functionId/invoke", "objects/:namespace/:name/invoke"])
    }

    @Test func theRouterAndThePipelineAnswerInvokesAlike() async throws {
        let requests: [(uri: String, headers: HTTPFields, body: String)] = [
            ("/objects/a/x/invoke", bearer(tokenA), #"{"functionId":"echo","entryPoint":"run","args":[1,"two"]}"#),
            ("/objects/a/x/invoke", bearer(tokenA), #"{"functionId":"fail","entryPoint":"run"}"#),
            ("/objects/a/x/invoke", [:], #"{"functionId":"echo","entryPoint":"run"}"#),
            ("/objects/b/x/invoke", bearer(tokenA), #"{"functionId":"echo","entryPoint":"run"}"#),
            ("/objects/a/x/invoke", bearer(tokenA), "{nope"),
            ("/objects/a/x/invoke", bearer(tokenA), #"{"entryPoint":"run"}"#),
            ("/objects/a/bad!name/invoke", bearer(tokenA), #"{"functionId":"echo","entryPoint":"run"}"#),
            ("/functions/a/missing/invoke", bearer(tokenA), #"{"args":[]}"#),
            ("/functions/a/missing/invoke", bearer(tokenA), "[1]"),
        ]
        func answers(_ mode: TestingSetup) async throws -> [String] {
            let app = try makeServer(FakeBackend()).makeApplication()
            return try await app.test(mode) { client in
                var answers: [String] = []
                for request in requests {
                    let response = try await client.execute(uri: request.uri, method: .post, headers: request.headers,
                                                            body: ByteBuffer(string: request.body))
                    let extra = [HTTPField.Name.contentType, .wwwAuthenticate, .retryAfter].map { response.headers[$0] ?? "-" }
                    answers.append("\(response.status.code) \(extra.joined(separator: " ")) \(response.body.text)")
                }
                return answers
            }
        }
        let routed = try await answers(.router)
        let piped = try await answers(.live)
        #expect(piped == routed)
        #expect(piped.first == #"200 application/json; charset=utf-8 - - {"success":true,"result":[1,"two"]}"#)
        #expect(piped[2] == #"401 application/json; charset=utf-8 Bearer - {"error":"missing bearer token (Authorization: Bearer <token>)"}"#)
        #expect(piped[7] == #"404 application/json; charset=utf-8 - - {"success":false,"error":"unknown stateless function missing in namespace a"}"#)
    }

    @Test func pipelinedRequestsAreAnsweredInOrderAcrossBothPaths() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.liveTest { client in
            let port = try #require(client.port)
            func invoke(_ args: String, _ function: String = "echo") -> String {
                let body = #"{"functionId":"\#(function)","entryPoint":"run","args":\#(args)}"#
                return "POST /objects/a/x/invoke HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(tokenA)\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
            }
            // A slow invoke first: the router's answer and the last invoke must wait for it.
            let requests = invoke("[1]", "slow") + "GET /objects/a/x/health HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(tokenA)\r\n\r\n"
                + invoke("[3]") + "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n" + invoke("[5]")
            let bodies = try await offThePool { try RawConnection(port: port).exchange(requests, responses: 5) }
            #expect(bodies == [
                #"{"success":true,"result":"slow done"}"#,
                #"{"status":"ok","initialized":true,"cachedDelegates":0,"activeConnections":0}"#,
                #"{"success":true,"result":[3]}"#,
                #"{"error":"no route for GET /nowhere"}"#,
                #"{"success":true,"result":[5]}"#,
            ])
        }
        #expect(await backend.invocations.map(\.request.functionId) == ["slow", "echo", "echo"])
    }

    @Test func manyRequestsPipelinedBehindASlowInvokeAreAllAnsweredInOrder() async throws {
        // More than one read's worth waits behind the slow invoke, so reading is paused and resumed.
        let app = try makeServer(FakeBackend()).makeApplication()
        try await app.liveTest { client in
            let port = try #require(client.port)
            func invoke(_ function: String, _ args: String) -> String {
                let body = #"{"functionId":"\#(function)","entryPoint":"run","args":\#(args)}"#
                return "POST /objects/a/x/invoke HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(tokenA)\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
            }
            let requests = invoke("slow", "[0]") + (1...300).map { invoke("echo", "[\($0)]") }.joined()
            let bodies = try await offThePool { try RawConnection(port: port).exchange(requests, responses: 301) }
            #expect(bodies.count == 301)
            #expect(bodies.first == #"{"success":true,"result":"slow done"}"#)
            #expect(Array(bodies.dropFirst()) == (1...300).map { #"{"success":true,"result":[\#($0)]}"# })
        }
    }

    @Test func aGracefulShutdownAnswersTheInvocationInFlightBeforeClosing() async throws {
        let server = try makeServer(FakeBackend())
        let port = PortBox()
        let app = server.makeApplication { port.set($0.localAddress?.port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        let bound = try await port.wait()
        let connection = try RawConnection(port: bound)
        let body = #"{"functionId":"slow","entryPoint":"run"}"#
        try connection.send("POST /objects/a/x/invoke HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(tokenA)\r\n"
                            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
        try await Task.sleep(for: .milliseconds(100))
        await group.triggerGracefulShutdown()
        let received = try await offThePool { try connection.readUntilClosed() }
        try await running.value
        #expect(received.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(received.hasSuffix("\r\n\r\n" + #"{"success":true,"result":"slow done"}"#))
    }
}

/// Runs blocking socket calls on a thread of their own: blocking one of the few threads of
/// Swift's cooperative pool would stall the server under test.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// The bound port, handed from the server's start to the test.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int?

    func set(_ value: Int?) { lock.withLock { port = value } }

    func wait() async throws -> Int {
        for _ in 0..<500 {
            if let port = lock.withLock({ port }) { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }
}

/// A blocking TCP connection on loopback that writes raw HTTP/1.1 (several requests at once, as
/// a pipelining client does) and reads raw answers.
final class RawConnection: @unchecked Sendable {
    private let socket: Int32

    init(port: Int) throws {
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(socket) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw POSIXError(.EPIPE) }
            sent += count
        }
    }

    private func receive(into buffer: inout [UInt8]) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw POSIXError(.ETIMEDOUT) }
        buffer += chunk[..<count]
        return count > 0
    }

    /// Everything received until the server closes the connection.
    func readUntilClosed() throws -> String { String(decoding: try bytesUntilClosed(), as: UTF8.self) }

    /// Every byte received until the server closes the connection.
    func bytesUntilClosed() throws -> [UInt8] {
        var buffer: [UInt8] = []
        while try receive(into: &buffer) {}
        return buffer
    }

    /// Sends `requests` in one write and returns the bodies of the first `responses` answers
    /// (framed by Content-Length), in the order they arrived.
    func exchange(_ requests: String, responses: Int) throws -> [String] {
        try send(requests)
        var buffer: [UInt8] = []
        var bodies: [String] = []
        while bodies.count < responses {
            let separator = Array("\r\n\r\n".utf8)
            if let end = buffer.indices.dropLast(3).first(where: { buffer[$0..<$0 + 4].elementsEqual(separator) }) {
                let head = String(decoding: buffer[..<end], as: UTF8.self).lowercased()
                let lengthLine = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                let length = Int(lengthLine.map { $0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces) } ?? "0") ?? 0
                if buffer.count >= end + 4 + length {
                    bodies.append(String(decoding: buffer[(end + 4)..<(end + 4 + length)], as: UTF8.self))
                    buffer.removeFirst(end + 4 + length)
                    continue
                }
            }
            guard try receive(into: &buffer) else { break }
        }
        return bodies
    }
}
