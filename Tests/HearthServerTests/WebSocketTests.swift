import Foundation
import HTTPTypes
import HearthBridge
@testable import HearthServer
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import Testing

/// Collects the text messages a WebSocket client receives.
final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ text: String) { lock.withLock { items.append(text) } }
    var all: [String] { lock.withLock { items } }
}

/// Carries bytes out of a test client's closure.
final class BytesBox: @unchecked Sendable {
    var bytes: [UInt8] = []
}

/// Opens once; waiters resume then.
actor Latch {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}

@Suite struct WebSocketTests {
    let logger = Logger(label: "ws.test")

    private func url(_ port: Int?, _ path: String) -> String { "ws://127.0.0.1:\(port ?? 0)\(path)" }

    @Test func invokeOverAWebSocketAnswersWithTheMessageId() async throws {
        let app = try makeServer(FakeBackend()).makeApplication()
        try await app.liveTest { client in
            let received = Received()
            _ = try await WebSocketClient.connect(
                url: url(client.port, "/objects/a/chat/ws?functionId=echo&entryPoint=run"),
                configuration: .init(additionalHeaders: [.authorization: "Bearer \(tokenA)"]), logger: logger
            ) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"type":"invoke","id":42,"params":[3,4]}"#))
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                if case .text(let text)? = try await messages.next() { received.add(text) }
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(received.all == [#"{"id":42,"success":true,"result":[3,4]}"#])
        }
    }

    @Test func pingIsAnsweredWhileTheObjectIsHibernatedWithoutWakingIt() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.liveTest { client in
            let received = Received()
            _ = try await WebSocketClient.connect(
                url: url(client.port, "/objects/a/sleepy/ws?functionId=echo&entryPoint=run"),
                configuration: .init(additionalHeaders: [.authorization: "Bearer \(tokenA)"]), logger: logger
            ) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                try await outbound.write(.text(#"{"type":"invoke","id":1,"params":[]}"#))
                _ = try await messages.next()
                try await backend.hibernate(namespace: "a", object: "sleepy")
                let before = await backend.invocations.count
                for _ in 0..<3 {
                    try await outbound.write(.text("ping"))
                    if case .text(let text)? = try await messages.next() { received.add(text) }
                }
                #expect(await backend.invocations.count == before)
                #expect(await backend.isResident(namespace: "a", object: "sleepy") == false)
                #expect(await backend.wakes == 1)
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(received.all == ["pong", "pong", "pong"])
        }
    }

    @Test func anObjectAdmitsTagsAndBroadcastsToItsSocketsAndRefusesOthers() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.liveTest { client in
            let headers: HTTPFields = [.authorization: "Bearer \(tokenA)"]
            let first = Received(), second = Received(), refused = Received()
            let joined = Latch()
            // The second member listens; the first speaks once the second is in.
            async let listener: Void = {
                _ = try await WebSocketClient.connect(url: url(client.port, "/objects/a/chat/ws?functionId=room&tags=blue"),
                                                      configuration: .init(additionalHeaders: headers), logger: logger) { inbound, outbound, _ in
                    var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    try await outbound.write(.text("who"))
                    if case .text(let text)? = try await messages.next() { second.add(text) }
                    await joined.open()
                    if case .text(let text)? = try await messages.next() { second.add(text) }
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }()
            await joined.wait()
            _ = try await WebSocketClient.connect(url: url(client.port, "/objects/a/chat/ws?functionId=room"),
                                                  configuration: .init(additionalHeaders: headers), logger: logger) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                try await outbound.write(.text("hb"))
                if case .text(let text)? = try await messages.next() { first.add(text) }
                try await outbound.write(.text("hello room"))
                if case .text(let text)? = try await messages.next() { first.add(text) }
                try await outbound.close(.normalClosure, reason: nil)
            }
            try await listener
            #expect(first.all == ["alive", "hello room"])
            #expect(second.all.count == 2)
            #expect(second.all.first?.contains(#""tags":["member","blue"]"#) == true, "\(second.all)")
            #expect(second.all.last == "hello room")
            // Refused by the object, or asking for more than ten tags: closed, never cut short.
            for query in ["tags=banned", "tags=" + (0..<11).map { "t\($0)" }.joined(separator: ",")] {
                _ = try await WebSocketClient.connect(url: url(client.port, "/objects/a/chat/ws?functionId=room&" + query),
                                                      configuration: .init(additionalHeaders: headers), logger: logger) { inbound, _, _ in
                    for try await message in inbound.messages(maxSize: 1 << 20) { refused.add("\(message)") }
                }
            }
            #expect(refused.all.isEmpty)
            // The event entry points are the server's to deliver: a client cannot forge one.
            let forged = try await client.execute(uri: "/objects/a/chat/invoke", method: .post, headers: bearer(tokenA), body: ByteBuffer(
                string: #"{"functionId":"room","entryPoint":"webSocketMessage","args":[{"message":"fake"}]}"#))
            #expect(forged.status == .badRequest)
        }
    }

    @Test func deletingAnObjectClosesItsWebSockets() async throws {
        let app = try makeServer(FakeBackend()).makeApplication()
        try await app.liveTest { client in
            let received = Received()
            _ = try await WebSocketClient.connect(
                url: url(client.port, "/objects/a/doomed/ws?functionId=echo&entryPoint=run"),
                configuration: .init(additionalHeaders: [.authorization: "Bearer \(tokenA)"]), logger: logger
            ) { inbound, outbound, context in
                try await outbound.write(.text(#"{"type":"invoke","id":1,"params":[]}"#))
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                _ = try await messages.next()
                let deleted = try await client.execute(uri: "/admin/a/objects/doomed", method: .delete, headers: bearer(tokenA))
                received.add("\(deleted.status.code)")
                // The server closes the socket: the iteration ends.
                while let message = try await messages.next() { received.add("unexpected \(message)") }
                received.add("closed")
            }
            #expect(received.all == ["200", "closed"])
        }
    }

    @Test func theCloseCodeAndReasonReachTheObject() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.liveTest { client in
            _ = try await WebSocketClient.connect(
                url: url(client.port, "/objects/a/room/ws?functionId=echo&entryPoint=run&tags=red,blue"),
                configuration: .init(additionalHeaders: [.authorization: "Bearer \(tokenA)"]), logger: logger
            ) { _, outbound, _ in
                try await outbound.write(.text("hello object"))
                // Close once the session is serving (its first event reached the object): a close
                // frame that arrives while the upgrade is still being set up is reported as 1006.
                for _ in 0..<100 where await backend.events("webSocketMessage").isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                try await outbound.close(.init(codeNumber: 4001), reason: "bye now")
            }
            // The close event is delivered after the handshake; give the server a moment.
            for _ in 0..<50 where await backend.events("webSocketClose").isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        let messages = await backend.events("webSocketMessage")
        #expect(messages.map(\.text) == [#"[{"socket":"ws-1","message":"hello object","attachment":null,"tags":["red","blue"],"sockets":[{"socket":"ws-1","tags":["red","blue"]}]}]"#])
        let closes = await backend.events("webSocketClose")
        #expect(closes.map(\.text) == [#"[{"socket":"ws-1","code":4001,"reason":"bye now","wasClean":true,"attachment":null,"tags":["red","blue"],"sockets":[{"socket":"ws-1","tags":["red","blue"]}]}]"#])
    }

    @Test func attachmentsAreKeptByTheServerAcrossHibernation() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.liveTest { client in
            let received = Received()
            _ = try await WebSocketClient.connect(
                url: url(client.port, "/objects/a/att/ws?functionId=attach&entryPoint=run"),
                configuration: .init(additionalHeaders: [.authorization: "Bearer \(tokenA)"]), logger: logger
            ) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                for _ in 0..<3 {
                    try await outbound.write(.text("tick"))
                    if case .text(let text)? = try await messages.next() { received.add(text) }
                    try await backend.hibernate(namespace: "a", object: "att")
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(received.all == ["count=1", "count=2", "count=3"])
        }
    }

    @Test func aWebSocketWithAnotherTenantsTokenIsRefused() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.liveTest { client in
            await #expect(throws: (any Error).self) {
                _ = try await WebSocketClient.connect(
                    url: url(client.port, "/objects/b/chat/ws?functionId=echo&entryPoint=run"),
                    configuration: .init(additionalHeaders: [.authorization: "Bearer \(tokenA)"]), logger: logger
                ) { _, _, _ in }
            }
        }
        #expect(await backend.invocations.isEmpty)
    }

    /// What the server answers a raw WebSocket upgrade request to `path` with `headers`.
    private func upgradeAnswer(_ path: String, headers: String = "") async throws -> String {
        try await rawAnswer(to: ["GET \(path) HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(headers)\r\n"])
    }

    @Test func aRefusedUpgradeIsAnsweredWithItsReasonInJSONNotAnEmpty400() async throws {
        let forbidden = try await upgradeAnswer("/objects/b/chat/ws", headers: "Authorization: Bearer \(tokenA)\r\n")
        #expect(forbidden.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(forbidden.lowercased().contains("content-type: application/json; charset=utf-8\r\n"))
        #expect(forbidden.lowercased().contains("connection: close\r\n"))
        #expect(forbidden.hasSuffix("\r\n\r\n" + #"{"error":"this token does not open namespace \"b\""}"#))
        let unauthorized = try await upgradeAnswer("/objects/b/chat/ws")
        #expect(unauthorized.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        #expect(unauthorized.lowercased().contains("www-authenticate: bearer\r\n"))
        let unknown = try await upgradeAnswer("/nowhere/ws", headers: "Authorization: Bearer \(tokenA)\r\n")
        #expect(unknown.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(unknown.hasSuffix(#"{"error":"no route for GET /nowhere/ws"}"#))
    }

    /// The close code of the close frame the server sends after `frame` (a client frame, masked
    /// with a zero key) on an accepted socket, or nil if the connection ends without one.
    private func closeCode(after frame: [UInt8]) async throws -> UInt16? {
        let upgrade = "GET /objects/a/chat/ws?functionId=room HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer \(tokenA)\r\n\r\n"
        let bytes = try await rawBytes(to: [Array(upgrade.utf8), frame])
        guard let headEnd = bytes.indices.first(where: { bytes[$0...].starts(with: Array("\r\n\r\n".utf8)) }) else { return nil }
        var at = headEnd + 4
        while at + 1 < bytes.count {  // server frames: unmasked, short payloads here
            let opcode = bytes[at] & 0x0F, length = Int(bytes[at + 1] & 0x7F)
            if opcode == 0x8, length >= 2, at + 3 < bytes.count { return UInt16(bytes[at + 2]) << 8 | UInt16(bytes[at + 3]) }
            at += 2 + length
        }
        return nil
    }

    @Test func aTextFrameThatIsNotUTF8ClosesTheSocketWithInvalidPayload1007() async throws {
        #expect(try await closeCode(after: [0x81, 0x82, 0, 0, 0, 0, 0xC3, 0x28]) == 1007)
    }

    @Test func aContinuationFrameWithNothingToContinueClosesTheSocketWithProtocolError1002() async throws {
        #expect(try await closeCode(after: [0x80, 0x82, 0, 0, 0, 0, 0x61, 0x62]) == 1002)
    }
}
