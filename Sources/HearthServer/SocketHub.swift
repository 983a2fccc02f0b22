import Foundation
import HearthBridge
import HummingbirdWebSocket

/// The server's open WebSockets. The server, not the object, owns them: an object may hibernate
/// or be evicted while its sockets stay open, and each socket's tags and attachment live here,
/// handed to the object with every event, so a woken object finds them again.
final class SocketHub: @unchecked Sendable {
    /// One open socket.
    final class Socket: @unchecked Sendable {
        let id: String
        let namespace: String
        let object: String
        let functionId: String?
        /// As the object admitted it (`webSocketConnect`'s `tags`), else as the client asked.
        var tags: [String]
        let outbound: WebSocketOutboundWriter
        /// Set by the object (the `attachment` member of an event result); at most `maxAttachmentBytes`.
        var attachment: JSONValue = .null
        /// When the server last answered this socket's auto-response request for the object.
        var lastAutoResponse: Date?

        init(id: String, namespace: String, object: String, functionId: String?, tags: [String], outbound: WebSocketOutboundWriter) {
            self.id = id
            self.namespace = namespace
            self.object = object
            self.functionId = functionId
            self.tags = tags
            self.outbound = outbound
        }
    }

    private let lock = NSLock()
    private var sockets: [String: Socket] = [:]
    private var serial: UInt64 = 0
    /// Auto-responses objects set for their sockets (`webSocketConnect`'s `autoResponse`), by
    /// namespace and object; the server's default applies to the others.
    private var autoResponses: [String: (request: String, response: String)] = [:]

    /// Most tags on one socket, and longest tag (workerd's limits).
    static let maxTags = 10
    static let maxTagBytes = 256

    /// Why `tags` cannot be a socket's tags, or nil.
    static func problem(with tags: [String]) -> String? {
        if tags.count > maxTags { return "\(tags.count) tags, more than the \(maxTags) a socket may carry" }
        if let long = tags.first(where: { $0.utf8.count > maxTagBytes }) {
            return "tag \"\(long.prefix(32))...\" is longer than \(maxTagBytes) bytes"
        }
        return nil
    }

    func setTags(_ tags: [String], of socket: Socket) { lock.withLock { socket.tags = tags } }

    func tags(of socket: Socket) -> [String] { lock.withLock { socket.tags } }

    func setAutoResponse(_ pair: (request: String, response: String), namespace: String, object: String) {
        lock.withLock { autoResponses[namespace + "/" + object] = pair }
    }

    /// The auto-response for `socket`'s object: its own, else `fallback`.
    func autoResponse(for socket: Socket, fallback: (request: String, response: String)?) -> (request: String, response: String)? {
        lock.withLock { autoResponses[socket.namespace + "/" + socket.object] ?? fallback }
    }

    func noteAutoResponse(_ socket: Socket, at date: Date) { lock.withLock { socket.lastAutoResponse = date } }

    func lastAutoResponse(of socket: Socket) -> Date? { lock.withLock { socket.lastAutoResponse } }

    func open(namespace: String, object: String, functionId: String?, tags: [String], outbound: WebSocketOutboundWriter) -> Socket {
        lock.withLock {
            serial += 1
            let socket = Socket(id: "ws-\(serial)", namespace: namespace, object: object, functionId: functionId,
                                tags: tags, outbound: outbound)
            sockets[socket.id] = socket
            return socket
        }
    }

    func close(_ socket: Socket) { lock.withLock { sockets[socket.id] = nil } }

    /// Closes every socket of an object (it was deleted): 1001 "going away" with `reason`.
    func closeAll(namespace: String, object: String, reason: String) async {
        for socket in sockets(namespace: namespace, object: object) {
            close(socket)
            try? await socket.outbound.close(.goingAway, reason: reason)
        }
    }

    var count: Int { lock.withLock { sockets.count } }

    /// Open sockets of one object, optionally only those carrying `tag` (the object's
    /// `getWebSockets(tag)`).
    func sockets(namespace: String, object: String, tag: String? = nil) -> [Socket] {
        lock.withLock {
            sockets.values.filter { $0.namespace == namespace && $0.object == object && (tag == nil || $0.tags.contains(tag!)) }
                .sorted { $0.id < $1.id }
        }
    }

    /// The object's open sockets as events describe them: `[{socket, tags}]`.
    func listing(namespace: String, object: String) -> JSONValue {
        .array(sockets(namespace: namespace, object: object).map { socket in
            .object([("socket", .string(socket.id)), ("tags", .array(tags(of: socket).map { .string($0) }))])
        })
    }

    func attachment(of socket: Socket) -> JSONValue { lock.withLock { socket.attachment } }

    func setAttachment(_ value: JSONValue, of socket: Socket, limit: Int) throws {
        let size = value.bytes.count
        guard size <= limit else { throw ServerError.badRequest("attachment of \(size) bytes exceeds the \(limit)-byte limit") }
        lock.withLock { socket.attachment = value }
    }
}
