import Foundation

/// A fetch-like event delivered to an object.
public struct ObjectRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: [UInt8]

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
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

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
    public var isRetry: Bool { retryCount > 0 }

    public init(scheduledTime: Date, retryCount: Int) {
        self.scheduledTime = scheduledTime
        self.retryCount = retryCount
    }
}
