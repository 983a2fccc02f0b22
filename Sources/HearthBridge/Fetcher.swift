import CHTTPFetch
import Foundation

/// What a guest's `js_fetch` got back.
public struct FetchResponse: Equatable, Sendable {
    /// The HTTP status code; 0 when the reply was not an HTTP response.
    public var status: Int
    /// The response body decoded as UTF-8, invalid sequences replaced.
    public var body: String

    /// A response of `status` with `body`, for fetchers other than libcurl (tests, proxies).
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

/// The production fetcher: a GET through the system's libcurl, loaded when the first fetch
/// happens (so a process that never fetches never maps it), blocking the calling thread. Redirects
/// are not followed, since their target never passed the `FetchPolicy`: a 3xx status is the answer.
public final class CurlFetcher: HTTPFetcher {
    /// Seconds the whole request may take.
    public let timeout: Double
    /// Responses larger than this are cut off with an error rather than copied into the guest.
    public let maximumBodyBytes: Int

    /// A fetcher with a 10 s timeout and a 1 MiB body cap by default.
    public init(timeout: Double = 10, maximumBodyBytes: Int = 1 << 20) {
        self.timeout = timeout
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// GETs `url`; throws `FetchTooLarge` over `maximumBodyBytes` and `FetchFailed` for anything
    /// else that kept a response from arriving (no libcurl, refused, timed out, TLS...).
    public func fetch(_ url: URL) throws -> FetchResponse {
        var result = hearth_http_result()
        let failed = url.absoluteString.withCString {
            hearth_http_get($0, max(1, Int(timeout * 1000)), maximumBodyBytes, &result)
        }
        defer { hearth_http_result_free(&result) }
        if failed != 0 {
            if result.body_too_large != 0 { throw FetchTooLarge(limit: maximumBodyBytes) }
            throw FetchFailed(reason: withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        let body = result.body.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: result.body_length), as: UTF8.self) } ?? ""
        return FetchResponse(status: result.status, body: body)
    }
}

/// A fetch that got no response: why, in libcurl's words or ours.
public struct FetchFailed: Error, CustomStringConvertible {
    /// The reason, e.g. "Failed to connect to ..." or "unsupported: fetch needs libcurl ...".
    public var reason: String
    public var description: String { reason }
}

/// A response body over `CurlFetcher.maximumBodyBytes`.
public struct FetchTooLarge: Error, CustomStringConvertible {
    /// The cap the body went over, in bytes.
    public var limit: Int
    public var description: String { "response body larger than \(limit) bytes" }
}
