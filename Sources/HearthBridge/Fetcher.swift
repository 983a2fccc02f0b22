#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Foundation
import Synchronization

/// What a guest's `js_fetch` got back.
public struct FetchResponse: Equatable, Sendable {
    /// The HTTP status code; 0 when the reply was not an HTTP response.
    public var status: Int
    /// The response body decoded as UTF-8, invalid sequences replaced.
    public var body: String

    /// A response of `status` with `body`, for fetchers other than URLSession (tests, proxies).
    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}

/// Performs a guest's HTTP GET. The bridge calls it synchronously from inside the guest's call,
/// so implementations block until the response (or their own timeout). One fetcher serves every
/// object of a host, whichever thread their guests run on, hence `Sendable`.
public protocol HTTPFetcher: Sendable {
    func fetch(_ url: URL) throws -> FetchResponse
}

/// Which URLs a guest may fetch: http(s) only, and only to hosts listed exactly (a listed
/// `example.com` does not admit `api.example.com`; list each host).
public struct FetchPolicy: Sendable {
    /// Host names a guest may fetch from, kept in lowercase (an assignment is lowercased too), as
    /// `check` compares the URL's lowercased host.
    public var allowedHosts: Set<String> {
        didSet { if allowedHosts.contains(where: { $0 != $0.lowercased() }) { allowedHosts = Set(allowedHosts.map { $0.lowercased() }) } }
    }

    /// A policy admitting exactly `allowedHosts`, compared case-insensitively; none by default, so
    /// every fetch is denied.
    public init(allowedHosts: Set<String> = []) {
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
    }

    /// The parsed URL when allowed; otherwise why not.
    public func check(_ text: String) -> Result<URL, FetchDenied> {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            return .failure(FetchDenied(reason: "not a valid absolute URL: \(text)"))
        }
        guard scheme == "http" || scheme == "https" else {
            return .failure(FetchDenied(reason: "scheme \(scheme) is not allowed"))
        }
        guard let host = url.host?.lowercased(), !host.isEmpty else {
            return .failure(FetchDenied(reason: "no host in \(text)"))
        }
        guard allowedHosts.contains(host) else {
            return .failure(FetchDenied(reason: "host \(host) is not on the allow-list"))
        }
        return .success(url)
    }
}

/// A fetch the policy refused.
public struct FetchDenied: Error, Equatable {
    /// Why: not an absolute URL, not http(s), no host, or a host not on the allow-list.
    public var reason: String
}

/// The production fetcher: a GET through URLSession, waited for synchronously.
public final class URLSessionFetcher: HTTPFetcher {
    /// Seconds the request may take; the blocked caller gives up a second after that.
    public let timeout: TimeInterval
    /// Responses larger than this are cut off with an error rather than copied into the guest.
    public let maximumBodyBytes: Int

    /// A fetcher with a 10 s timeout and a 1 MiB body cap by default.
    public init(timeout: TimeInterval = 10, maximumBodyBytes: Int = 1 << 20) {
        self.timeout = timeout
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// The answer the session's completion handler (on the session's queue) hands to the
    /// blocked caller.
    private final class Outcome: Sendable {
        let result = Mutex<Result<FetchResponse, any Error>>(.failure(URLError(.timedOut)))
    }

    /// GETs `url` through `URLSession.shared`, blocking the calling thread until it answers; throws
    /// the session's error, `URLError(.timedOut)`, or `FetchTooLarge` over `maximumBodyBytes`.
    public func fetch(_ url: URL) throws -> FetchResponse {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "GET"
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let limit = maximumBodyBytes
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            let result: Result<FetchResponse, any Error>
            if let error {
                result = .failure(error)
            } else if let data, data.count > limit {
                result = .failure(FetchTooLarge(limit: limit))
            } else {
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                result = .success(FetchResponse(status: status, body: String(decoding: data ?? Data(), as: UTF8.self)))
            }
            outcome.result.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            throw URLError(.timedOut)
        }
        return try outcome.result.withLock { $0 }.get()
    }
}

/// A response body over `URLSessionFetcher.maximumBodyBytes`.
public struct FetchTooLarge: Error, CustomStringConvertible {
    /// The cap the body went over, in bytes.
    public var limit: Int
    public var description: String { "response body larger than \(limit) bytes" }
}
