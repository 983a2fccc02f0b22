import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// The close code and reason a WebSocket peer sent, if it sent a close frame.
struct PeerClose: Sendable, Equatable {
    var code: Int
    var reason: String
}

/// Sits after the frame decoder and records the peer's close frame before passing every frame
/// on unchanged: the close code and reason are what the object's `webSocketClose` must receive.
final class CloseFrameObserver: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    private let received = NIOLockedValueBox<PeerClose?>(nil)

    var peerClose: PeerClose? { received.withLockedValue { $0 } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if frame.opcode == .connectionClose {
            var payload = frame.unmaskedData
            // RFC 6455 §7.1.5: no status code in the frame means 1005 ("no status received").
            let code = payload.readInteger(as: UInt16.self).map(Int.init) ?? 1005
            let reason = payload.readString(length: payload.readableBytes) ?? ""
            received.withLockedValue { $0 = PeerClose(code: code, reason: reason) }
        }
        context.fireChannelRead(data)
    }

    /// Installs an observer right after the WebSocket frame decoder of `channel`.
    static func install(on channel: any Channel) async -> CloseFrameObserver? {
        let observer = CloseFrameObserver()
        do {
            // On the channel's event loop: the decoder handler is not Sendable, so it is looked
            // up and used there through the synchronous pipeline operations.
            try await channel.eventLoop.submit {
                let pipeline = channel.pipeline.syncOperations
                let decoder = try pipeline.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
                try pipeline.addHandler(observer, position: .after(decoder))
            }.get()
            return observer
        } catch {
            return nil
        }
    }
}
