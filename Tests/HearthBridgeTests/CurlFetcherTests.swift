import Foundation
import Testing
@testable import HearthBridge

/// The production fetcher against a server on the loopback interface: what the guest gets for a
/// response, a redirect, a body over the cap, a refused connection and a server that never answers.
@Suite struct CurlFetcherTests {
    @Test func aResponseArrivesWithItsStatusAndBody() throws {
        let server = try OneShotHTTPServer(reply: "HTTP/1.1 201 Created\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{\"n\":1}")
        let response = try CurlFetcher().fetch(server.url("/thing"))
        #expect(response == FetchResponse(status: 201, body: "{\"n\":1}"))
        #expect(server.request().hasPrefix("GET /thing HTTP/1.1\r\n"))
    }

    @Test func aRedirectIsTheAnswerNotFollowedPastTheAllowList() throws {
        let server = try OneShotHTTPServer(reply: "HTTP/1.1 302 Found\r\nLocation: http://evil.example.net/\r\nContent-Length: 5\r\nConnection: close\r\n\r\nmoved")
        #expect(try CurlFetcher().fetch(server.url("/")) == FetchResponse(status: 302, body: "moved"))
    }

    @Test func aBodyOverTheCapIsAnErrorNotACopy() throws {
        let body = String(repeating: "x", count: 5000)
        let server = try OneShotHTTPServer(reply: "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n" + body)
        #expect(throws: FetchTooLarge.self) { try CurlFetcher(maximumBodyBytes: 4096).fetch(server.url("/")) }
    }

    @Test func aRefusedConnectionIsAFailureThatSaysSo() throws {
        let port = try OneShotHTTPServer.unusedPort()
        let error = try #require(throws: FetchFailed.self) { try CurlFetcher().fetch(URL(string: "http://127.0.0.1:\(port)/")!) }
        #expect(error.reason.lowercased().contains("connect"))
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let server = try OneShotHTTPServer(reply: nil)
        let started = ContinuousClock.now
        #expect(throws: FetchFailed.self) { try CurlFetcher(timeout: 0.3).fetch(server.url("/")) }
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}

/// A loopback listener that accepts one connection on a thread, reads the request head and writes
/// `reply` (or nothing, holding the connection open, when `reply` is nil).
private final class OneShotHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let done = DispatchSemaphore(value: 0)
    private var received = ""

    init(reply: String?) throws {
        (listener, port) = try Self.listen()
        let listener = self.listener
        Thread.detachNewThread { [self] in
            let connection = accept(listener, nil, nil)
            var head = [UInt8]()
            var byte: UInt8 = 0
            while read(connection, &byte, 1) == 1 {
                head.append(byte)
                if head.suffix(4) == Array("\r\n\r\n".utf8) { break }
            }
            received = String(decoding: head, as: UTF8.self)
            if let reply {
                _ = Array(reply.utf8).withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            } else {
                Thread.sleep(forTimeInterval: 2)
            }
            close(connection)
            done.signal()
        }
    }

    deinit { close(listener) }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// The request head the server read, once it has answered.
    func request() -> String {
        done.wait()
        return received
    }

    /// A loopback port nothing listens on (bound, then released).
    static func unusedPort() throws -> UInt16 {
        let (socket, port) = try listen()
        close(socket)
        return port
    }

    private static func listen() throws -> (Int32, UInt16) {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound, Foundation.listen(socket, 4) == 0 else { throw FetchFailed(reason: "test server could not listen") }
        return (socket, UInt16(bigEndian: address.sin_port))
    }
}
