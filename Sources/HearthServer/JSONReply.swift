import HearthObjects
import HearthRuntimeHost
import HTTPTypes
import HearthBridge
import Hummingbird

/// A JSON answer before it is a response of either server path: the status, the JSON and any
/// headers an error carries (`Retry-After`, `WWW-Authenticate`).
struct JSONReply: Sendable {
    var status: HTTPResponse.Status
    var json: JSONValue
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, json: JSONValue, headers: HTTPFields = [:]) {
        self.status = status
        self.json = json
        self.headers = headers
    }

    /// `{success, result}` or `{success: false, error}` with the outcome's status.
    init(_ response: InvokeResponse) {
        self.init(status: .init(code: response.status), json: response.body)
    }

    /// An invocation's outcome: its response, or the server's refusal (503 overload).
    init(_ outcome: Result<InvokeResponse, ServerError>) {
        switch outcome {
        case .success(let response): self.init(response)
        case .failure(let error): self.init(error)
        }
    }

    /// `{"error": message}`; anything but a `ServerError` is a 500.
    init(_ error: any Error) {
        let error = error as? ServerError ?? ServerError(.internalServerError, "internal error: \(error)")
        var headers: HTTPFields = [:]
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        if error.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        self.init(status: error.status, json: .object([("error", .string(error.message))]), headers: headers)
    }

    /// The router's response.
    var response: Response {
        var response = JSONResponse.make(json, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
