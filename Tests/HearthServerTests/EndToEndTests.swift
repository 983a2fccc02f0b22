import Foundation
import HTTPTypes
import HearthBridge
@testable import HearthServer
import HearthObjects
import HearthRuntimeHost
import HearthText
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import Testing

/// Through the real embedded object host and the C test runtime (Ember), over loopback sockets.
@Suite(.serialized) struct EndToEndTests {
    static let runtime: [UInt8] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Guests/test-runtime.wasm")
        return [UInt8]((try? Data(contentsOf: url)) ?? Data())
    }()

    static let assembly = """
    (fn add (a b) (+ a b))
    (fn greet (name) (concat "Hello, " name "!"))
    (fn spin () (let on true) (let text "still going") (while on (log text)))
    (fn spin_quietly () (let on true) (while on on))
    """

    private func withServer(limits: ServerLimits = ServerLimits(), _ body: @escaping @Sendable (any TestClientProtocol, EmbeddedBackend) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-server-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = EmbeddedBackend(dataDirectory: folder.path, limits: limits.invocation)
        let server = try makeServer(backend, limits: limits)
        try await server.makeApplication().liveTest { client in try await body(client, backend) }
        await server.shutDown()
    }

    private func deploy(_ client: any TestClientProtocol, routing: String = "object") async throws {
        let upload = try await client.execute(uri: "/runtimes/a/default", method: .put, headers: bearer(tokenA),
                                              body: ByteBuffer(bytes: Self.runtime))
        #expect(upload.status == .created)
        let b64 = Data(Self.assembly.utf8).base64EncodedString()
        let target = routing == "object" ? #","object":"calc""# : ""
        let deploy = try await client.execute(uri: "/functions/a/math", method: .put, headers: bearer(tokenA), body: ByteBuffer(
            string: #"{"assemblyData":"\#(b64)","entryPoint":"add","routing":"\#(routing)"\#(target)}"#))
        #expect(deploy.status == .created)
    }

    @Test func theServerAndTheCLISeeTheSameObjectsAndASecondServerRefusesTheFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-server-layout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Deployed by the CLI's host (`hearth invoke --data folder`).
        let cli = HearthHost(directory: folder)
        try await cli.deployRuntime(namespace: "a", name: "default", bytes: Self.runtime)
        #expect(await cli.invoke(namespace: "a", object: "calc", HearthRuntimeHost.InvokeRequest(
            functionId: "math", entryPoint: "add", args: .array([.number(2), .number(3)]), assembly: Array(Self.assembly.utf8))).success)
        await cli.close()
        let backend = EmbeddedBackend(dataDirectory: folder.path)
        try await backend.start()
        #expect(try await backend.listObjects(namespace: "a") == ["calc"])
        let response = await backend.invoke(namespace: "a", object: "calc", request: InvokeRequest(
            functionId: "math", entryPoint: "add", args: .array([.number(4), .number(5)])), deadline: nil)
        #expect(response.result == .number(9))
        let second = EmbeddedBackend(dataDirectory: folder.path)
        await #expect(throws: ObjectError.self) { try await second.start() }
        await backend.shutdown()
    }

    @Test func poolFunctionsOfBothKindsAreServedAgainByARestartedServer() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-server-pool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let echo = Data(try WAT.parseModule("""
            (module
              (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 100))
                (i32.store (i32.const 4) (i32.const 64))
                (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
                (i32.store (i32.const 4) (i32.load (i32.const 8)))
                (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
            """)).base64EncodedString()
        for round in 0..<2 {
            let backend = EmbeddedBackend(dataDirectory: folder.path)
            let server = try makeServer(backend)
            try await server.makeApplication().liveTest { client in
                if round == 0 {
                    try await deploy(client, routing: "pool")
                    let command = try await client.execute(uri: "/functions/a/echo", method: .put, headers: bearer(tokenA), body: ByteBuffer(
                        string: #"{"kind":"command","module":"\#(echo)","routing":"pool"}"#))
                    #expect(command.status == .created)
                }
                let sum = try await client.execute(uri: "/functions/a/math/invoke", method: .post, headers: bearer(tokenA),
                                                   body: ByteBuffer(string: #"{"args":[2,3]}"#))
                #expect(sum.body.text == #"{"success":true,"result":5}"#, "round \(round)")
                let echoed = try await client.execute(uri: "/functions/a/echo/command", method: .post, headers: bearer(tokenA),
                                                      body: ByteBuffer(string: "round \(round)"))
                #expect(echoed.body.text == "round \(round)")
            }
            await server.shutDown()
        }
    }

    @Test func anUnknownEntryPointOrAnAssemblyThatDoesNotParseIsTheClientsMistake() async throws {
        try await withServer { client, _ in
            try await deploy(client)
            let unknown = try await client.execute(uri: "/objects/a/calc/invoke", method: .post, headers: bearer(tokenA),
                                                   body: ByteBuffer(string: #"{"functionId":"math","entryPoint":"nope","args":[]}"#))
            #expect(unknown.status == .badRequest, "\(unknown.body.text)")
            let broken = Data("(fn add (a b)".utf8).base64EncodedString()
            let deploy = try await client.execute(uri: "/functions/a/broken", method: .put, headers: bearer(tokenA), body: ByteBuffer(
                string: #"{"assemblyData":"\#(broken)","entryPoint":"add","routing":"object","object":"calc"}"#))
            #expect(deploy.status == .badRequest, "\(deploy.body.text)")
            #expect(deploy.body.text.hasPrefix(#"{"error":"#))
        }
    }

    @Test func anObjectIsRestoredToABookmarkAndAFunctionDeletedOverTheAdminRoutes() async throws {
        try await withServer { client, _ in
            try await deploy(client)
            let kv = Data("(fn put (v) (kv-put \"k\" v))\n(fn get () (kv-get \"k\"))".utf8).base64EncodedString()
            func invoke(_ entry: String, _ args: String, assembly: Bool = false) async throws -> String {
                let data = assembly ? #","assemblyData":"\#(kv)""# : ""
                return try await client.execute(uri: "/objects/a/calc/invoke", method: .post, headers: bearer(tokenA), body: ByteBuffer(
                    string: #"{"functionId":"kv","entryPoint":"\#(entry)","args":\#(args)\#(data)}"#)).body.text
            }
            #expect(try await invoke("put", "[1]", assembly: true) == #"{"success":true,"result":1}"#)
            let mark = try await client.execute(uri: "/admin/a/objects/calc/bookmark", method: .get, headers: bearer(tokenA))
            guard case .string(let bookmark)? = try JSONValue.parse(Array(mark.body.text.utf8))["bookmark"] else {
                Issue.record("no bookmark: \(mark.body.text)")
                return
            }
            #expect(try await invoke("put", "[2]") == #"{"success":true,"result":2}"#)
            let restore = try await client.execute(uri: "/admin/a/objects/calc/restore", method: .post, headers: bearer(tokenA),
                                                   body: ByteBuffer(string: #"{"bookmark":"\#(bookmark)"}"#))
            #expect(restore.status == .ok)
            #expect(try await invoke("get", "[]") == #"{"success":true,"result":1}"#)
            let bad = try await client.execute(uri: "/admin/a/objects/calc/restore", method: .post, headers: bearer(tokenA),
                                               body: ByteBuffer(string: #"{"bookmark":"zz"}"#))
            #expect(bad.status == .badRequest)
            let deleted = try await client.execute(uri: "/admin/a/objects/calc/functions/kv", method: .delete, headers: bearer(tokenA))
            #expect(deleted.status == .ok)
            #expect(try await invoke("get", "[]").contains(#""success":false"#))
            let again = try await client.execute(uri: "/admin/a/objects/calc/functions/kv", method: .delete, headers: bearer(tokenA))
            #expect(again.status == .notFound)
        }
    }

    @Test func deployThenInvokeThroughTheObjectHost() async throws {
        try await withServer { client, _ in
            try await deploy(client)
            let response = try await client.execute(uri: "/objects/a/calc/invoke", method: .post, headers: bearer(tokenA),
                                                    body: ByteBuffer(string: #"{"functionId":"math","entryPoint":"add","args":[2,3]}"#))
            #expect(response.status == .ok)
            #expect(response.body.text == #"{"success":true,"result":5}"#)
            let health = try await client.execute(uri: "/objects/a/calc/health", method: .get, headers: bearer(tokenA))
            #expect(health.body.text == #"{"status":"ok","initialized":true,"cachedDelegates":1,"activeConnections":0}"#)
            let list = try await client.execute(uri: "/admin/a/objects", method: .get, headers: bearer(tokenA))
            #expect(list.body.text == #"{"namespace":"a","objects":["calc"]}"#)
        }
    }

    @Test func aBadRuntimeModuleIsRefusedAtUpload() async throws {
        try await withServer { client, _ in
            let response = try await client.execute(uri: "/runtimes/a/broken", method: .put, headers: bearer(tokenA),
                                                    body: ByteBuffer(bytes: [0, 0x61, 0x73, 0x6d, 9, 0, 0, 0]))
            #expect(response.status == .badRequest)
            #expect(response.body.text.hasPrefix(#"{"error":"invalid runtime module: "#))
        }
    }

    @Test func aStatelessFunctionRunsInTheWarmPool() async throws {
        try await withServer { client, _ in
            try await deploy(client, routing: "pool")
            let response = try await client.execute(uri: "/functions/a/math/invoke", method: .post, headers: bearer(tokenA),
                                                    body: ByteBuffer(string: #"{"entryPoint":"greet","args":["pool"]}"#))
            #expect(response.body.text == #"{"success":true,"result":"Hello, pool!"}"#)
        }
    }

    @Test func aLoopingGuestIsCutOffAtItsDeadlineWhileOthersAreServed() async throws {
        try await withServer(limits: ServerLimits(invocation: ExecutionLimits(deadline: .milliseconds(500)))) { client, _ in
            try await deploy(client)
            async let looping = client.execute(uri: "/objects/a/calc/invoke", method: .post, headers: bearer(tokenA),
                                               body: ByteBuffer(string: #"{"functionId":"math","entryPoint":"spin"}"#))
            try await deploy(client, routing: "pool")
            let other = try await client.execute(uri: "/functions/a/math/invoke", method: .post, headers: bearer(tokenA),
                                                 body: ByteBuffer(string: #"{"entryPoint":"add","args":[1,1]}"#))
            #expect(other.body.text == #"{"success":true,"result":2}"#)
            let cut = try await looping
            #expect(cut.status == .gatewayTimeout)
            // The object is usable afterwards (its instance was replaced after the interrupt).
            try await Task.sleep(for: .milliseconds(200))
            let after = try await client.execute(uri: "/objects/a/calc/invoke", method: .post, headers: bearer(tokenA),
                                                 body: ByteBuffer(string: #"{"functionId":"math","entryPoint":"add","args":[20,22]}"#))
            #expect(after.body.text == #"{"success":true,"result":42}"#)
        }
    }

    /// A loop that never calls the host is stopped by the engine itself (the cooperative
    /// interrupt could not: it waits for a host call), and the server keeps answering.
    @Test func aGuestLoopingWithoutHostCallsIsCutOffWhileAnotherConnectionIsServed() async throws {
        let deadline = Duration.seconds(2)
        try await withServer(limits: ServerLimits(invocation: ExecutionLimits(deadline: deadline))) { client, _ in
            try await deploy(client)
            try await deploy(client, routing: "pool")
            let other = secondConnection(client.port)
            let warm = try await other.post("/functions/a/math/invoke", #"{"entryPoint":"add","args":[1,1]}"#)
            #expect(warm.text == #"{"success":true,"result":2}"#)
            async let looping = client.execute(uri: "/objects/a/calc/invoke", method: .post, headers: bearer(tokenA),
                                               body: ByteBuffer(string: #"{"functionId":"math","entryPoint":"spin_quietly"}"#))
            try await Task.sleep(for: .milliseconds(200))
            let answer = try await other.post("/functions/a/math/invoke", #"{"entryPoint":"add","args":[2,3]}"#)
            #expect(answer.text == #"{"success":true,"result":5}"#)
            try? await other.shutdown()
            let cut = try await looping
            #expect(cut.status == .gatewayTimeout)
        }
    }

    /// What a shutdown's grace period ends with: guests looping with no deadline at all, in an
    /// object and in the warm pool, are interrupted, so the drain (and the process) can end.
    /// (The time limit only turns a hang, the failure, into a failed test.)
    @Test(.timeLimit(.minutes(1)))
    func interruptingTheServersGuestsEndsLoopsThatHaveNoDeadline() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-server-stop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let limits = ServerLimits(invocation: ExecutionLimits(group: InterruptGroup()))
        let backend = EmbeddedBackend(dataDirectory: folder.path, limits: limits.invocation)
        let server = try makeServer(backend, limits: limits)
        try await server.makeApplication().liveTest { client in
            try await deploy(client)
            try await deploy(client, routing: "pool")
            let other = secondConnection(client.port)
            async let objectLoop = client.execute(uri: "/objects/a/calc/invoke", method: .post, headers: bearer(tokenA),
                                                  body: ByteBuffer(string: #"{"functionId":"math","entryPoint":"spin_quietly"}"#))
            async let poolLoop = other.post("/functions/a/math/invoke", #"{"entryPoint":"spin_quietly"}"#)
            try await Task.sleep(for: .milliseconds(300))
            server.interruptGuests()
            let (objectCut, poolCut) = try await (objectLoop, poolLoop)
            let objectText = String(buffer: objectCut.body)
            #expect(objectCut.status == .gatewayTimeout && objectText.contains(#""success":false"#), "\(objectText)")
            #expect(poolCut.status == .gatewayTimeout && poolCut.text.contains(#""success":false"#), "\(poolCut.text)")
            try? await other.shutdown()
        }
        await server.shutDown()
    }

    /// Invoking an object of a namespace that has no runtime yet is the client's mistake: 400
    /// with the reason, not a 500.
    @Test func invokingBeforeAnyRuntimeIsDeployedIsABadRequest() async throws {
        try await withServer { client, _ in
            let answer = try await client.execute(uri: "/objects/a/calc/invoke", method: .post, headers: bearer(tokenA),
                                                  body: ByteBuffer(string: #"{"functionId":"f","entryPoint":"e","args":[1]}"#))
            #expect(answer.status == .badRequest)
            #expect(String(buffer: answer.body) == #"{"success":false,"error":"no runtime named default is deployed"}"#)
        }
    }

    @Test func objectsLoopingOnEveryCoreDoNotStallOtherRequests() async throws {
        // The deadline only has to outlast the other request's answer; 10 s leaves room for a
        // loaded machine (4 s was cut off first once, with two builds running beside the tests).
        try await withServer(limits: ServerLimits(invocation: ExecutionLimits(deadline: .seconds(10)))) { client, _ in
            try await deploy(client)
            try await deploy(client, routing: "pool")
            let b64 = Data(Self.assembly.utf8).base64EncodedString()
            let spin = #"{"functionId":"math","entryPoint":"spin_quietly","assemblyData":"\#(b64)"}"#
            let loopers = (0..<ProcessInfo.processInfo.activeProcessorCount + 1).map { _ in secondConnection(client.port) }
            let finished = Received()
            let loops = Task {
                await withTaskGroup(of: Void.self) { group in
                    for (index, connection) in loopers.enumerated() {
                        group.addTask { _ = try? await connection.post("/objects/a/spin\(index)/invoke", spin) }
                    }
                }
                finished.add("loops cut off")
            }
            try await Task.sleep(for: .milliseconds(500))
            // Every object guest is spinning now; the server must still answer others.
            let other = secondConnection(client.port)
            let answer = try await other.post("/functions/a/math/invoke", #"{"entryPoint":"add","args":[2,3]}"#)
            #expect(answer.text == #"{"success":true,"result":5}"#)
            #expect(finished.all.isEmpty)
            await loops.value
            for connection in loopers + [other] { try? await connection.shutdown() }
        }
    }

    @Test func aGuestOutOfFuelIsStoppedOnBothRoutesAndTheNextCallRuns() async throws {
        try await withServer(limits: ServerLimits(invocation: ExecutionLimits(deadline: .seconds(30), fuel: 100_000))) { client, _ in
            try await deploy(client)
            try await deploy(client, routing: "pool")
            for uri in ["/objects/a/calc/invoke", "/functions/a/math/invoke"] {
                let spun = try await client.execute(uri: uri, method: .post, headers: bearer(tokenA),
                                                    body: ByteBuffer(string: #"{"functionId":"math","entryPoint":"spin_quietly"}"#))
                #expect(spun.status == .gatewayTimeout)
                #expect(String(buffer: spun.body).contains("fuel exceeded"))
                let next = try await client.execute(uri: uri, method: .post, headers: bearer(tokenA),
                                                    body: ByteBuffer(string: #"{"functionId":"math","entryPoint":"add","args":[2,3]}"#))
                #expect(String(buffer: next.body) == #"{"success":true,"result":5}"#)
            }
        }
    }

    @Test func webSocketInvokeAndPingWhileHibernatedThroughTheObjectHost() async throws {
        try await withServer { client, backend in
            try await deploy(client)
            let received = Received()
            _ = try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(client.port ?? 0)/objects/a/calc/ws?functionId=math&entryPoint=add",
                configuration: .init(additionalHeaders: [.authorization: "Bearer \(tokenA)"]), logger: Logger(label: "e2e")
            ) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                try await outbound.write(.text(#"{"type":"invoke","id":"x","params":[40,2]}"#))
                if case .text(let text)? = try await messages.next() { received.add(text) }
                try await backend.hibernate(namespace: "a", object: "calc")
                try await outbound.write(.text("ping"))
                if case .text(let text)? = try await messages.next() { received.add(text) }
                received.add("resident=\(await backend.isResident(namespace: "a", object: "calc"))")
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(received.all == [#"{"id":"x","success":true,"result":42}"#, "pong", "resident=false"])
            // The connect and the close are delivered to the object as events, counted apart from
            // invocations: a function without those handlers is not an invocation error.
            var metrics = ""
            for _ in 0..<100 where !metrics.contains(#"hearth_invocations_total{route="websocket_event"} 2"#) {
                try await Task.sleep(for: .milliseconds(20))
                metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            }
            #expect(metrics.contains(#"hearth_invocations_total{route="websocket_event"} 2"#))
            #expect(metrics.contains(#"hearth_invocations_total{route="websocket"} 1"#))
            #expect(metrics.contains(#"hearth_invocation_errors_total{route="websocket"} 0"#))
        }
    }
}
