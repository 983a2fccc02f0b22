import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route. It keeps the connection's channel, which the WebSocket
/// session needs to observe the peer's close frame (code and reason are not surfaced by the
/// WebSocket API itself).
public struct ServerRequestContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's per-request state: its logger, the matched route and its parameters.
    public var coreContext: CoreRequestContextStorage
    /// Where the WebSocket upgrade leaves its handler, for `HummingbirdWebSocket`.
    public let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    /// The context of a request arriving on `source`'s connection, keeping its channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        webSocket = WebSocketHandlerReference()
        channel = source.channel
    }
}
