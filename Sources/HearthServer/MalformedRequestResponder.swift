import HearthBridge
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// Answers what Hummingbird would answer with an empty 400 in the server's JSON shape, always
/// with `Connection: close` and a closed connection: bytes that are not HTTP (400, or 431 for
/// headers past the decoder's limits), wherever on the connection the decoder fails, and a
/// refused WebSocket upgrade (the route's own 401, 403 or 404, from `UpgradeRefusals`).
///
/// Hummingbird answers nothing for a decoder error before a connection's first request: while
/// it is still deciding whether that request is a WebSocket upgrade, the error left the
/// connection open and silent until its idle timeout. So there the handler answers itself.
/// Later on a connection, Hummingbird answers the error (after the answers to the requests
/// before it, in order) with an empty 400 and closes; the handler lets the error go on to keep
/// that order and rewrites that one empty answer on its way out. A refused upgrade is likewise
/// answered by HummingbirdWebSocket with an empty 400, which is the connection's first response.
///
/// The handler sits right after the HTTP codec. It reads an outbound message's type only for
/// the connection's first response and after a decoder error: after a WebSocket upgrade (whose
/// 101 is the first response) raw frames flow through it, and an upgraded connection has no
/// HTTP decoder left to fail.
final class MalformedRequestResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let upgradeRefusals: UpgradeRefusals
    /// Whether anything was decoded on this connection yet.
    private var decodedAnything = false
    /// Whether the connection's first response head has gone out.
    private var answeredFirst = false
    /// The decoder's error, once Hummingbird has been left to answer it.
    private var refused: ServerError?
    /// The JSON body that replaces the body of an empty 400, once its replaced head went out.
    private var replacementBody: [UInt8]?

    /// A handler answering refused upgrades with the reasons recorded in `upgradeRefusals`.
    init(refusals upgradeRefusals: UpgradeRefusals) {
        self.upgradeRefusals = upgradeRefusals
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        decodedAnything = true
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        _ = upgradeRefusals.take(for: context.channel)  // a refusal never sent must not stay behind
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        let refusal = parserError == .headerOverflow
            ? ServerError(.requestHeaderFieldsTooLarge, "request header fields too large")
            : ServerError.badRequest("malformed HTTP request")
        guard !decodedAnything else {
            refused = refusal
            return context.fireErrorCaught(error)
        }
        let (head, body) = Self.answer(refusal)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !answeredFirst || refused != nil || replacementBody != nil else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head(let head):
            let first = !answeredFirst
            answeredFirst = true
            guard head.status == .badRequest, head.headers["Content-Length"] == ["0"],
                  let refusal = refused ?? (first ? upgradeRefusals.take(for: context.channel) : nil) else {
                return context.write(data, promise: promise)
            }
            // Hummingbird's empty answer: earlier responses have all gone out before it.
            let (replacement, body) = Self.answer(refusal)
            replacementBody = body
            refused = nil
            context.write(wrapOutboundOut(.head(replacement)), promise: promise)
        case .end(let trailers) where replacementBody != nil:
            let body = replacementBody!
            replacementBody = nil
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            context.write(wrapOutboundOut(.end(trailers)), promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }

    /// The JSON answer to `refusal`: its head (with the error's own headers and `Connection:
    /// close`) and body.
    private static func answer(_ refusal: ServerError) -> (HTTPResponseHead, [UInt8]) {
        let reply = JSONReply(refusal)
        let body = reply.json.bytes
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: reply.status.code))
        for field in reply.headers { head.headers.add(name: field.name.rawName, value: field.value) }
        head.headers.add(name: "Content-Type", value: JSONResponse.contentType)
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        return (head, body)
    }
}

/// The HTTP/1 + WebSocket child channel with `MalformedRequestResponder` after its codec.
struct GuardedHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    let refusals: UpgradeRefusals
    let base: HTTP1WebSocketUpgradeChannel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // Before the upgrade handler, which would otherwise hold the first request's error.
            let operations = channel.pipeline.syncOperations
            let upgrader = try operations.handler(
                type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
            try operations.addHandler(MalformedRequestResponder(refusals: refusals), position: .before(upgrader))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
