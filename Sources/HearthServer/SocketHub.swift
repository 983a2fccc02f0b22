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
        let tags: [String]
        let outbound: WebSocketOutboundWriter
        /// Set by the object (the `attachment` member of an event result); at most `maxAttachmentBytes`.
        var attachment: JSONValue = .null

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

    /// Open sockets of one object, optionally only those carrying `tag`.
    func sockets(namespace: String, object: String, tag: String? = nil) -> [Socket] {
        lock.withLock {
            sockets.values.filter { $0.namespace == namespace && $0.object == object && (tag == nil || $0.tags.contains(tag!)) }
                .sorted { $0.id < $1.id }
        }
    }

    func attachment(of socket: Socket) -> JSONValue { lock.withLock { socket.attachment } }

    func setAttachment(_ value: JSONValue, of socket: Socket, limit: Int) throws {
        let size = value.bytes.count
        guard size <= limit else { throw ServerError.badRequest("attachment of \(size) bytes exceeds the \(limit)-byte limit") }
        lock.withLock { socket.attachment = value }
    }
}
