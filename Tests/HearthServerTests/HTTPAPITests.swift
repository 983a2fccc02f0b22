import Foundation
import HTTPTypes
import HearthBridge
@testable import HearthServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct HTTPAPITests {
    @Test func invokeAnswersSuccessAndResultOverARealSocket() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.liveTest { client in
            let body = ByteBuffer(string: #"{"functionId":"echo","entryPoint":"run","args":[1,"two"]}"#)
            let response = try await client.execute(uri: "/objects/a/counter/invoke", method: .post, headers: bearer(tokenA), body: body)
            #expect(response.status == .ok)
            #expect(response.body.text == #"{"success":true,"result":[1,"two"]}"#)
        }
        let seen = await backend.invocations
        #expect(seen.count == 1)
        #expect(seen.first?.namespace == "a")
        #expect(seen.first?.object == "counter")
    }

    @Test func aGuestErrorIsA422WithSuccessFalse() async throws {
        let app = try makeServer(FakeBackend()).makeApplication()
        try await app.liveTest { client in
            let body = ByteBuffer(string: #"{"functionId":"fail","entryPoint":"run"}"#)
            let response = try await client.execute(uri: "/objects/a/x/invoke", method: .post, headers: bearer(tokenA), body: body)
            #expect(response.status == .unprocessableContent)
            #expect(response.body.text == #"{"success":false,"error":"boom"}"#)
        }
    }

    @Test func aMissingTokenIs401AndAWrongTokenIs403() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.liveTest { client in
            let body = ByteBuffer(string: #"{"functionId":"echo","entryPoint":"run"}"#)
            let missing = try await client.execute(uri: "/objects/a/x/invoke", method: .post, body: body)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.contentType] == "application/json; charset=utf-8")
            #expect(missing.body.text == #"{"error":"missing bearer token (Authorization: Bearer <token>)"}"#)
            let wrong = try await client.execute(uri: "/objects/a/x/invoke", method: .post,
                                                 headers: bearer("not-the-right-token-at-all"), body: body)
            #expect(wrong.status == .forbidden)
        }
        #expect(await backend.invocations.isEmpty)
    }

    @Test func anotherTenantsObjectIsUnreachable() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend).makeApplication()
        try await app.liveTest { client in
            let body = ByteBuffer(string: #"{"functionId":"echo","entryPoint":"run"}"#)
            let response = try await client.execute(uri: "/objects/b/secret/invoke", method: .post, headers: bearer(tokenA), body: body)
            #expect(response.status == .forbidden)
            #expect(response.body.text == #"{"error":"this token does not open namespace \"b\""}"#)
            let health = try await client.execute(uri: "/objects/b/secret/health", method: .get, headers: bearer(tokenA))
            #expect(health.status == .forbidden)
            let list = try await client.execute(uri: "/admin/b/objects", method: .get, headers: bearer(tokenA))
            #expect(list.status == .forbidden)
        }
        #expect(await backend.invocations.isEmpty)
    }

    @Test func anOversizedBodyIsRefusedWith413() async throws {
        let backend = FakeBackend()
        let app = try makeServer(backend, limits: ServerLimits(maxBodyBytes: 1024)).makeApplication()
        try await app.liveTest { client in
            let big = #"{"functionId":"echo","entryPoint":"run","args":[""# + String(repeating: "x", count: 4096) + #""]}"#
            let response = try await client.execute(uri: "/objects/a/x/invoke", method: .post, headers: bearer(tokenA),
                                                    body: ByteBuffer(string: big))
            #expect(response.status == .contentTooLarge)
            #expect(response.body.text == #"{"error":"the request body of 4148 bytes exceeds the 1024-byte limit"}"#)
        }
        #expect(await backend.invocations.isEmpty)
    }

    @Test func anInvocationPastItsDeadlineIs504WhileOthersAreServed() async throws {
        // The other request must be answered while the loop still runs (before its deadline cut
        // it): an order of events, not a wall-clock bound, so a loaded machine cannot fail it.
        // The deadline is long enough that serving the other request takes less on any machine.
        let app = try makeServer(FakeBackend(), limits: ServerLimits(invocation: ExecutionLimits(deadline: .seconds(10)))).makeApplication()
        try await app.liveTest { client in
            let loopEnded = Recorder()
            async let looping = { () async throws -> (HTTPResponse.Status, String) in
                let response = try await client.execute(uri: "/objects/a/spinner/invoke", method: .post, headers: bearer(tokenA),
                                                        body: ByteBuffer(string: #"{"functionId":"loop","entryPoint":"run"}"#))
                await loopEnded.record("ended")
                return (response.status, response.body.text)
            }()
            try await Task.sleep(for: .milliseconds(50))
            let second = secondConnection(client.port)
            let other = try await second.post("/objects/a/other/invoke", #"{"functionId":"echo","entryPoint":"run","args":[7]}"#)
            try await second.shutdown()
            #expect(other.status == .ok)
            #expect(other.text == #"{"success":true,"result":[7]}"#)
            #expect(await loopEnded.entries.isEmpty)
            let cut = try await looping
            #expect(cut.0 == .gatewayTimeout)
            #expect(cut.1 == #"{"success":false,"error":"invocation deadline of 10.0 seconds exceeded"}"#)
        }
    }

    @Test func overloadIsRefusedWith503AndRetryAfter() async throws {
        // The first invocation holds the only slot until its deadline, however slow the machine.
        let limits = ServerLimits(invocation: ExecutionLimits(deadline: .seconds(3)), maxConcurrentInvocations: 1, retryAfterSeconds: 2)
        let app = try makeServer(FakeBackend(), limits: limits).makeApplication()
        try await app.liveTest { client in
            async let slow = client.execute(uri: "/objects/a/s/invoke", method: .post, headers: bearer(tokenA),
                                            body: ByteBuffer(string: #"{"functionId":"loop","entryPoint":"run"}"#))
            try await Task.sleep(for: .milliseconds(100))
            let second = secondConnection(client.port)
            let refused = try await second.post("/objects/a/t/invoke", #"{"functionId":"echo","entryPoint":"run"}"#)
            try await second.shutdown()
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.head.headerFields[.retryAfter] == "2")
            #expect(refused.text == #"{"error":"server overloaded: 1 invocations already running"}"#)
            #expect(try await slow.status == .gatewayTimeout)
        }
    }

    @Test func unknownRoutesAndBadJSONAnswerJSONErrors() async throws {
        let app = try makeServer(FakeBackend()).makeApplication()
        try await app.liveTest { client in
            let missing = try await client.execute(uri: "/nowhere", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.body.text == #"{"error":"no route for GET /nowhere"}"#)
            let bad = try await client.execute(uri: "/objects/a/x/invoke", method: .post, headers: bearer(tokenA),
                                               body: ByteBuffer(string: "{nope"))
            #expect(bad.status == .badRequest)
            #expect(bad.body.text.hasPrefix(#"{"error":"the body is not valid JSON"#))
        }
    }

    @Test func metricsExposeInvocationCountersInPrometheusFormat() async throws {
        let app = try makeServer(FakeBackend()).makeApplication()
        try await app.liveTest { client in
            _ = try await client.execute(uri: "/objects/a/m/invoke", method: .post, headers: bearer(tokenA),
                                         body: ByteBuffer(string: #"{"functionId":"fail","entryPoint":"run"}"#))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = metrics.body.text
            #expect(text.contains(#"hearth_invocations_total{route="object"} 1"#))
            #expect(text.contains(#"hearth_invocation_errors_total{route="object"} 1"#))
            #expect(text.contains(#"hearth_invocation_duration_seconds_count{route="object"} 1"#))
            #expect(text.contains("hearth_objects_live 1"))
        }
    }

    @Test func withoutTokensTheServerRefusesANonLoopbackAddress() throws {
        #expect(throws: ServerError.self) {
            _ = try ServerConfiguration(host: "0.0.0.0", port: 8080).validated()
        }
        #expect(try ServerConfiguration(host: "127.0.0.1", port: 8080).validated().host == "127.0.0.1")
    }

    @Test func aTokensFileMapsNamespacesToTokens() throws {
        let store = try TokenStore(json: Array(#"{"a":"0123456789abcdef","b":["1111111111111111","2222222222222222"]}"#.utf8))
        #expect(store.namespaces == ["a", "b"])
        #expect(store.allows("0123456789abcdef", namespace: "a"))
        #expect(!store.allows("0123456789abcdef", namespace: "b"))
        #expect(store.allows("2222222222222222", namespace: "b"))
        #expect(throws: ServerError.self) { try TokenStore(json: Array(#"{"a":"short"}"#.utf8)) }
    }

    @Test func tokensComeFromTheEnvironmentWhenNoFileIsGiven() throws {
        let json = #"{"a":"0123456789abcdef"}"#
        let store = try #require(try TokenStore.configured(file: nil, environment: ["HEARTH_TOKENS": json]))
        #expect(store.allows("0123456789abcdef", namespace: "a"))
        #expect(try TokenStore.configured(file: nil, environment: [:]) == nil)
        #expect(try TokenStore.configured(file: nil, environment: ["HEARTH_TOKENS": ""]) == nil)
        #expect(throws: ServerError.self) { try TokenStore.configured(file: nil, environment: ["HEARTH_TOKENS": "{"]) }
        #expect(throws: ServerError.self) {
            try TokenStore.configured(file: "/nonexistent", environment: ["HEARTH_TOKENS": json])
        }
    }
}
