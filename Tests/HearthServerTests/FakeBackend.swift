import Foundation
import HearthBridge
import HearthObjects
import HearthRuntimeHost
@testable import HearthServer

/// A backend that records what reaches it. Functions: "echo" answers its args, "slow" sleeps
/// 300 ms, "loop" never finishes (until cancelled), "fail" reports a guest error.
actor FakeBackend: ServerBackend {
    private(set) var invocations: [(namespace: String, object: String, request: InvokeRequest)] = []
    private(set) var resident: Set<String> = []
    private(set) var wakes = 0
    private(set) var shutDown = false

    func deployRuntime(namespace: String, name: String, bytes: [UInt8]) async throws -> RuntimeSummary {
        guard bytes.starts(with: [0, 0x61, 0x73, 0x6d]) else { throw ServerError.badRequest("invalid runtime module: bad magic") }
        return RuntimeSummary(name: name, bytes: bytes.count)
    }

    func deployFunction(namespace: String, object: String, runtime: String, functionId: String, entryPoint: String,
                        assembly: [UInt8]) async throws {}

    /// The pool has "echo" (answers its args), like the objects; any other function is unknown.
    nonisolated func invokeInPool(namespace: String, functionId: String, entryPoint: String?, args: JSONValue,
                                  completion: @escaping @Sendable (InvokeResponse) -> Void) {
        guard functionId == "echo" else {
            return completion(.failure("unknown stateless function \(functionId) in namespace \(namespace)", .unknownFunction))
        }
        completion(.success(args))
    }

    func invoke(namespace: String, object: String, request: InvokeRequest, deadline: EventDeadline?) async -> InvokeResponse {
        invocations.append((namespace, object, request))
        let key = namespace + "/" + object
        if !resident.contains(key) {
            resident.insert(key)
            wakes += 1
        }
        switch request.functionId {
        case "slow":
            try? await Task.sleep(for: .milliseconds(300))
            return .success(.string("slow done"))
        case "loop":
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
            return .success(.string("cancelled"))
        case "fail": return .failure("boom", .guestError)
        case "room":
            // A chat room: it admits sockets (refusing "banned" ones), tags them "member",
            // sets its own heartbeat auto-response, and broadcasts every message to members.
            guard case .array(let items) = request.args, let event = items.first else { return .success(.null) }
            switch request.entryPoint {
            case "webSocketConnect":
                guard case .array(let tags)? = event["tags"] else { return .success(.null) }
                if tags.contains(.string("banned")) {
                    return .success(.object([("accept", .bool(false)), ("reason", .string("banned"))]))
                }
                return .success(.object([("tags", .array([.string("member")] + tags)),
                                         ("autoResponse", .object([("request", .string("hb")), ("response", .string("alive"))]))]))
            case "webSocketMessage":
                guard case .string(let text)? = event["message"] else { return .success(.null) }
                if text == "who" {
                    return .success(.object([("send", .string(event["sockets"].map { $0.text } ?? "none"))]))
                }
                return .success(.object([("broadcast", .object([("tag", .string("member")), ("message", .string(text))]))]))
            default: return .success(.null)
            }
        case "closer" where request.entryPoint == "webSocketMessage":
            return .success(.object([("close", .object([("code", .number(4002)), ("reason", .string("asked"))]))]))
        case "attach" where request.entryPoint == "webSocketMessage":
            // Keeps a counter in the socket's attachment and echoes it.
            guard case .array(let items) = request.args, let event = items.first else { return .success(.null) }
            var count = 0.0
            if case .number(let n)? = event["attachment"]?["count"] { count = n }
            count += 1
            return .success(.object([("attachment", .object([("count", .number(count))])),
                                     ("send", .string("count=\(Int(count))"))]))
        default: return .success(request.args)
        }
    }

    func health(namespace: String, object: String) async throws -> HealthResponse {
        HealthResponse(status: "ok", initialized: resident.contains(namespace + "/" + object), cachedDelegates: 0)
    }

    func isResident(namespace: String, object: String) async -> Bool { resident.contains(namespace + "/" + object) }

    func hibernate(namespace: String, object: String) async throws { resident.remove(namespace + "/" + object) }

    func listObjects(namespace: String) async throws -> [String] {
        Array(Set(invocations.filter { $0.namespace == namespace }.map(\.object))).sorted()
    }

    func deleteObject(namespace: String, object: String) async throws -> Bool {
        invocations.contains { $0.namespace == namespace && $0.object == object }
    }
    func triggerAlarm(namespace: String, object: String) async throws {}
    func deleteFunction(namespace: String, object: String, functionId: String) async throws -> Bool { false }
    func bookmark(namespace: String, object: String, at milliseconds: Int64?) async throws -> String { "0000000000000001" }
    func restore(namespace: String, object: String, to bookmark: String) async throws -> String { "0000000000000002" }
    func statistics() async -> BackendStatistics { BackendStatistics(liveObjects: resident.count) }
    func shutdown() async { shutDown = true }

    func events(_ entryPoint: String) -> [JSONValue] {
        invocations.filter { $0.request.entryPoint == entryPoint }.map(\.request.args)
    }
}
