import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Answers the invoke routes inside the connection's channel pipeline, on its event loop, instead
/// of handing them to Hummingbird's router.
///
/// Why: a request through the router costs two thread hops (the event loop hands it to the
/// connection's task on Swift's cooperative pool, whose answer is handed back), a task switch per
/// request part and the router's generic machinery; for a warm pool invoke the cooperative pool's
/// share alone was over a third of the server's CPU (perf). Here a pool invoke goes from the event loop to a pool
/// thread and back, nothing else. Both ways share `InvokeEndpoint`, so answers are identical.
///
/// It sits after Hummingbird's `HTTPConnectionStateHandler`, which therefore still sees every
/// request and response (idle timeout, graceful shutdown's close-after-response). Requests for
/// other routes pass on to the router. Order on a pipelining connection is kept: while the router
/// owes a response every request is passed on, and requests arriving during an invocation wait.
final class InvokeChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        case idle
        /// A request going to the router: its body and end follow it.
        case passing
        /// An invoke request whose body is arriving.
        case reading(InvokeEndpoint.Target, HTTPRequest, ByteBuffer)
        /// Answered from the head (refused): the rest of the request is dropped.
        case refused
        /// Waiting for the invocation; requests arriving meanwhile wait in `held`.
        case invoking
    }

    private var state = State.idle
    /// Responses the router still owes for requests passed on.
    private var owedByRouter = 0
    private var held: [HTTPRequestPart] = []
    /// A read asked for while requests wait behind an invocation, issued once it is answered: a
    /// client pipelining behind a long invocation gets about one read's worth held, not unbounded
    /// memory. (Reads are not deferred otherwise: each would cost epoll registration calls.)
    private var readDeferred = false
    private let endpoint: InvokeEndpoint
    private var dateHeader = HTTPDateHeader()

    init(endpoint: InvokeEndpoint) {
        self.endpoint = endpoint
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .invoking = state {
            held.append(part)
        } else {
            process(part, context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        if case .invoking = state, !held.isEmpty {
            readDeferred = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { owedByRouter -= 1 }
        context.write(data, promise: promise)
    }

    private func process(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            guard owedByRouter == 0, let target = InvokeEndpoint.Target(method: head.method, path: head.path ?? "") else {
                owedByRouter += 1
                state = .passing
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            do {
                try endpoint.check(target, headers: head.headerFields)
                state = .reading(target, head, context.channel.allocator.buffer(capacity: 0))
            } catch {
                state = .refused
                reply(JSONReply(error), to: head, context: context)
            }
        case (.passing, _):
            if case .end = part { state = .idle }
            context.fireChannelRead(wrapInboundOut(part))
        case (.reading(let target, let head, var body), .body(var chunk)):
            state = .idle  // drops the enum's reference so the append below does not copy the buffer
            guard body.readableBytes + chunk.readableBytes <= endpoint.limits.maxBodyBytes else {
                state = .refused
                reply(JSONReply(ServerError(.contentTooLarge, "the request body exceeds the \(endpoint.limits.maxBodyBytes)-byte limit")),
                      to: head, context: context)
                return
            }
            body.writeBuffer(&chunk)
            state = .reading(target, head, body)
        case (.reading(let target, let head, var body), .end):
            state = .invoking
            let bytes = body.readBytes(length: body.readableBytes) ?? []
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            endpoint.invoke(target, body: bytes) { answer in
                if loop.inEventLoop {
                    let (handler, context) = bound.value
                    handler.finish(answer, to: head, context: context)
                } else {
                    loop.execute {
                        let (handler, context) = bound.value
                        handler.finish(answer, to: head, context: context)
                    }
                }
            }
        case (.refused, .end):
            state = .idle
        case (.refused, _):
            break
        case (.idle, _), (.reading, .head), (.invoking, _):
            // The HTTP decoder never sends these; pass them on and let the router complain.
            context.fireChannelRead(wrapInboundOut(part))
        }
    }

    private func finish(_ answer: JSONReply, to head: HTTPRequest, context: ChannelHandlerContext) {
        state = .idle
        reply(answer, to: head, context: context)
        if !held.isEmpty {
            while !held.isEmpty {
                if case .invoking = state { break }
                process(held.removeFirst(), context: context)
            }
            // Hummingbird's async channel hands reads over on read-complete; parts passed on
            // here, outside a read, would otherwise wait for the next one.
            context.fireChannelReadComplete()
        }
        if readDeferred {
            if case .invoking = state, !held.isEmpty { return }
            readDeferred = false
            context.read()
        }
    }

    private func reply(_ answer: JSONReply, to head: HTTPRequest, context: ChannelHandlerContext) {
        var body = context.channel.allocator.buffer(capacity: 64)
        body.writeBytes(answer.json.bytes)
        var fields = HTTPFields()
        fields.reserveCapacity(5 + answer.headers.count)
        fields[.contentType] = JSONResponse.contentType
        fields[.contentLength] = String(body.readableBytes)
        fields[.date] = dateHeader.now()
        fields[.server] = "hearth"
        fields.append(contentsOf: answer.headers)
        let close = head.headerFields.firstValue(.connection)?.lowercased() == "close"
        if close { fields[.connection] = "close" }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        if close {
            let channel = context.channel  // Sendable, unlike the context the completion may outlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// Added by Hummingbird with the connection's other HTTP handlers, it puts an
/// `InvokeChannelHandler` after `HTTPConnectionStateHandler` (which Hummingbird adds after its
/// own "additional" handlers) on the first request, then removes itself.
final class InvokeChannelHandlerInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    private let endpoint: InvokeEndpoint

    init(endpoint: InvokeEndpoint) {
        self.endpoint = endpoint
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let pipeline = context.pipeline.syncOperations
        let handler = InvokeChannelHandler(endpoint: endpoint)
        do {
            if let connectionState = try? pipeline.handler(type: HTTPConnectionStateHandler.self) {
                try pipeline.addHandler(handler, position: .after(connectionState))
            } else {
                try pipeline.addHandler(handler, position: .after(self))
            }
        } catch {
            // Without it every request takes the router, which answers the invoke routes too.
        }
        context.fireChannelRead(data)
        pipeline.removeHandler(context: context, promise: nil)
    }
}

/// The `Date` header's value, formatted once per second (RFC 9110's IMF-fixdate).
struct HTTPDateHeader {
    private var second = 0
    private var text = ""

    mutating func now() -> String {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        if clock.tv_sec != second || text.isEmpty {
            second = clock.tv_sec
            text = Self.format(second)
        }
        return text
    }

    static func format(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
