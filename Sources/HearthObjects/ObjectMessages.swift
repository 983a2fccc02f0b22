import Foundation

/// A fetch-like event delivered to an object.
public struct ObjectRequest: Sendable, Equatable {
    /// HTTP method the handler dispatches on, such as "GET" or "POST".
    public var method: String
    /// The request target, usually a path such as `/invoke` or `/health` (no scheme or host needed).
    public var url: String
    /// Request headers, one value per name.
    public var headers: [String: String]
    /// Raw request body (JSON for a runtime object's `/invoke` and `/deploy`).
    public var body: [UInt8]

    /// A request for `url`; a GET without headers or body unless said otherwise.
    public init(method: String = "GET", url: String, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// An object's answer to a request; released to the caller only once the turn's writes are durable.
public struct ObjectResponse: Sendable, Equatable {
    /// HTTP status code of the answer.
    public var status: Int
    /// Response headers, one value per name (e.g. `content-type`).
    public var headers: [String: String]
    /// Raw response body.
    public var body: [UInt8]

    /// A response of `status` with `headers` and `body`; an empty 200 by default.
    public init(status: Int = 200, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 text response.
    public static func text(_ text: String, status: Int = 200) -> ObjectResponse {
        ObjectResponse(status: status, headers: ["content-type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// The body decoded as UTF-8.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// What an alarm handler is told about the delivery.
public struct AlarmInvocation: Sendable, Equatable {
    /// When the alarm was due.
    public let scheduledTime: Date
    /// 0 on the first attempt, n on the n-th retry after a failure.
    public let retryCount: Int
    /// Whether an earlier delivery of this alarm failed.
    public var isRetry: Bool { retryCount > 0 }

    /// The delivery of an alarm due at `scheduledTime`, attempt number `retryCount` (0: the first).
    public init(scheduledTime: Date, retryCount: Int) {
        self.scheduledTime = scheduledTime
        self.retryCount = retryCount
    }
}
