import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route. It keeps the connection's channel, which the WebSocket
/// session needs to observe the peer's close frame (code and reason are not surfaced by the
/// WebSocket API itself).
public struct ServerRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        webSocket = WebSocketHandlerReference()
        channel = source.channel
    }
}
