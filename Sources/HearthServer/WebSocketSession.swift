import HearthObjects
import HearthRuntimeHost
import HearthBridge
import Hummingbird
import HummingbirdWebSocket
import Foundation
import Logging
import NIOCore

/// One hibernatable WebSocket to an object.
///
/// Protocol (text frames): `{"type":"invoke","id":..,"params":..}` runs the socket's function
/// (`functionId`/`entryPoint` from the query, overridable per message) and answers
/// `{"id":..,"success":..,"result"|"error":..}`. The auto-response request (`ping` by default) is
/// answered by the server (`pong`) without contacting the object, so a hibernated object stays
/// asleep. Every other message, and the socket's close and errors, are delivered to the object as
/// invocations of the entry points `webSocketMessage`, `webSocketClose` and `webSocketError` with
/// `{socket, message|code+reason+wasClean|error, attachment, tags, sockets, autoResponseTimestamp}`
/// (`sockets`: every open socket of the object with its tags, its `getWebSockets`).
/// An event's result may carry `send` (a string or list of strings to send back), `broadcast`
/// (`{message, tag?}` or a list of them: sent to every socket of the object, or those carrying
/// `tag`), `attachment` (kept by the server, at most 16 KiB, given back with later events even
/// after the object was evicted) and `close` (`{code, reason}`).
///
/// The object owns its sockets: a new socket is first offered to it as `webSocketConnect`
/// (`{socket, tags, sockets}`); its result may refuse it (`accept: false`, `reason`: closed
/// with 1008), set its tags (at most 10 of at most 256 bytes; what the client asked otherwise),
/// and set the object's auto-response (`{request, response}`, answered by the server without
/// waking the object). An object without that entry point accepts every socket. The event entry
/// points are the server's to deliver: a client invoking one is refused.
struct WebSocketSession: Sendable {
    let invoker: Invoker
    let hub: SocketHub
    let limits: ServerLimits
    let autoResponse: (request: String, response: String)?
    let metrics: ServerMetrics

    static let connectEntryPoint = "webSocketConnect"
    static let messageEntryPoint = "webSocketMessage"
    static let closeEntryPoint = "webSocketClose"
    static let errorEntryPoint = "webSocketError"
    /// Entry points only the server invokes.
    static let eventEntryPoints: Set<String> = [connectEntryPoint, messageEntryPoint, closeEntryPoint, errorEntryPoint]

    func run(namespace: String, object: String, functionId: String?, entryPoint: String?, tags: [String],
             inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel, logger: Logger) async throws {
        let observer = await CloseFrameObserver.install(on: channel)
        let socket = hub.open(namespace: namespace, object: object, functionId: functionId, tags: tags, outbound: outbound)
        logger.info("websocket opened", metadata: ["namespace": "\(namespace)", "object": "\(object)", "socket": "\(socket.id)"])
        defer {
            hub.close(socket)
            logger.info("websocket closed", metadata: ["namespace": "\(namespace)", "object": "\(object)", "socket": "\(socket.id)"])
        }
        if let problem = SocketHub.problem(with: tags) {
            try await outbound.close(.policyViolation, reason: problem)
            return
        }
        switch try await admit(socket) {
        case .refused(let reason):
            try await outbound.close(.policyViolation, reason: reason)
            return
        case .closed:
            return
        case .admitted:
            break
        }
        do {
            for try await message in inbound.messages(maxSize: limits.maxWebSocketMessageBytes) {
                let closeRequested: Bool
                switch message {
                case .text(let text):
                    if let autoResponse = hub.autoResponse(for: socket, fallback: autoResponse), text == autoResponse.request {
                        metrics.autoResponses.increment()
                        hub.noteAutoResponse(socket, at: Date())
                        try await outbound.write(.text(autoResponse.response))
                        continue
                    }
                    closeRequested = try await handleText(text, socket: socket, entryPoint: entryPoint)
                case .binary(var buffer):
                    let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                    closeRequested = try await deliver(Self.messageEntryPoint, to: socket, event: [
                        ("message", .null), ("binary", .string(Base64Field.encode(bytes)))])
                }
                if closeRequested { return }
            }
        } catch {
            _ = try? await deliver(Self.errorEntryPoint, to: socket, event: [("error", .string("\(error)"))])
            throw error
        }
        // The inbound stream ended: the peer sent a close frame (its code and reason were seen by
        // the observer) or the connection dropped without one (1006, RFC 6455 §7.1.5).
        let close = observer?.peerClose
        _ = try? await deliver(Self.closeEntryPoint, to: socket, event: [
            ("code", .number(Double(close?.code ?? 1006))), ("reason", .string(close?.reason ?? "")),
            ("wasClean", .bool(close != nil))])
    }

    private enum Admission { case admitted, refused(String), closed }

    /// Offers the new socket to its object (`webSocketConnect`) and applies its answer.
    private func admit(_ socket: SocketHub.Socket) async throws -> Admission {
        guard let functionId = socket.functionId else { return .admitted }
        let args: JSONValue = .object([("socket", .string(socket.id)), ("tags", .array(socket.tags.map { .string($0) })),
                                       ("sockets", hub.listing(namespace: socket.namespace, object: socket.object))])
        guard let response = try? await invoker.invokeObject(
                namespace: socket.namespace, object: socket.object,
                request: InvokeRequest(functionId: functionId, entryPoint: Self.connectEntryPoint, args: .array([args])),
                route: "websocket_event"),
              let result = response.result, case .object = result else { return .admitted }
        if case .bool(false)? = result["accept"] {
            return .refused((try? result.optionalString("reason")) ?? "refused by the object")
        }
        if case .array(let items)? = result["tags"] {
            let tags = items.compactMap { item -> String? in if case .string(let tag) = item { return tag } else { return nil } }
            if let problem = SocketHub.problem(with: tags) { return .refused("the object's tags: \(problem)") }
            hub.setTags(tags, of: socket)
        }
        if let pair = result["autoResponse"], case .string(let request)? = pair["request"], case .string(let reply)? = pair["response"] {
            hub.setAutoResponse((request, reply), namespace: socket.namespace, object: socket.object)
        }
        return try await apply(result, of: Self.connectEntryPoint, to: socket) ? .closed : .admitted
    }

    /// Returns true when the object asked to close the socket.
    private func handleText(_ text: String, socket: SocketHub.Socket, entryPoint: String?) async throws -> Bool {
        guard let json = try? JSONValue.parse(text), case .string("invoke")? = json["type"] else {
            return try await deliver(Self.messageEntryPoint, to: socket, event: [("message", .string(text))])
        }
        let id = json["id"] ?? .null
        let reply: JSONValue
        do {
            guard let functionId = try json.optionalString("functionId") ?? socket.functionId else {
                throw ServerError.badRequest("no functionId: give it in the WebSocket URL's query or in the message")
            }
            guard let entry = try json.optionalString("entryPoint") ?? entryPoint else {
                throw ServerError.badRequest("no entryPoint: give it in the WebSocket URL's query or in the message")
            }
            let request = InvokeRequest(functionId: functionId, entryPoint: entry, args: json["params"] ?? .array([]))
            let response = try await invoker.invokeObject(namespace: socket.namespace, object: socket.object,
                                                          request: request, route: "websocket")
            reply = .object([("id", id)] + Self.members(response.body))
        } catch let error as ServerError {
            reply = .object([("id", id), ("success", .bool(false)), ("error", .string(error.message))])
        }
        try await socket.outbound.write(.text(reply.text))
        return false
    }

    /// Delivers an event to the object and applies what its result asks for. Objects without a
    /// handler for the event simply do not get it: the failure is logged, the socket stays open.
    private func deliver(_ entryPoint: String, to socket: SocketHub.Socket, event: [(String, JSONValue)]) async throws -> Bool {
        guard let functionId = socket.functionId else { return false }
        var args: [(String, JSONValue)] = [("socket", .string(socket.id))] + event + [
            ("attachment", hub.attachment(of: socket)), ("tags", .array(hub.tags(of: socket).map { .string($0) })),
            ("sockets", hub.listing(namespace: socket.namespace, object: socket.object))]
        if let last = hub.lastAutoResponse(of: socket) { args.append(("autoResponseTimestamp", .number(last.timeIntervalSince1970 * 1000))) }
        let response: InvokeResponse
        do {
            response = try await invoker.invokeObject(namespace: socket.namespace, object: socket.object,
                                                      request: InvokeRequest(functionId: functionId, entryPoint: entryPoint,
                                                                             args: .array([.object(args)])),
                                                      route: "websocket_event")
        } catch {
            return false
        }
        guard let result = response.result, case .object = result else { return false }
        return try await apply(result, of: entryPoint, to: socket)
    }

    /// Applies an event result's `attachment`, `send`, `broadcast` and `close`; true when the
    /// socket was closed.
    private func apply(_ result: JSONValue, of entryPoint: String, to socket: SocketHub.Socket) async throws -> Bool {
        if let attachment = result["attachment"] {
            do {
                try hub.setAttachment(attachment, of: socket, limit: limits.maxAttachmentBytes)
            } catch let error as ServerError {
                try? await socket.outbound.write(.text(JSONValue.object([("error", .string(error.message))]).text))
            }
        }
        switch result["send"] {
        case .string(let text)?: try await socket.outbound.write(.text(text))
        case .array(let items)?:
            for case .string(let text) in items { try await socket.outbound.write(.text(text)) }
        default: break
        }
        let broadcasts: [JSONValue]
        switch result["broadcast"] {
        case .array(let items)?: broadcasts = items
        case let single?: broadcasts = [single]
        case nil: broadcasts = []
        }
        for broadcast in broadcasts {
            guard case .string(let text)? = broadcast["message"] else { continue }
            let tag = try? broadcast.optionalString("tag")
            for target in hub.sockets(namespace: socket.namespace, object: socket.object, tag: tag) {
                // A peer that went away meanwhile is its own session's business.
                try? await target.outbound.write(.text(text))
            }
        }
        if let close = result["close"], entryPoint != Self.closeEntryPoint {
            var code = 1000
            if case .number(let n)? = close["code"], n >= 1000, n < 5000 { code = Int(n) }
            var reason = ""
            if case .string(let text)? = close["reason"] { reason = text }
            try await socket.outbound.close(.init(codeNumber: code), reason: reason)
            return true
        }
        return false
    }

    private static func members(_ value: JSONValue) -> [(String, JSONValue)] {
        if case .object(let members) = value { return members }
        return []
    }
}

extension Base64Field {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
