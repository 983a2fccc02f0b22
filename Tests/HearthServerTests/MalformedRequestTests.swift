import Foundation
@testable import HearthServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Bytes that are not HTTP get an answer in the server's JSON shape and a closed connection,
/// never silence on an open socket (a client, or an attacker, would hold it until the timeout).
@Suite struct MalformedRequestTests {
    func answer(to parts: String..., pause: Double = 0) async throws -> String {
        try await rawAnswer(to: parts, pause: pause)
    }

    @Test func aRequestLineThatIsNotHTTPIsAnswered400InJSONAndClosed() async throws {
        let received = try await answer(to: "GARBAGE\r\n\r\n")
        #expect(received.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(received.lowercased().contains("connection: close\r\n"))
        #expect(received.hasSuffix("\r\n\r\n" + #"{"error":"malformed HTTP request"}"#))
    }

    @Test func aContentLengthThatIsNotANumberIsAnswered400() async throws {
        let received = try await answer(to: "POST /objects/a/x/invoke HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n")
        #expect(received.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(received.hasSuffix(#"{"error":"malformed HTTP request"}"#))
    }

    @Test func headersPastTheLimitAreAnswered431() async throws {
        let received = try await answer(to: "GET /health HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n")
        #expect(received.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(received.hasSuffix(#"{"error":"request header fields too large"}"#))
    }

    @Test func aBrokenChunkBehindAPipelinedRequestIsAnsweredAfterItInOrder() async throws {
        let received = try await answer(to: "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n"
                                            + "POST /nowhere HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n\r\n")
        // The first request's own answer comes first, then the refusal, then the close.
        #expect(received.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        let answers = received.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
        #expect(answers.last == "400")
        #expect(received.hasSuffix("\r\n\r\n" + #"{"error":"malformed HTTP request"}"#))
    }

    @Test func garbageAfterAnAnsweredRequestIsAnswered400InJSONAndClosed() async throws {
        // 0.3 s apart: the request is answered before the garbage arrives.
        let received = try await answer(to: "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n", "\u{1}\u{2}GARBAGE\r\n\r\n", pause: 0.3)
        #expect(received.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        let refusal = try #require(received.range(of: "HTTP/1.1 400 Bad Request\r\n")).lowerBound
        let tail = received[refusal...].lowercased()
        #expect(tail.contains("content-type: application/json; charset=utf-8\r\n"))
        #expect(tail.contains("connection: close\r\n"))
        #expect(received.hasSuffix("\r\n\r\n" + #"{"error":"malformed HTTP request"}"#))
    }

    @Test func headersPastTheLimitOnASecondRequestAreAnswered431InJSON() async throws {
        let received = try await answer(to: "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n",
                                        "GET /health HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n",
                                        pause: 0.3)
        #expect(received.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(received.contains("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(received.hasSuffix(#"{"error":"request header fields too large"}"#))
    }
}

/// What a fresh server (on `FakeBackend`) sends for `parts`, written one after the other `pause`
/// seconds apart on a fresh connection, until it closes it (a read times out after 10 s,
/// failing the test).
func rawAnswer(to parts: [String], pause: Double = 0) async throws -> String {
    String(decoding: try await rawBytes(to: parts.map { Array($0.utf8) }, pause: pause), as: UTF8.self)
}

/// `rawAnswer` in bytes, for answers that are not text (WebSocket frames).
func rawBytes(to parts: [[UInt8]], pause: Double = 0) async throws -> [UInt8] {
    let app = try makeServer(FakeBackend()).makeApplication()
    let received = BytesBox()
    try await app.liveTest { client in
        let port = try #require(client.port)
        received.bytes = try await offThePool {
            let connection = try RawConnection(port: port)
            for (i, part) in parts.enumerated() {
                if i > 0 { Thread.sleep(forTimeInterval: pause) }
                try connection.send(part)
            }
            return try connection.bytesUntilClosed()
        }
    }
    return received.bytes
}

