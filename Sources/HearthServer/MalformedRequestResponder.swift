import HearthBridge
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// Answers bytes that are not HTTP: when the request decoder fails before a connection's first
/// request, the error becomes a JSON response (`{"error": ...}`, 400, or 431 for headers past
/// the decoder's limits) with `Connection: close`, and the connection is closed.
///
/// Hummingbird answered nothing there: while it is still deciding whether the first request is a
/// WebSocket upgrade, a decoder error left the connection open and silent until its idle
/// timeout. Later on a connection, Hummingbird itself answers such an error (after the answers
/// to the requests before it, in order) with an empty 400 and closes, so the error goes on to it.
/// The handler sits right after the HTTP codec and only counts what passes: it never reads a
/// message's type, since after a WebSocket upgrade raw frames flow through it.
final class MalformedRequestResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether anything was decoded on this connection yet.
    private var decodedAnything = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        decodedAnything = true
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, !decodedAnything else {
            return context.fireErrorCaught(error)
        }
        let tooLarge = parserError == .headerOverflow
        let message = tooLarge ? "request header fields too large" : "malformed HTTP request"
        let body = JSONValue.object([("error", .string(message))]).bytes
        var head = HTTPResponseHead(version: .http1_1, status: tooLarge ? .requestHeaderFieldsTooLarge : .badRequest)
        head.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(promise: nil)
    }
}

/// The HTTP/1 + WebSocket child channel with `MalformedRequestResponder` after its codec.
struct GuardedHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    let base: HTTP1WebSocketUpgradeChannel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // Before the upgrade handler, which would otherwise hold the first request's error.
            let operations = channel.pipeline.syncOperations
            let upgrader = try operations.handler(
                type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
            try operations.addHandler(MalformedRequestResponder(), position: .before(upgrader))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
