import Hummingbird
import HummingbirdCore
import NIOCore
import Synchronization

/// Why a connection's WebSocket upgrade was refused, kept from the route that refused it until
/// the connection answers.
///
/// HummingbirdWebSocket asks the WebSocket router whether to upgrade and keeps only "no": the
/// route's answer (401 without a token, 403 with another tenant's, 404 for no such route) is
/// dropped and the client gets an empty 400. The router's middleware records the answer here,
/// keyed by connection, and `GuardedHTTPChannel` sends it instead.
final class UpgradeRefusals: Sendable {
    private let byConnection = Mutex<[ObjectIdentifier: ServerError]>([:])

    /// Keeps `refusal` as the answer for `channel`'s refused upgrade.
    func record(_ refusal: ServerError, for channel: any Channel) {
        byConnection.withLock { $0[ObjectIdentifier(channel)] = refusal }
    }

    /// The answer recorded for `channel`, removed.
    func take(for channel: any Channel) -> ServerError? {
        byConnection.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

/// The WebSocket router's error middleware: a JSON error like `JSONErrorMiddleware`'s, and the
/// same error recorded as the connection's refusal, since the upgrade path drops the response.
struct UpgradeRefusalMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let refusals: UpgradeRefusals

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let refusal = JSONErrorMiddleware<Context>.serverError(for: error, request: request, context: context)
            refusals.record(refusal, for: context.channel)
            return try refusal.response(from: request, context: context)
        }
    }
}
