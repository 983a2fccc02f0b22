import HTTPTypes
import Hummingbird
import HearthBridge
import HearthRuntimeHost

/// Every error the server answers: a status and a message, always sent as JSON
/// `{"error": message}` (plus `Retry-After` for overload).
public struct ServerError: HTTPResponseError, CustomStringConvertible {
    /// HTTP status the error is answered with.
    public var status: HTTPResponse.Status
    /// Human-readable reason, sent as the body's `error` field.
    public var message: String
    /// Seconds for `Retry-After` (503 overload).
    public var retryAfter: Int?

    /// An error answered with `status` and `message`; `retryAfter` (seconds) adds `Retry-After`.
    public init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    /// A 400: the request itself is wrong (a bad module, JSON, name or tokens file).
    public static func badRequest(_ message: String) -> ServerError { ServerError(.badRequest, message) }
    /// A 404: the named runtime, object or function does not exist.
    public static func notFound(_ message: String) -> ServerError { ServerError(.notFound, message) }
    /// A 401: no bearer token, or a malformed Authorization header (answered with `WWW-Authenticate: Bearer`).
    public static func unauthorized(_ message: String) -> ServerError { ServerError(.unauthorized, message) }
    /// A 403: a token that does not open the namespace (the same whether or not the namespace exists).
    public static func forbidden(_ message: String) -> ServerError { ServerError(.forbidden, message) }

    /// The answer to a request the object host refused, with the status its kind calls for.
    public init(_ refusal: HostRefusal) {
        self.init(HTTPResponse.Status(code: refusal.failure.status), refusal.message)
    }

    public var description: String { "\(status.code) \(message)" }

    /// The `{"error": message}` JSON response Hummingbird sends, with `Retry-After` or
    /// `WWW-Authenticate` when the error calls for one.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONReply(self).response
    }
}

/// Builds JSON responses from `JSONValue` (the bridge's canonical writer).
enum JSONResponse {
    static let contentType = "application/json; charset=utf-8"

    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(value.bytes)
        return Response(status: status, headers: [.contentType: contentType],
                        body: ResponseBody(byteBuffer: buffer))
    }
}

/// Turns every error leaving a route — ours, Hummingbird's (`HTTPError`: unknown route, body too
/// large) or anything unexpected — into a JSON error, so clients never have to parse text or HTML.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.serverError(for: error, request: request, context: context).response(from: request, context: context)
        }
    }

    /// The `ServerError` a route's `error` is answered with.
    static func serverError(for error: any Error, request: Request, context: Context) -> ServerError {
        switch error {
        case let error as ServerError:
            return error
        case let refusal as HostRefusal:
            return ServerError(refusal)
        case let error as HTTPError:
            let message: String
            switch error.status {
            case .contentTooLarge: message = "the request body is larger than the server accepts"
            case .notFound: message = "no route for \(request.method) \(request.uri.path)"
            default: message = error.body ?? error.status.reasonPhrase
            }
            return ServerError(error.status, message)
        case let error as HTTPResponseError:
            return ServerError(error.status, "\(error)")
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            return ServerError(.internalServerError, "internal error: \(error)")
        }
    }
}
