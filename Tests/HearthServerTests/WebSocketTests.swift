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

@Suite struct WebSocketTests {
    let logger = Logger(label: "ws.test")

    private func url(_ port: Int?, _ path: String) -> String { "ws://127.0.0.1:\(port ?? 0)\(path)" }

    @Test func invokeOverAWebSocketAnswersWithTheMessageId() async throws {
        let app = try makeServer(FakeBackend()).makeApplication()
        try await app.test(.live) { client in
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
        try await app.test(.live) { client in
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

    @Test func deletingAnObjectClosesItsWebSockets() async throws {
        let app = try makeServer(FakeBackend()).makeApplication()
        try await app.test(.live) { client in
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
        try await app.test(.live) { client in
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
        #expect(messages.map(\.text) == [#"[{"socket":"ws-1","message":"hello object","attachment":null,"tags":["red","blue"]}]"#])
        let closes = await backend.events("webSocketClose")
        #expect(closes.map(\.text) == [#"[{"socket":"ws-1","code":4001,"reason":"bye now","wasClean":true,"attachment":null,"tags":["red","blue"]}]"#])
    }

    @Test func attachmentsAreKeptByTheServerAcrossHibernation() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.test(.live) { client in
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
        try await app.test(.live) { client in
            await #expect(throws: (any Error).self) {
                _ = try await WebSocketClient.connect(
                    url: url(client.port, "/objects/b/chat/ws?functionId=echo&entryPoint=run"),
                    configuration: .init(additionalHeaders: [.authorization: "Bearer \(tokenA)"]), logger: logger
                ) { _, _, _ in }
            }
        }
        #expect(await backend.invocations.isEmpty)
    }
}
