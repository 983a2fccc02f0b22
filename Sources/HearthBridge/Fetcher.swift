#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Foundation

/// What a guest's `js_fetch` got back.
public struct FetchResponse: Equatable, Sendable {
    public var status: Int
    public var body: String

    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}

/// Performs a guest's HTTP GET. The bridge calls it synchronously from inside the guest's call,
/// so implementations block until the response (or their own timeout).
public protocol HTTPFetcher {
    func fetch(_ url: URL) throws -> FetchResponse
}

/// Which URLs a guest may fetch: http(s) only, and only to hosts listed exactly (a listed
/// `example.com` does not admit `api.example.com`; list each host).
public struct FetchPolicy: Sendable {
    public var allowedHosts: Set<String>

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
    public var reason: String
}

/// The production fetcher: a GET through URLSession, waited for synchronously.
public final class URLSessionFetcher: HTTPFetcher {
    public var timeout: TimeInterval
    /// Responses larger than this are cut off with an error rather than copied into the guest.
    public var maximumBodyBytes: Int

    public init(timeout: TimeInterval = 10, maximumBodyBytes: Int = 1 << 20) {
        self.timeout = timeout
        self.maximumBodyBytes = maximumBodyBytes
    }

    private final class Outcome: @unchecked Sendable {
        var result: Result<FetchResponse, Error> = .failure(URLError(.timedOut))
    }

    public func fetch(_ url: URL) throws -> FetchResponse {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "GET"
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let limit = maximumBodyBytes
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                outcome.result = .failure(error)
            } else if let data, data.count > limit {
                outcome.result = .failure(FetchTooLarge(limit: limit))
            } else {
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                outcome.result = .success(FetchResponse(status: status, body: String(decoding: data ?? Data(), as: UTF8.self)))
            }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            throw URLError(.timedOut)
        }
        return try outcome.result.get()
    }
}

/// A response body over `URLSessionFetcher.maximumBodyBytes`.
public struct FetchTooLarge: Error, CustomStringConvertible {
    public var limit: Int
    public var description: String { "response body larger than \(limit) bytes" }
}
