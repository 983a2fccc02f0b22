import Foundation
import HTTPTypes
import HearthRuntime
import HearthText
@testable import HearthServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Answers `{"echo":<request>}` from its stdin; a request starting with `loop` spins until stopped.
private let echoJSON: [UInt8] = try! WAT.parseModule("""
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 128) "{\\22echo\\22:")
  (func (export "_start")
    (local $n i32)
    (i32.store (i32.const 0) (i32.const 136))
    (i32.store (i32.const 4) (i32.const 64))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $n (i32.load (i32.const 8)))
    (if (i32.eq (i32.load (i32.const 136)) (i32.const 0x706f6f6c)) (then (loop $spin (br $spin))))
    (i32.store8 (i32.add (i32.const 136) (local.get $n)) (i32.const 125))
    (i32.store (i32.const 16) (i32.const 128))
    (i32.store (i32.const 20) (i32.add (local.get $n) (i32.const 9)))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
""")

@Suite(.serialized) struct CommandRouteTests {
    private func withServer(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-server-commands-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let limits = ServerLimits(invocation: ExecutionLimits(deadline: .seconds(2)))
        let backend = EmbeddedBackend(dataDirectory: folder.path, limits: limits.invocation)
        let server = try makeServer(backend, limits: limits)
        try await server.makeApplication().liveTest { client in try await body(client) }
        await server.shutDown()
    }

    @Test func aCommandFunctionDeployedOverHTTPAnswersWithItsStandardOutput() async throws {
        try await withServer { client in
            let module = Data(echoJSON).base64EncodedString()
            let deploy = try await client.execute(uri: "/functions/a/echo", method: .put, headers: bearer(tokenA), body: ByteBuffer(
                string: #"{"kind":"command","module":"\#(module)","object":"box"}"#))
            #expect(deploy.status == .created)
            #expect(deploy.body.text == #"{"namespace":"a","functionId":"echo","kind":"command","mode":"per-invocation","routing":"object","object":"box"}"#)
            for request in ["\"hi\"", "[1,2,3]"] {
                let response = try await client.execute(uri: "/objects/a/box/commands/echo", method: .post, headers: bearer(tokenA),
                                                        body: ByteBuffer(string: request))
                #expect(response.status == .ok)
                #expect(response.body.text == #"{"echo":"# + request + "}")
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.headers[HTTPField.Name("hearth-exit-code")!] == "0")
                #expect(response.headers[HTTPField.Name("hearth-resumed")!] == "true")
            }
            let unknown = try await client.execute(uri: "/objects/a/box/commands/nope", method: .post, headers: bearer(tokenA),
                                                   body: ByteBuffer(string: "x"))
            #expect(unknown.status == .notFound)
            #expect(unknown.body.text == #"{"error":"no command function nope is deployed"}"#)
            let stopped = try await client.execute(uri: "/objects/a/box/commands/echo", method: .post, headers: bearer(tokenA),
                                                   body: ByteBuffer(string: "loop"))
            #expect(stopped.status == .gatewayTimeout)
            let bad = try await client.execute(uri: "/functions/a/bad", method: .put, headers: bearer(tokenA), body: ByteBuffer(
                string: #"{"kind":"command","module":"AGFzbQIAAAA=","object":"box"}"#))
            #expect(bad.status == .badRequest)
            #expect(bad.body.text.contains("the module is not valid"))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.body.text.contains(#"hearth_command_runs_total{start="resumed"} 3"#))
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: greetPath), "needs ../shared/real-world"))
    func theRustGreetProgramAnswersOverHTTPFromAnObjectAndFromThePool() async throws {
        let module = try Data(contentsOf: URL(fileURLWithPath: greetPath)).base64EncodedString()
        try await withServer { client in
            for (id, routing) in [("g", #""object":"box""#), ("h", #""routing":"pool""#)] {
                let deploy = try await client.execute(uri: "/functions/a/\(id)", method: .put, headers: bearer(tokenA), body: ByteBuffer(
                    string: #"{"kind":"command","module":"\#(module)","contentType":"text/plain",\#(routing)}"#))
                #expect(deploy.status == .created)
                for name in ["Hearth", "Wasm", ""] {
                    let uri = id == "g" ? "/objects/a/box/commands/g" : "/functions/a/h/command"
                    let response = try await client.execute(uri: uri, method: .post, headers: bearer(tokenA), body: ByteBuffer(string: name))
                    #expect(response.body.text == "Hello, \(name)!\n")
                    #expect(response.headers[HTTPField.Name("hearth-resumed")!] == "true")
                }
            }
        }
    }

    @Test func aCommandFunctionInThePoolAnswersConcurrentRequestsEachWithItsOwnInput() async throws {
        try await withServer { client in
            let module = Data(echoJSON).base64EncodedString()
            let deploy = try await client.execute(uri: "/functions/a/p", method: .put, headers: bearer(tokenA), body: ByteBuffer(
                string: #"{"kind":"command","module":"\#(module)","routing":"pool","contentType":"text/plain"}"#))
            #expect(deploy.status == .created)
            #expect(deploy.body.text == #"{"namespace":"a","functionId":"p","kind":"command","mode":"per-invocation","routing":"pool"}"#)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<16 {
                    group.addTask {
                        let response = try await client.execute(uri: "/functions/a/p/command", method: .post, headers: bearer(tokenA),
                                                                body: ByteBuffer(string: "\(i)"))
                        #expect(response.status == .ok)
                        #expect(response.body.text == #"{"echo":\#(i)}"#)
                        #expect(response.headers[.contentType] == "text/plain")
                    }
                }
                try await group.waitForAll()
            }
            let unknown = try await client.execute(uri: "/functions/b/p/command", method: .post, headers: bearer(tokenB),
                                                   body: ByteBuffer(string: "1"))
            #expect(unknown.status == .notFound)
            let streaming = try await client.execute(uri: "/functions/a/s", method: .put, headers: bearer(tokenA), body: ByteBuffer(
                string: #"{"kind":"command","module":"\#(module)","routing":"pool","mode":"lines"}"#))
            #expect(streaming.status == .badRequest)
            #expect(streaming.body.text.contains("unsupported: a streaming command function"))
            let badMode = try await client.execute(uri: "/functions/a/s", method: .put, headers: bearer(tokenA), body: ByteBuffer(
                string: #"{"kind":"command","module":"\#(module)","object":"box","mode":"chunks"}"#))
            #expect(badMode.status == .badRequest)
        }
    }
}

private let greetPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real-world/greet-wasi.rs.wasm").path
